/// A topology domain: a node label key and its value (`zone=a`).
struct TopologyPair: Hashable {
    var key: String
    var value: String
}

extension NodeInfo {
    func pair(_ key: String) -> TopologyPair? {
        labels[key].map { TopologyPair(key: key, value: $0) }
    }
}
