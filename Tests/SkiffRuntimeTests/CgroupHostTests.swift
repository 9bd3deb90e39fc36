import Foundation
import Testing

@testable import SkiffRuntime

#if canImport(Glibc)
import Glibc
#endif

/// The cgroup code on this machine's real cgroupfs, under a parent unique to each test.
/// Every process here is a child the test spawned, and ends in the test's own cgroup.
@Suite(.enabled(if: getuid() == 0, "needs root to create cgroups on the host"), .serialized)
struct CgroupHostTests {
    static let mebibyte = 1024 * 1024

    /// Runs `body` with a manager under a fresh parent, then kills whatever is left in it
    /// and removes the parent in every hierarchy, whether or not `body` threw.
    func withTestParent(_ body: (CgroupManager, Children) async throws -> Void) async throws {
        let manager = try CgroupManager(parent: "skiff-test-" + UUID().uuidString.prefix(8).lowercased())
        let children = Children()
        do {
            try await body(manager, children)
        } catch {
            await cleanUp(manager, children)
            throw error
        }
        await cleanUp(manager, children)
        for hierarchy in manager.layout.hierarchies {
            #expect(!FileManager.default.fileExists(atPath: hierarchy.baseDirectory + "/" + manager.parent))
        }
    }

    private func cleanUp(_ manager: CgroupManager, _ children: Children) async {
        children.killAll()
        if let parent = try? manager.open(manager.parent) {
            try? await parent.kill()
            try? parent.remove()
        }
    }

    /// The processes a test started, so cleanup ends exactly those. Spawned with
    /// posix_spawn rather than Foundation's Process, which on Linux waits until every
    /// descendant has closed an inherited socket: a shell's background sleeps would hold
    /// its exit up.
    final class Children: @unchecked Sendable {
        private var unreaped: [pid_t: Child] = [:]

        struct Child {
            let pid: pid_t
            /// The write end of the child's stdin, so a script can block on `read go`.
            let input: Int32
            /// The read end of its stdout, so a script can say it is ready.
            let output: Int32

            func go() {
                _ = Glibc.write(input, "go\n", 3)
            }

            /// Blocks until the child writes a line (or closes its stdout).
            func readLine() -> String {
                var bytes: [UInt8] = []
                var byte: UInt8 = 0
                while Glibc.read(output, &byte, 1) == 1, byte != UInt8(ascii: "\n") { bytes.append(byte) }
                return String(decoding: bytes, as: UTF8.self)
            }
        }

        enum Termination: Equatable {
            case exited(Int32)
            case signalled(Int32)
        }

        /// Starts `arguments` with default signal dispositions and an empty signal mask.
        func spawn(_ arguments: [String]) throws -> Child {
            var stdin: [Int32] = [0, 0]
            var stdout: [Int32] = [0, 0]
            guard pipe(&stdin) == 0, pipe(&stdout) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
            // Close-on-exec, so no other child inherits these pipes.
            for fd in stdin + stdout { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, stdin[0], 0)
            posix_spawn_file_actions_adddup2(&actions, stdout[1], 1)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t()
            sigemptyset(&none)
            var all = sigset_t()
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            let argv = arguments.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
            close(stdin[0])
            close(stdout[1])
            guard result == 0 else {
                close(stdin[1])
                close(stdout[0])
                throw POSIXError(.init(rawValue: result)!)
            }
            let child = Child(pid: pid, input: stdin[1], output: stdout[0])
            unreaped[pid] = child
            return child
        }

        func wait(_ child: Child) -> Termination {
            var status: Int32 = 0
            while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
            unreaped[child.pid] = nil
            close(child.input)
            close(child.output)
            let signal = status & 0x7f
            return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        }

        func killAll() {
            for child in unreaped.values {
                Glibc.kill(child.pid, SIGKILL)
                _ = wait(child)
            }
            unreaped.removeAll()
        }
    }

    func join(_ child: Children.Child, _ cgroup: Cgroup) throws {
        for file in cgroup.procsFiles {
            try HostCgroupSystem().write(String(child.pid), to: file)
        }
    }

    @Test func aJoinedProcessSitsInTheContainerCgroupInEveryHierarchyUntilKilled() async throws {
        try await withTestParent { manager, children in
            let pod = try manager.createPod(uid: "u1", limits: CgroupLimits(memoryLimitBytes: 64 * Self.mebibyte))
            let container = try manager.createContainer(
                id: "c1", in: pod,
                limits: CgroupLimits(cpuLimitMillicores: 500, memoryLimitBytes: 32 * Self.mebibyte, pidsLimit: 8))
            let sleeper = try children.spawn(["/bin/sleep", "100"])
            try join(sleeper, container)

            let own = try CgroupHostLayout.parseSelfCgroup(String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8))
            let its = try CgroupHostLayout.parseSelfCgroup(
                String(contentsOfFile: "/proc/\(sleeper.pid)/cgroup", encoding: .utf8))
            let used = Set(CgroupController.allCases.map(\.rawValue))
            for (mine, child) in zip(own, its) {
                let joined =
                    mine.controllers.isEmpty ? manager.layout.unified != nil : !used.isDisjoint(with: mine.controllers)
                let expected = joined ? (mine.path == "/" ? "" : mine.path) + "/" + container.path : mine.path
                #expect(child == .init(controllers: mine.controllers, path: expected))
            }
            #expect(try container.processes() == [sleeper.pid])
            #expect(try pod.processes() == [sleeper.pid])

            if let memory = container.directory(for: .memory) {
                let file = memory.unified ? "/memory.max" : "/memory.limit_in_bytes"
                #expect(try manager.system.read(memory.directory + file) == "\(32 * Self.mebibyte)\n")
            }
            if let pids = container.directory(for: .pids) {
                #expect(try manager.system.read(pids.directory + "/pids.max") == "8\n")
            }

            try await container.kill()
            #expect(children.wait(sleeper) == .signalled(SIGKILL))
            try pod.remove()
            for directory in pod.directories {
                #expect(!FileManager.default.fileExists(atPath: directory))
            }
        }
    }

    @Test func aProcessGrowingPastTheMemoryLimitIsOOMKilledAndCounted() async throws {
        try await withTestParent { manager, children in
            let pod = try manager.createPod(uid: "u1", limits: .unlimited)
            let container = try manager.createContainer(
                id: "c1", in: pod, limits: CgroupLimits(memoryLimitBytes: 16 * Self.mebibyte))
            #expect(try container.oomKillCount() == 0)
            // Doubling a string 26 times reaches 64 MiB: bounded even if the limit failed.
            let shell = try children.spawn([
                "/bin/sh", "-c", "read go; x=a; i=0; while [ $i -lt 26 ]; do x=$x$x; i=$((i+1)); done",
            ])
            try join(shell, container)
            shell.go()
            #expect(children.wait(shell) == .signalled(SIGKILL))
            #expect(try container.oomKillCount() == 1)
            try pod.remove()
        }
    }

    @Test func anOOMKillAtThePodLimitIsCountedInTheContainerThatDied() async throws {
        try await withTestParent { manager, children in
            let pod = try manager.createPod(uid: "u1", limits: CgroupLimits(memoryLimitBytes: 16 * Self.mebibyte))
            let container = try manager.createContainer(id: "c1", in: pod, limits: .unlimited)
            let shell = try children.spawn([
                "/bin/sh", "-c", "read go; x=a; i=0; while [ $i -lt 26 ]; do x=$x$x; i=$((i+1)); done",
            ])
            try join(shell, container)
            shell.go()
            #expect(children.wait(shell) == .signalled(SIGKILL))
            #expect(try container.oomKillCount() == 1)
            try pod.remove()
        }
    }

    @Test func forksStopAtThePidsLimit() async throws {
        try await withTestParent { manager, children in
            let pod = try manager.createPod(uid: "u1", limits: .unlimited)
            let container = try manager.createContainer(id: "c1", in: pod, limits: CgroupLimits(pidsLimit: 4))
            // The shell and three sleeps fill the limit; the fourth fork fails and the shell exits.
            let shell = try children.spawn([
                "/bin/sh", "-c", "read go; i=0; while [ $i -lt 16 ]; do sleep 100 & i=$((i+1)); done; exit 0",
            ])
            try join(shell, container)
            shell.go()
            // dash reports "Cannot fork" and exits 2.
            #expect(children.wait(shell) == .exited(2))
            #expect(try container.processes().count == 3)
            try await container.kill()
            #expect(try container.processes().isEmpty)
            try pod.remove()
        }
    }

    /// Whether this host mounts `controller` as v1, for tests of v1-only behaviour.
    static func hasV1(_ controller: CgroupController) -> Bool {
        guard let layout = try? CgroupHostLayout.detect(), case .v1 = layout.placement(of: controller) else {
            return false
        }
        return true
    }

    @Test(.enabled(if: hasV1(.freezer), "needs a v1 freezer hierarchy"))
    func theV1FreezerPathKillsToo() async throws {
        try await withTestParent { manager, children in
            let pod = try manager.createPod(uid: "u1", limits: .unlimited)
            let container = try manager.createContainer(id: "c1", in: pod, limits: .unlimited)
            let freezer = try #require(container.directory(for: .freezer))
            let sleeper = try children.spawn(["/bin/sleep", "100"])
            try join(sleeper, container)
            try container.killFrozen(freezer: freezer.directory)
            #expect(children.wait(sleeper) == .signalled(SIGKILL))
            #expect(try manager.system.read(freezer.directory + "/freezer.state") == "THAWED\n")
            try pod.remove()
        }
    }

    @Test func stopEndsAProcessThatOutlivesSIGTERM() async throws {
        try await withTestParent { manager, children in
            let pod = try manager.createPod(uid: "u1", limits: .unlimited)
            let container = try manager.createContainer(id: "c1", in: pod, limits: .unlimited)
            let shell = try children.spawn(["/bin/sh", "-c", "trap '' TERM; echo ready; read never"])
            try join(shell, container)
            #expect(shell.readLine() == "ready")
            try await container.stop(terminating: shell.pid, grace: .milliseconds(100))
            #expect(children.wait(shell) == .signalled(SIGKILL))
            #expect(try container.processes().isEmpty)
            try pod.remove()
        }
    }

    @Test func aRemovalWithAProcessInsideFailsClearly() async throws {
        try await withTestParent { manager, children in
            let pod = try manager.createPod(uid: "u1", limits: .unlimited)
            let container = try manager.createContainer(id: "c1", in: pod, limits: .unlimited)
            let sleeper = try children.spawn(["/bin/sleep", "100"])
            try join(sleeper, container)
            #expect { try pod.remove() } throws: { ($0 as? CgroupError)?.code == .processesRemain }
            #expect(FileManager.default.fileExists(atPath: container.directories[0]))
        }
    }

    @Test(.enabled(if: hasV1(.cpu), "needs a v1 cpu hierarchy"))
    func aContainerQuotaAboveItsPodsIsAClearErrorOnV1AndLeavesNothing() async throws {
        try await withTestParent { manager, _ in
            let pod = try manager.createPod(uid: "u1", limits: CgroupLimits(cpuLimitMillicores: 500))
            #expect {
                try manager.createContainer(id: "c1", in: pod, limits: CgroupLimits(cpuLimitMillicores: 1000))
            } throws: {
                ($0 as? CgroupError)?.errno == EINVAL
            }
            for directory in pod.directories {
                #expect(!FileManager.default.fileExists(atPath: directory + "/c1"))
            }
            try pod.remove()
        }
    }
}
