/// Which container instance `/containerLogs` reads, chosen and refused exactly as
/// upstream's kubelet does (getContainerLogs, then validateContainerLogStatus):
/// the previous instance for `previous`, else the running one, else the one that
/// ended, else the one before it, else a sentence saying why there are no logs.
enum LogTarget {
    static func resolve(pod: KubeletPodEntry, container: String, previous: Bool) throws(KubeletRefusal)
        -> KubeletContainerRef
    {
        let name = pod.name
        guard pod.containerNames.contains(container) else {
            throw .notFound("container \(GoFormat.quoted(container)) not found in pod \(GoFormat.quoted(name))")
        }
        let inPod = "container \(GoFormat.quoted(container)) in pod \(GoFormat.quoted(name))"
        guard let status = pod.statuses[container] else {
            throw .badRequest("\(inPod) is not available")
        }
        if previous {
            guard let last = status.lastTerminated else {
                throw .badRequest("previous terminated \(inPod) not found")
            }
            return last
        }
        switch status.state {
        case .running(let ref):
            return ref
        case .terminated(let ref):
            // A container whose next instance did not start keeps its last one's logs.
            if let ref = ref ?? status.lastTerminated { return ref }
            throw .badRequest("\(inPod) is terminated")
        case .waiting(let reason):
            if let last = status.lastTerminated { return last }
            switch reason {
            case "ErrImagePull": throw .badRequest("\(inPod) is waiting to start: image can't be pulled")
            case "ImagePullBackOff": throw .badRequest("\(inPod) is waiting to start: trying and failing to pull image")
            default: throw .badRequest("\(inPod) is waiting to start: \(reason)")
            }
        }
    }
}
