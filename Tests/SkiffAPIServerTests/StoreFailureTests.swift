import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

/// How a store failure reaches clients: the Status upstream's apiserver sends.
@Suite struct StoreFailureTests {
    @Test func anUnreachableStoreIsAServerTimeoutClientsRetry() {
        let failure = StoreError(.unavailable, "etcd did not answer for /registry/pods/default/web")
        let error = APIError.storeFailure(failure, operation: "create", resource: "pods", group: "", name: "web")
        #expect(error.code == 500)
        #expect(error.reason == "ServerTimeout")
        #expect(error.message == "The create operation against pods could not be completed at this time, please try again.")
        #expect(error.details?.name == "create")
        #expect(error.details?.retryAfterSeconds == 2)
    }

    @Test func aCompactedRevisionIsExpiredAndAnythingElseAnInternalError() {
        let compacted = APIError.storeFailure(
            StoreError(.compacted, "required revision has been compacted"), operation: "get", resource: "pods", group: "", name: "")
        #expect(compacted.code == 410)
        #expect(compacted.reason == "Expired")
        let other = APIError.storeFailure(
            StoreError(.invalidArgument, "bad key"), operation: "get", resource: "pods", group: "", name: "")
        #expect(other.code == 500)
        #expect(other.reason == "InternalError")
    }
}
