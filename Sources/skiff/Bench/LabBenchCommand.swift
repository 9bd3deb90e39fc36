import ArgumentParser
import Foundation
import SkiffLab

/// `skiff bench lab`: how long `skiff lab up --nodes N` takes until every node is
/// Ready, and how much memory the idle lab then holds (every process it started
/// and their children). Each run is a lab of its own, taken down at once.
struct BenchLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab", abstract: "Time from `skiff lab up` to all nodes Ready, and the whole lab's memory (root).")

    @Option(help: "Nodes per lab.") var nodes = 3
    @Option(help: "Labs to bring up, one after another.") var runs = 3
    @Option(help: "Seconds to let a Ready lab settle before its memory is read.") var settle = 5
    @Option(help: "The labs' datastore: sqlite or etcd (etcd's own memory is counted too).") var datastore: Lab.Datastore = .sqlite
    @Option(help: "Where the labs keep their state (default: a new temporary directory, removed after).") var root: String?

    func run() throws {
        guard getuid() == 0 else { throw ValidationError("skiff bench lab needs root (network namespaces, containers)") }
        let root = self.root ?? NSTemporaryDirectory() + "skiff-bench-lab-\(getpid())"
        defer { if self.root == nil { try? FileManager.default.removeItem(atPath: root) } }
        var rows = [["run", "up → all Ready s", "processes", "RSS sum MiB", "PSS sum MiB"]]
        for run in 1...runs {
            let plan = try LabPlan(name: "bench\(getpid() % 10_000)-\(run)", nodes: nodes, root: root)
            var options = Lab.Options(skiff: try LabUpCommand.executablePath())
            options.datastore = datastore
            let lab = Lab(plan: plan, options: options, report: { _ in })
            let start = ContinuousClock.now
            do {
                try lab.up()
            } catch {
                try? LabTeardown(state: try LabState.load(plan.stateFile), report: { _ in }).run()
                throw error
            }
            let elapsed = ContinuousClock.now - start
            Thread.sleep(forTimeInterval: Double(settle))
            let state = try LabState.load(plan.stateFile)
            let memory = LabMemory(roots: state.processes.map(\.pid)).read()
            try LabTeardown(state: state, report: { _ in }).run()
            rows.append([
                String(run), String(format: "%.2f", elapsed.seconds), String(memory.processes),
                String(format: "%.1f", Double(memory.resident) / 1_048_576), String(format: "%.1f", Double(memory.proportional) / 1_048_576),
            ])
        }
        print("skiff lab up --nodes \(nodes) --datastore \(datastore.rawValue), idle after Ready (\(settle) s settle):")
        print(TextTable.render(rows))
    }
}

/// The memory of a set of processes and all their descendants, from /proc:
/// resident (RSS, which counts the skiff binary's pages once per process) and
/// proportional (PSS, which shares them out, so it sums to what the lab costs).
struct LabMemory {
    let roots: [Int32]

    func read() -> (processes: Int, resident: Int, proportional: Int) {
        var children: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let parent = DetachedProcess.statField(4, of: pid).flatMap({ Int32($0) }) else { continue }
            children[parent, default: []].append(pid)
        }
        var seen: Set<Int32> = []
        var pending = roots
        while let pid = pending.popLast() {
            guard seen.insert(pid).inserted else { continue }
            pending += children[pid] ?? []
        }
        var resident = 0, proportional = 0
        for pid in seen {
            let rollup = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
            resident += Self.kilobytes("Rss", in: rollup) * 1024
            proportional += Self.kilobytes("Pss", in: rollup) * 1024
        }
        return (seen.count, resident, proportional)
    }

    private static func kilobytes(_ field: String, in text: String) -> Int {
        let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
    }
}
