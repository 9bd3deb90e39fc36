import SkiffProxy
import Testing

@Suite("nftables batches through the socket seam")
struct BatchTests {
    @Test func printFull() throws {
        let transport = RecordingTransport()
        let backend = NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr)
        try backend.sync(RulesetState(model: Fixtures.model()))
        print(BatchListing.lines(transport.recorded[0]).joined(separator: "\n"))
    }
}
