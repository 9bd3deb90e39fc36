import Foundation
import Testing

/// Runs `body` with a network namespace of the test's own, `<prefix><random>`
/// under /run/netns, and deletes it afterwards, also when `body` throws. A delete
/// that fails is recorded as an issue, so a leaked namespace shows in the run.
func withScratchNamespace<T>(_ prefix: String, _ body: (String) async throws -> T) async throws -> T {
    let name = prefix + String(UInt32.random(in: 0..<1_000_000), radix: 36)
    try await must("/usr/sbin/ip", ["netns", "add", name])
    func delete() async {
        let (status, output) = (try? await runProgram("/usr/sbin/ip", ["netns", "delete", name])) ?? (-1, "not run")
        if status != 0 { Issue.record("ip netns delete \(name) exited \(status): \(output)") }
    }
    do {
        let result = try await body(name)
        await delete()
        return result
    } catch {
        await delete()
        throw error
    }
}
