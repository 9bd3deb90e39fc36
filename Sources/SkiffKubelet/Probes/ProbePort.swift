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
                throw Unresolved(description: "strconv.Atoi: parsing \(goQuoted(name)): invalid syntax")
            }
        }
        guard number > 0 && number < 65536 else { throw Unresolved(description: "invalid port number: \(number)") }
        return number
    }
}

/// A string quoted as Go's %q writes it, for messages that match upstream's.
func goQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case "\r": result += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}
