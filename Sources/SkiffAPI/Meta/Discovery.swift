/// meta/v1 APIVersions: what `GET /api` answers.
public struct APIVersions: Codable, Hashable, Sendable {
    public var kind: String? = "APIVersions"
    public var versions: [String] = []
    public var serverAddressByClientCIDRs: [ServerAddressByClientCIDR] = []

    public init(versions: [String], serverAddressByClientCIDRs: [ServerAddressByClientCIDR] = []) {
        self.versions = versions
        self.serverAddressByClientCIDRs = serverAddressByClientCIDRs
    }
}

/// Where clients in a CIDR reach the server.
public struct ServerAddressByClientCIDR: Codable, Hashable, Sendable {
    public var clientCIDR: String = ""
    public var serverAddress: String = ""

    public init(clientCIDR: String, serverAddress: String) {
        self.clientCIDR = clientCIDR
        self.serverAddress = serverAddress
    }
}

/// meta/v1 APIGroupList: what `GET /apis` answers.
public struct APIGroupList: Codable, Hashable, Sendable {
    public var kind: String? = "APIGroupList"
    public var apiVersion: String? = "v1"
    public var groups: [APIGroup] = []

    public init(groups: [APIGroup]) {
        self.groups = groups
    }
}

/// meta/v1 APIGroup: one group and its versions (`GET /apis/apps`).
public struct APIGroup: Codable, Hashable, Sendable {
    public var kind: String?
    public var apiVersion: String?
    public var name: String = ""
    public var versions: [GroupVersionForDiscovery] = []
    public var preferredVersion: GroupVersionForDiscovery?

    public init(name: String, versions: [GroupVersionForDiscovery]) {
        self.name = name
        self.versions = versions
        self.preferredVersion = versions.first
    }
}

/// A version of a group: `{"groupVersion":"apps/v1","version":"v1"}`.
public struct GroupVersionForDiscovery: Codable, Hashable, Sendable {
    public var groupVersion: String = ""
    public var version: String = ""

    public init(groupVersion: String, version: String) {
        self.groupVersion = groupVersion
        self.version = version
    }
}

/// meta/v1 APIResourceList: the resources of one group-version (`GET /api/v1`).
public struct APIResourceList: Codable, Hashable, Sendable {
    public var kind: String? = "APIResourceList"
    public var apiVersion: String? = "v1"
    public var groupVersion: String = ""
    public var resources: [APIResource] = []

    public init(groupVersion: String, resources: [APIResource]) {
        self.groupVersion = groupVersion
        self.resources = resources
    }
}

/// meta/v1 APIResource: one resource or subresource and what may be done to it.
public struct APIResource: Codable, Hashable, Sendable {
    public var name: String = ""
    public var singularName: String = ""
    public var namespaced: Bool = false
    /// Set on subresources served in another group-version (`deployments/scale`: autoscaling/v1).
    public var group: String?
    public var version: String?
    public var kind: String = ""
    public var verbs: [String] = []
    public var shortNames: [String]?
    public var categories: [String]?
    public var storageVersionHash: String?

    public init(
        name: String, singularName: String = "", namespaced: Bool, group: String? = nil, version: String? = nil,
        kind: String, verbs: [String], shortNames: [String]? = nil, categories: [String]? = nil,
        storageVersionHash: String? = nil
    ) {
        self.name = name
        self.singularName = singularName
        self.namespaced = namespaced
        self.group = group
        self.version = version
        self.kind = kind
        self.verbs = verbs
        self.shortNames = shortNames
        self.categories = categories
        self.storageVersionHash = storageVersionHash
    }
}

/// version.Info: what `GET /version` answers.
public struct VersionInfo: Codable, Hashable, Sendable {
    public var major: String = ""
    public var minor: String = ""
    public var gitVersion: String = ""
    public var gitCommit: String = ""
    public var gitTreeState: String = ""
    public var buildDate: String = ""
    public var goVersion: String = ""
    public var compiler: String = ""
    public var platform: String = ""

    public init(
        major: String, minor: String, gitVersion: String, gitCommit: String = "", gitTreeState: String = "clean",
        buildDate: String = "", goVersion: String, compiler: String, platform: String
    ) {
        self.major = major
        self.minor = minor
        self.gitVersion = gitVersion
        self.gitCommit = gitCommit
        self.gitTreeState = gitTreeState
        self.buildDate = buildDate
        self.goVersion = goVersion
        self.compiler = compiler
        self.platform = platform
    }
}
