import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the node reports about the machine it runs on, read from /proc, /etc and
/// statvfs as cAdvisor reads it for the kubelet.
public struct MachineInfo: Sendable, Hashable {
    public var cpuCount: Int
    public var memoryBytes: Int64
    /// Size of the filesystem holding the kubelet's root directory (ephemeral storage).
    public var ephemeralStorageBytes: Int64
    public var machineID: String
    public var bootID: String
    public var kernelVersion: String
    /// PRETTY_NAME from /etc/os-release, e.g. "Debian GNU/Linux 13 (trixie)".
    public var osImage: String

    public init(
        cpuCount: Int, memoryBytes: Int64, ephemeralStorageBytes: Int64, machineID: String = "", bootID: String = "",
        kernelVersion: String = "", osImage: String = ""
    ) {
        self.cpuCount = cpuCount
        self.memoryBytes = memoryBytes
        self.ephemeralStorageBytes = ephemeralStorageBytes
        self.machineID = machineID
        self.bootID = bootID
        self.kernelVersion = kernelVersion
        self.osImage = osImage
    }

    /// This machine, with ephemeral storage measured where `storagePath` lives.
    public static func current(storagePath: String) -> MachineInfo {
        MachineInfo(
            cpuCount: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: MemoryFigures.read()?.total ?? Int64(ProcessInfo.processInfo.physicalMemory),
            ephemeralStorageBytes: FilesystemFigures.read(storagePath)?.total ?? 0,
            machineID: firstLine("/etc/machine-id"), bootID: firstLine("/proc/sys/kernel/random/boot_id"),
            kernelVersion: firstLine("/proc/sys/kernel/osrelease"), osImage: osRelease()["PRETTY_NAME"] ?? "Linux")
    }

    static func firstLine(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// KEY=value lines with optional quotes (os-release(5)).
    static func osRelease(_ path: String = "/etc/os-release") -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            var value = line[line.index(after: equals)...]
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = value.dropFirst().dropLast()
            }
            fields[String(line[..<equals])] = String(value)
        }
        return fields
    }
}

/// MemTotal and MemAvailable from /proc/meminfo, in bytes.
struct MemoryFigures: Sendable, Hashable {
    var total: Int64
    var available: Int64

    static func read(_ path: String = "/proc/meminfo") -> MemoryFigures? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return parse(text)
    }

    static func parse(_ text: String) -> MemoryFigures? {
        var values: [Substring: Int64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == ":" })
            guard fields.count >= 2, let kibibytes = Int64(fields[1]) else { continue }
            values[fields[0]] = kibibytes * 1024
        }
        guard let total = values["MemTotal"] else { return nil }
        return MemoryFigures(total: total, available: values["MemAvailable"] ?? values["MemFree"] ?? 0)
    }
}

/// Size and free space of a filesystem, from statvfs.
struct FilesystemFigures: Sendable, Hashable {
    var total: Int64
    var available: Int64

    static func read(_ path: String) -> FilesystemFigures? {
        var figures = statvfs()
        // The kubelet's root may not exist yet: measure the nearest directory that does.
        var probe = path
        while statvfs(probe, &figures) != 0 {
            guard probe != "/" else { return nil }
            probe = (probe as NSString).deletingLastPathComponent
            if probe.isEmpty { probe = "/" }
        }
        let block = Int64(figures.f_frsize)
        return FilesystemFigures(total: Int64(figures.f_blocks) * block, available: Int64(figures.f_bavail) * block)
    }
}
