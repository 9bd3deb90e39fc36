import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The cgroups a lab's nodes nest their pods in, in every hierarchy the host has
/// (one on a cgroup v2 host; v1's per-controller trees on a hybrid one), found by
/// their cgroup parents' exact names.
public struct LabCgroups: Sendable {
    public let parents: Set<String>
    public let root: String

    public init(parents: Set<String>, root: String = "/sys/fs/cgroup") {
        self.parents = parents
        self.root = root
    }

    /// Every directory at or below a lab cgroup parent, deepest first.
    public func directories() -> [String] {
        var found: [String] = []
        var pending = [root]
        while let directory = pending.popLast() {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for entry in entries {
                let path = directory + "/" + entry
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
                if parents.contains(entry) || found.contains(where: { path.hasPrefix($0 + "/") }) {
                    found.append(path)
                }
                pending.append(path)
            }
        }
        return found.sorted { $0.count > $1.count }
    }

    /// Kills every process in the lab's cgroups (the pods' containers) with
    /// SIGKILL, waits for them to go, and removes the cgroups. Returns the
    /// directories that could not be removed.
    @discardableResult
    public func killAndRemove(wait: Duration = .seconds(10)) -> [String] {
        let directories = directories()
        for directory in directories {
            for pid in processes(in: directory) { kill(pid, SIGKILL) }
        }
        let deadline = ContinuousClock.now + wait
        var remaining = directories
        while !remaining.isEmpty {
            remaining = remaining.filter { rmdir($0) != 0 && errno != ENOENT }
            if remaining.isEmpty || ContinuousClock.now > deadline { break }
            for directory in remaining {
                for pid in processes(in: directory) { kill(pid, SIGKILL) }
            }
            usleep(50_000)
        }
        return remaining
    }

    func processes(in directory: String) -> [Int32] {
        let text = (try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int32($0) }
    }
}
