import SkiffAPI
import SkiffClient

/// Upstream's ControllerRefManager: which of the candidates an owner controls
/// now. Its own dependents that its selector still matches stay its own; its
/// dependents that no longer match are released (their controller reference
/// removed); orphans that match are adopted (a controller reference added),
/// unless the owner is being deleted. Dependents of other controllers are left
/// alone.
struct Claims<Owner: APIObject, Dependent: APIObject> {
    let client: APIClient
    let owner: Owner
    let selector: Labels.Selector
    /// Re-reads the owner from the API before the first adoption, so an owner
    /// deleted since the cache saw it adopts nothing (upstream's canAdopt).
    let ownerStillCurrent: () async throws -> Bool

    func claim(_ candidates: [Dependent]) async throws -> [Dependent] {
        var claimed: [Dependent] = []
        var firstError: (any Error)?
        var adoptionChecked: Bool?
        let ownerUID = owner.metadata.uid ?? ""
        let ownerDeleting = owner.metadata.deletionTimestamp != nil
        for candidate in candidates {
            let labels = candidate.metadata.labels ?? [:]
            let uid = candidate.metadata.uid ?? ""
            if let reference = candidate.metadata.controllerReference {
                guard reference.uid == ownerUID else { continue }
                if selector.matches(labels) {
                    claimed.append(candidate)
                } else if !ownerDeleting {
                    do {
                        try await patch(candidate, OwnershipPatch.release(dependentUID: uid, ownerUID: ownerUID))
                    } catch { if firstError == nil { firstError = error } }
                }
                continue
            }
            guard !ownerDeleting, selector.matches(labels), candidate.metadata.deletionTimestamp == nil else { continue }
            if adoptionChecked == nil { adoptionChecked = try await ownerStillCurrent() }
            guard adoptionChecked == true else { continue }
            do {
                if let adopted = try await patch(candidate, OwnershipPatch.adopt(dependentUID: uid, owner: .controller(owner))) {
                    claimed.append(adopted)
                }
            } catch { if firstError == nil { firstError = error } }
        }
        if let firstError { throw firstError }
        return claimed
    }

    /// Sends a strategic merge patch; a dependent already gone is no error.
    @discardableResult
    private func patch(_ dependent: Dependent, _ body: [UInt8]) async throws -> Dependent? {
        do {
            return try await client.patch(
                Dependent.self, dependent.metadata.name ?? "", namespace: dependent.metadata.namespace, .strategicMerge,
                body: body)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }
}

extension APIClient {
    /// Whether the object still exists with this uid and is not being deleted.
    func isCurrent<T: APIObject>(_ object: T) async throws -> Bool {
        do {
            let fresh = try await get(T.self, object.metadata.name ?? "", namespace: object.metadata.namespace)
            return fresh.metadata.uid == object.metadata.uid && fresh.metadata.deletionTimestamp == nil
        } catch {
            if error.isNotFound { return false }
            throw error
        }
    }
}
