import Logging
import SkiffAPI
import SkiffClient

/// Makes sure every active namespace has a `default` ServiceAccount, as
/// upstream's serviceaccounts controller: on a namespace's arrival (and every
/// resync of it), and again whenever that account is deleted.
public final class ServiceAccountController: Controller {
    public let name = "serviceaccount"
    public let queue = WorkQueue<String>()
    /// The accounts every namespace gets.
    public static let accountNames = ["default"]

    let client: APIClient
    let namespaces: Informer<Namespace>
    let accounts: Informer<ServiceAccount>
    let logger: Logger

    public init(client: APIClient, informers: SharedInformers, logger: Logger) {
        self.client = client
        self.logger = logger
        namespaces = informers.informer(Namespace.self)
        accounts = informers.informer(ServiceAccount.self)
        namespaces.addHandler { [weak self] event in
            switch event {
            case .added(let namespace), .updated(_, let namespace): self?.queue.add(namespace.metadata.name ?? "")
            case .deleted, .synced: break
            }
        }
        accounts.addHandler { [weak self] event in
            guard case .deleted(let account) = event, Self.accountNames.contains(account.metadata.name ?? "") else { return }
            self?.queue.add(account.metadata.namespace ?? "")
        }
    }

    /// The key is a namespace's name.
    public func sync(_ key: String) async throws {
        guard let namespace = namespaces.get(key), namespace.metadata.deletionTimestamp == nil,
            namespace.status.phase != "Terminating"
        else { return }
        for name in Self.accountNames where accounts.get(name, namespace: key) == nil {
            var account = ServiceAccount()
            account.metadata.name = name
            account.metadata.namespace = key
            do {
                try await client.create(account)
                logger.debug("created service account", metadata: ["namespace": "\(key)", "name": "\(name)"])
            } catch {
                // AlreadyExists: made by someone else, or the cache is behind; either
                // way it exists. Forbidden: the namespace began terminating meanwhile.
                let terminating = error.code == 403 && error.message.contains("being terminated")
                if !error.isAlreadyExists && !terminating { throw error }
            }
        }
    }
}
