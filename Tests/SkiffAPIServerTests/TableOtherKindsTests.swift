import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// Events, the small core kinds, leases and RBAC bindings.
@Suite struct TableOtherKindsTests {
    typealias F = TableFixtures

    @Test func eventsPrintLastSeenTypeReasonObjectMessage() throws {
        var event = Event()
        event.metadata = F.metadata("web.17c5")
        event.involvedObject = ObjectReference(kind: "Pod", namespace: "default", name: "web")
        event.involvedObject.fieldPath = "spec.containers{app}"
        event.type = "Normal"
        event.reason = "Pulled"
        event.message = "  Container image \"nginx:1.25\" already present on machine\n"
        event.source.component = "kubelet"
        event.source.host = "node-1"
        event.firstTimestamp = F.ago(600)
        event.lastTimestamp = F.ago(30)
        event.count = 3
        let table = try TableConversion.table(of: Event.self, objects: [event], now: F.now)
        #expect(table.columnDefinitions.filter { $0.priority == 0 }.map(\.name)
            == ["Last Seen", "Type", "Reason", "Object", "Message"])
        #expect(table.rows.first?.cells == [
            "30s", "Normal", "Pulled", "pod/web", "spec.containers{app}", "kubelet, node-1",
            "Container image \"nginx:1.25\" already present on machine", "10m", 3, "web.17c5",
        ])
    }

    @Test func eventsOfTheNewAPIUseEventTimeAndSeries() throws {
        var event = Event()
        event.metadata = F.metadata("node-1.17c6", namespace: "default")
        event.involvedObject = ObjectReference(kind: "Node", name: "")
        event.eventTime = MicroTime(nanosecondsSinceEpoch: F.ago(300).nanosecondsSinceEpoch)
        event.reportingComponent = "skiff-controller-manager"
        var cells = try F.cells(event)
        #expect(cells["Last Seen"] == "5m" && cells["First Seen"] == "5m")
        #expect(cells["Count"] == 1)
        #expect(cells["Object"] == "node")
        #expect(cells["Source"] == "skiff-controller-manager")

        var series = EventSeries()
        series.count = 7
        series.lastObservedTime = MicroTime(nanosecondsSinceEpoch: F.ago(20).nanosecondsSinceEpoch)
        event.series = series
        cells = try F.cells(event)
        #expect(cells["Last Seen"] == "20s" && cells["Count"] == 7)
    }

    @Test func namespacesSecretsAndServiceAccounts() throws {
        var namespace = Namespace()
        namespace.metadata = F.metadata("team", namespace: nil)
        namespace.status.phase = "Terminating"
        #expect(try F.row(namespace).cells == ["team", "Terminating", "60m"])

        var secret = Secret()
        secret.metadata = F.metadata("tls")
        secret.type = "kubernetes.io/tls"
        secret.data = ["tls.crt": Base64Bytes([1]), "tls.key": Base64Bytes([2])]
        #expect(try F.row(secret).cells == ["tls", "kubernetes.io/tls", 2, "60m"])

        var account = ServiceAccount()
        account.metadata = F.metadata("default")
        #expect(try F.row(account).cells == ["default", 0, "60m"])
    }

    @Test func replicationControllersAndClaims() throws {
        var controller = ReplicationController()
        controller.metadata = F.metadata("legacy")
        controller.spec.replicas = 2
        controller.spec.selector = ["app": "legacy"]
        controller.status.replicas = 2
        let rc = try F.cells(controller)
        #expect(rc["Desired"] == 2 && rc["Current"] == 2 && rc["Ready"] == 0)
        #expect(rc["Containers"] == "" && rc["Selector"] == "app=legacy")

        var claim = PersistentVolumeClaim()
        claim.metadata = F.metadata("data")
        claim.status.phase = "Pending"
        claim.spec.storageClassName = "local-path"
        var cells = try F.cells(claim)
        #expect(cells["Status"] == "Pending" && cells["Volume"] == "" && cells["Capacity"] == "")
        #expect(cells["StorageClass"] == "local-path")
        #expect(cells["VolumeAttributesClass"] == "<unset>" && cells["VolumeMode"] == "<unset>")

        claim.spec.volumeName = "pv-1"
        claim.status.phase = "Bound"
        claim.status.capacity = ["storage": "1Gi"]
        claim.status.accessModes = ["ReadWriteMany", "ReadWriteOnce"]
        claim.spec.volumeMode = "Filesystem"
        cells = try F.cells(claim)
        #expect(cells["Capacity"] == "1Gi" && cells["Access Modes"] == "RWO,RWX")
        #expect(cells["VolumeMode"] == "Filesystem")
        claim.metadata.deletionTimestamp = F.ago(1)
        #expect(try F.cells(claim)["Status"] == "Terminating")
    }

    @Test func leasesShowTheirHolder() throws {
        var lease = Lease()
        lease.metadata = F.metadata("node-1", namespace: "kube-node-lease")
        #expect(try F.row(lease).cells == ["node-1", "", "60m"])
        lease.spec.holderIdentity = "node-1"
        #expect(try F.row(lease).cells == ["node-1", "node-1", "60m"])
    }

    @Test func bindingsShowTheRoleAndTheirSubjects() throws {
        var binding = RoleBinding()
        binding.metadata = F.metadata("readers")
        binding.roleRef = RoleRef(kind: "ClusterRole", name: "view")
        binding.subjects = [
            Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice"),
            Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs"),
            Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "bob"),
            Subject(kind: "ServiceAccount", name: "ci", namespace: "build"),
        ]
        #expect(try F.row(binding).cells == ["readers", "ClusterRole/view", "60m", "alice, bob", "devs", "build/ci"])

        var clusterBinding = ClusterRoleBinding()
        clusterBinding.metadata = F.metadata("admins", namespace: nil)
        clusterBinding.roleRef = RoleRef(kind: "ClusterRole", name: "cluster-admin")
        #expect(try F.row(clusterBinding).cells == ["admins", "ClusterRole/cluster-admin", "60m", "", "", ""])
    }
}
