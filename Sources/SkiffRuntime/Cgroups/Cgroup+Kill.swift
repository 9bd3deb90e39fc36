#if canImport(Glibc)
import Glibc
#endif

/// Ending every process in a cgroup, including ones forking while we look.
extension Cgroup {
    /// SIGTERM to `process` (the container's init) or, without one, to every process;
    /// after `grace`, SIGKILL to whatever is left via `kill()`.
    public func stop(terminating process: Int32? = nil, grace: Duration) async throws(CgroupError) {
        let targets: [Int32]
        if let process { targets = [process] } else { targets = try processes() }
        for pid in targets {
            try system.send(signal: SIGTERM, to: pid)
        }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if try processes().isEmpty { return }
            try? await Task.sleep(for: Self.pollInterval)
        }
        try await kill()
    }

    /// SIGKILLs every process in this cgroup and below, and returns once they are gone.
    public func kill() async throws(CgroupError) {
        try sendKill()
        try await waitUntilEmpty { () throws(CgroupError) in
            // The kernel's cgroup.kill also catches forks racing with it, so writing it
            // again is enough; without it a process may have forked after the listing.
            if let killFile { try system.write("1", to: killFile) } else { try killEveryProcess() }
        }
    }

    /// SIGKILLs every process in this cgroup and below without waiting for them to go.
    /// Uses v2 `cgroup.kill` when the kernel has it (≥ 5.14, also on a hybrid host's
    /// unified hierarchy); otherwise freezes the v1 freezer cgroup so nothing forks between
    /// listing and killing; without either, signals each process listed.
    public func sendKill() throws(CgroupError) {
        if let killFile {
            try system.write("1", to: killFile)
        } else if let freezer = directory(for: .freezer) {
            try killFrozen(freezer: freezer.directory)
        } else {
            try killEveryProcess()
        }
    }

    private var killFile: String? {
        guard let unified = unifiedDirectory, system.exists(unified + "/cgroup.kill") else { return nil }
        return unified + "/cgroup.kill"
    }

    /// The v1 way: FROZEN, SIGKILL each process (delivered on thaw), THAWED.
    func killFrozen(freezer: String) throws(CgroupError) {
        let state = freezer + "/freezer.state"
        try system.write("FROZEN", to: state)
        // FREEZING can last while tasks are busy in the kernel; kill anyway once it has had a while.
        for _ in 0..<Self.pollRounds {
            if Self.trimmed(try system.read(state)) == "FROZEN" { break }
            usleep(Self.pollMicroseconds)
            try system.write("FROZEN", to: state)
        }
        do throws(CgroupError) {
            try killEveryProcess()
        } catch {
            try? system.write("THAWED", to: state)
            throw error
        }
        try system.write("THAWED", to: state)
    }

    func killEveryProcess() throws(CgroupError) {
        for pid in try processes() {
            try system.send(signal: SIGKILL, to: pid)
        }
    }

    /// Waits for killed processes to leave the cgroup, running `killingAgain` each round.
    private func waitUntilEmpty(killingAgain: () throws(CgroupError) -> Void) async throws(CgroupError) {
        for _ in 0..<Self.pollRounds {
            if try processes().isEmpty { return }
            try killingAgain()
            try? await Task.sleep(for: Self.pollInterval)
        }
        throw CgroupError(
            .processesRemain, "processes \(try processes()) survived SIGKILL", path: directories.first)
    }

    static let pollInterval = Duration.milliseconds(10)
    static let pollMicroseconds: UInt32 = 10_000
    /// How long `kill()` waits for the dead to leave: 1000 rounds of 10 ms.
    static let pollRounds = 1000
}
