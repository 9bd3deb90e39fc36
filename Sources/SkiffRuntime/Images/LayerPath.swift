/// A tar entry's name, checked and split: relative to the layer root, no `..`, no
/// absolute path. `./usr/bin/` becomes `["usr", "bin"]`; `./` is the root itself.
struct LayerPath: Equatable, CustomStringConvertible {
    let components: [String]

    init(entryName: String) throws(ImageError) {
        guard !entryName.hasPrefix("/") else {
            throw ImageError(.invalidLayer, "layer entry \(entryName.debugDescription) is an absolute path")
        }
        let parts = entryName.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !parts.contains("..") else {
            throw ImageError(.invalidLayer, "layer entry \(entryName.debugDescription) has a '..' component")
        }
        guard !entryName.utf8.contains(0) else {
            throw ImageError(.invalidLayer, "layer entry \(entryName.debugDescription) has a NUL byte")
        }
        components = parts.map(String.init)
    }

    private init(components: [String]) { self.components = components }

    var isRoot: Bool { components.isEmpty }
    /// The last component; empty for the root.
    var name: String { components.last ?? "" }
    var parent: LayerPath { LayerPath(components: Array(components.dropLast())) }

    func appending(_ name: String) -> LayerPath { LayerPath(components: components + [name]) }

    var description: String { components.isEmpty ? "/" : components.joined(separator: "/") }
}
