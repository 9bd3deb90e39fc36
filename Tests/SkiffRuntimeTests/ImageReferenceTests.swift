import Testing
@testable import SkiffRuntime

@Suite struct ImageReferenceTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest"),
        ("library/busybox:1.36", "docker.io/library/busybox:1.36"),
        ("docker.io/busybox", "docker.io/library/busybox:latest"),
        ("index.docker.io/library/busybox:1", "docker.io/library/busybox:1"),
        ("myorg/app:v2", "docker.io/myorg/app:v2"),
        ("127.0.0.1:5000/busybox:latest", "127.0.0.1:5000/busybox:latest"),
        ("127.0.0.1:5000/busybox", "127.0.0.1:5000/busybox:latest"),
        ("localhost/team/app", "localhost/team/app:latest"),
        ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
        ("Registry.Example.com/a/b_c__d-e.f:T_1.0-x", "Registry.Example.com/a/b_c__d-e.f:T_1.0-x"),
        ("[::1]:5000/app", "[::1]:5000/app:latest"),
        ("busybox@\(digest)", "docker.io/library/busybox@\(digest)"),
        ("busybox:1.36@\(digest)", "docker.io/library/busybox:1.36@\(digest)"),
    ])
    func normalisesAsContainerdDoes(text: String, normalised: String) throws {
        #expect(try ImageReference(parsing: text).description == normalised)
    }

    @Test func splitsRegistryRepositoryTagAndDigest() throws {
        let pinned = try ImageReference(parsing: "127.0.0.1:5000/team/busybox@\(Self.digest)")
        #expect(pinned.registry == "127.0.0.1:5000")
        #expect(pinned.repository == "team/busybox")
        #expect(pinned.tag == nil)
        #expect(pinned.digest?.description == Self.digest)
        #expect(pinned.manifestReference == Self.digest)
        #expect(pinned.name == "127.0.0.1:5000/team/busybox")
        let tagged = try ImageReference(parsing: "busybox")
        #expect(tagged.manifestReference == "latest")
    }

    @Test(arguments: [
        ("", "empty"),
        ("Busybox", "path component"),
        ("busybox:", "tag"),
        ("busybox:-bad", "tag"),
        ("bu sybox", "spaces"),
        ("busybox@sha256:abc", "64 lower-case hex"),
        ("busybox@md5:" + String(repeating: "a", count: 32), "sha256"),
        ("a//b", "path component"),
        ("-a/b", "path component"),
        ("a__-b", "path component"),
        ("host:99999/app", "registry"),
        (String(repeating: "ab", count: 32), "image ID"),
    ])
    func refusesMalformedReferences(text: String, reason: String) {
        let error = #expect(throws: ImageError.self) { try ImageReference(parsing: text) }
        #expect(error?.code == .invalidReference)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test func chainIDsFollowTheOCIFormula() throws {
        let a = try Digest(parsing: "sha256:" + String(repeating: "1", count: 64))
        let b = try Digest(parsing: "sha256:" + String(repeating: "2", count: 64))
        let chain = ChainID.chain(diffIDs: [a, b])
        #expect(chain[0] == a)
        #expect(chain[1] == Digest.of(Array("\(a) \(b)".utf8)))
    }

    @Test func parsesBearerAndBasicChallenges() throws {
        let bearer = try #require(RegistryChallenge(
            header: #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull""#))
        #expect(bearer.scheme == .bearer)
        #expect(bearer.parameters["realm"] == "https://auth.example.com/token")
        #expect(bearer.parameters["service"] == "registry.example.com")
        #expect(bearer.parameters["scope"] == "repository:a/b:pull")
        #expect(RegistryChallenge(header: #"Basic realm="Registry Realm""#)?.scheme == .basic)
        #expect(RegistryChallenge(header: "Negotiate abc") == nil)
    }

    @Test func picksTheLinuxAMD64ManifestFromAnIndex() throws {
        func descriptor(_ architecture: String, _ fill: Character) throws -> OCIDescriptor {
            OCIDescriptor(
                mediaType: OCIMediaType.manifest, digest: try Digest(parsing: "sha256:" + String(repeating: fill, count: 64)),
                size: 1, platform: OCIPlatform(architecture: architecture, os: "linux"))
        }
        let index = OCIIndex(schemaVersion: 2, manifests: [try descriptor("arm64", "a"), try descriptor("amd64", "b")])
        #expect(try index.linuxAMD64Manifest().platform?.architecture == "amd64")
        let armOnly = OCIIndex(schemaVersion: 2, manifests: [try descriptor("arm64", "a")])
        let error = #expect(throws: ImageError.self) { try armOnly.linuxAMD64Manifest() }
        #expect(error?.code == .noMatchingPlatform)
        #expect(error?.message.contains("linux/arm64") == true)
    }
}
