/// Where pod routes live: the kernel's main table, or a recording in tests.
public protocol RouteTable: Sendable {
    /// The routes this table holds that Skiff made (and only those).
    func podRoutes() throws(RouteError) -> [PodRoute]
    /// Adds the route or replaces the one to the same destination.
    func replace(_ route: PodRoute) throws(RouteError)
    func delete(_ route: PodRoute) throws(RouteError)
}

public struct RouteError: Error, CustomStringConvertible {
    public var operation: String
    public var errno: Int32
    public var description: String
}
