import Foundation
import SkiffAPI
@testable import SkiffRuntime
import Testing
@testable import SkiffKubelet

struct FakeConfigSource: PodConfigSource {
    var maps: [String: ConfigMap] = [:]
    var secrets: [String: Secret] = [:]
    func configMap(namespace: String, name: String) async throws -> ConfigMap? { maps["\(namespace)/\(name)"] }
    func secret(namespace: String, name: String) async throws -> Secret? { secrets["\(namespace)/\(name)"] }
}

@Suite struct PodContainerConfigTests {
    func image(env: [String] = ["PATH=/bin"], user: String = "") throws -> Image {
        Image(
            id: try Digest(parsing: "sha256:" + String(repeating: "a", count: 64)), references: ["busybox:latest"],
            manifestDigest: try Digest(parsing: "sha256:" + String(repeating: "b", count: 64)), size: 1,
            config: ImageConfig(entrypoint: [], cmd: ["sh"], env: env, workingDir: "", user: user),
            layerDirectories: ["/layers/1"])
    }

    func pod(_ container: Container, change: (inout Pod) -> Void = { _ in }) -> Pod {
        var pod = Pod()
        pod.metadata.name = "web"
        pod.metadata.namespace = "shop"
        pod.metadata.uid = "uid-1"
        pod.metadata.labels = ["app": "web"]
        pod.spec.nodeName = "node-a"
        pod.spec.containers = [container]
        pod.status.podIP = "10.42.0.7"
        change(&pod)
        return pod
    }

    func build(_ container: Container, source: FakeConfigSource = FakeConfigSource(), change: (inout Pod) -> Void = { _ in },
               volumes: [String: String] = [:]) async throws -> ContainerConfig {
        try await PodContainerConfig(
            pod: pod(container, change: change), container: container, image: image(), restartCount: 2,
            sandbox: PodSandboxPaths(network: "/run/skiff/netns/uid-1", hosts: "/pods/uid-1/hosts"),
            volumes: volumes, nodeAllocatable: ["cpu": "2", "memory": "4Gi"], configSource: source
        ).build()
    }

    func env(_ pairs: [(String, EnvVarSource?)], value: [String: String] = [:]) -> [EnvVar] {
        pairs.map { name, source in
            var variable = EnvVar()
            variable.name = name
            variable.valueFrom = source
            variable.value = value[name]
            return variable
        }
    }

    @Test func commandArgsAndEnvironmentExpandReferences() async throws {
        var container = Container()
        container.name = "app"
        container.command = ["echo"]
        container.args = ["$(GREETING) from $(POD)", "$$(POD)", "$(UNSET)"]
        var pod = EnvVarSource()
        pod.fieldRef = ObjectFieldSelector()
        pod.fieldRef?.fieldPath = "metadata.name"
        container.env = env([("POD", pod), ("GREETING", nil), ("BOTH", nil)], value: ["GREETING": "hello", "BOTH": "$(GREETING)-$(POD)"])
        let config = try await build(container)
        #expect(config.command == ["echo", "hello from web", "$(POD)", "$(UNSET)"])
        #expect(config.environment.suffix(3) == ["POD=web", "GREETING=hello", "BOTH=hello-web"])
        #expect(config.environment.first == "PATH=/bin")
    }

    @Test func downwardAPIAndResourceFields() async throws {
        var container = Container()
        container.name = "app"
        container.resources = ResourceRequirements(limits: ["memory": "64Mi"], requests: ["cpu": "250m"])
        func field(_ path: String) -> EnvVarSource {
            var source = EnvVarSource()
            source.fieldRef = ObjectFieldSelector()
            source.fieldRef?.fieldPath = path
            return source
        }
        func resource(_ name: String, divisor: Quantity? = nil) -> EnvVarSource {
            var source = EnvVarSource()
            source.resourceFieldRef = ResourceFieldSelector()
            source.resourceFieldRef?.resource = name
            source.resourceFieldRef?.divisor = divisor
            return source
        }
        container.env = env([
            ("NS", field("metadata.namespace")), ("APP", field("metadata.labels['app']")), ("IP", field("status.podIP")),
            ("NODE", field("spec.nodeName")), ("MEM", resource("limits.memory", divisor: "1Mi")),
            ("CPU_REQ", resource("requests.cpu", divisor: "1m")), ("CPU_LIMIT", resource("limits.cpu")),
        ])
        let config = try await build(container)
        #expect(Array(config.environment.suffix(7)) == [
            "NS=shop", "APP=web", "IP=10.42.0.7", "NODE=node-a", "MEM=64", "CPU_REQ=250", "CPU_LIMIT=2",
        ])
        #expect(config.resources == ContainerResources(cpuRequestMillis: 250, memoryLimitBytes: 64 << 20))
    }

    @Test func configMapsAndSecretsFeedTheEnvironment() async throws {
        var map = ConfigMap()
        map.data = ["COLOR": "blue", "1BAD": "skipped"]
        var secret = Secret()
        secret.data = ["password": Base64Bytes(utf8: "s3cret")]
        let source = FakeConfigSource(maps: ["shop/settings": map], secrets: ["shop/db": secret])
        var container = Container()
        container.name = "app"
        var from = EnvFromSource()
        from.prefix = "CFG_"
        from.configMapRef = ConfigMapEnvSource()
        from.configMapRef?.name = "settings"
        container.envFrom = [from]
        var key = EnvVarSource()
        key.secretKeyRef = SecretKeySelector()
        key.secretKeyRef?.name = "db"
        key.secretKeyRef?.key = "password"
        container.env = env([("DB_PASSWORD", key)])
        let config = try await build(container, source: source)
        #expect(config.environment.contains("CFG_COLOR=blue"))
        #expect(!config.environment.contains { $0.hasPrefix("CFG_1BAD") })
        #expect(config.environment.contains("DB_PASSWORD=s3cret"))
    }

    @Test func aMissingConfigMapKeyIsACreateContainerConfigError() async throws {
        var container = Container()
        container.name = "app"
        var key = EnvVarSource()
        key.configMapKeyRef = ConfigMapKeySelector()
        key.configMapKeyRef?.name = "absent"
        key.configMapKeyRef?.key = "k"
        container.env = env([("X", key)])
        await #expect(throws: ContainerConfigError("configmap \"absent\" not found")) { try await build(container) }
        key.configMapKeyRef?.optional = true
        container.env = env([("X", key)])
        #expect(try await build(container).environment.allSatisfy { !$0.hasPrefix("X=") })
    }

    @Test func securityContextMapsToTheRuntime() async throws {
        var container = Container()
        container.name = "app"
        container.securityContext = SecurityContext()
        container.securityContext?.allowPrivilegeEscalation = false
        container.securityContext?.readOnlyRootFilesystem = true
        container.securityContext?.capabilities = SkiffAPI.Capabilities()
        container.securityContext?.capabilities?.drop = ["ALL"]
        container.securityContext?.capabilities?.add = ["NET_BIND_SERVICE"]
        let config = try await build(container) { pod in
            pod.spec.securityContext = PodSecurityContext()
            pod.spec.securityContext?.runAsUser = 1000
            pod.spec.securityContext?.runAsGroup = 3000
            pod.spec.securityContext?.fsGroup = 2000
        }
        #expect(config.noNewPrivileges)
        #expect(config.readOnlyRootFilesystem)
        #expect(config.capabilities == .init(add: ["NET_BIND_SERVICE"], drop: ["ALL"]))
        #expect(config.user == ContainerConfig.User(uid: 1000, gid: 3000, additionalGroups: [2000]))
        #expect(config.seccomp == .runtimeDefault)
    }

    @Test func runAsNonRootRefusesRoot() async throws {
        var container = Container()
        container.name = "app"
        container.securityContext = SecurityContext()
        container.securityContext?.runAsNonRoot = true
        await #expect(throws: ContainerConfigError("container has runAsNonRoot and image will run as root")) {
            try await build(container)
        }
    }

    @Test func namespacesMountsAndLogPathFollowThePod() async throws {
        var container = Container()
        container.name = "app"
        var mount = VolumeMount()
        mount.name = "data"
        mount.mountPath = "/data"
        mount.subPath = "sub"
        mount.readOnly = true
        container.volumeMounts = [mount]
        let config = try await build(container, volumes: ["data": "/var/lib/skiff/pods/uid-1/volumes/data"])
        #expect(config.namespaces.contains(.init(.network, joinPath: "/run/skiff/netns/uid-1")))
        #expect(config.mounts == [
            .init(source: "/pods/uid-1/hosts", target: "/etc/hosts"),
            .init(source: "/var/lib/skiff/pods/uid-1/volumes/data/sub", target: "/data", readOnly: true),
        ])
        #expect(config.logPath == "/var/log/pods/shop_web_uid-1/app/2.log")
        #expect(config.cgroupGroup == "pod-uid-1")
        #expect(config.hostname == "web")
        #expect(config.labels["io.kubernetes.container.restartCount"] == "2")

        mount.subPath = "../escape"
        container.volumeMounts = [mount]
        await #expect(throws: ContainerConfigError.self) { try await build(container, volumes: ["data": "/v"]) }
    }

    @Test func hostNetworkPodsShareTheNodesNetworkAndHostname() async throws {
        var container = Container()
        container.name = "app"
        let config = try await build(container) { $0.spec.hostNetwork = true }
        #expect(!config.namespaces.contains { $0.kind == .network || $0.kind == .uts })
        #expect(config.hostname == nil)
    }
}
