import Foundation
import SkiffTime
#if canImport(Glibc)
import Glibc
#endif

/// Containers on this host: create, start, stop, remove, exec, status. State lives
/// under `root` and in the shims that monitor each container, so a new runtime on the
/// same root (after the agent restarts) picks up running containers as they are.
public actor ContainerRuntime {
    public nonisolated let root: String
    nonisolated let shim: String
    nonisolated let cgroups: (any CgroupDriver)?
    private var records: [String: ContainerRecord] = [:]
    /// Compiled seccomp filters, shared by every container with the same rules.
    nonisolated var seccompCache: String { "\(root)/seccomp" }   // made by init

    public init(root: String = RuntimeDefaults.rootDirectory, shim: String? = nil, cgroups: (any CgroupDriver)?) throws(RuntimeError) {
        self.root = root
        self.shim = shim ?? ShimProcess.defaultPath()
        self.cgroups = cgroups
        try RuntimeFiles.makeDirectory("\(root)/containers")
        try RuntimeFiles.makeDirectory("\(root)/seccomp")
        records = Self.loadRecords(root: root)
    }

    // MARK: Lifecycle

    /// Prepares a container: its directories and cgroup. Nothing runs yet.
    public func create(id: String, config: ContainerConfig) throws(RuntimeError) -> ContainerRecord {
        try ContainerID.validate(id)
        guard records[id] == nil else { throw .containerExists(id) }
        let paths = ContainerPaths(root: root, id: id)
        try RuntimeFiles.makeDirectory(paths.directory)
        do {
            if case .layers = config.rootfs {
                for directory in [paths.rootfsMount, paths.upper, paths.work] { try RuntimeFiles.makeDirectory(directory) }
            }
            // The kubelet's log paths (/var/log/pods/<pod>/<container>/N.log) may be new.
            if let logPath = config.logPath { try RuntimeFiles.makeDirectory((logPath as NSString).deletingLastPathComponent) }
            let cgroup = try cgroups?.create(group: config.cgroupGroup, container: id, resources: config.resources)
            let record = ContainerRecord(
                id: id, config: config, createdAt: Date(), state: .created, cgroup: cgroup, paths: paths)
            // The spec is final once the cgroup exists: written now, a config the shim
            // cannot carry out fails here rather than at start, and start only spawns.
            let spec = try ShimSpec.run(config: config, paths: paths, cgroup: cgroup, seccompCache: seccompCache)
            try RuntimeFiles.write(spec.encoded(), to: paths.shimSpec)
            try save(record)
            return record
        } catch {
            try? cgroups?.remove(group: config.cgroupGroup, container: id)
            try? RuntimeFiles.remove(paths.directory)
            throw error
        }
    }

    /// Starts a created container; returns once its process has exec'd.
    public func start(id: String) async throws(RuntimeError) -> ContainerRecord {
        var record = try self.record(id)
        guard record.state == .created else { throw .invalidState(container: id, reason: "is \(record.state.rawValue), not created") }
        let shim = self.shim
        let specFile = record.paths.shimSpec
        let status = try await Blocking.run { () throws(RuntimeError) -> ShimStatus? in
            let process = try ShimProcess.spawn(shim: shim, mode: "run", specFile: specFile)
            process.wait()   // the launcher returns at once; the monitor lives on
            return process.nextStatus()
        }
        switch status {
        case .started(let pid, let shimPID):
            record.state = .running
            record.pid = pid
            record.pidStartTicks = ProcessIdentity.startTicks(of: pid)
            record.shimPID = shimPID
            record.shimStartTicks = ProcessIdentity.startTicks(of: shimPID)
            record.startedAt = Date()
            try save(record)
            return record
        case .failed(let number, let stage, let message):
            throw .startFailed(stage: stage, errno: number, message: message)
        case .exited, nil:
            throw .shim("the shim ended without reporting the start of \(id)")
        }
    }

    /// Sends a signal to the container's init process.
    public func signal(id: String, _ signal: Int32) throws(RuntimeError) {
        let record = try refreshed(id)
        guard record.state == .running else { throw .invalidState(container: id, reason: "is not running") }
        try send(signal, to: record)
    }

    /// Signals the init process if it is still the one the container started; a
    /// container that has just exited is not an error.
    private func send(_ signal: Int32, to record: ContainerRecord) throws(RuntimeError) {
        guard let pid = record.pid, ProcessIdentity.isAlive(pid: pid, startTicks: record.pidStartTicks) else { return }
        if Glibc.kill(pid, signal) != 0 && errno != ESRCH {
            throw .io("kill \(pid): \(String(cString: strerror(errno)))")
        }
    }

    /// SIGTERM, up to `gracePeriod` seconds for the container to exit, then SIGKILL to
    /// everything in its cgroup. Returns the final record.
    @discardableResult
    public func stop(id: String, gracePeriod: Double) async throws(RuntimeError) -> ContainerRecord {
        var record = try refreshed(id)
        guard record.state == .running else { return record }
        if gracePeriod > 0 {
            try send(SIGTERM, to: record)
            record = await waitForExit(id: id, timeout: gracePeriod)
            if record.state == .exited { return record }
        }
        try forceKill(record)
        record = await waitForExit(id: id, timeout: 10)
        guard record.state == .exited else { throw .invalidState(container: id, reason: "did not exit after SIGKILL") }
        return record
    }

    /// Removes a container that is not running: its cgroup, rootfs and record. Its log
    /// stays when it was written outside the container's directory (the kubelet's logs).
    public func remove(id: String) throws(RuntimeError) {
        let record = try refreshed(id)
        guard record.state != .running else { throw .invalidState(container: id, reason: "is running; stop it first") }
        try cgroups?.remove(group: record.config.cgroupGroup, container: id)
        try RuntimeFiles.remove(record.paths.directory)
        records[id] = nil
    }

    // MARK: Queries

    public func status(id: String) throws(RuntimeError) -> ContainerRecord {
        try refreshed(id)
    }

    public func list() -> [ContainerRecord] {
        records.keys.sorted().compactMap { try? refreshed($0) }
    }

    // MARK: Exec

    /// Runs `process` inside a running container with the given stdio descriptors
    /// (pipes, or a terminal's slave side when `process.tty`).
    public func exec(id: String, _ process: ExecProcessConfig, stdio: (Int32, Int32, Int32)) async throws(RuntimeError) -> ExecSession {
        let record = try refreshed(id)
        guard record.state == .running, let pid = record.pid else { throw .invalidState(container: id, reason: "is not running") }
        let spec = try ShimSpec.exec(process, container: record.config, pid: pid, cgroup: record.cgroup, seccompCache: seccompCache)
        let specFile = "\(record.paths.directory)/exec-\(UUID().uuidString.prefix(8)).spec"
        try RuntimeFiles.write(spec.encoded(), to: specFile)
        defer { try? RuntimeFiles.remove(specFile) }
        let shim = self.shim
        return try await Blocking.run { () throws(RuntimeError) -> ExecSession in
            let shimProcess = try ShimProcess.spawn(shim: shim, mode: "exec", specFile: specFile, stdio: stdio)
            switch shimProcess.nextStatus() {
            case .started(let pid, _):
                return ExecSession(pid: pid, shim: shimProcess)
            case .failed(let number, let stage, let message):
                shimProcess.wait()
                throw .startFailed(stage: stage, errno: number, message: message)
            case .exited, nil:
                shimProcess.wait()
                throw .shim("the shim ended without starting the exec in \(id)")
            }
        }
    }

    /// Attaches to a running container's output (and stdin, if it was created with it).
    public func attach(id: String) throws(RuntimeError) -> AttachSession {
        let record = try refreshed(id)
        guard record.state == .running else { throw .invalidState(container: id, reason: "is not running") }
        return try AttachSession(socket: record.paths.attachSocket)
    }

    // MARK: Internals

    private func record(_ id: String) throws(RuntimeError) -> ContainerRecord {
        guard let record = records[id] else { throw .containerNotFound(id) }
        return record
    }

    /// The record with what the shim has written since: a running container whose exit
    /// file appeared (or whose process is gone) becomes exited.
    private func refreshed(_ id: String) throws(RuntimeError) -> ContainerRecord {
        var record = try self.record(id)
        guard record.state == .running else { return record }
        // Liveness first: the monitor writes its exit file before it exits, so once both
        // are seen gone, a file the monitor wrote is there to read.
        let gone = !isAlive(pid: record.pid, ticks: record.pidStartTicks)
            && !isAlive(pid: record.shimPID, ticks: record.shimStartTicks)
        if let exit = ExitFile.read(record.paths.exitFile) {
            record.state = .exited
            record.exit = exit
        } else if gone {
            // The process and its monitor are gone and the monitor wrote nothing: it died
            // (killed with the agent's cgroup, or the host rebooted).
            record.state = .exited
            record.exit = ContainerExit(exitCode: 255, signal: 0, oomKilled: false, startedAt: record.startedAt, finishedAt: Date())
        } else {
            return record
        }
        record.pid = nil
        try save(record)
        return record
    }

    private func isAlive(pid: Int32?, ticks: UInt64?) -> Bool {
        pid.map { ProcessIdentity.isAlive(pid: $0, startTicks: ticks) } ?? false
    }

    private func forceKill(_ record: ContainerRecord) throws(RuntimeError) {
        if let cgroups, record.cgroup != nil {
            try cgroups.kill(group: record.config.cgroupGroup, container: record.id)
        } else if let pid = record.pid, ProcessIdentity.isAlive(pid: pid, startTicks: record.pidStartTicks) {
            // Without a cgroup, SIGKILL to a pid namespace's init ends the whole namespace.
            Glibc.kill(pid, SIGKILL)
        }
    }

    /// Waits up to `timeout` seconds for the container to exit; returns the record.
    public func waitForExit(id: String, timeout: Double) async -> ContainerRecord {
        guard var record = try? refreshed(id) else { return records[id]! }
        let deadline = Date().addingTimeInterval(timeout)
        while record.state == .running {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { break }
            // The monitor writes the exit file and then exits. If it was killed, the
            // container's own process is what is left to watch; with both gone the
            // refresh below records the monitor's death.
            let monitorAlive = isAlive(pid: record.shimPID, ticks: record.shimStartTicks)
            if let pid = monitorAlive ? record.shimPID : record.pid {
                let ticks = monitorAlive ? record.shimStartTicks : record.pidStartTicks
                _ = try? await Blocking.run { ExitWatcher.wait(pid: pid, startTicks: ticks, timeout: min(remaining, 0.5)) }
            }
            record = (try? refreshed(id)) ?? record
        }
        return record
    }

    private func save(_ record: ContainerRecord) throws(RuntimeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .rfc3339Seconds
        let data: Data
        do { data = try encoder.encode(record) } catch { throw .io("encode the record of \(record.id): \(error)") }
        try RuntimeFiles.write(Array(data), to: record.paths.record)
        records[record.id] = record
    }

    private static func loadRecords(root: String) -> [String: ContainerRecord] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .rfc3339
        let directory = "\(root)/containers"
        var result: [String: ContainerRecord] = [:]
        for id in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = ContainerPaths(root: root, id: id).record
            guard let data = FileManager.default.contents(atPath: path),
                  let record = try? decoder.decode(ContainerRecord.self, from: data)
            else { continue }
            result[id] = record
        }
        return result
    }
}

/// Container ids are file names and cgroup names: keep them to a safe alphabet.
enum ContainerID {
    static func validate(_ id: String) throws(RuntimeError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        guard !id.isEmpty, id.count <= 128, id.allSatisfy(allowed.contains), id.first != ".", id.first != "-" else {
            throw .invalidConfig("container id \(id) must be 1–128 letters, digits, '_', '.', '-', not starting with '.' or '-'")
        }
    }
}
