import SkiffAPI

// pkg/registry/batch/{job,cronjob}/strategy.go.

extension Job: SpecStatusStrategy {
    public static var tracksGeneration: Bool { true }
    /// upstream keeps batch/v1's old default: a delete without a propagation policy
    /// leaves the pods (kubectl always sends one, Background unless told otherwise).
    public static var orphansDependentsByDefault: Bool { true }

    /// The Job controller writes the status; the registry ties the pods to the job
    /// with a generated selector unless the user chose one (manualSelector).
    public mutating func prepareForCreate() {
        status = JobStatus()
        generateSelector()
    }
}

extension CronJob: SpecStatusStrategy {
    public static var tracksGeneration: Bool { true }
    public mutating func prepareForCreate() { status = CronJobStatus() }
}
