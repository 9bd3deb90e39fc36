import Foundation
import Testing
@testable import SkiffRuntime

/// Root tests run real containers; without root they are skipped with this reason.
// `isRoot` is shared with the image tests (ImageTestSupport.swift).
let needsRoot = "needs root: starts real containers (namespaces, mounts, seccomp)"

/// A temporary runtime root with a busybox root filesystem built from the host's
/// busybox-static, removed when the test ends.
final class RuntimeFixture {
    let directory: String
    let rootfs: String
    let runtime: ContainerRuntime

    init(cgroups: (any CgroupDriver)? = nil) throws {
        directory = NSTemporaryDirectory() + "skiff-runtime-\(UUID().uuidString.prefix(8))"
        rootfs = directory + "/busybox"
        try Self.makeBusyboxRootfs(at: rootfs)
        runtime = try ContainerRuntime(root: directory + "/root", cgroups: cgroups)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A second runtime on the same root, as after an agent restart.
    func restartedRuntime() throws -> ContainerRuntime {
        try ContainerRuntime(root: directory + "/root", cgroups: runtime.cgroups)
    }

    func config(_ command: [String], change: (inout ContainerConfig) -> Void = { _ in }) -> ContainerConfig {
        var config = ContainerConfig(
            command: command, environment: ["PATH=/bin", "HOME=/root"], hostname: "probe", rootfs: .layers([rootfs]),
            noNewPrivileges: true)
        change(&config)
        return config
    }

    /// Runs a container to its end and returns its exit status and log lines.
    func run(_ id: String, _ config: ContainerConfig) async throws -> (exit: ContainerExit, log: [String]) {
        _ = try await runtime.create(id: id, config: config)
        _ = try await runtime.start(id: id)
        let record = await runtime.waitForExit(id: id, timeout: 20)
        let exit = try #require(record.exit, "container \(id) did not exit")
        let log = (try? String(contentsOfFile: record.logPath, encoding: .utf8)) ?? ""
        try await runtime.remove(id: id)
        return (exit, log.utf8.split(separator: UInt8(ascii: "\n")).map { String(Substring($0)) })
    }

    static func makeBusyboxRootfs(at path: String) throws {
        let files = FileManager.default
        for directory in ["bin", "etc", "tmp", "root", "proc", "sys", "dev"] {
            try files.createDirectory(atPath: "\(path)/\(directory)", withIntermediateDirectories: true)
        }
        try files.copyItem(atPath: "/bin/busybox", toPath: "\(path)/bin/busybox")
        for applet in ["sh", "cat", "echo", "grep", "hostname", "id", "ls", "mount", "unshare", "sleep", "head", "true", "false", "kill", "wc", "dd", "tail"] {
            try files.createSymbolicLink(atPath: "\(path)/bin/\(applet)", withDestinationPath: "busybox")
        }
        try "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n".write(toFile: "\(path)/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\nnogroup:x:65534:\n".write(toFile: "\(path)/etc/group", atomically: true, encoding: .utf8)
    }
}

/// The content of a CRI log line (`TIMESTAMP STREAM TAG CONTENT`).
func logContent(_ line: String) -> String {
    line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(3).first.map(String.init) ?? ""
}
