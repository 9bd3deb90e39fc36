import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct PodAdmissionTests {
    @Test func podsGetTheDefaultServiceAccountAndDefaultTolerations() async throws {
        let fixture = RegistryFixture()
        let created = try await fixture.pods.create(namespace: "default", Objects.pod("web"))
        #expect(created.spec.serviceAccountName == "default" && created.spec.serviceAccount == "default")
        let tolerations = created.spec.tolerations ?? []
        #expect(tolerations.map(\.key) == ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"])
        #expect(tolerations.allSatisfy {
            $0.operator == "Exists" && $0.effect == "NoExecute" && $0.tolerationSeconds == 300
        })
    }

    @Test func existingTolerationsAndAccountsAreKept() async throws {
        let fixture = RegistryFixture()
        var pod = Objects.pod("web")
        pod.spec.serviceAccountName = "builder"
        var notReady = Toleration()
        notReady.key = "node.kubernetes.io/not-ready"
        notReady.operator = "Exists"
        notReady.effect = "NoExecute"
        notReady.tolerationSeconds = 10
        pod.spec.tolerations = [notReady]
        let created = try await fixture.pods.create(namespace: "default", pod)
        #expect(created.spec.serviceAccountName == "builder")
        #expect(created.spec.tolerations?.map(\.key) == ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"])
        #expect(created.spec.tolerations?.first?.tolerationSeconds == 10)

        var everything = Objects.pod("daemon")
        var all = Toleration()
        all.operator = "Exists"
        everything.spec.tolerations = [all]
        #expect(try await fixture.pods.create(namespace: "default", everything).spec.tolerations == [all])
    }

    @Test func podsTakeTheirServiceAccountsPullSecrets() async throws {
        let fixture = RegistryFixture()
        var account = ServiceAccount()
        account.metadata = ObjectMeta(name: "default", namespace: "default")
        account.imagePullSecrets = [LocalObjectReference(name: "registry")]
        _ = try await fixture.registry(ServiceAccount.self).create(namespace: "default", account)
        let created = try await fixture.pods.create(namespace: "default", Objects.pod("web"))
        #expect(created.spec.imagePullSecrets == [LocalObjectReference(name: "registry")])
    }

    @Test func mirrorPodsAreLeftAloneButMayNotNameAccounts() async throws {
        let fixture = RegistryFixture()
        var mirror = Objects.pod("static-web", node: "node-1")
        mirror.metadata.annotations = ["kubernetes.io/config.mirror": "abc"]
        let created = try await fixture.pods.create(namespace: "default", mirror)
        #expect(created.spec.serviceAccountName == nil)
        #expect(created.spec.tolerations?.count == 2)

        mirror.metadata.name = "static-db"
        mirror.spec.serviceAccountName = "db"
        let error = await apiError { try await fixture.pods.create(namespace: "default", mirror) }
        #expect(error?.code == 403)
        #expect(error?.message == #"pods "static-db" is forbidden: a mirror pod may not reference service accounts"#)
    }

    @Test func anUpdateRestoresTheDefaultTolerations() async throws {
        let fixture = RegistryFixture()
        var created = try await fixture.pods.create(namespace: "default", Objects.pod("web"))
        created.spec.tolerations = nil
        let updated = try await fixture.pods.update(namespace: "default", name: "web", created).object
        #expect(updated.spec.tolerations?.count == 2)
    }
}
