import Foundation
import Testing
@testable import SkiffRuntime

@Suite(.enabled(if: isRoot, "\(needsRoot)"), .serialized)
struct ContainerRuntimeTests {
    @Test func theProbeSeesAnIsolatedRestrictedContainer() async throws {
        let fixture = try RuntimeFixture()
        // Masked: pick one of upstream's masked paths that this host's /proc has.
        let masked = DefaultPaths.masked.first { FileManager.default.fileExists(atPath: $0) && !$0.hasPrefix("/sys") } ?? "/proc/kcore"
        let probe = """
            echo pid=$$; echo host=$(hostname)
            grep -E '^(CapEff|Seccomp|NoNewPrivs):' /proc/self/status | tr -d '\\t' | sed 's/:/=/'
            echo masked=$(head -c 64 \(masked) | wc -c)
            mount -t tmpfs none /tmp 2>/dev/null && echo mount=allowed || echo mount=denied
            unshare -n true 2>/dev/null && echo unshare=allowed || echo unshare=denied
            exit 3
            """
        let result = try await fixture.run("probe", fixture.config(["sh", "-c", probe]))
        let output = result.log.map(logContent)
        #expect(output.contains("pid=1"))
        #expect(output.contains("host=probe"))
        #expect(output.contains("Seccomp=2"))
        #expect(output.contains("NoNewPrivs=1"))
        #expect(output.contains("masked=0"))
        #expect(output.contains("mount=denied"))
        #expect(output.contains("unshare=denied"))
        let capEff = try #require(output.first { $0.hasPrefix("CapEff=") }.flatMap { UInt64(String($0.dropFirst(7)), radix: 16) })
        #expect(capEff & (1 << 21) == 0, "CAP_SYS_ADMIN must not be effective")
        #expect(result.exit.exitCode == 3)
        #expect(result.exit.reason == "Error")
    }

    @Test func logsAreInTheCRIFormatPerStream() async throws {
        let fixture = try RuntimeFixture()
        let result = try await fixture.run("logs", fixture.config(["sh", "-c", "echo out; echo err >&2; printf partial"]))
        let pattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [FP] .*$/
        #expect(result.log.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(result.log)")
        #expect(result.log.contains { $0.hasSuffix(" stdout F out") })
        #expect(result.log.contains { $0.hasSuffix(" stderr F err") })
        #expect(result.log.contains { $0.hasSuffix(" stdout F partial") })
        #expect(result.exit.exitCode == 0)
        #expect(result.exit.reason == "Completed")
    }

    @Test func aSignalEndingTheContainerIsReported() async throws {
        let fixture = try RuntimeFixture()
        // From inside, a pid namespace's init cannot be killed: signal it from the host.
        _ = try await fixture.runtime.create(id: "signalled", config: fixture.config(["sleep", "30"]))
        _ = try await fixture.runtime.start(id: "signalled")
        try await fixture.runtime.signal(id: "signalled", SIGKILL)
        var record = try await fixture.runtime.status(id: "signalled")
        for _ in 0..<500 where record.state != .exited {
            try await Task.sleep(for: .milliseconds(10))
            record = try await fixture.runtime.status(id: "signalled")
        }
        #expect(record.exit?.signal == 9)
        #expect(record.exit?.exitCode == 137)
        try await fixture.runtime.remove(id: "signalled")
    }

    @Test func aMissingBinaryFailsTheStartWithTheReason() async throws {
        let fixture = try RuntimeFixture()
        _ = try await fixture.runtime.create(id: "missing", config: fixture.config(["no-such-binary"]))
        await #expect(throws: RuntimeError.startFailed(stage: "exec", errno: ENOENT, message: "executable file not found in $PATH: no-such-binary")) {
            try await fixture.runtime.start(id: "missing")
        }
    }

    @Test func stopSendsTermThenKillsAfterTheGracePeriod() async throws {
        let fixture = try RuntimeFixture()
        // A shell as PID 1 ignores SIGTERM unless it traps it: this one does not.
        _ = try await fixture.runtime.create(id: "stubborn", config: fixture.config(["sh", "-c", "while true; do sleep 1; done"]))
        _ = try await fixture.runtime.start(id: "stubborn")
        let stopped = try await fixture.runtime.stop(id: "stubborn", gracePeriod: 0.3)
        #expect(stopped.state == .exited)
        #expect(stopped.exit?.signal == 9)
        _ = try await fixture.runtime.create(id: "polite", config: fixture.config(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"]))
        _ = try await fixture.runtime.start(id: "polite")
        try await Task.sleep(for: .milliseconds(200))   // let the shell install its trap
        let polite = try await fixture.runtime.stop(id: "polite", gracePeriod: 10)
        #expect(polite.exit?.exitCode == 0)
        try await fixture.runtime.remove(id: "stubborn")
        try await fixture.runtime.remove(id: "polite")
    }

    @Test func execRunsInsideTheContainersNamespaces() async throws {
        let fixture = try RuntimeFixture()
        _ = try await fixture.runtime.create(id: "host", config: fixture.config(["sh", "-c", "echo inside > /tmp/mark; sleep 30"]))
        _ = try await fixture.runtime.start(id: "host")
        defer { Task { [runtime = fixture.runtime] in _ = try? await runtime.stop(id: "host", gracePeriod: 0) } }
        try await Task.sleep(for: .milliseconds(200))
        let output = Pipe()
        let session = try await fixture.runtime.exec(
            id: "host", ExecProcessConfig(command: ["sh", "-c", "cat /tmp/mark; hostname; echo pid=$$; exit 7"]),
            stdio: (FileHandle.nullDevice.fileDescriptor, output.fileHandleForWriting.fileDescriptor, output.fileHandleForWriting.fileDescriptor))
        try output.fileHandleForWriting.close()
        let code = await session.wait()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(code == 7)
        #expect(text.contains("inside"))
        #expect(text.contains("probe"))
        #expect(!text.contains("pid=1\n"), "an exec is not the container's init")
        _ = try await fixture.runtime.stop(id: "host", gracePeriod: 0)
        try await fixture.runtime.remove(id: "host")
    }

    @Test func aContainerOutlivesTheRuntimeThatStartedIt() async throws {
        let fixture = try RuntimeFixture()
        _ = try await fixture.runtime.create(id: "lasting", config: fixture.config(["sh", "-c", "while true; do echo tick; sleep 0.1; done"]))
        let started = try await fixture.runtime.start(id: "lasting")
        let restarted = try fixture.restartedRuntime()
        let found = try await restarted.status(id: "lasting")
        #expect(found.state == .running)
        #expect(found.pid == started.pid)
        let before = try String(contentsOfFile: found.logPath, encoding: .utf8).count
        try await Task.sleep(for: .milliseconds(400))
        let after = try String(contentsOfFile: found.logPath, encoding: .utf8).count
        #expect(after > before, "the shim keeps logging without the runtime")
        let stopped = try await restarted.stop(id: "lasting", gracePeriod: 0)
        #expect(stopped.state == .exited)
        try await restarted.remove(id: "lasting")
        #expect(await restarted.list().isEmpty)
    }

    @Test func removingARunningContainerIsRefused() async throws {
        let fixture = try RuntimeFixture()
        _ = try await fixture.runtime.create(id: "busy", config: fixture.config(["sleep", "30"]))
        _ = try await fixture.runtime.start(id: "busy")
        await #expect(throws: RuntimeError.invalidState(container: "busy", reason: "is running; stop it first")) {
            try await fixture.runtime.remove(id: "busy")
        }
        _ = try await fixture.runtime.stop(id: "busy", gracePeriod: 0)
        try await fixture.runtime.remove(id: "busy")
    }
}

@Suite(.enabled(if: isRoot, "\(needsRoot)"))
struct ContainerLogRotationTests {
    @Test func theShimRotatesBySizeAndNoLineIsLost() async throws {
        let fixture = try RuntimeFixture()
        let config = fixture.config(["sh", "-c", "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done"]) {
            $0.logMaxBytes = 4096
            $0.logMaxFiles = 10
        }
        _ = try await fixture.runtime.create(id: "chatty", config: config)
        let record = try await fixture.runtime.start(id: "chatty")
        var state = record
        while state.state != .exited {
            try await Task.sleep(for: .milliseconds(20))
            state = try await fixture.runtime.status(id: "chatty")
        }
        let files = CRILogReader.files(of: record.logPath)
        #expect(files.count > 2, "about 17 KiB of lines rotate through several 4 KiB files")
        for file in files {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            #expect(size <= 4096)
        }
        let content = CRILogReader.read(record.logPath).map { String($0.content) }
        #expect(content == (0..<300).map { "line-\($0)" })
        try await fixture.runtime.remove(id: "chatty")
    }
}

@Suite(.enabled(if: isRoot, "\(needsRoot)"))
struct SeccompCacheTests {
    @Test func theCompiledFilterIsKeptAndReused() async throws {
        let fixture = try RuntimeFixture()
        let probe = fixture.config(["grep", "Seccomp:", "/proc/self/status"])
        let first = try await fixture.run("first", probe)
        let cache = fixture.runtime.seccompCache
        let files = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(files.count == 1 && files[0].hasSuffix(".bpf"), "\(files)")
        let second = try await fixture.run("second", probe)
        for result in [first, second] { #expect(result.log.map(logContent).contains("Seccomp:\t2")) }
        // Another rule set (SYS_ADMIN allows mount) gets its own filter.
        _ = try await fixture.run("admin", fixture.config(["true"]) { $0.capabilities = .init(add: ["SYS_ADMIN"]) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 2)
    }
}

@Suite(.enabled(if: isRoot, "\(needsRoot)"))
struct ContainerFilesystemTests {
    @Test func aVolumeMountThroughAnImageSymlinkStaysInsideTheRootfs() async throws {
        let fixture = try RuntimeFixture()
        // The image points `data` at an absolute host path; the mount must resolve it
        // inside the container's root, never onto the host's directory.
        let hostTarget = fixture.directory + "/host-side"
        try FileManager.default.createSymbolicLink(atPath: fixture.rootfs + "/data", withDestinationPath: hostTarget)
        let volume = fixture.directory + "/volume"
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        try "from the volume\n".write(toFile: volume + "/file", atomically: true, encoding: .utf8)
        let config = fixture.config(["cat", "/data/mounted/file"]) {
            $0.mounts = [.init(source: volume, target: "/data/mounted", readOnly: true)]
        }
        let result = try await fixture.run("symlinked", config)
        #expect(result.log.map(logContent) == ["from the volume"])
        #expect(!FileManager.default.fileExists(atPath: hostTarget), "nothing was created on the host side of the link")
        let insideTarget = fixture.rootfs + hostTarget + "/mounted"
        let leftOver = (try? FileManager.default.contentsOfDirectory(atPath: insideTarget)) ?? []
        #expect(leftOver.isEmpty, "the mount lived in the container's mount namespace only")
    }

    @Test func readOnlyVolumesAndRootfsRefuseWrites() async throws {
        let fixture = try RuntimeFixture()
        let volume = fixture.directory + "/ro-volume"
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        let script = "touch /vol/x 2>/dev/null && echo vol=rw || echo vol=ro; touch /new 2>/dev/null && echo root=rw || echo root=ro; echo tmp > /dev/shm/ok && echo shm=rw"
        let config = fixture.config(["sh", "-c", script]) {
            $0.mounts = [.init(source: volume, target: "/vol", readOnly: true)]
            $0.readOnlyRootFilesystem = true
        }
        let output = try await fixture.run("readonly", config).log.map(logContent)
        #expect(output == ["vol=ro", "root=ro", "shm=rw"])
    }

    @Test func aTTYContainerWritesItsTerminalToTheLog() async throws {
        let fixture = try RuntimeFixture()
        let config = fixture.config(["sh", "-c", "test -t 1 && echo on-a-terminal"]) { $0.tty = true }
        let output = try await fixture.run("tty", config).log
        #expect(output.contains { $0.hasSuffix(" stdout F on-a-terminal\r") || $0.hasSuffix(" stdout F on-a-terminal") }, "\(output)")
    }

    @Test func theUserAndGroupsAreSet() async throws {
        let fixture = try RuntimeFixture()
        let config = fixture.config(["id"]) { $0.user = .init(uid: 65534, gid: 65534, additionalGroups: [10]) }
        let output = try await fixture.run("nobody", config).log.map(logContent)
        #expect(output.first?.hasPrefix("uid=65534(nobody) gid=65534(nogroup) groups=") == true, "\(output)")
        #expect(output.first?.contains("10") == true)
    }
}

@Suite(.enabled(if: isRoot, "\(needsRoot)"))
struct ContainerAttachTests {
    @Test func attachFeedsStdinAndStreamsOutputUntilStdinOnceCloses() async throws {
        let fixture = try RuntimeFixture()
        let config = fixture.config(["sh", "-c", "while read line; do echo \"got $line\"; done; echo bye"]) {
            $0.stdin = true
            $0.stdinOnce = true
        }
        _ = try await fixture.runtime.create(id: "cat", config: config)
        _ = try await fixture.runtime.start(id: "cat")
        let session = try await fixture.runtime.attach(id: "cat")
        try session.send(stdin: Array("hello\n".utf8))
        var iterator = session.output.makeAsyncIterator()
        #expect(await iterator.next() == .stdout(Array("got hello\n".utf8)))
        session.close()   // stdinOnce: the container's stdin ends with the session
        let record = await fixture.runtime.waitForExit(id: "cat", timeout: 10)
        #expect(record.exit?.exitCode == 0)
        let log = CRILogReader.read(record.logPath).map { String($0.content) }
        #expect(log == ["got hello", "bye"])
        try await fixture.runtime.remove(id: "cat")
    }

    @Test func attachingToAnExitedContainerIsRefused() async throws {
        let fixture = try RuntimeFixture()
        _ = try await fixture.run("done", fixture.config(["true"]))
        _ = try await fixture.runtime.create(id: "again", config: fixture.config(["true"]))
        await #expect(throws: RuntimeError.invalidState(container: "again", reason: "is not running")) {
            try await fixture.runtime.attach(id: "again")
        }
    }
}
