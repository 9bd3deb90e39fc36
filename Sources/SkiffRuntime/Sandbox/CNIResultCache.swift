import Foundation

/// What a DEL needs when the ADD is long gone (the agent restarted, the conflist or
/// the node's podCIDR changed since): the network as it was, the arguments, and the
/// result — libcni's `results/` cache. Written before the ADD's first plugin runs, so
/// even an ADD cut short by a crash leaves what its DEL needs.
public struct CNICacheEntry: Sendable, Hashable, Codable {
    public var network: CNINetworkList
    public var arguments: CNIArguments
    /// The ADD's final result; nil while the ADD runs, and when it failed.
    public var result: JSONValue?
}

/// One file per (network, container, interface) under `directory`.
struct CNIResultCache {
    let directory: String

    func path(network: String, containerID: String, interface: String) -> String {
        "\(directory)/\(network)-\(containerID)-\(interface).json"
    }

    func load(network: String, containerID: String, interface: String) -> CNICacheEntry? {
        guard let data = FileManager.default.contents(atPath: path(network: network, containerID: containerID, interface: interface)) else { return nil }
        return try? JSONDecoder().decode(CNICacheEntry.self, from: data)
    }

    func save(_ entry: CNICacheEntry) throws(SandboxError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let file = path(network: entry.network.name, containerID: entry.arguments.containerID, interface: entry.arguments.interfaceName)
            try JSONEncoder().encode(entry).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw .io("write CNI cache in \(directory): \(error.localizedDescription)")
        }
    }

    func remove(network: String, containerID: String, interface: String) throws(SandboxError) {
        let file = path(network: network, containerID: containerID, interface: interface)
        guard FileManager.default.fileExists(atPath: file) else { return }
        do { try FileManager.default.removeItem(atPath: file) } catch {
            throw .io("remove \(file): \(error.localizedDescription)")
        }
    }

    /// Every cached entry, for finding attachments no pod owns after a restart.
    func entries() -> [CNICacheEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            FileManager.default.contents(atPath: "\(directory)/\(name)").flatMap { try? JSONDecoder().decode(CNICacheEntry.self, from: $0) }
        }
    }
}
