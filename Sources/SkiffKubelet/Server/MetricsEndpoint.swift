/// `/metrics`: a few of upstream's kubelet gauges in Prometheus' text format,
/// computed from the directory at each scrape.
struct MetricsEndpoint: Sendable {
    let directory: any KubeletContainerDirectory

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func render() async -> String {
        let pods = await directory.pods()
        // A pod "has a running sandbox" when its network is up.
        let runningPods = pods.filter { $0.network != nil }.count
        var states: [String: Int] = ["running": 0, "exited": 0]
        for pod in pods {
            for status in pod.statuses.values {
                switch status.state {
                case .running: states["running", default: 0] += 1
                case .terminated(let ref) where ref != nil: states["exited", default: 0] += 1
                case .terminated, .waiting: continue
                }
            }
        }
        var text = """
            # HELP kubelet_running_pods [ALPHA] Number of pods that have a running pod sandbox
            # TYPE kubelet_running_pods gauge
            kubelet_running_pods \(runningPods)
            # HELP kubelet_running_containers [ALPHA] Number of containers currently running
            # TYPE kubelet_running_containers gauge

            """
        for state in states.keys.sorted() {
            text += "kubelet_running_containers{container_state=\"\(state)\"} \(states[state]!)\n"
        }
        return text
    }
}
