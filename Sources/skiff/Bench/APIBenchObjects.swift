/// The objects the API benchmark creates: namespaces, and a small but realistic
/// Pod — labels, an annotation, one container with ports, env, resources, a
/// probe and a volume — about 1 KiB as sent, the size the store benchmark uses.
enum APIBenchObjects {
    static func namespace(_ name: String) -> [UInt8] {
        Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(name)"}}"#.utf8)
    }

    static func pod(name: String, namespace: String) -> [UInt8] {
        Array(
            """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)","namespace":"\(namespace)",\
            "labels":{"app.kubernetes.io/name":"web","app.kubernetes.io/part-of":"bench","tier":"frontend",\
            "pod-template-hash":"5d4f8b7c9d"},\
            "annotations":{"bench.skiff.dev/purpose":"API server benchmark load; a pod the size of a small real one"}},\
            "spec":{"containers":[{"name":"web","image":"registry.example.internal/bench/web:1.27.3",\
            "args":["--listen=:8080","--log-level=info"],\
            "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],\
            "env":[{"name":"MODE","value":"bench"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],\
            "resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}},\
            "readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":5,"failureThreshold":3},\
            "volumeMounts":[{"name":"config","mountPath":"/etc/web","readOnly":true}]}],\
            "volumes":[{"name":"config","configMap":{"name":"web-config"}}],\
            "restartPolicy":"Always","terminationGracePeriodSeconds":30,"nodeSelector":{"kubernetes.io/os":"linux"}}}
            """.utf8)
    }
}
