import Foundation
import SkiffAPI
import SkiffPKI
import Testing

@testable import SkiffAPIServer

/// The REST routes as clients use them: verbs, status codes and bodies.
@Suite struct RouterTests {
    let configMap = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":"fast"}}"#

    @Test func createGetListUpdateDeleteAConfigMap() async throws {
        let api = try await RouterFixture()
        let created = await api.send("POST", "/api/v1/namespaces/default/configmaps", body: configMap, contentType: "application/json")
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json.at("metadata", "namespace") as? String == "default")
        let version = try #require(created.json.at("metadata", "resourceVersion") as? String)

        let read = await api.send("GET", "/api/v1/namespaces/default/configmaps/settings")
        #expect(read.status == 200 && read.json.at("data", "mode") as? String == "fast")

        let list = await api.send("GET", "/api/v1/namespaces/default/configmaps")
        #expect(list.json["kind"] as? String == "ConfigMapList")
        #expect((list.json["items"] as? [Any])?.count == 1)

        let stale = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","resourceVersion":"1"},"data":{"mode":"slow"}}"#
        let conflict = await api.send("PUT", "/api/v1/namespaces/default/configmaps/settings", body: stale)
        #expect(conflict.status == 409)
        #expect(conflict.message.hasPrefix("Operation cannot be fulfilled on configmaps \"settings\""))

        let fresh = stale.replacingOccurrences(of: #""resourceVersion":"1""#, with: #""resourceVersion":"\#(version)""#)
        let updated = await api.send("PUT", "/api/v1/namespaces/default/configmaps/settings", body: fresh)
        #expect(updated.status == 200 && updated.json.at("data", "mode") as? String == "slow", "\(updated.text)")

        let deleted = await api.send("DELETE", "/api/v1/namespaces/default/configmaps/settings")
        #expect(deleted.status == 200)
        let gone = await api.send("GET", "/api/v1/namespaces/default/configmaps/settings")
        #expect(gone.status == 404 && gone.message == #"configmaps "settings" not found"#)
    }

    @Test func theDefaultNamespacesExistFromTheStart() async throws {
        let api = try await RouterFixture()
        let list = await api.send("GET", "/api/v1/namespaces")
        let names = (list.json["items"] as? [[String: Any]] ?? []).compactMap { $0.at("metadata", "name") as? String }
        #expect(names == ["default", "kube-node-lease", "kube-public", "kube-system"])
        let one = await api.send("GET", "/api/v1/namespaces/kube-system")
        #expect(one.status == 200 && one.json["kind"] as? String == "Namespace")
    }

    @Test func badInputGetsUpstreamErrorsAndWritesNothing() async throws {
        let api = try await RouterFixture()
        let before = try await api.storeContents()
        let path = "/api/v1/namespaces/default/configmaps"
        let cases: [(String, String?, Int, String)] = [
            ("{not json", "application/json", 400, "cannot be handled as a ConfigMap"),
            (#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}"#, nil, 400, "must be of type ConfigMap"),
            (#"{"metadata":{"name":"Bad_Name"}}"#, nil, 422, #"ConfigMap "Bad_Name" is invalid"#),
            (configMap, "text/plain", 415, "unknown format"),
            (configMap, "application/vnd.kubernetes.protobuf", 400, "does not appear to be a protobuf message"),
        ]
        for (body, contentType, status, message) in cases {
            let reply = await api.send("POST", path, body: body, contentType: contentType ?? "application/json")
            #expect(reply.status == status, "\(body): \(reply.text)")
            #expect(reply.message.contains(message), "\(body): \(reply.message)")
            #expect(reply.json["kind"] as? String == "Status")
        }
        let strict = await api.send(
            "POST", path + "?fieldValidation=Strict",
            body: #"{"metadata":{"name":"x"},"dta":{}}"#, contentType: "application/json")
        #expect(strict.status == 400)
        #expect(strict.message.hasSuffix(#"strict decoding error: unknown field "dta""#), "\(strict.message)")
        let badSelector = await api.send("GET", path + "?labelSelector=a%20in")
        #expect(badSelector.status == 400)
        let missingNamespace = await api.send("POST", "/api/v1/namespaces/nowhere/configmaps", body: configMap)
        #expect(missingNamespace.status == 404 && missingNamespace.message == #"namespaces "nowhere" not found"#)
        #expect(try await api.storeContents() == before)
    }

    @Test func unknownFieldsWarnByDefault() async throws {
        let api = try await RouterFixture()
        let reply = await api.send(
            "POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"x"},"dta":{}}"#)
        #expect(reply.status == 201)
        #expect(reply.headers.values("Warning") == [#"299 - "unknown field \"dta\"""#])
    }

    @Test func pathsThatNameNothingAre404AndWrongMethods405() async throws {
        let api = try await RouterFixture()
        #expect(await api.send("GET", "/api/v1/widgets").status == 404)
        #expect(await api.send("GET", "/apis/apps/v2/deployments").status == 404)
        #expect(await api.send("GET", "/api/v1/namespaces/default/nodes").status == 404)
        #expect(await api.send("GET", "/nonsense").status == 404)
        #expect(await api.send("POST", "/api/v1/namespaces/default/configmaps/x").status == 405)
    }

    @Test func patchesOfEveryType() async throws {
        let api = try await RouterFixture()
        await api.send("POST", "/api/v1/namespaces/default/configmaps", body: configMap)
        let path = "/api/v1/namespaces/default/configmaps/settings"
        let merge = await api.send("PATCH", path, body: #"{"data":{"extra":"1"}}"#, contentType: "application/merge-patch+json")
        #expect(merge.status == 200 && merge.json.at("data", "extra") as? String == "1", "\(merge.text)")
        let json = await api.send(
            "PATCH", path, body: #"[{"op":"remove","path":"/data/extra"}]"#, contentType: "application/json-patch+json")
        #expect(json.status == 200 && json.json.at("data", "extra") == nil)
        let strategic = await api.send(
            "PATCH", path, body: #"{"metadata":{"labels":{"app":"web"}}}"#, contentType: "application/strategic-merge-patch+json")
        #expect(strategic.json.at("metadata", "labels", "app") as? String == "web")
        let badPatch = await api.send(
            "PATCH", path, body: #"[{"op":"remove","path":"/data/missing"}]"#, contentType: "application/json-patch+json")
        #expect(badPatch.status == 422, "\(badPatch.text)")
        let unsupported = await api.send("PATCH", path, body: "{}", contentType: "application/json")
        #expect(unsupported.status == 415)

        let applied = await api.send(
            "PATCH", "/api/v1/namespaces/default/configmaps/fresh?fieldManager=me",
            body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  a: b\n",
            contentType: "application/apply-patch+yaml")
        #expect(applied.status == 201, "\(applied.text)")
        let managers = (applied.json.at("metadata", "managedFields") as? [[String: Any]])?.compactMap { $0["manager"] as? String }
        #expect(managers == ["me"])
        let conflicting = await api.send(
            "PATCH", "/api/v1/namespaces/default/configmaps/fresh?fieldManager=other",
            body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  a: c\n",
            contentType: "application/apply-patch+yaml")
        #expect(conflicting.status == 409 && conflicting.reason == "Conflict", "\(conflicting.text)")
        let noManager = await api.send(
            "PATCH", "/api/v1/namespaces/default/configmaps/fresh", body: "{}", contentType: "application/apply-patch+yaml")
        #expect(noManager.status == 422)
    }

    @Test func scaleADeploymentThroughItsSubresource() async throws {
        let api = try await RouterFixture()
        let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}"#
        let created = await api.send("POST", "/apis/apps/v1/namespaces/default/deployments", body: deployment)
        #expect(created.status == 201, "\(created.text)")
        let scaled = await api.send(
            "PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", body: #"{"spec":{"replicas":3}}"#,
            contentType: "application/merge-patch+json")
        #expect(scaled.status == 200, "\(scaled.text)")
        #expect(scaled.json["kind"] as? String == "Scale" && scaled.json.at("status", "selector") as? String == "app=web")
        let read = await api.send("GET", "/apis/apps/v1/namespaces/default/deployments/web")
        #expect(read.json.at("spec", "replicas") as? Int == 3)
        #expect(read.json.at("metadata", "generation") as? Int == 2)
    }

    @Test func watchSeesCreateUpdateDeleteInOrder() async throws {
        let api = try await RouterFixture()
        let lines = try await api.stream("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0")
        await api.send("POST", "/api/v1/namespaces/default/configmaps", body: configMap)
        await api.send(
            "PATCH", "/api/v1/namespaces/default/configmaps/settings", body: #"{"data":{"mode":"slow"}}"#,
            contentType: "application/merge-patch+json")
        await api.send("DELETE", "/api/v1/namespaces/default/configmaps/settings")
        var seen: [String] = []
        for _ in 0..<3 {
            let event = try #require(try await lines.next())
            seen.append("\(event.type) \(event.object.at("data", "mode") as? String ?? "")")
        }
        #expect(seen == ["ADDED fast", "MODIFIED slow", "DELETED slow"])
    }

    @Test func anonymousRequestsGet401ButHealthAndVersion() async throws {
        let tokens = TokenFile(entries: [.init(token: "secret", user: "alice", uid: "1", groups: ["devs"])])
        let api = try await RouterFixture(tokens: tokens)
        #expect(await api.send("GET", "/api/v1/namespaces").status == 401)
        #expect(await api.send("GET", "/healthz").text == "ok")
        #expect(await api.send("GET", "/version").json["gitVersion"] as? String == ServerVersion.gitVersion)
        let wrong = await api.send("GET", "/healthz", headers: [("Authorization", "Bearer nope")])
        #expect(wrong.status == 401)
        let right = await api.send("GET", "/api/v1/namespaces", headers: [("Authorization", "Bearer secret")])
        #expect(right.status == 200)
    }
}
