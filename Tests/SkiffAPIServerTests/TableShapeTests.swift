import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// The Table document as kubectl reads it: TypeMeta, list metadata, column
/// definitions with every field, rows with cells and the object asked for.
@Suite struct TableShapeTests {
    typealias F = TableFixtures

    private func runningPod() -> Pod {
        var pod = F.pod()
        pod.status.phase = PodPhase.running
        pod.status.containerStatuses = [F.running("app")]
        return pod
    }

    private func json(_ table: Table) throws -> JSONValue {
        try JSONCodec.parse(try JSONCodec.encode(table))
    }

    @Test func aTableIsWrittenAsMetaV1Table() throws {
        var listMeta = ListMeta(resourceVersion: "42", continue: "token")
        listMeta.remainingItemCount = 3
        let table = try TableConversion.table(
            of: Pod.self, objects: [runningPod()], listMeta: listMeta, includeObject: .none, now: F.now)
        let document = try json(table)
        #expect(document.objectValue?.keys == ["kind", "apiVersion", "metadata", "columnDefinitions", "rows"])
        #expect(document["kind"] == "Table")
        #expect(document["apiVersion"] == "meta.k8s.io/v1")
        #expect(document["metadata"] == ["resourceVersion": "42", "continue": "token", "remainingItemCount": 3])

        guard case .array(let columns)? = document["columnDefinitions"] else {
            Issue.record("no columnDefinitions")
            return
        }
        #expect(columns.map { $0["name"]?.stringValue } == [
            "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates",
        ])
        for column in columns {
            #expect(column.objectValue?.keys == ["name", "type", "format", "description", "priority"])
        }
        #expect(columns[0]["format"] == "name" && columns[0]["priority"] == 0)
        #expect(columns[1]["format"] == "" && columns[1]["type"] == "string")
        #expect(columns[5]["priority"] == 1)

        #expect(document["rows"] == [
            ["cells": ["web", "1/1", "Running", "0", "60m", "<none>", "node-1", "<none>", "<none>"]]
        ])
    }

    @Test func integerCellsAreJSONNumbers() throws {
        var configMap = ConfigMap()
        configMap.metadata = F.metadata("settings")
        configMap.data = ["a": "1", "b": "2"]
        configMap.binaryData = ["c": Base64Bytes([0])]
        let table = try TableConversion.table(
            of: ConfigMap.self, objects: [configMap], includeObject: .none, now: F.now)
        #expect(try json(table)["rows"] == [["cells": ["settings", .number("3"), "60m"]]])
        #expect(table.columnDefinitions.map(\.name) == ["Name", "Data", "Age"])
    }

    @Test func rowsCarryPartialObjectMetadataByDefault() throws {
        let pod = runningPod()
        let table = try TableConversion.table(of: Pod.self, objects: [pod], now: F.now)
        let object = try #require(table.rows.first?.object)
        #expect(object.objectValue?.keys == ["kind", "apiVersion", "metadata"])
        #expect(object["kind"] == "PartialObjectMetadata")
        #expect(object["apiVersion"] == "meta.k8s.io/v1")
        #expect(object["metadata"] == (try JSONCodec.encodeValue(pod.metadata)))
    }

    @Test func includeObjectObjectEmbedsTheWholeObjectWithItsKind() throws {
        let pod = runningPod()
        #expect(pod.kind == nil)
        let table = try TableConversion.table(of: Pod.self, objects: [pod], includeObject: .object, now: F.now)
        let object = try #require(table.rows.first?.object)
        #expect(object["kind"] == "Pod" && object["apiVersion"] == "v1")
        var expected = pod
        expected.setTypeMeta()
        #expect(try JSONCodec.decode(Pod.self, from: object) == expected)
    }

    @Test func includeObjectNoneLeavesTheObjectOut() throws {
        let table = try TableConversion.table(of: Pod.self, objects: [runningPod()], includeObject: .none, now: F.now)
        #expect(table.rows.first?.object == nil)
        guard case .array(let rows)? = try json(table)["rows"] else {
            Issue.record("no rows")
            return
        }
        #expect(rows.first?.objectValue?.keys == ["cells"])
        #expect(TableConversion.IncludeObject(rawValue: "Metadata") == .metadata)
        #expect(TableConversion.IncludeObject(rawValue: "metadata") == nil)
    }

    @Test func noHeadersLeavesTheColumnsOut() throws {
        let table = try TableConversion.table(of: Pod.self, objects: [runningPod()], noHeaders: true, now: F.now)
        #expect(table.columnDefinitions.isEmpty)
        #expect(table.rows.count == 1)
        #expect(try json(table)["columnDefinitions"] == [])
    }

    @Test func anEmptyListIsATableWithColumnsAndNoRows() throws {
        let table = try TableConversion.table(of: Service.self, objects: [], now: F.now)
        #expect(table.columnDefinitions.filter { $0.priority == 0 }.map(\.name)
            == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"])
        #expect(table.columnDefinitions.filter { $0.priority == 1 }.map(\.name) == ["Selector"])
        #expect(try json(table)["rows"] == [])
    }

    @Test func kindsWithoutAPrinterGetNameAndCreatedAt() throws {
        var role = Role()
        role.metadata = F.metadata("reader")
        var undated = ClusterRole()
        undated.metadata.name = "admin"
        let roles = try TableConversion.table(of: Role.self, objects: [role], now: F.now)
        #expect(roles.columnDefinitions.map(\.name) == ["Name", "Created At"])
        #expect(roles.columnDefinitions.map(\.type) == ["string", "date"])
        #expect(roles.columnDefinitions.map(\.format) == ["name", ""])
        #expect(roles.rows.first?.cells == ["reader", "2024-05-01T11:00:00Z"])
        #expect(roles.rows.first?.object?["kind"] == "PartialObjectMetadata")

        let clusterRoles = try TableConversion.table(of: ClusterRole.self, objects: [undated], now: F.now)
        #expect(clusterRoles.rows.first?.cells == ["admin", "0001-01-01T00:00:00Z"])
    }

    @Test func objectsOfAnotherKindAreRefused() throws {
        var thrown: APIError?
        do {
            _ = try TableConversion.table(of: Pod.self, objects: [F.node("node-1")], now: F.now)
        } catch {
            thrown = error
        }
        #expect(thrown?.code == 500)
    }

    @Test func tablesRoundTripThroughTheCodec() throws {
        let table = try TableConversion.table(of: Pod.self, objects: [runningPod()], now: F.now)
        #expect(try JSONCodec.decode(Table.self, from: try JSONCodec.encode(table)) == table)
    }

    @Test func everyServedKindPrintsOneCellPerColumnWithItsNameInTheNameColumn() throws {
        for type in Scheme.objectTypes {
            let object = try JSONCodec.decode(type, from: ["metadata": ["name": "sample", "namespace": "default"]])
            let table = try TableConversion.table(of: type, objects: [object], now: F.now)
            let row = try #require(table.rows.first)
            #expect(row.cells.count == table.columnDefinitions.count, "\(type.kind)")
            let nameColumn = try #require(table.columnDefinitions.firstIndex { $0.format == "name" }, "\(type.kind)")
            #expect(row.cells[nameColumn] == "sample", "\(type.kind)")
        }
    }
}
