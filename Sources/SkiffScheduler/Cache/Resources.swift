import SkiffAPI

/// Amounts of the resources the scheduler counts, as integers: CPU in
/// millicores, memory and ephemeral storage in bytes, extended resources
/// (`example.com/gpu`, `hugepages-2Mi`) in their units, and a pod count.
public struct Resources: Sendable, Hashable {
    public var milliCPU: Int64 = 0
    public var memory: Int64 = 0
    public var ephemeralStorage: Int64 = 0
    public var pods: Int64 = 0
    public var scalar: [String: Int64] = [:]

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, pods: Int64 = 0) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.pods = pods
    }

    /// Reads a ResourceList (a node's allocatable, a container's requests).
    public init(_ list: ResourceList?) {
        guard let list else { return }
        for (name, quantity) in list {
            switch name {
            case "cpu": milliCPU = quantity.milliValue
            case "memory": memory = quantity.value
            case "ephemeral-storage": ephemeralStorage = quantity.value
            case "pods": pods = quantity.value
            default: if Self.isScalar(name) { scalar[name] = quantity.value }
            }
        }
    }

    /// Extended resources (a domain prefix, not kubernetes.io), hugepages and
    /// attachable volumes count; others (e.g. `storage`) the scheduler ignores.
    static func isScalar(_ name: String) -> Bool {
        if name.hasPrefix("hugepages-") || name.hasPrefix("attachable-volumes-") { return true }
        guard let slash = name.firstIndex(of: "/") else { return false }
        let domain = name[..<slash]
        return !(domain == "kubernetes.io" || domain.hasSuffix(".kubernetes.io"))
    }

    public static func + (lhs: Resources, rhs: Resources) -> Resources {
        var sum = lhs
        sum.add(rhs)
        return sum
    }

    public mutating func add(_ other: Resources, times factor: Int64 = 1) {
        milliCPU += other.milliCPU * factor
        memory += other.memory * factor
        ephemeralStorage += other.ephemeralStorage * factor
        pods += other.pods * factor
        for (name, value) in other.scalar { scalar[name, default: 0] += value * factor }
    }

    /// Each amount the larger of the two.
    mutating func formMaximum(_ other: Resources) {
        milliCPU = max(milliCPU, other.milliCPU)
        memory = max(memory, other.memory)
        ephemeralStorage = max(ephemeralStorage, other.ephemeralStorage)
        for (name, value) in other.scalar { scalar[name] = max(scalar[name] ?? 0, value) }
    }
}

/// What a pod asks for, as upstream's resource helpers compute it: the sum of
/// its containers (and of restartable init containers, which run beside them),
/// or the largest init container plus the sidecars started before it, whichever
/// is more, plus the pod's overhead. `nonZero` is the same with 100m CPU and
/// 200 MiB memory for a container that requests none, which scoring uses so
/// that request-less pods still spread.
public struct PodRequests: Sendable, Hashable {
    public var resources = Resources()
    public var nonZeroMilliCPU: Int64 = 0
    public var nonZeroMemory: Int64 = 0

    public static let defaultMilliCPU: Int64 = 100
    public static let defaultMemory: Int64 = 200 * 1024 * 1024

    public init(_ spec: PodSpec) {
        var sum = Resources()
        var nonZeroCPU: Int64 = 0
        var nonZeroMemory: Int64 = 0
        for container in spec.containers {
            let requests = Resources(container.resources.requests)
            sum.add(requests)
            nonZeroCPU += Self.nonZeroCPU(container)
            nonZeroMemory += Self.nonZeroMemory(container)
        }
        var sidecars = Resources()
        var initMaximum = Resources()
        var sidecarCPU: Int64 = 0, sidecarMemory: Int64 = 0
        var initCPU: Int64 = 0, initMemory: Int64 = 0
        for container in spec.initContainers ?? [] {
            let requests = Resources(container.resources.requests)
            if container.restartPolicy == "Always" {
                sidecars.add(requests)
                sidecarCPU += Self.nonZeroCPU(container)
                sidecarMemory += Self.nonZeroMemory(container)
                initMaximum.formMaximum(sidecars)
            } else {
                initMaximum.formMaximum(sidecars + requests)
                initCPU = max(initCPU, sidecarCPU + Self.nonZeroCPU(container))
                initMemory = max(initMemory, sidecarMemory + Self.nonZeroMemory(container))
            }
        }
        sum.add(sidecars)
        sum.formMaximum(initMaximum)
        nonZeroCPU = max(nonZeroCPU + sidecarCPU, initCPU)
        nonZeroMemory = max(nonZeroMemory + sidecarMemory, initMemory)
        let overhead = Resources(spec.overhead)
        sum.add(overhead)
        resources = sum
        nonZeroMilliCPU = nonZeroCPU + overhead.milliCPU
        self.nonZeroMemory = nonZeroMemory + overhead.memory
    }

    private static func nonZeroCPU(_ container: Container) -> Int64 {
        guard let cpu = container.resources.requests?["cpu"] else { return defaultMilliCPU }
        return cpu.milliValue
    }

    private static func nonZeroMemory(_ container: Container) -> Int64 {
        guard let memory = container.resources.requests?["memory"] else { return defaultMemory }
        return memory.value
    }
}
