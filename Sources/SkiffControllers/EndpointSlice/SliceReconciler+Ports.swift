import SkiffAPI

extension SliceReconciler {
    /// reconcileByPortMapping, for the slices of one port set:
    /// 1. each existing slice keeps the endpoints still desired (updated in place
    ///    when their conditions changed) and is deleted when none remain;
    /// 2. endpoints left over first fill the slices being updated anyway, fullest first;
    /// 3. what is still left goes into the unchanged slice it fits best (when
    ///    fewer than a slice's worth remain), else into new slices.
    func planPorts(
        service: Service, addressType: String, ports: [EndpointSlicePort], existing: [EndpointSlice], desired: [Endpoint]
    ) -> SlicePlan {
        var remaining = desired
        var remainingKeys = Set(desired.map(EndpointKey.init))
        var byKey: [EndpointKey: Endpoint] = [:]
        for endpoint in desired { byKey[EndpointKey(endpoint)] = endpoint }
        func take() -> Endpoint? {
            while !remaining.isEmpty {
                let endpoint = remaining.removeFirst()
                if remainingKeys.remove(EndpointKey(endpoint)) != nil { return endpoint }
            }
            return nil
        }

        let labels = SliceLabels.labels(for: service)
        var toUpdate: [EndpointSlice] = []
        var unchanged: [EndpointSlice] = []
        var plan = SlicePlan()
        for slice in existing {
            var kept: [Endpoint] = []
            var changed = false
            for endpoint in slice.endpoints {
                let key = EndpointKey(endpoint)
                guard remainingKeys.contains(key), let wanted = byKey[key] else { continue }
                kept.append(wanted)
                if wanted != endpoint { changed = true }
                remainingKeys.remove(key)
            }
            let labelsChanged = (slice.metadata.labels ?? [:]) != labels
            if changed || kept.count != slice.endpoints.count {
                if kept.isEmpty {
                    plan.delete.append(slice)
                    continue
                }
                var updated = slice
                updated.endpoints = kept
                updated.metadata.labels = labels
                toUpdate.append(updated)
            } else if labelsChanged {
                var updated = slice
                updated.metadata.labels = labels
                toUpdate.append(updated)
            } else {
                unchanged.append(slice)
            }
        }

        // 2. Fill the slices being written anyway, fullest first.
        toUpdate.sort { $0.endpoints.count > $1.endpoints.count }
        for index in toUpdate.indices {
            while toUpdate[index].endpoints.count < maxEndpointsPerSlice, let endpoint = take() {
                toUpdate[index].endpoints.append(endpoint)
            }
        }

        // 3. The rest: into the unchanged slice it fits best, or new slices.
        while !remainingKeys.isEmpty {
            var target: EndpointSlice
            if remainingKeys.count < maxEndpointsPerSlice,
                let best = Self.sliceToFill(unchanged, adding: remainingKeys.count, max: maxEndpointsPerSlice)
            {
                target = unchanged.remove(at: best)
            } else {
                target = SliceLabels.newSlice(for: service, addressType: addressType, ports: ports)
            }
            while target.endpoints.count < maxEndpointsPerSlice, let endpoint = take() {
                target.endpoints.append(endpoint)
            }
            if target.metadata.name == nil { plan.create.append(target) } else { toUpdate.append(target) }
        }
        plan.update = toUpdate
        return plan
    }

    /// getSliceToFill: the slice with the least room left that still takes `count` more.
    static func sliceToFill(_ slices: [EndpointSlice], adding count: Int, max: Int) -> Int? {
        var best: Int?
        var bestRoom = max
        for (index, slice) in slices.enumerated() {
            let room = max - (count + slice.endpoints.count)
            if room >= 0 && room < bestRoom {
                best = index
                bestRoom = room
                if room == 0 { break }
            }
        }
        return best
    }
}
