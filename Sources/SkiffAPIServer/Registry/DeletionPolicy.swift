import SkiffAPI

/// The decisions a delete makes before it touches the store: preconditions, the
/// grace period (rest.BeforeDelete) and the garbage collector's finalizers.
enum DeletionPolicy {
    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"

    /// BeforeDelete's precondition check, worded as upstream's (the qualified kind,
    /// not the resource, names the object).
    static func checkPreconditions<T: APIObject>(_ preconditions: Preconditions?, on object: T) throws(APIError) {
        guard let preconditions else { return }
        let name = object.metadata.name ?? ""
        let uid = object.metadata.uid ?? ""
        if let expected = preconditions.uid, expected != uid {
            throw .conflict(
                resource: T.kind, group: T.group, name: name,
                why: "the UID in the precondition (\(expected)) does not match the UID in record (\(uid)). "
                    + "The object might have been deleted and then recreated")
        }
        let version = object.metadata.resourceVersion ?? ""
        if let expected = preconditions.resourceVersion, expected != version {
            throw .conflict(
                resource: T.kind, group: T.group, name: name,
                why: "the ResourceVersion in the precondition (\(expected)) does not match the ResourceVersion "
                    + "in record (\(version)). The object might have been modified")
        }
    }

    /// What BeforeDelete decided.
    enum Grace: Equatable {
        /// Delete now (or mark for finalizers).
        case immediate
        /// Already deleting with a grace period no shorter than asked: nothing to do.
        case pending
        /// Mark (or re-mark) for deletion; the object goes when the period ends.
        case graceful(period: Int64)
    }

    /// rest.BeforeDelete: sets deletionTimestamp and deletionGracePeriodSeconds on
    /// kinds that delete gracefully, shortens a pending grace period on request, and
    /// bumps the generation the first time.
    static func beforeDelete<T: RegistryStrategy>(_ object: inout T, requested: Int64?, now: Time) -> Grace {
        let requested = requested.map { $0 < 0 ? 1 : $0 }
        if let current = object.metadata.deletionGracePeriodSeconds, current < 0 {
            object.metadata.deletionGracePeriodSeconds = 1
        }
        guard T.deletesGracefully else { return .immediate }
        if let deletionTimestamp = object.metadata.deletionTimestamp {
            // Already deleting: only a shorter grace period changes anything.
            guard let current = object.metadata.deletionGracePeriodSeconds, current != 0 else { return .immediate }
            guard let requested else { return .pending }
            if requested >= current { return .pending }
            object.metadata.deletionTimestamp = Time(
                nanosecondsSinceEpoch: deletionTimestamp.nanosecondsSinceEpoch + (requested - current) * 1_000_000_000)
            object.metadata.deletionGracePeriodSeconds = requested
            return .graceful(period: requested)
        }
        let period = object.gracePeriod(requested: requested)
        object.metadata.deletionTimestamp = Time(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch + period * 1_000_000_000)
            .truncatedToSeconds
        object.metadata.deletionGracePeriodSeconds = period
        if let generation = object.metadata.generation, generation > 0 { object.metadata.generation = generation + 1 }
        return .graceful(period: period)
    }

    /// markAsDeleting: an object that waits only for finalizers is marked deleted now
    /// with a zero grace period.
    static func markAsDeleting<T: APIObject>(_ object: inout T, now: Time) {
        if object.metadata.deletionTimestamp == nil, let generation = object.metadata.generation, generation > 0 {
            object.metadata.generation = generation + 1
        }
        if object.metadata.deletionTimestamp.map({ $0 > now }) ?? true {
            object.metadata.deletionTimestamp = now.truncatedToSeconds
        }
        object.metadata.deletionGracePeriodSeconds = 0
    }

    /// deletionFinalizersForGarbageCollection: the finalizers with `orphan` and
    /// `foregroundDeletion` set as the options (else the object's own choice) ask;
    /// nil when they are already so. Without either, the kind's default applies:
    /// background, or orphan where `orphanByDefault` (batch/v1 Jobs upstream).
    static func garbageCollectionFinalizers(
        _ finalizers: [String], options: DeleteOptions, orphanByDefault: Bool = false
    ) -> [String]? {
        let orphan: Bool
        let foreground: Bool
        if let orphanDependents = options.orphanDependents {
            orphan = orphanDependents
            foreground = false
        } else if let policy = options.propagationPolicy {
            orphan = policy == PropagationPolicy.orphan
            foreground = policy == PropagationPolicy.foreground
        } else {
            let chosen = finalizers.first { $0 == orphanFinalizer || $0 == foregroundFinalizer }
            orphan = chosen == orphanFinalizer || (chosen == nil && orphanByDefault)
            foreground = chosen == foregroundFinalizer
        }
        var updated = finalizers.filter { $0 != orphanFinalizer && $0 != foregroundFinalizer }
        if orphan { updated.append(orphanFinalizer) }
        if foreground { updated.append(foregroundFinalizer) }
        return Set(updated) == Set(finalizers) ? nil : updated
    }
}
