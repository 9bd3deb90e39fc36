import Foundation
import Testing

@testable import SkiffPKI

@Suite struct NodeTokenFileTests {
    let caPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    @Test func firstStartWritesAFullTokenThatLaterStartsKeep() throws {
        let directory = try TempDirectory()
        let path = directory.file("server/node-token")

        let first = try NodeTokenFile.loadOrCreate(path: path, chosenSecret: nil, serverCAPEM: caPEM)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let again = try NodeTokenFile.loadOrCreate(path: path, chosenSecret: nil, serverCAPEM: caPEM)

        #expect(first.change == "created")
        #expect(text == first.token.description + "\n")
        #expect(text.hasPrefix("K10\(JoinToken.caHash(of: caPEM))::node:"))
        #expect(first.token.secret.count >= 32)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(again == NodeTokenFile.Outcome(token: first.token, change: nil))
    }

    @Test func theOperatorsSecretWinsAndANewCAIsRepinned() throws {
        let directory = try TempDirectory()
        let path = directory.file("node-token")
        _ = try NodeTokenFile.loadOrCreate(path: path, chosenSecret: nil, serverCAPEM: caPEM)

        let chosen = try NodeTokenFile.loadOrCreate(path: path, chosenSecret: "operator-secret", serverCAPEM: caPEM)
        #expect(chosen.token.secret == "operator-secret")
        #expect(chosen.change == "--token changed the secret")

        // A full token naming this CA is taken for its secret.
        let full = try NodeTokenFile.loadOrCreate(path: path, chosenSecret: chosen.token.description, serverCAPEM: caPEM)
        #expect(full.token == chosen.token && full.change == nil)

        let otherCA = caPEM.replacingOccurrences(of: "MIIB", with: "MIIC")
        let repinned = try NodeTokenFile.loadOrCreate(path: path, chosenSecret: nil, serverCAPEM: otherCA)
        #expect(repinned.token.secret == "operator-secret")
        #expect(repinned.token.pins(caCertificatesPEM: otherCA))
        #expect(repinned.change == "the server CA changed")
    }

    @Test func badSecretsAndFilesAreRefused() throws {
        let directory = try TempDirectory()
        let path = directory.file("node-token")
        let otherToken = JoinToken(caCertificatesPEM: "other", secret: "long-enough-secret").description
        for bad in ["short", "has a space", otherToken, "K10::server:long-enough-secret"] {
            #expect(throws: PKIError.self, "\(bad)") {
                try NodeTokenFile.loadOrCreate(path: path, chosenSecret: bad, serverCAPEM: caPEM)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))

        try "K10zz::node:x\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try NodeTokenFile.loadOrCreate(path: path, chosenSecret: nil, serverCAPEM: caPEM) } throws: { error in
            (error as? PKIError)?.message.contains("remove it to make a new one") == true
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "K10zz::node:x\n")
    }
}

@Suite struct NodeCredentialsTests {
    @Test func issuedCredentialsFitTheirNodeOnly() throws {
        let directory = try TempDirectory()
        let pki = try ClusterPKI.loadOrCreate(directory: directory.path, serverNames: ["server"], serverAddresses: [])
        let credentials = try NodeCredentials.issue(pki: pki, nodeName: "node-1", addresses: ["10.0.0.5"])

        #expect(credentials.problem(nodeName: "node-1", addresses: ["10.0.0.5"]) == nil)
        #expect(credentials.problem(nodeName: "node-1", addresses: ["127.0.0.1"]) == nil)
        #expect(credentials.problem(nodeName: "node-2", addresses: ["10.0.0.5"])?.contains("system:node:node-1") == true)
        #expect(credentials.problem(nodeName: "node-1", addresses: ["10.0.0.6"]) == "the serving certificate lacks 10.0.0.6")
        let later = Date().addingTimeInterval(Double(PKIDefaults.leafValidityDays - 30) * PKIDefaults.day)
        #expect(credentials.problem(nodeName: "node-1", addresses: ["10.0.0.5"], now: later)?.contains("expires in") == true)

        var swapped = credentials
        swapped.clientKey = credentials.servingKey
        #expect(swapped.problem(nodeName: "node-1", addresses: ["10.0.0.5"]) == "client-kubelet.key is not the key of its certificate")

        let other = try ClusterPKI.loadOrCreate(directory: directory.file("other"), serverNames: ["server"], serverAddresses: [])
        var foreign = credentials
        foreign.clientCA = other.clientCAPEM
        #expect(foreign.problem(nodeName: "node-1", addresses: ["10.0.0.5"]) == "client-kubelet.crt is not signed by the cluster's client CA")
        foreign = credentials
        foreign.serverCA = other.serverCAPEM
        #expect(foreign.problem(nodeName: "node-1", addresses: ["10.0.0.5"]) == "serving-kubelet.crt is not signed by the cluster's server CA")
        foreign.serverCA = "garbage"
        #expect(foreign.problem(nodeName: "node-1", addresses: ["10.0.0.5"])?.contains("server-ca.crt") == true)
    }

    @Test func savedFilesRoundTripWithPrivateKeys() throws {
        let directory = try TempDirectory()
        let pki = try ClusterPKI.loadOrCreate(directory: directory.file("pki"), serverNames: ["server"], serverAddresses: [])
        let credentials = try NodeCredentials.issue(pki: pki, nodeName: "node-1", addresses: ["10.0.0.5"])
        let agent = directory.file("agent")

        #expect(try NodeCredentials.load(from: agent) == nil)
        try credentials.write(to: agent)
        #expect(try NodeCredentials.load(from: agent) == credentials)
        func mode(_ name: String) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: "\(agent)/\(name)")[.posixPermissions] as? Int
        }
        #expect(try mode(NodeCredentials.FileName.clientKey) == 0o600)
        #expect(try mode(NodeCredentials.FileName.servingKey) == 0o600)
        #expect(try mode(NodeCredentials.FileName.clientCertificate) == 0o644)
        #expect(try FileManager.default.attributesOfItem(atPath: agent)[.posixPermissions] as? Int == 0o700)

        try FileManager.default.removeItem(atPath: "\(agent)/\(NodeCredentials.FileName.servingKey)")
        #expect(try NodeCredentials.load(from: agent) == nil)
    }
}

@Suite struct ConstantTimeTests {
    @Test func comparesWholeContents() {
        #expect(ConstantTime.equal("secret", "secret"))
        #expect(!ConstantTime.equal("secret", "secreT"))
        #expect(!ConstantTime.equal("secret", "secret\0"))
        #expect(!ConstantTime.equal("", "a"))
        #expect(ConstantTime.equal("", ""))
    }
}
