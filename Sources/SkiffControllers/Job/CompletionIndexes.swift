/// A set of completion indexes written as upstream writes
/// `status.completedIndexes`: sorted intervals, `1,3-5,7`.
struct CompletionIndexes: Equatable, Sendable {
    private(set) var indexes: Set<Int> = []

    init<S: Sequence>(_ indexes: S) where S.Element == Int { self.indexes = Set(indexes) }

    /// Parses `1,3-5,7`, skipping malformed parts and indexes at or past `completions`
    /// (upstream parseIndexesFromString).
    init(parsing text: String?, completions: Int) {
        for part in (text ?? "").split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1).map { Int($0) }
            guard let low = bounds.first ?? nil, low >= 0 else { continue }
            let high = bounds.count == 2 ? (bounds[1] ?? -1) : low
            guard high >= low else { continue }
            for index in low...min(high, completions - 1) where index < completions { indexes.insert(index) }
        }
    }

    var count: Int { indexes.count }

    func contains(_ index: Int) -> Bool { indexes.contains(index) }

    mutating func insert(_ index: Int) { indexes.insert(index) }

    /// The intervals, `0-2,4`.
    var text: String {
        var parts: [String] = []
        var run: (Int, Int)?
        for index in indexes.sorted() {
            if let (low, high) = run, index == high + 1 {
                run = (low, index)
                continue
            }
            if let run { parts.append(Self.interval(run)) }
            run = (index, index)
        }
        if let run { parts.append(Self.interval(run)) }
        return parts.joined(separator: ",")
    }

    private static func interval(_ run: (Int, Int)) -> String {
        run.0 == run.1 ? "\(run.0)" : "\(run.0)-\(run.1)"
    }
}
