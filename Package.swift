// swift-tools-version:6.1
import PackageDescription

/// How `skiff` is linked, for the memory of every process it runs as (docs/benchmarks.md,
/// kubelet: 54 → 44 MiB with 30 pods):
/// - the Swift runtime and Foundation linked in statically, so only the parts used are
///   loaded: a process no longer maps and relocates all of ICU,
///   FoundationInternationalization and the regex libraries;
/// - without the `-export-dynamic` that `-static-stdlib` adds: every symbol of the
///   binary exported made 4.7 MB of symbol tables that the loader searched at start;
/// - with lld, relative relocations packed (DT_RELR, glibc ≥ 2.36): 30 KB instead of
///   1.5 MB of relocations read at every start.
/// Foundation's static archive leaves its own dependencies to the link line.
let skiffLinkerSettings: [LinkerSetting] = [
    .unsafeFlags([
        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        "-static-stdlib", "-Xlinker", "--no-export-dynamic",
    ]),
    .linkedLibrary("_FoundationICU"),
    .linkedLibrary("_FoundationCShims"),
    .linkedLibrary("_FoundationCollections"),
    .linkedLibrary("CoreFoundation"),
]

let package = Package(
    name: "Skiff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skiff", targets: ["skiff"]),
        .library(name: "SkiffAPI", targets: ["SkiffAPI"]),
        .library(name: "SkiffStore", targets: ["SkiffStore"]),
        .library(name: "SkiffPKI", targets: ["SkiffPKI"]),
        .library(name: "SkiffAPIServer", targets: ["SkiffAPIServer"]),
        .library(name: "SkiffRuntime", targets: ["SkiffRuntime"]),
        .library(name: "SkiffKubelet", targets: ["SkiffKubelet"]),
        .library(name: "SkiffClient", targets: ["SkiffClient"]),
        .library(name: "SkiffScheduler", targets: ["SkiffScheduler"]),
        .library(name: "SkiffControllers", targets: ["SkiffControllers"]),
        .library(name: "SkiffLab", targets: ["SkiffLab"]),
        .library(name: "SkiffProcess", targets: ["SkiffProcess"]),
        .library(name: "SkiffProxy", targets: ["SkiffProxy"]),
        .executable(name: "skiff-shim", targets: ["skiff-shim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // Kubernetes API types, JSON exactly as Kubernetes writes it, semantics. No I/O.
        .target(
            name: "SkiffAPI",
            dependencies: ["SkiffTime", .product(name: "Yams", package: "Yams")]
        ),
        // RFC 3339 timestamps without Foundation's ICU-backed formatters (API objects,
        // the runtime's records, exit files and CRI logs).
        .target(name: "SkiffTime"),
        // The key-value store under the API server: SQLite (GRDB), memory and etcd
        // (gRPC over HTTP/2, hand-written protobuf) backends.
        .target(
            name: "SkiffStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The cluster's certificates: CA, serving and client certificates, kubeconfigs.
        .target(
            name: "SkiffPKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The Kubernetes API server: HTTP(S), REST registry, watch cache, patch, admission.
        .target(
            name: "SkiffAPIServer",
            dependencies: [
                "SkiffAPI",
                "SkiffStore",
                "SkiffPKI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The API client every component but the API server uses: typed verbs, watch,
        // informers, leader election, events; HTTP/1.1 keep-alive over NIO (TLS via NIOSSL).
        .target(
            name: "SkiffClient",
            dependencies: [
                "SkiffAPI",
                "SkiffPKI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The scheduler: queue, cache with assumed pods, filter and score plugins, binding.
        .target(
            name: "SkiffScheduler",
            dependencies: [
                "SkiffAPI",
                "SkiffClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The controller manager: work queues, expectations, shared informers, and the
        // controllers (serviceaccount, replicaset, deployment) over SkiffClient.
        .target(
            name: "SkiffControllers",
            dependencies: [
                "SkiffAPI",
                "SkiffClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libnftnl and libmnl, for the proxy's netlink batches.
        .systemLibrary(name: "CNftnl", path: "CSupport/CNftnl", pkgConfig: "libnftnl"),
        // The service proxy: the desired model from Services and EndpointSlices, the
        // map-driven nftables ruleset (one atomic netlink transaction per sync) or
        // KUBE-like iptables chains through iptables-restore.
        .target(
            name: "SkiffProxy",
            dependencies: [
                "SkiffAPI", "SkiffClient", "SkiffProcess", "CNftnl", .product(name: "Logging", package: "swift-log"),
                // SHA-256 for iptables chain names hashed as upstream's.
                .product(name: "Crypto", package: "swift-crypto"),
                // The health-check NodePorts' tiny HTTP servers.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Linux and glibc calls Swift's Glibc module leaves out (pidfd_open, malloc_trim).
        .systemLibrary(name: "CLinux", path: "CSupport/CLinux"),
        // libarchive, for image layers.
        .systemLibrary(name: "CArchive", path: "CSupport/CArchive", pkgConfig: "libarchive"),
        // The container launcher and monitor (C): clone, namespaces, mounts, seccomp, exec.
        .executableTarget(
            name: "skiff-shim",
            path: "CSupport/skiff-shim",
            cSettings: [.define("_GNU_SOURCE")],
            // The shim is plain C: with swift_runtime_stubs.c and a static "stdlib" nothing
            // of the Swift runtime is linked, so a start loads no libswiftCore.
            linkerSettings: [.linkedLibrary("seccomp"), .unsafeFlags(["-static-stdlib", "-Xlinker", "--as-needed"])]
        ),
        // Containers over skiff-shim, cgroups, images (OCI pull, layout import, content store).
        .target(
            name: "SkiffRuntime",
            dependencies: [
                "CArchive",
                "CLinux",
                "SkiffProcess",
                "SkiffTime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // The registry client (OCI distribution over HTTP/1.1, TLS).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The node agent: pods bound to this node, run through SkiffRuntime.
        .target(
            name: "SkiffKubelet",
            dependencies: [
                "SkiffAPI",
                "SkiffRuntime",
                "SkiffProcess",
                "SkiffClient",
                "SkiffPKI",
                // The kubelet server reuses the API server's HTTP transport (TLS, WebSocket).
                "SkiffAPIServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // HTTP probes and hooks (HTTPS without verification, as upstream's).
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // `skiff lab`: multi-node clusters on one machine, a network namespace per node.
        // Host programs run to their end (posix_spawn, pipes, waitpid on a thread of
        // its own), for the components that drive iptables, ip and nsenter.
        .target(name: "SkiffProcess"),
        .target(name: "SkiffLab", dependencies: ["SkiffRuntime", "SkiffProcess"]),
        .executableTarget(
            name: "skiff",
            dependencies: [
                "SkiffAPI",
                "SkiffStore",
                "SkiffPKI",
                "SkiffAPIServer",
                "SkiffRuntime",
                "SkiffClient",
                "SkiffScheduler",
                "SkiffControllers",
                "SkiffKubelet",
                "SkiffLab",
                "SkiffProxy",
                "SkiffProcess",
                "SkiffTime",
                "CLinux",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // The benchmarks' load client (HTTP/1.1 over TLS on loopback).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            linkerSettings: skiffLinkerSettings
        ),
        .testTarget(name: "SkiffAPITests", dependencies: ["SkiffAPI"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SkiffStoreTests", dependencies: ["SkiffStore"]),
        .testTarget(name: "SkiffPKITests", dependencies: ["SkiffPKI"]),
        .testTarget(name: "SkiffAPIServerTests", dependencies: ["SkiffAPIServer"]),
        .testTarget(name: "SkiffRuntimeTests", dependencies: ["SkiffRuntime", "SkiffTime"]),
        .testTarget(name: "SkiffLabTests", dependencies: ["SkiffLab"]),
        .testTarget(name: "SkiffProcessTests", dependencies: ["SkiffProcess"]),
        .testTarget(
            name: "SkiffKubeletTests",
            dependencies: ["SkiffKubelet", "SkiffClient", "SkiffAPIServer", "SkiffStore", "SkiffPKI"]),
        .testTarget(name: "SkiffClientTests", dependencies: ["SkiffClient", "SkiffAPIServer", "SkiffStore"]),
        .testTarget(
            name: "SkiffSchedulerTests", dependencies: ["SkiffScheduler", "SkiffClient", "SkiffAPIServer", "SkiffStore"]),
        .testTarget(
            name: "SkiffControllersTests",
            dependencies: ["SkiffControllers", "SkiffClient", "SkiffAPIServer", "SkiffStore"]),
        .testTarget(name: "SkiffProxyTests", dependencies: ["SkiffProxy", "SkiffClient", "SkiffAPIServer", "SkiffStore"]),
        // Runs the built `skiff` binary as a user would. Not a dependency on the `skiff`
        // target, which would link its objects — and its static standard library — into
        // the test bundle; `swift build --build-tests` and `swift test` build it anyway.
        .testTarget(name: "SkiffCommandTests", exclude: ["Python"]),
    ]
)

