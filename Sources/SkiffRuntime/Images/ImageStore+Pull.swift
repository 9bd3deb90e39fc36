import Foundation

extension ImageStore {
    /// Pulls `reference` (tag or digest) from its registry and returns it, ready to
    /// run. `credentials` are sent only to this reference's registry;
    /// `insecureRegistries` (`host:port`, as references write them) are reached
    /// over plain http. On any failure the store is as it was before.
    public func pull(
        _ reference: ImageReference, credentials: RegistryCredentials? = nil, insecureRegistries: Set<String> = []
    ) async throws(ImageError) -> Image {
        let hold = try holdContent()
        defer { hold.release() }
        let client = try RegistryClient(
            reference: reference, credentials: credentials, insecureRegistries: insecureRegistries, http: try RegistryHTTPClient())
        try await client.ping()
        let staging = try StagingArea(paths: paths)
        logger.info("pulling image", metadata: ["reference": "\(reference)"])
        let fetch = ImageFetch(source: client, staging: staging, logger: logger)
        let result = try await fetch.run(manifestReference: reference.manifestReference)
        try install(staging, records: [(reference.description, result.record)])
        guard let image = try image(for: reference) else {
            throw ImageError(.storage, "\(reference) vanished from the store right after its pull")
        }
        return image
    }
}
