import SkiffAPI

/// The condition types, reasons and messages of a Job's status, as upstream writes them.
enum JobConditions {
    static let complete = "Complete"
    static let failed = "Failed"
    static let suspended = "Suspended"
    static let failureTarget = "FailureTarget"
    static let successCriteriaMet = "SuccessCriteriaMet"

    static func make(_ type: String, reason: String, message: String, now: Time) -> JobCondition {
        var condition = JobCondition()
        condition.type = type
        condition.status = "True"
        condition.reason = reason
        condition.message = message
        condition.lastProbeTime = now.truncatedToSeconds
        condition.lastTransitionTime = now.truncatedToSeconds
        return condition
    }

    /// The first step of a failure: pods are removed and counted before Failed.
    static func backoffLimitExceeded(now: Time) -> JobCondition {
        make(failureTarget, reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", now: now)
    }

    static func deadlineExceeded(now: Time) -> JobCondition {
        make(failureTarget, reason: "DeadlineExceeded", message: "Job was active longer than specified deadline", now: now)
    }

    /// The first step of a success, before Complete.
    static func completionsReached(now: Time) -> JobCondition {
        make(successCriteriaMet, reason: "CompletionsReached", message: "Reached expected number of succeeded pods", now: now)
    }

    /// The terminal condition that follows an interim one, with its reason and message.
    static func terminal(after interim: JobCondition, now: Time) -> JobCondition {
        make(interim.type == successCriteriaMet ? complete : failed, reason: interim.reason ?? "", message: interim.message ?? "", now: now)
    }

    /// upstream ensureJobConditionStatus: sets a condition's status (adding it only
    /// when True), keeping lastTransitionTime unless the status changes. Returns
    /// whether anything changed.
    static func ensure(
        _ conditions: inout [JobCondition], _ type: String, status: String, reason: String, message: String, now: Time
    ) -> Bool {
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            var condition = conditions[index]
            guard condition.status != status || condition.reason != reason || condition.message != message else {
                return false
            }
            if condition.status != status { condition.lastTransitionTime = now.truncatedToSeconds }
            condition.status = status
            condition.reason = reason
            condition.message = message
            condition.lastProbeTime = now.truncatedToSeconds
            conditions[index] = condition
            return true
        }
        guard status == "True" else { return false }
        var condition = make(type, reason: reason, message: message, now: now)
        condition.status = status
        conditions.append(condition)
        return true
    }
}

extension Job {
    /// Complete or Failed with status True (upstream IsJobFinished).
    var isFinished: Bool {
        (status.conditions ?? []).contains {
            ($0.type == JobConditions.complete || $0.type == JobConditions.failed) && $0.status == "True"
        }
    }

    func condition(_ type: String) -> JobCondition? {
        status.conditions?.first { $0.type == type && $0.status == "True" }
    }

    var isSuspended: Bool { spec.suspend == true }
}
