import SkiffAPI

/// The conditions a terminating namespace shows while its content goes, as
/// upstream's namespaceConditionUpdater: each of the five types is True with a
/// failure reason while that failure lasts, and False with its "ok" reason and
/// message otherwise.
struct NamespaceConditions {
    static let discoveryFailure = "NamespaceDeletionDiscoveryFailure"
    static let groupVersionParsingFailure = "NamespaceDeletionGroupVersionParsingFailure"
    static let contentFailure = "NamespaceDeletionContentFailure"
    static let contentRemaining = "NamespaceContentRemaining"
    static let finalizersRemaining = "NamespaceFinalizersRemaining"

    /// Type, ok reason, ok message — in upstream's order.
    private static let types: [(type: String, reason: String, message: String)] = [
        (discoveryFailure, "ResourcesDiscovered", "All resources successfully discovered"),
        (groupVersionParsingFailure, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
        (contentFailure, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
        (contentRemaining, "ContentRemoved", "All content successfully removed"),
        (finalizersRemaining, "ContentHasNoFinalizers", "All content-preserving finalizers finished"),
    ]

    private var failures: [String: (reason: String, message: String)] = [:]
    private var contentErrors: [String] = []

    mutating func discoveryFailed(groups: Int, message: String) {
        failures[Self.discoveryFailure] = ("DiscoveryFailed", "Discovery failed for some groups, \(groups) failing: \(message)")
    }

    mutating func discoveryFailed(message: String) {
        failures[Self.discoveryFailure] = ("DiscoveryFailed", message)
    }

    mutating func contentDeletionFailed(_ message: String) {
        contentErrors.append(message)
    }

    /// ProcessContentTotals: instances left per resource and per finalizer.
    mutating func remaining(byResource: [DiscoveredResource: Int], byFinalizer: [String: Int]) {
        let resources = byResource.filter { $0.value > 0 }.map { "\($0.key.resource).\($0.key.group) has \($0.value) resource instances" }
        if !resources.isEmpty {
            failures[Self.contentRemaining] = (
                "SomeResourcesRemain", "Some resources are remaining: \(resources.sorted().joined(separator: ", "))"
            )
        }
        let finalizers = byFinalizer.filter { $0.value > 0 }.map { "\($0.key) in \($0.value) resource instances" }
        if !finalizers.isEmpty {
            failures[Self.finalizersRemaining] = (
                "SomeFinalizersRemain",
                "Some content in the namespace has finalizers remaining: \(finalizers.sorted().joined(separator: ", "))"
            )
        }
    }

    /// Writes the conditions into `status`; true when anything changed. A
    /// condition keeps its transition time unless its status flips.
    func apply(to status: inout NamespaceStatus, now: Time) -> Bool {
        var failures = self.failures
        if !contentErrors.isEmpty && failures[Self.contentFailure] == nil {
            let messages = contentErrors.sorted().joined(separator: ", ")
            failures[Self.contentFailure] = (
                "ContentDeletionFailed", "Failed to delete all resource types, \(contentErrors.count) remaining: \(messages)"
            )
        }
        var conditions = status.conditions ?? []
        var changed = false
        for (type, okReason, okMessage) in Self.types {
            var wanted = NamespaceCondition()
            wanted.type = type
            wanted.status = failures[type] == nil ? "False" : "True"
            wanted.reason = failures[type]?.reason ?? okReason
            wanted.message = failures[type]?.message ?? okMessage
            wanted.lastTransitionTime = now
            guard let index = conditions.firstIndex(where: { $0.type == type }) else {
                conditions.append(wanted)
                changed = true
                continue
            }
            let old = conditions[index]
            if old.status == wanted.status && old.reason == wanted.reason && old.message == wanted.message { continue }
            if old.status == wanted.status { wanted.lastTransitionTime = old.lastTransitionTime }
            conditions[index] = wanted
            changed = true
        }
        status.conditions = conditions
        return changed
    }
}
