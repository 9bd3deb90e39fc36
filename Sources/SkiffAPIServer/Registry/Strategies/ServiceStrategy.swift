import SkiffAPI

/// pkg/registry/core/service/strategy.go. Allocation (cluster IPs, node ports)
/// happens around these in ``ServiceAllocator``, as upstream's service REST does.
extension Service: SpecStatusStrategy {
    public static var returnsDeletedObject: Bool { true }

    /// Load-balancer status is the controllers' to write.
    public mutating func prepareForCreate() { status = ServiceStatus() }

    /// The status stays; fields the new type has no use for are cleared (the
    /// allocator has marked their values for release).
    public mutating func prepareForUpdate(old: Service) {
        status = old.status
        dropTypeDependentFields(old: old)
    }

    public func generationChanged(from old: Service) -> Bool { false }
}
