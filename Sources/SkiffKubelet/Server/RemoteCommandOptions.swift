import SkiffAPIServer

/// Which streams an exec or attach asked for, read as upstream's remotecommand
/// NewOptions reads them. Upstream's API server sends `1`; Skiff's sends `true`:
/// both count, as strconv.ParseBool reads them.
struct RemoteCommandOptions: Sendable, Equatable {
    var stdin: Bool
    var stdout: Bool
    var stderr: Bool
    var tty: Bool

    init(query: QueryItems) throws(KubeletRefusal) {
        tty = Self.flag(query, "tty")
        stdin = Self.flag(query, "stdin")
        stdout = Self.flag(query, "stdout")
        // A terminal has one output stream: stderr is folded into stdout.
        stderr = Self.flag(query, "stderr") && !tty
        guard stdin || stdout || stderr else {
            throw .badRequest("you must specify at least 1 of stdin, stdout, stderr")
        }
    }

    init(stdin: Bool, stdout: Bool, stderr: Bool, tty: Bool) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr && !tty
        self.tty = tty
    }

    private static func flag(_ query: QueryItems, _ name: String) -> Bool {
        ["1", "t", "T", "true", "TRUE", "True"].contains(query[name] ?? "")
    }

    /// The channel of the empty message that tells the client the session is up:
    /// the lowest one the server writes to.
    var readyChannel: UInt8 {
        if stdout { return 1 }
        if stderr { return 2 }
        return RemoteCommandStatus.errorChannel
    }
}

/// A terminal size as the resize channel (4) carries it: `{"Width":80,"Height":24}`.
struct TerminalSize: Decodable, Sendable, Equatable {
    var Width: UInt16
    var Height: UInt16
}
