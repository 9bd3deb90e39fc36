import Foundation
import Testing

/// `skiff lab` as a user drives it: up, kubectl from the host, pods on every
/// node reaching each other by pod IP (host-gw routes, no NAT), down leaving nothing.
@Suite(
    "skiff lab", .serialized, .timeLimit(.minutes(6)), .enabled(if: isRoot, "\(needsRootForLab)"),
    .enabled(if: ClusterUnderTest.kubectl != nil, "kubectl is not on PATH"))
struct LabCommandTests {
    @Test func aTwoNodeLabRunsPodsThatReachEachOtherAcrossNodesAndDownLeavesNothing() async throws {
        var made: (name: String, root: String, cgroups: [String])?
        try await LabUnderTest.with(nodes: 2) { lab in
            made = (lab.name, lab.root, lab.nodeNames.map { "skiff-lab-\($0)" })
            // Node IPAM gives each node its own /24 of the cluster CIDR.
            let listing = try await lab.succeed(["get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.podCIDR};{end}"])
            let cidrs = Dictionary(uniqueKeysWithValues: listing.split(separator: ";").map { entry in
                let parts = entry.split(separator: " ")
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            })
            #expect(Set(cidrs.keys) == Set(lab.nodeNames) && Set(cidrs.values).count == 2, "\(cidrs)")
            #expect(cidrs.values.allSatisfy { $0.hasPrefix("10.42.") && $0.hasSuffix(".0/24") }, "\(cidrs)")

            for node in lab.nodeNames {
                try await lab.succeed([
                    "run", "web-\(node)", "--image=busybox:latest", "--image-pull-policy=Never",
                    "--overrides={\"spec\":{\"nodeName\":\"\(node)\"}}", "--", "sh", "-c",
                    "mkdir -p /www && hostname > /www/index.html && echo serving && exec httpd -f -vv -p 8080 -h /www",
                ])
            }
            let pods = lab.nodeNames.map { "pod/web-\($0)" }
            try await lab.succeed(["wait", "--for=condition=Ready", "--timeout=90s"] + pods)
            let (server, worker) = ("web-\(lab.nodeNames[0])", "web-\(lab.nodeNames[1])")
            let workerIP = try await lab.succeed(["get", "pod", worker, "-o", "jsonpath={.status.podIP}"])
            let serverIP = try await lab.succeed(["get", "pod", server, "-o", "jsonpath={.status.podIP}"])
            let inRange = { (ip: String, node: String) in ip.hasPrefix(String(cidrs[node]?.dropLast(4) ?? "none")) }
            #expect(inRange(workerIP, lab.nodeNames[1]) && inRange(serverIP, lab.nodeNames[0]), "\(workerIP) \(serverIP) \(cidrs)")

            #expect(try await lab.httpGet(from: server, (workerIP, 8080)) == worker + "\n")
            #expect(try await lab.httpGet(from: worker, (serverIP, 8080)) == server + "\n")
            // No NAT between pods: each httpd saw the other pod's own address (-vv logs it).
            let (serverLog, workerLog) = (try await lab.succeed(["logs", server]), try await lab.succeed(["logs", worker]))
            #expect(serverLog.hasPrefix("serving\n") && serverLog.contains("[::ffff:\(workerIP)]:"), "\(serverLog)")
            #expect(workerLog.hasPrefix("serving\n") && workerLog.contains("[::ffff:\(serverIP)]:"), "\(workerLog)")
            for pod in [server, worker] {
                #expect(try await lab.succeed(["exec", pod, "--", "cat", "/www/index.html"]) == pod + "\n")
            }

            let again = try await SkiffBinary.runAsync(lab.skiff.path, ["lab", "up", "--nodes", "2"] + lab.selection)
            #expect(again.status != 0 && again.stderr.contains("take it down first"), "\(again.stderr)")
            let status = try await SkiffBinary.runAsync(lab.skiff.path, ["lab", "status"] + lab.selection)
            #expect(status.stdout.contains("\(lab.name)-node1") && status.stdout.contains("running"), "\(status.stdout)")
        }

        let (name, root, cgroups) = try #require(made)
        let namespaces = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!namespaces.contains(root), "mounts left under \(root)")
        let netns = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        #expect(!netns.contains { $0.hasPrefix("skiff-\(name)-") }, "\(netns)")
        #expect(!FileManager.default.fileExists(atPath: root + "/" + name))
        let leftCgroups = try await SkiffBinary.runAsync("/usr/bin/find", ["/sys/fs/cgroup", "-type", "d", "-name", "skiff-lab-\(name)-*"])
        #expect(leftCgroups.stdout.isEmpty, "\(leftCgroups.stdout) (expected none of \(cgroups))")
        let processes = try await SkiffBinary.runAsync("/usr/bin/pgrep", ["-f", root])
        #expect(processes.stdout.isEmpty, "processes left: \(processes.stdout)")
    }

    @Test func downOfALabThatDoesNotExistSaysSo() async throws {
        let skiff = try SkiffBinary()
        let scratch = try ScratchDirectory()
        let outcome = try await skiff.run(["lab", "down", "--name", "none", "--root", scratch.path])
        #expect(outcome.status != 0 && outcome.stderr.contains("run `skiff lab up` first"), "\(outcome.stderr)")
    }
}
