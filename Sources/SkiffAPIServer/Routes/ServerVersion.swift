import SkiffAPI

/// The Kubernetes version Skiff speaks, as `/version` reports it. kubectl warns
/// when it is more than one minor version away from the server, and parses
/// gitVersion as semver, so this names the upstream release whose API Skiff
/// follows, with Skiff's own suffix as k3s does (`v1.32.0+k3s1`).
public enum ServerVersion {
    public static let major = "1"
    public static let minor = "32"
    public static let gitVersion = "v1.32.0+skiff"

    static var info: VersionInfo {
        #if arch(x86_64)
            let architecture = "amd64"
        #elseif arch(arm64)
            let architecture = "arm64"
        #else
            let architecture = "unknown"
        #endif
        return VersionInfo(
            major: major, minor: minor, gitVersion: gitVersion, goVersion: "swift6", compiler: "swiftc",
            platform: "linux/\(architecture)")
    }
}
