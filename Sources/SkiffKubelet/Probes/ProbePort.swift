import SkiffAPI

/// Turns a probe's or hook's port (a number, or the name of one of the container's
/// ports) into a port number, as upstream's ResolveContainerPort does, errors included.
enum ProbePort {
    struct Unresolved: Error, CustomStringConvertible {
        var description: String
    }

    static func resolve(_ port: IntOrString, in container: Container) throws(Unresolved) -> Int {
        let number: Int
        switch port {
        case .int(let value):
            number = Int(value)
        case .string(let name):
            if let named = container.ports?.first(where: { $0.name == name }) {
                number = Int(named.containerPort)
            } else if let parsed = Int(name) {
                // Last ditch effort, as upstream: a number written as a string.
                number = parsed
            } else {
                throw Unresolved(description: "strconv.Atoi: parsing \(GoText.quote(name)): invalid syntax")
            }
        }
        guard number > 0 && number < 65536 else { throw Unresolved(description: "invalid port number: \(number)") }
        return number
    }
}
