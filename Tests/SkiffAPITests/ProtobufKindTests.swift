import Testing

@testable import SkiffAPI

/// Bodies built by hand as kubectl's typed clients write them (every Go value field
/// present, empty ones included), decoded to what a JSON client would have sent.
@Suite struct ProtobufKindTests {
    @Test func namespace() throws {
        let body = Proto.body(
            "v1", "Namespace", Proto.objectMeta(name: "demo"), Proto.message(2), Proto.message(3, Proto.string(1, "")))
        #expect(
            try protobufDocument(body)
                == json(
                    #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo","generation":0},"spec":{},"status":{}}"#
                ))
    }

    @Test func configMapKeepsEmptyValuesAndBinaryData() throws {
        let body = Proto.body(
            "v1", "ConfigMap", Proto.objectMeta(name: "settings", namespace: "default"),
            Proto.entry(2, "a", "b"), Proto.entry(2, "empty", ""),
            Proto.message(3, Proto.string(1, "blob"), Proto.bytes(2, [0, 1, 2, 255])), Proto.bool(4, true))
        #expect(
            try protobufDocument(body)
                == json(
                    #"""
                    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default","generation":0},
                     "data":{"a":"b","empty":""},"binaryData":{"blob":"AAEC/w=="},"immutable":true}
                    """#))
    }

    @Test func secretDataIsBase64() throws {
        let body = Proto.body(
            "v1", "Secret", Proto.objectMeta(name: "creds"),
            Proto.message(2, Proto.string(1, "password"), Proto.string(2, "s3cr3t")), Proto.string(3, "Opaque"))
        let document = try protobufDocument(body)
        #expect(try document["data"] == json(#"{"password":"czNjcjN0"}"#))
        #expect(document["type"] == "Opaque")
        let secret = try #require(try ObjectDecoding.decode(JSONCodec.serialize(document)) as? Secret)
        #expect(secret.data?["password"]?.utf8String == "s3cr3t")
    }

    @Test func deploymentWithAPodTemplate() throws {
        let labels = Proto.entry(11, "app", "web")
        let container = Proto.message(
            2, Proto.string(1, "web"), Proto.string(2, "nginx:1.27"), Proto.string(3, "nginx"), Proto.string(3, "-g"),
            Proto.message(6, Proto.string(1, "http"), Proto.int(2, 0), Proto.int(3, 8080), Proto.string(4, "TCP")),
            Proto.message(7, Proto.string(1, "MODE"), Proto.string(2, "prod")),
            Proto.message(
                7, Proto.string(1, "POD_NAME"), Proto.string(2, ""),
                Proto.message(3, Proto.message(1, Proto.string(1, "v1"), Proto.string(2, "metadata.name")))),
            Proto.message(
                8, Proto.entry(1, "memory", message: Proto.string(1, "128Mi")),
                Proto.entry(2, "cpu", message: Proto.string(1, "250m"))),
            Proto.string(13, ""), Proto.string(14, "IfNotPresent"))
        let spec = Proto.message(
            2, Proto.int(1, 3),
            Proto.message(
                2, Proto.entry(1, "app", "web"),
                Proto.message(2, Proto.string(1, "tier"), Proto.string(2, "In"), Proto.string(3, "front"))),
            Proto.message(3, Proto.objectMeta(name: "", labels), Proto.message(2, container, Proto.bool(11, false))),
            Proto.message(
                4, Proto.string(1, "RollingUpdate"),
                Proto.message(2, Proto.intOrString(1, 0), Proto.intOrString(2, "25%"))))
        let body = Proto.body("apps/v1", "Deployment", Proto.objectMeta(name: "web", labels), spec, Proto.message(3))
        #expect(
            try protobufDocument(body)
                == json(
                    #"""
                    {"apiVersion":"apps/v1","kind":"Deployment",
                     "metadata":{"name":"web","generation":0,"labels":{"app":"web"}},
                     "spec":{"replicas":3,
                       "selector":{"matchLabels":{"app":"web"},
                                   "matchExpressions":[{"key":"tier","operator":"In","values":["front"]}]},
                       "template":{"metadata":{"generation":0,"labels":{"app":"web"}},
                         "spec":{"containers":[{"name":"web","image":"nginx:1.27","command":["nginx","-g"],
                           "ports":[{"name":"http","hostPort":0,"containerPort":8080,"protocol":"TCP"}],
                           "env":[{"name":"MODE","value":"prod"},
                                  {"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],
                           "resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"250m"}},
                           "imagePullPolicy":"IfNotPresent"}],
                           "hostNetwork":false}},
                       "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}}},
                     "status":{}}
                    """#))
    }

    @Test func serviceWithAnIntegerTargetPort() throws {
        let body = Proto.body(
            "v1", "Service", Proto.objectMeta(name: "web", Proto.entry(11, "app", "web")),
            Proto.message(
                2,
                Proto.message(
                    1, Proto.string(1, "80-8080"), Proto.string(2, "TCP"), Proto.int(3, 80), Proto.intOrString(4, 8080),
                    Proto.int(5, 0)),
                Proto.entry(2, "app", "web"), Proto.string(3, ""), Proto.string(4, "ClusterIP")),
            Proto.message(3, Proto.message(1)))
        #expect(
            try protobufDocument(body)
                == json(
                    #"""
                    {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","generation":0,"labels":{"app":"web"}},
                     "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080,"nodePort":0}],
                             "selector":{"app":"web"},"type":"ClusterIP"},
                     "status":{"loadBalancer":{}}}
                    """#))
    }

    @Test func evictionWithDeleteOptions() throws {
        let body = Proto.body(
            "policy/v1", "Eviction", Proto.objectMeta(name: "web-1", namespace: "default"),
            Proto.message(
                2, Proto.int(1, 30), Proto.message(2, Proto.string(1, "8c5b3f8e-0000-4000-8000-000000000001")),
                Proto.string(5, "All")))
        #expect(
            try protobufDocument(body)
                == json(
                    #"""
                    {"apiVersion":"policy/v1","kind":"Eviction",
                     "metadata":{"name":"web-1","namespace":"default","generation":0},
                     "deleteOptions":{"gracePeriodSeconds":30,
                                      "preconditions":{"uid":"8c5b3f8e-0000-4000-8000-000000000001"},
                                      "dryRun":["All"]}}
                    """#))
    }

    @Test func deleteOptionsInAnyGroupVersion() throws {
        for apiVersion in ["v1", "apps/v1", "meta.k8s.io/v1"] {
            let body = Proto.body(apiVersion, "DeleteOptions", Proto.int(1, 0), Proto.string(4, "Foreground"))
            #expect(
                try protobufDocument(body)
                    == .object(
                        JSONObject([
                            ("apiVersion", .string(apiVersion)), ("kind", "DeleteOptions"),
                            ("gracePeriodSeconds", 0), ("propagationPolicy", "Foreground"),
                        ])))
        }
    }
}
