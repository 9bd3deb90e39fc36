import Foundation

/// What a lab has started, saved as `lab.json` beside its plan after every
/// change, so `down` can end exactly those processes even when `up` crashed.
public struct LabState: Codable, Sendable {
    /// A process the lab started: its pid and the start time the kernel gave it
    /// (a pid reused by another program has another start time, and is left alone).
    public struct Process: Codable, Hashable, Sendable {
        public var component: String
        public var pid: Int32
        public var startTime: UInt64
        /// How it was started (program first) and where its output goes, so
        /// `skiff lab start` can start it again the same way.
        public var command: [String] = []
        public var log: String = ""
    }

    public var plan: LabPlan
    public var processes: [Process] = []
    public var relayPort: Int?

    public init(plan: LabPlan) {
        self.plan = plan
    }

    public static func load(_ path: String) throws -> LabState {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError("no lab at \(path): run `skiff lab up` first")
        }
        do {
            return try JSONDecoder().decode(LabState.self, from: data)
        } catch {
            throw LabError("\(path) is not a lab state file: \(error)")
        }
    }

    /// Written to a temporary file and renamed, so a crash leaves the old or the new.
    public func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = plan.stateFile + ".tmp"
        try encoder.encode(self).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, plan.stateFile) == 0 else {
            throw LabError("cannot write \(plan.stateFile): \(String(cString: strerror(errno)))")
        }
    }
}
