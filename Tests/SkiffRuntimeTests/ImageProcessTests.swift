import Foundation
import Testing
@testable import SkiffRuntime

@Suite struct ImageProcessTests {
    func image(entrypoint: [String] = [], cmd: [String] = ["sh"], env: [String] = ["PATH=/bin", "A=image"],
               workingDir: String = "", user: String = "", layers: [String] = []) throws -> Image {
        Image(
            id: try Digest(parsing: "sha256:" + String(repeating: "a", count: 64)), references: ["busybox:latest"],
            manifestDigest: try Digest(parsing: "sha256:" + String(repeating: "b", count: 64)), size: 1,
            config: ImageConfig(entrypoint: entrypoint, cmd: cmd, env: env, workingDir: workingDir, user: user),
            layerDirectories: layers)
    }

    @Test func commandReplacesTheEntrypointAndDropsCmd() throws {
        let process = try ImageProcess(image: image(entrypoint: ["/entry"], cmd: ["default"]), command: ["/bin/echo"])
        #expect(process.command == ["/bin/echo"])
    }

    @Test func argsReplaceCmdOnly() throws {
        let process = try ImageProcess(image: image(entrypoint: ["/entry"], cmd: ["default"]), args: ["x"])
        #expect(process.command == ["/entry", "x"])
        #expect(try ImageProcess(image: image(entrypoint: ["/entry"], cmd: ["default"])).command == ["/entry", "default"])
    }

    @Test func anImageWithNothingToRunNeedsACommand() throws {
        #expect(throws: RuntimeError.self) { try ImageProcess(image: image(cmd: [])) }
    }

    @Test func theCallersEnvironmentWinsAndPathIsAlwaysSet() throws {
        let process = try ImageProcess(image: image(env: ["A=image", "B=image"]), environment: ["A=pod"])
        #expect(process.environment == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "B=image", "A=pod"])
    }

    @Test func userNamesResolveInTheImagesFiles() throws {
        let layer = NSTemporaryDirectory() + "skiff-image-user-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: layer) }
        try FileManager.default.createDirectory(atPath: layer + "/etc", withIntermediateDirectories: true)
        try "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n".write(toFile: layer + "/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\nstaff:x:50:\n".write(toFile: layer + "/etc/group", atomically: true, encoding: .utf8)
        let named = try ImageProcess(image: image(user: "app", layers: [layer]))
        #expect(named.user == ContainerConfig.User(uid: 1000, gid: 1001))
        #expect(try ImageProcess(image: image(user: "app:staff", layers: [layer])).user == ContainerConfig.User(uid: 1000, gid: 50))
        #expect(try ImageProcess(image: image(user: "42", layers: [layer])).user == ContainerConfig.User(uid: 42, gid: 42))
        #expect(throws: RuntimeError.self) { try ImageProcess(image: image(user: "ghost", layers: [layer])) }
    }
}
