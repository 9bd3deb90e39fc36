import Foundation
import Testing
@testable import SkiffRuntime
import SkiffTime

@Suite struct ShimSpecTests {
    let paths = ContainerPaths(root: "/var/lib/skiff/runtime", id: "c1")

    func spec(_ change: (inout ContainerConfig) -> Void = { _ in }) throws -> ShimSpec {
        var config = ContainerConfig(command: ["sh", "-c", "echo hi"], rootfs: .layers(["/l2", "/l1"]))
        change(&config)
        return try ShimSpec.run(config: config, paths: paths, cgroup: nil)
    }

    @Test func aDefaultContainerGetsContainerdsCapabilitiesAndNoSysAdmin() throws {
        let caps = Set(try spec().values("cap").compactMap(Int.init))
        #expect(caps == Set(Capability.defaultSet.map { Capability.numbers[$0]! }))
        #expect(!caps.contains(21))   // CAP_SYS_ADMIN
    }

    @Test func dropAllThenAddKeepsOnlyTheAdded() throws {
        let spec = try spec { $0.capabilities = .init(add: ["NET_ADMIN"], drop: ["ALL"]) }
        #expect(spec.values("cap") == ["12"])
    }

    @Test func droppingEverythingSaysSoExplicitly() throws {
        let spec = try spec { $0.capabilities = .init(drop: ["ALL"]) }
        #expect(spec.values("cap").isEmpty)
        #expect(spec.values("caps") == [""])   // without it the shim would keep all
    }

    @Test func anUnknownCapabilityIsAnError() {
        #expect(throws: RuntimeError.invalidConfig("unknown capability CAP_FLY")) {
            try spec { $0.capabilities = .init(add: ["CAP_FLY"]) }
        }
    }

    @Test func runtimeDefaultRefusesNamespaceCallsWithoutSysAdmin() throws {
        let spec = try spec()
        #expect(spec.values("seccomp.default") == ["errno:1"])
        let rules = spec.values("seccomp.rule")
        #expect(rules.contains("allow read"))
        #expect(!rules.contains("allow mount"))
        #expect(!rules.contains("allow unshare"))
        #expect(rules.contains("allow clone 0:&:\(0x7E02_0000):0"))
        #expect(rules.contains("errno:38 clone3"))
    }

    @Test func sysAdminBringsTheMountCalls() throws {
        let rules = try spec { $0.capabilities = .init(add: ["SYS_ADMIN"]) }.values("seccomp.rule")
        #expect(rules.contains("allow mount"))
        #expect(!rules.contains("errno:38 clone3"))
    }

    @Test func privilegedContainersAreUnconfinedAndUnmasked() throws {
        let spec = try spec { $0.privileged = true }
        #expect(spec.values("seccomp.default").isEmpty)
        #expect(spec.values("mask").isEmpty)
        #expect(spec.values("cap").count == Capability.numbers.count)
    }

    @Test func masksUpstreamsPaths() throws {
        let spec = try spec()
        #expect(spec.values("mask").contains("/proc/kcore"))
        #expect(spec.values("readonly").contains("/proc/sys"))
    }

    @Test func overlayLayersKeepTheirOrder() throws {
        let spec = try spec()
        #expect(spec.values("rootfs.lower") == ["/l2:/l1"])
        #expect(spec.values("rootfs.upper") == ["/var/lib/skiff/runtime/containers/c1/upper"])
    }

    @Test func volumesFollowTheStandardMounts() throws {
        let spec = try spec { $0.mounts = [.init(source: "/data", target: "/mnt/data", readOnly: true)] }
        let targets = spec.values("mount")
        #expect(targets.prefix(6) == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys"])
        #expect(targets.last == "/mnt/data")
        #expect(spec.values("mount.options").last == "rbind,ro")
    }

    @Test func namespacesToJoinCarryTheirPath() throws {
        let spec = try spec {
            $0.namespaces = [.init(.mount), .init(.pid), .init(.network, joinPath: "/run/skiff/netns/pod1")]
        }
        #expect(spec.values("ns") == ["mnt", "pid", "net:/run/skiff/netns/pod1"])
    }

    @Test func aContainerMustHaveItsOwnMountNamespace() {
        #expect(throws: RuntimeError.invalidConfig("a container needs its own mount namespace")) {
            try spec { $0.namespaces = [.init(.pid)] }
        }
    }

    @Test func badInputIsRefusedBeforeTheShimSeesIt() throws {
        #expect(throws: RuntimeError.self) { try spec { $0.command = [] } }
        #expect(throws: RuntimeError.self) { try spec { $0.environment = ["NOVALUE"] } }
        #expect(throws: RuntimeError.self) { try spec { $0.workingDirectory = "relative" } }
        #expect(throws: RuntimeError.invalidConfig("arg contains a NUL byte")) {
            try spec { $0.command = ["a\u{0}b"] }.encoded()
        }
    }

    @Test func encodingIsKeyEqualsValueWithNULs() throws {
        var spec = ShimSpec()
        spec.add("mode", "run")
        spec.add("arg", "a=b")
        #expect(try spec.encoded() == Array("mode=run\u{0}arg=a=b\u{0}".utf8))
    }

    @Test func execJoinsEveryNamespaceOfTheContainer() throws {
        let config = ContainerConfig(command: ["sleep", "1"], rootfs: .directory("/r"))
        let spec = try ShimSpec.exec(.init(command: ["ls"]), container: config, pid: 42, cgroup: nil)
        #expect(spec.values("ns").contains("net:/proc/42/ns/net"))
        #expect(spec.values("ns").count == 6)
        #expect(spec.values("arg") == ["ls"])
        #expect(spec.values("mount").isEmpty)
    }
}

@Suite struct ShimStatusTests {
    @Test func parsesTheThreeLines() {
        #expect(ShimStatus(line: "ok 12 11") == .started(pid: 12, shimPID: 11))
        #expect(ShimStatus(line: "error 2 exec executable file not found in $PATH: nope")
            == .failed(errno: 2, stage: "exec", message: "executable file not found in $PATH: nope"))
        #expect(ShimStatus(line: "exit 137 9") == .exited(code: 137, signal: 9))
        #expect(ShimStatus(line: "garbage") == nil)
    }

    @Test func parsesNanosecondTimestamps() throws {
        let date = try #require(RFC3339.date("2026-12-01T23:05:33.536351394Z"))
        #expect(abs(date.timeIntervalSince1970 - 1_796_166_333.536351394) < 0.000_01)
        #expect(RFC3339.date("yesterday") == nil)
    }

    /// Records written before the runtime stopped using Foundation's ISO 8601
    /// formatter (which loads ICU) read the same, and new ones look the same.
    @Test func recordDatesAreWrittenAsTheISO8601StrategyWroteThem() throws {
        let date = Date(timeIntervalSince1970: 1_796_166_333.75)
        let old = JSONEncoder(), new = JSONEncoder()
        old.dateEncodingStrategy = .iso8601
        new.dateEncodingStrategy = .rfc3339Seconds
        #expect(try new.encode([date]) == old.encode([date]))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .rfc3339
        #expect(try decoder.decode([Date].self, from: old.encode([date])) == [Date(timeIntervalSince1970: 1_796_166_333)])
        #expect(throws: DecodingError.self) { try decoder.decode([Date].self, from: Data("[\"yesterday\"]".utf8)) }
    }
}
