import Foundation

extension KeyRange {
    /// The range as etcd's `[key, range_end)`: an empty `rangeEnd` is the single
    /// key, `[0]` means no upper bound. Keys hold no NUL, so appending one gives
    /// the smallest key after a given one.
    var etcdBounds: (key: [UInt8], rangeEnd: [UInt8]) {
        var start = Array(lowerBound.utf8)
        if !includesLowerBound { start.append(0) }
        // etcd needs a key; "\0" sorts before every key Skiff can write.
        if start.isEmpty { start = [0] }
        guard let upperBound else { return (start, [0]) }
        var end = Array(upperBound.utf8)
        if includesUpperBound { end.append(0) }
        if end == start + [0] { return (start, []) }
        guard end.lexicographicallyPrecedes(start) || end == start else { return (start, end) }
        // An empty range. etcd has no spelling for one ("" is one key, "\0" is
        // everything), so take an end before the start: etcd then matches nothing.
        return ([0xFF, 0xFF], [0xFF, 0x01])
    }
}
