import Foundation
import Testing

@testable import SkiffAPI

/// Bodies kubectl 1.32 really sent (Fixtures/protobuf/README.md says how they were
/// captured), read into the JSON a JSON client would have sent and then into Skiff's
/// types with strict decoding, so that no field is left unread.
@Suite struct ProtobufFixtureTests {
    private func document(_ name: String) throws -> JSONValue {
        let url = Fixture.directory.appendingPathComponent("protobuf").appendingPathComponent(name + ".pb")
        return try ProtobufDecoding.document(from: Array(try Data(contentsOf: url)))
    }

    @Test(arguments: [
        ("namespace",
         #"""
         {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo","generation":0},"spec":{},"status":{}}
         """#),
        ("configmap",
         #"""
         {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","generation":0},"data":{"a":"b","empty":""}}
         """#),
        ("secret",
         #"""
         {"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","generation":0},
          "data":{"password":"czNjcjN0","user":"YWRtaW4="}}
         """#),
        ("deployment",
         #"""
         {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":0,"labels":{"app":"web"}},
          "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
            "template":{"metadata":{"generation":0,"labels":{"app":"web"}},
              "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"hostPort":0,"containerPort":8080}],
                                     "resources":{},"stdin":false,"stdinOnce":false,"tty":false}],
                      "hostNetwork":false,"hostPID":false,"hostIPC":false}},
            "strategy":{},"minReadySeconds":0,"paused":false},
          "status":{"observedGeneration":0,"replicas":0,"updatedReplicas":0,"availableReplicas":0,
                    "unavailableReplicas":0,"readyReplicas":0}}
         """#),
        ("service",
         #"""
         {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","generation":0,"labels":{"app":"web"}},
          "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080,"nodePort":0}],
                  "selector":{"app":"web"},"type":"ClusterIP","healthCheckNodePort":0,"publishNotReadyAddresses":false},
          "status":{"loadBalancer":{}}}
         """#),
        ("job",
         #"""
         {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"hello","generation":0},
          "spec":{"template":{"metadata":{"generation":0},
            "spec":{"containers":[{"name":"hello","image":"busybox","command":["echo","hi"],"resources":{},
                                   "stdin":false,"stdinOnce":false,"tty":false}],
                    "restartPolicy":"Never","hostNetwork":false,"hostPID":false,"hostIPC":false}}},
          "status":{"active":0,"succeeded":0,"failed":0}}
         """#),
    ])
    func servedKindsReadAsAJSONClientWouldSendThem(name: String, expected: String) throws {
        let document = try document(name)
        #expect(document == (try json(expected)))
        let object = try ObjectDecoding.decode(JSONCodec.serialize(document))
        #expect(object.metadata.name == document["metadata"]?["name"]?.stringValue)
    }

    @Test func tokenRequest() throws {
        #expect(
            try document("tokenrequest")
                == json(
                    #"""
                    {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{"generation":0},
                     "spec":{"expirationSeconds":3600},"status":{}}
                    """#))
    }

    @Test func deleteOptionsFromDrain() throws {
        #expect(try document("deleteoptions") == json(#"{"apiVersion":"v1","kind":"DeleteOptions"}"#))
        let graceful = try document("deleteoptions-grace")
        #expect(graceful == (try json(#"{"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":30}"#)))
        let options = try JSONCodec.decode(DeleteOptions.self, from: graceful, unknownFields: .reject)
        #expect(options.gracePeriodSeconds == 30)
    }
}
