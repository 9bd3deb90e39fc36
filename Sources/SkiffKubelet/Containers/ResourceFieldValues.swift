import SkiffAPI

/// `resourceFieldRef` values: a container's limits and requests divided by the divisor,
/// rounded up, as upstream's ExtractContainerResourceValue. An unset limit reads as
/// the node's allocatable amount, as the kubelet does.
enum ResourceFieldValues {
    static func value(
        _ selector: ResourceFieldSelector, container: Container, nodeAllocatable: ResourceList
    ) throws(ContainerConfigError) -> String {
        let parts = selector.resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "limits" || parts[0] == "requests" else {
            throw ContainerConfigError("unsupported resourceFieldRef resource \(selector.resource)")
        }
        let resources = container.resources
        let list = parts[0] == "limits" ? resources.limits : resources.requests
        let quantity = list?[parts[1]] ?? (parts[0] == "limits" ? nodeAllocatable[parts[1]] : nil) ?? Quantity(0)
        let divisor = selector.divisor ?? Quantity(1)
        guard !divisor.isZero else { throw ContainerConfigError("resourceFieldRef divisor for \(selector.resource) is zero") }
        // Divide in thousandths so divisors like 1m and 1Mi both work exactly enough.
        let numerator = quantity.milliValue, denominator = divisor.milliValue
        return String((numerator + denominator - 1) / denominator)
    }
}
