import Foundation
import Testing
@testable import SkiffRuntime

/// The runner against scripted plugins: the protocol (environment, stdin, chaining,
/// order, cache, errors) without root or any network.
struct SandboxCNIRunnerTests {
    /// Plugins that log each call and its stdin, and answer as their name says.
    final class FakePlugins {
        let directory = NSTemporaryDirectory() + "skiff-cni-fake-\(UUID().uuidString.prefix(8))"
        var runner: CNIRunner { CNIRunner(pluginDirectories: [directory + "/bin"], cacheDirectory: directory + "/cache") }

        init() throws {
            try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
            let script = #"""
                #!/bin/sh
                name=$(basename "$0"); dir=$(dirname "$0")
                input=$(cat)
                echo "$name $CNI_COMMAND $CNI_CONTAINERID $CNI_IFNAME netns=$CNI_NETNS args=$CNI_ARGS path=$CNI_PATH" >> "$dir/calls.log"
                printf '%s' "$input" > "$dir/$name.$CNI_COMMAND.stdin"
                case "$name" in
                  fail) printf '{"code":11,"msg":"try again later","details":"busy"}'; exit 1 ;;
                  full) printf '{"code":999,"msg":"failed to allocate for range 0: no IP addresses available in range set: 10.9.0.1-10.9.0.2"}'; exit 1 ;;
                esac
                [ "$CNI_COMMAND" = ADD ] || exit 0
                case "$name" in
                  first) printf '{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"%s"}],"ips":[{"address":"10.9.0.2/24","interface":0}]}' "$CNI_NETNS" ;;
                  *) printf '{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"%s"}],"ips":[{"address":"10.9.0.2/24","interface":0}],"dns":{"nameservers":["10.43.0.10"]}}' "$CNI_NETNS" ;;
                esac
                """#
            try script.write(toFile: directory + "/plugin.sh", atomically: true, encoding: .utf8)
            // A child writes the executables: a file this process had open for writing
            // can be inherited by a child spawned meanwhile by another test, and exec
            // of it then fails with ETXTBSY.
            for name in ["first", "second", "fail", "full"] {
                let install = Process()
                install.executableURL = URL(fileURLWithPath: "/usr/bin/install")
                install.arguments = ["-m", "755", directory + "/plugin.sh", "\(directory)/bin/\(name)"]
                try install.run()
                install.waitUntilExit()
                #expect(install.terminationStatus == 0)
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func calls() -> [String] {
            ((try? String(contentsOfFile: directory + "/bin/calls.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func stdin(_ plugin: String, _ command: String) throws -> JSONValue {
            let data = try #require(FileManager.default.contents(atPath: "\(directory)/bin/\(plugin).\(command).stdin"))
            return try #require(JSONValue.parse(Array(data)))
        }
        func list(_ types: [String]) -> CNINetworkList {
            CNINetworkList(cniVersion: "1.0.0", name: "fake", plugins: types.map { .init(configuration: ["type": .string($0)]) })
        }
    }

    let arguments = CNIArguments(
        containerID: "pod1", networkNamespace: "/nowhere/netns/pod1",
        pluginArguments: [.init("IgnoreUnknown", "1"), .init("K8S_POD_NAME", "web")])

    @Test func addChainsResultsInOrderAndDeleteRunsInReverseFromTheCache() throws {
        let plugins = try FakePlugins()
        let runner = plugins.runner
        let result = try runner.add(network: plugins.list(["first", "second"]), arguments: arguments)
        #expect(result.podIPs == ["10.9.0.2"])
        #expect(result.dns.nameservers == ["10.43.0.10"], "the last plugin's result is the list's")
        #expect(try plugins.stdin("first", "ADD")["prevResult"] == nil)
        let firstResult: JSONValue = [
            "cniVersion": "1.0.0", "interfaces": [["name": "eth0", "sandbox": "/nowhere/netns/pod1"]],
            "ips": [["address": "10.9.0.2/24", "interface": 0]],
        ]
        #expect(try plugins.stdin("second", "ADD")["prevResult"] == firstResult)
        #expect(try plugins.stdin("second", "ADD")["name"] == "fake")
        #expect(plugins.calls() == [
            "first ADD pod1 eth0 netns=/nowhere/netns/pod1 args=IgnoreUnknown=1;K8S_POD_NAME=web path=\(plugins.directory)/bin",
            "second ADD pod1 eth0 netns=/nowhere/netns/pod1 args=IgnoreUnknown=1;K8S_POD_NAME=web path=\(plugins.directory)/bin",
        ])
        let cached = try #require(runner.cachedAttachment(network: "fake", containerID: "pod1"))
        #expect(cached.result?["dns"] != nil)

        // The DEL is asked of a list that no longer has the plugins: the cached one runs.
        try runner.delete(network: plugins.list(["fail"]), arguments: arguments)
        #expect(plugins.calls().dropFirst(2).map { $0.split(separator: " ").prefix(4).joined(separator: " ") + " " + ($0.split(separator: " ")[4]) } == [
            "second DEL pod1 eth0 netns=", "first DEL pod1 eth0 netns=",
        ], "a namespace that is not pinned is passed as none")
        #expect(try plugins.stdin("first", "DEL")["prevResult"] == cached.result)
        #expect(runner.cachedAttachment(network: "fake", containerID: "pod1") == nil)
        #expect(runner.cachedAttachments().isEmpty)
    }

    @Test func aFailedAddLeavesWhatItsDeleteNeeds() throws {
        let plugins = try FakePlugins()
        let runner = plugins.runner
        #expect {
            _ = try runner.add(network: plugins.list(["first", "fail"]), arguments: arguments)
        } throws: { error in
            guard case .plugin(let failure) = error as? SandboxError else { return false }
            return failure == CNIPluginFailure(network: "fake", plugin: "fail", command: "ADD", code: 11, message: "try again later", details: "busy")
        }
        let cached = try #require(runner.cachedAttachment(network: "fake", containerID: "pod1"))
        #expect(cached.result == nil)
        #expect(cached.arguments == arguments)
        // DEL of the failing plugin fails too, so the entry stays for a retry.
        #expect(throws: SandboxError.self) { try runner.delete(network: plugins.list([]), arguments: arguments) }
        #expect(runner.cachedAttachment(network: "fake", containerID: "pod1") != nil)
    }

    @Test func exhaustionAndMissingPluginsAreNamed() throws {
        let plugins = try FakePlugins()
        let list = CNINetworkList(cniVersion: "1.0.0", name: "fake", plugins: [
            .init(configuration: ["type": "full", "ipam": ["type": "host-local", "ranges": [[["subnet": "10.9.0.0/30"]]]]]),
        ])
        #expect(throws: SandboxError.addressesExhausted(
            network: "fake", ranges: ["10.9.0.0/30"],
            message: "failed to allocate for range 0: no IP addresses available in range set: 10.9.0.1-10.9.0.2")) {
            _ = try plugins.runner.add(network: list, arguments: arguments)
        }
        #expect(throws: SandboxError.pluginNotFound(type: "nope", directories: [plugins.directory + "/bin"])) {
            _ = try plugins.runner.add(network: plugins.list(["nope"]), arguments: arguments)
        }
    }

    @Test func checkNeedsAnAddToCheckAgainst() throws {
        let plugins = try FakePlugins()
        #expect(throws: SandboxError.self) { try plugins.runner.check(network: plugins.list(["first"]), arguments: arguments) }
        _ = try plugins.runner.add(network: plugins.list(["first"]), arguments: arguments)
        try plugins.runner.check(network: plugins.list(["first"]), arguments: arguments)
        #expect(try plugins.stdin("first", "CHECK")["prevResult"]?["ips"] != nil)
    }
}
