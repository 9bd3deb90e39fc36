import Logging
import SkiffAPI
import SkiffClient

/// Registers the kubelet's Node, as the kubelet's registerWithAPIServer does:
/// create it, or bring an existing one (an agent that restarted, a node that
/// was deleted and comes back) up to date. Retries until it works or the task
/// is cancelled.
struct NodeRegistration: Sendable {
    let client: APIClient
    let node: NodeObject
    let logger: Logger

    func register() async throws(KubeletError) -> Node {
        var delay: Duration = .milliseconds(100)
        while true {
            do {
                return try await attempt()
            } catch {
                logger.warning("node registration failed; retrying", metadata: ["error": "\(error)"])
            }
            if Task.isCancelled { throw .registration("cancelled") }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(7))
        }
    }

    private func attempt() async throws -> Node {
        do {
            let created = try await client.create(try node.registration())
            logger.info("registered node", metadata: ["node": "\(node.configuration.nodeName)"])
            return created
        } catch {
            guard (error as? ClientError)?.reason == .alreadyExists else { throw error }
        }
        let existing = try await client.get(Node.self, node.configuration.nodeName)
        let reconciled = node.reconcile(existing)
        guard reconciled != existing else { return existing }
        return try await client.update(reconciled)
    }
}
