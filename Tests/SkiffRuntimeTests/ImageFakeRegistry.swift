import Foundation
@testable import SkiffRuntime

/// A small registry (Python's http.server on 127.0.0.1) serving an OCI layout
/// behind bearer-token or Basic auth, for the auth flows Debian's docker-registry
/// cannot show without a token server. Blob requests redirect once, like
/// registries that hand blobs to a CDN.
final class FakeAuthRegistry {
    enum Mode: String { case bearer, basic }

    let port: Int
    private let child: ChildProcess
    var authority: String { "127.0.0.1:\(port)" }

    init(layout: String, mode: Mode, username: String, password: String, directory: TemporaryDirectory) async throws {
        port = try freeLoopbackPort()
        let script = "\(directory.path)/fake-registry.py"
        try Self.script.write(toFile: script, atomically: false, encoding: .utf8)
        child = try ChildProcess(
            "/usr/bin/python3", [script, layout, String(port), mode.rawValue, username, password],
            log: "\(directory.path)/fake-registry.log")
        try await waitForLoopbackPort(port, process: child.process)
    }

    private static let script = #"""
        import base64, json, os, sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlparse, parse_qs

        layout, port, mode, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        token = "token-for-busybox"
        basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        index = json.load(open(os.path.join(layout, "index.json")))

        class Handler(BaseHTTPRequestHandler):
            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def challenge(self):
                if mode == "bearer":
                    value = f'Bearer realm="http://127.0.0.1:{port}/token",service="fake-registry",scope="repository:busybox:pull"'
                else:
                    value = 'Basic realm="fake-registry"'
                self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
                           [("WWW-Authenticate", value), ("Content-Type", "application/json")])

            def authorized(self):
                expected = f"Bearer {token}" if mode == "bearer" else basic
                return self.headers.get("Authorization") == expected

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/token":
                    query = parse_qs(url.query)
                    if self.headers.get("Authorization") != basic or query.get("scope") != ["repository:busybox:pull"] \
                            or query.get("service") != ["fake-registry"]:
                        return self.reply(401, b'{"details":"bad credentials or scope"}')
                    return self.reply(200, json.dumps({"token": token}).encode(), [("Content-Type", "application/json")])
                if url.path.startswith("/direct/"):
                    digest = url.path[len("/direct/"):]
                    return self.reply(200, open(os.path.join(layout, "blobs", "sha256", digest.split(":")[1]), "rb").read())
                if not self.authorized():
                    return self.challenge()
                if url.path == "/v2/":
                    return self.reply(200, b"{}", [("Content-Type", "application/json")])
                prefix = "/v2/busybox/manifests/"
                if url.path.startswith(prefix):
                    ref = url.path[len(prefix):]
                    for entry in index["manifests"]:
                        if ref in (entry["digest"], entry.get("annotations", {}).get("org.opencontainers.image.ref.name")):
                            body = open(os.path.join(layout, "blobs", "sha256", entry["digest"].split(":")[1]), "rb").read()
                            return self.reply(200, body, [("Content-Type", entry["mediaType"]),
                                                          ("Docker-Content-Digest", entry["digest"])])
                    path = os.path.join(layout, "blobs", "sha256", ref.split(":")[-1])
                    if ref.startswith("sha256:") and os.path.exists(path):
                        body = open(path, "rb").read()
                        return self.reply(200, body, [("Content-Type", json.loads(body)["mediaType"])])
                    return self.reply(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
                prefix = "/v2/busybox/blobs/"
                if url.path.startswith(prefix):
                    return self.reply(307, b"", [("Location", "/direct/" + url.path[len(prefix):])])
                self.reply(404)

            def log_message(self, format, *args):
                sys.stderr.write(format % args + "\n")

        ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}
