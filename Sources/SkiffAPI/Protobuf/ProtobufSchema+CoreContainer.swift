/// core/v1 containers: ports, environment, resources, probes, lifecycle hooks,
/// security contexts, ephemeral containers.
/// Field numbers and names are upstream's, from k8s.io/api core/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let coreContainers: [String: ProtobufMessage] = [
        "core.v1.AppArmorProfile": [1: .string("type"), 2: .optionalString("localhostProfile")],
        "core.v1.Capabilities": [1: .strings("add"), 2: .strings("drop")],
        "core.v1.ConfigMapEnvSource": [1: .inline("core.v1.LocalObjectReference"), 2: .bool("optional")],
        "core.v1.ConfigMapKeySelector": [
            1: .inline("core.v1.LocalObjectReference"), 2: .string("key"), 3: .bool("optional"),
        ],
        "core.v1.Container": [
            1: .string("name"), 2: .string("image"), 3: .strings("command"), 4: .strings("args"),
            5: .string("workingDir"), 6: .messages("ports", "core.v1.ContainerPort"),
            7: .messages("env", "core.v1.EnvVar"), 8: .message("resources", "core.v1.ResourceRequirements"),
            9: .messages("volumeMounts", "core.v1.VolumeMount"), 10: .message("livenessProbe", "core.v1.Probe"),
            11: .message("readinessProbe", "core.v1.Probe"), 12: .message("lifecycle", "core.v1.Lifecycle"),
            13: .string("terminationMessagePath"), 14: .string("imagePullPolicy"),
            15: .message("securityContext", "core.v1.SecurityContext"), 16: .bool("stdin"), 17: .bool("stdinOnce"),
            18: .bool("tty"), 19: .messages("envFrom", "core.v1.EnvFromSource"),
            20: .string("terminationMessagePolicy"), 21: .messages("volumeDevices", "core.v1.VolumeDevice"),
            22: .message("startupProbe", "core.v1.Probe"),
            23: .messages("resizePolicy", "core.v1.ContainerResizePolicy"), 24: .optionalString("restartPolicy"),
        ],
        "core.v1.ContainerPort": [
            1: .string("name"), 2: .int32("hostPort"), 3: .int32("containerPort"), 4: .string("protocol"),
            5: .string("hostIP"),
        ],
        "core.v1.ContainerResizePolicy": [1: .string("resourceName"), 2: .string("restartPolicy")],
        "core.v1.EnvFromSource": [
            1: .string("prefix"), 2: .message("configMapRef", "core.v1.ConfigMapEnvSource"),
            3: .message("secretRef", "core.v1.SecretEnvSource"),
        ],
        "core.v1.EnvVar": [1: .string("name"), 2: .string("value"), 3: .message("valueFrom", "core.v1.EnvVarSource")],
        "core.v1.EnvVarSource": [
            1: .message("fieldRef", "core.v1.ObjectFieldSelector"),
            2: .message("resourceFieldRef", "core.v1.ResourceFieldSelector"),
            3: .message("configMapKeyRef", "core.v1.ConfigMapKeySelector"),
            4: .message("secretKeyRef", "core.v1.SecretKeySelector"),
        ],
        "core.v1.EphemeralContainer": [
            1: .inline("core.v1.EphemeralContainerCommon"), 2: .string("targetContainerName"),
        ],
        "core.v1.EphemeralContainerCommon": [
            1: .string("name"), 2: .string("image"), 3: .strings("command"), 4: .strings("args"),
            5: .string("workingDir"), 6: .messages("ports", "core.v1.ContainerPort"),
            7: .messages("env", "core.v1.EnvVar"), 8: .message("resources", "core.v1.ResourceRequirements"),
            9: .messages("volumeMounts", "core.v1.VolumeMount"), 10: .message("livenessProbe", "core.v1.Probe"),
            11: .message("readinessProbe", "core.v1.Probe"), 12: .message("lifecycle", "core.v1.Lifecycle"),
            13: .string("terminationMessagePath"), 14: .string("imagePullPolicy"),
            15: .message("securityContext", "core.v1.SecurityContext"), 16: .bool("stdin"), 17: .bool("stdinOnce"),
            18: .bool("tty"), 19: .messages("envFrom", "core.v1.EnvFromSource"),
            20: .string("terminationMessagePolicy"), 21: .messages("volumeDevices", "core.v1.VolumeDevice"),
            22: .message("startupProbe", "core.v1.Probe"),
            23: .messages("resizePolicy", "core.v1.ContainerResizePolicy"), 24: .optionalString("restartPolicy"),
        ],
        "core.v1.ExecAction": [1: .strings("command")],
        "core.v1.GRPCAction": [1: .int32("port"), 2: .optionalString("service")],
        "core.v1.HTTPGetAction": [
            1: .string("path"), 2: .message("port", "intstr.IntOrString"), 3: .string("host"), 4: .string("scheme"),
            5: .messages("httpHeaders", "core.v1.HTTPHeader"),
        ],
        "core.v1.HTTPHeader": [1: .string("name"), 2: .string("value")],
        "core.v1.Lifecycle": [
            1: .message("postStart", "core.v1.LifecycleHandler"), 2: .message("preStop", "core.v1.LifecycleHandler"),
        ],
        "core.v1.LifecycleHandler": [
            1: .message("exec", "core.v1.ExecAction"), 2: .message("httpGet", "core.v1.HTTPGetAction"),
            3: .message("tcpSocket", "core.v1.TCPSocketAction"), 4: .message("sleep", "core.v1.SleepAction"),
        ],
        "core.v1.ObjectFieldSelector": [1: .string("apiVersion"), 2: .string("fieldPath")],
        "core.v1.Probe": [
            1: .inline("core.v1.ProbeHandler"), 2: .int32("initialDelaySeconds"), 3: .int32("timeoutSeconds"),
            4: .int32("periodSeconds"), 5: .int32("successThreshold"), 6: .int32("failureThreshold"),
            7: .int64("terminationGracePeriodSeconds"),
        ],
        "core.v1.ProbeHandler": [
            1: .message("exec", "core.v1.ExecAction"), 2: .message("httpGet", "core.v1.HTTPGetAction"),
            3: .message("tcpSocket", "core.v1.TCPSocketAction"), 4: .message("grpc", "core.v1.GRPCAction"),
        ],
        "core.v1.ResourceClaim": [1: .string("name"), 2: .string("request")],
        "core.v1.ResourceFieldSelector": [
            1: .string("containerName"), 2: .string("resource"), 3: .message("divisor", "resource.Quantity"),
        ],
        "core.v1.ResourceRequirements": [
            1: .map("limits", "resource.Quantity"), 2: .map("requests", "resource.Quantity"),
            3: .messages("claims", "core.v1.ResourceClaim"),
        ],
        "core.v1.SELinuxOptions": [1: .string("user"), 2: .string("role"), 3: .string("type"), 4: .string("level")],
        "core.v1.SeccompProfile": [1: .string("type"), 2: .optionalString("localhostProfile")],
        "core.v1.SecretEnvSource": [1: .inline("core.v1.LocalObjectReference"), 2: .bool("optional")],
        "core.v1.SecretKeySelector": [
            1: .inline("core.v1.LocalObjectReference"), 2: .string("key"), 3: .bool("optional"),
        ],
        "core.v1.SecurityContext": [
            1: .message("capabilities", "core.v1.Capabilities"), 2: .bool("privileged"),
            3: .message("seLinuxOptions", "core.v1.SELinuxOptions"), 4: .int64("runAsUser"), 5: .bool("runAsNonRoot"),
            6: .bool("readOnlyRootFilesystem"), 7: .bool("allowPrivilegeEscalation"), 8: .int64("runAsGroup"),
            9: .optionalString("procMount"), 10: .message("windowsOptions", "core.v1.WindowsSecurityContextOptions"),
            11: .message("seccompProfile", "core.v1.SeccompProfile"),
            12: .message("appArmorProfile", "core.v1.AppArmorProfile"),
        ],
        "core.v1.SleepAction": [1: .int64("seconds")],
        "core.v1.TCPSocketAction": [1: .message("port", "intstr.IntOrString"), 2: .string("host")],
        "core.v1.VolumeDevice": [1: .string("name"), 2: .string("devicePath")],
        "core.v1.VolumeMount": [
            1: .string("name"), 2: .bool("readOnly"), 3: .string("mountPath"), 4: .string("subPath"),
            5: .optionalString("mountPropagation"), 6: .string("subPathExpr"), 7: .optionalString("recursiveReadOnly"),
        ],
        "core.v1.WindowsSecurityContextOptions": [
            1: .optionalString("gmsaCredentialSpecName"), 2: .optionalString("gmsaCredentialSpec"),
            3: .optionalString("runAsUserName"), 4: .bool("hostProcess"),
        ],
    ]
}
