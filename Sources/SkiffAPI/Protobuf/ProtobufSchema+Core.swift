/// core/v1 kinds other than pods and their parts: Namespace, Node, Service, Endpoints,
/// ConfigMap, Secret, Event, ServiceAccount, ReplicationController, Binding, references.
/// Field numbers and names are upstream's, from k8s.io/api core/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let core: [String: ProtobufMessage] = [
        "core.v1.AttachedVolume": [1: .string("name"), 2: .string("devicePath")],
        "core.v1.Binding": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("target", "core.v1.ObjectReference"),
        ],
        "core.v1.ClientIPConfig": [1: .int32("timeoutSeconds")],
        "core.v1.ConfigMap": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .stringMap("data"), 3: .bytesMap("binaryData"),
            4: .bool("immutable"),
        ],
        "core.v1.ConfigMapNodeConfigSource": [
            1: .string("namespace"), 2: .string("name"), 3: .string("uid"), 4: .string("resourceVersion"),
            5: .string("kubeletConfigKey"),
        ],
        "core.v1.ContainerImage": [1: .strings("names"), 2: .int64("sizeBytes")],
        "core.v1.DaemonEndpoint": [1: .int32("Port")],
        "core.v1.EndpointAddress": [
            1: .string("ip"), 2: .message("targetRef", "core.v1.ObjectReference"), 3: .string("hostname"),
            4: .optionalString("nodeName"),
        ],
        "core.v1.EndpointPort": [
            1: .string("name"), 2: .int32("port"), 3: .string("protocol"), 4: .optionalString("appProtocol"),
        ],
        "core.v1.EndpointSubset": [
            1: .messages("addresses", "core.v1.EndpointAddress"),
            2: .messages("notReadyAddresses", "core.v1.EndpointAddress"),
            3: .messages("ports", "core.v1.EndpointPort"),
        ],
        "core.v1.Endpoints": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .messages("subsets", "core.v1.EndpointSubset"),
        ],
        "core.v1.Event": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("involvedObject", "core.v1.ObjectReference"),
            3: .string("reason"), 4: .string("message"), 5: .message("source", "core.v1.EventSource"),
            6: .message("firstTimestamp", "meta.v1.Time"), 7: .message("lastTimestamp", "meta.v1.Time"),
            8: .int32("count"), 9: .string("type"), 10: .message("eventTime", "meta.v1.MicroTime"),
            11: .message("series", "core.v1.EventSeries"), 12: .string("action"),
            13: .message("related", "core.v1.ObjectReference"), 14: .string("reportingComponent"),
            15: .string("reportingInstance"),
        ],
        "core.v1.EventSeries": [1: .int32("count"), 2: .message("lastObservedTime", "meta.v1.MicroTime")],
        "core.v1.EventSource": [1: .string("component"), 2: .string("host")],
        "core.v1.LoadBalancerIngress": [
            1: .string("ip"), 2: .string("hostname"), 3: .optionalString("ipMode"),
            4: .messages("ports", "core.v1.PortStatus"),
        ],
        "core.v1.LoadBalancerStatus": [1: .messages("ingress", "core.v1.LoadBalancerIngress")],
        "core.v1.LocalObjectReference": [1: .string("name")],
        "core.v1.Namespace": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "core.v1.NamespaceSpec"),
            3: .message("status", "core.v1.NamespaceStatus"),
        ],
        "core.v1.NamespaceCondition": [
            1: .string("type"), 2: .string("status"), 4: .message("lastTransitionTime", "meta.v1.Time"),
            5: .string("reason"), 6: .string("message"),
        ],
        "core.v1.NamespaceSpec": [1: .strings("finalizers")],
        "core.v1.NamespaceStatus": [1: .string("phase"), 2: .messages("conditions", "core.v1.NamespaceCondition")],
        "core.v1.Node": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "core.v1.NodeSpec"),
            3: .message("status", "core.v1.NodeStatus"),
        ],
        "core.v1.NodeAddress": [1: .string("type"), 2: .string("address")],
        "core.v1.NodeCondition": [
            1: .string("type"), 2: .string("status"), 3: .message("lastHeartbeatTime", "meta.v1.Time"),
            4: .message("lastTransitionTime", "meta.v1.Time"), 5: .string("reason"), 6: .string("message"),
        ],
        "core.v1.NodeConfigSource": [2: .message("configMap", "core.v1.ConfigMapNodeConfigSource")],
        "core.v1.NodeConfigStatus": [
            1: .message("assigned", "core.v1.NodeConfigSource"), 2: .message("active", "core.v1.NodeConfigSource"),
            3: .message("lastKnownGood", "core.v1.NodeConfigSource"), 4: .string("error"),
        ],
        "core.v1.NodeDaemonEndpoints": [1: .message("kubeletEndpoint", "core.v1.DaemonEndpoint")],
        "core.v1.NodeFeatures": [1: .bool("supplementalGroupsPolicy")],
        "core.v1.NodeRuntimeHandler": [
            1: .string("name"), 2: .message("features", "core.v1.NodeRuntimeHandlerFeatures"),
        ],
        "core.v1.NodeRuntimeHandlerFeatures": [1: .bool("recursiveReadOnlyMounts"), 2: .bool("userNamespaces")],
        "core.v1.NodeSpec": [
            1: .string("podCIDR"), 2: .string("externalID"), 3: .string("providerID"), 4: .bool("unschedulable"),
            5: .messages("taints", "core.v1.Taint"), 6: .message("configSource", "core.v1.NodeConfigSource"),
            7: .strings("podCIDRs"),
        ],
        "core.v1.NodeStatus": [
            1: .map("capacity", "resource.Quantity"), 2: .map("allocatable", "resource.Quantity"), 3: .string("phase"),
            4: .messages("conditions", "core.v1.NodeCondition"), 5: .messages("addresses", "core.v1.NodeAddress"),
            6: .message("daemonEndpoints", "core.v1.NodeDaemonEndpoints"),
            7: .message("nodeInfo", "core.v1.NodeSystemInfo"), 8: .messages("images", "core.v1.ContainerImage"),
            9: .strings("volumesInUse"), 10: .messages("volumesAttached", "core.v1.AttachedVolume"),
            11: .message("config", "core.v1.NodeConfigStatus"),
            12: .messages("runtimeHandlers", "core.v1.NodeRuntimeHandler"),
            13: .message("features", "core.v1.NodeFeatures"),
        ],
        "core.v1.NodeSystemInfo": [
            1: .string("machineID"), 2: .string("systemUUID"), 3: .string("bootID"), 4: .string("kernelVersion"),
            5: .string("osImage"), 6: .string("containerRuntimeVersion"), 7: .string("kubeletVersion"),
            8: .string("kubeProxyVersion"), 9: .string("operatingSystem"), 10: .string("architecture"),
        ],
        "core.v1.ObjectReference": [
            1: .string("kind"), 2: .string("namespace"), 3: .string("name"), 4: .string("uid"),
            5: .string("apiVersion"), 6: .string("resourceVersion"), 7: .string("fieldPath"),
        ],
        "core.v1.PortStatus": [1: .int32("port"), 2: .string("protocol"), 3: .optionalString("error")],
        "core.v1.ReplicationController": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "core.v1.ReplicationControllerSpec"),
            3: .message("status", "core.v1.ReplicationControllerStatus"),
        ],
        "core.v1.ReplicationControllerCondition": [
            1: .string("type"), 2: .string("status"), 3: .message("lastTransitionTime", "meta.v1.Time"),
            4: .string("reason"), 5: .string("message"),
        ],
        "core.v1.ReplicationControllerSpec": [
            1: .int32("replicas"), 2: .stringMap("selector"), 3: .message("template", "core.v1.PodTemplateSpec"),
            4: .int32("minReadySeconds"),
        ],
        "core.v1.ReplicationControllerStatus": [
            1: .int32("replicas"), 2: .int32("fullyLabeledReplicas"), 3: .int64("observedGeneration"),
            4: .int32("readyReplicas"), 5: .int32("availableReplicas"),
            6: .messages("conditions", "core.v1.ReplicationControllerCondition"),
        ],
        "core.v1.Secret": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .bytesMap("data"), 3: .string("type"),
            4: .stringMap("stringData"), 5: .bool("immutable"),
        ],
        "core.v1.Service": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "core.v1.ServiceSpec"),
            3: .message("status", "core.v1.ServiceStatus"),
        ],
        "core.v1.ServiceAccount": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .messages("secrets", "core.v1.ObjectReference"),
            3: .messages("imagePullSecrets", "core.v1.LocalObjectReference"), 4: .bool("automountServiceAccountToken"),
        ],
        "core.v1.ServicePort": [
            1: .string("name"), 2: .string("protocol"), 3: .int32("port"),
            4: .message("targetPort", "intstr.IntOrString"), 5: .int32("nodePort"), 6: .optionalString("appProtocol"),
        ],
        "core.v1.ServiceSpec": [
            1: .messages("ports", "core.v1.ServicePort"), 2: .stringMap("selector"), 3: .string("clusterIP"),
            4: .string("type"), 5: .strings("externalIPs"), 7: .string("sessionAffinity"),
            8: .string("loadBalancerIP"), 9: .strings("loadBalancerSourceRanges"), 10: .string("externalName"),
            11: .string("externalTrafficPolicy"), 12: .int32("healthCheckNodePort"),
            13: .bool("publishNotReadyAddresses"),
            14: .message("sessionAffinityConfig", "core.v1.SessionAffinityConfig"),
            17: .optionalString("ipFamilyPolicy"), 18: .strings("clusterIPs"), 19: .strings("ipFamilies"),
            20: .bool("allocateLoadBalancerNodePorts"), 21: .optionalString("loadBalancerClass"),
            22: .optionalString("internalTrafficPolicy"), 23: .optionalString("trafficDistribution"),
        ],
        "core.v1.ServiceStatus": [
            1: .message("loadBalancer", "core.v1.LoadBalancerStatus"), 2: .messages("conditions", "meta.v1.Condition"),
        ],
        "core.v1.SessionAffinityConfig": [1: .message("clientIP", "core.v1.ClientIPConfig")],
        "core.v1.Taint": [
            1: .string("key"), 2: .string("value"), 3: .string("effect"), 4: .message("timeAdded", "meta.v1.Time"),
        ],
    ]
}
