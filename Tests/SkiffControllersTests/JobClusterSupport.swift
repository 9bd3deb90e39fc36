import SkiffAPI
import SkiffClient

extension Manifests {
    static func job(
        _ name: String, completions: Int32? = 1, parallelism: Int32? = 1, backoffLimit: Int32? = nil,
        restartPolicy: String = "Never"
    ) -> Job {
        var job = Job()
        job.metadata.name = name
        job.metadata.namespace = "default"
        job.spec.completions = completions
        job.spec.parallelism = parallelism
        job.spec.backoffLimit = backoffLimit
        job.spec.template.spec.containers = [container(image: "busybox:1")]
        job.spec.template.spec.restartPolicy = restartPolicy
        return job
    }
}

extension TestCluster {
    func job(_ name: String) async throws -> Job {
        try await client.get(Job.self, name, namespace: "default")
    }

    /// The pods of a job, by the label the controller puts on them.
    func jobPods(_ name: String) async throws -> [Pod] {
        try await pods("batch.kubernetes.io/job-name=\(name)")
    }

    /// Plays the kubelet: the pod ran and exited with this phase.
    func finish(_ pod: Pod, _ phase: String) async throws {
        var pod = pod
        pod.status.phase = phase
        pod.status.conditions = nil
        try await client.updateStatus(pod)
    }

    /// Finishes the job's running pods (those `which` picks) as they appear.
    func finishPods(of job: String, _ phase: String, which: (Pod) -> Bool = { _ in true }) async throws {
        for pod in try await jobPods(job) where pod.isActive && which(pod) {
            do { try await finish(pod, phase) } catch {
                let failure = error as? ClientError
                if failure?.isNotFound != true && failure?.isConflict != true { throw error }
            }
        }
    }
}

extension Job {
    func hasCondition(_ type: String, reason: String? = nil) -> Bool {
        (status.conditions ?? []).contains { $0.type == type && $0.status == "True" && (reason == nil || $0.reason == reason) }
    }
}
