import SkiffAPI

/// A container's environment as the kubelet builds it: envFrom first, then env in
/// order (later entries win), `$(VAR)` references expanded against what came before,
/// and values from the downward API, resources, ConfigMaps and Secrets.
struct EnvironmentBuilder {
    let pod: Pod
    let container: Container
    let source: any PodConfigSource
    let nodeAllocatable: ResourceList
    /// Variables the kubelet adds before the pod's own (service links).
    var base: [(String, String)] = []

    func build() async throws -> [(String, String)] {
        var variables = base
        func set(_ name: String, _ value: String) {
            variables.removeAll { $0.0 == name }
            variables.append((name, value))
        }
        let namespace = pod.metadata.namespace ?? "default"
        for from in container.envFrom ?? [] {
            for (key, value) in try await values(of: from, namespace: namespace) where Self.isValidName(key) {
                set((from.prefix ?? "") + key, value)
            }
        }
        for variable in container.env ?? [] {
            if let source = variable.valueFrom {
                if let value = try await value(of: source, named: variable.name, namespace: namespace) {
                    set(variable.name, value)
                }
            } else {
                let current = Dictionary(variables, uniquingKeysWith: { $1 })
                set(variable.name, VariableExpansion.expand(variable.value ?? "") { current[$0] })
            }
        }
        return variables
    }

    private func values(of from: EnvFromSource, namespace: String) async throws -> [(String, String)] {
        if let reference = from.configMapRef {
            let name = reference.name ?? ""
            guard let map = try await source.configMap(namespace: namespace, name: name) else {
                if reference.optional == true { return [] }
                throw ContainerConfigError("configmap \"\(name)\" not found")
            }
            return (map.data ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        if let reference = from.secretRef {
            let name = reference.name ?? ""
            guard let secret = try await source.secret(namespace: namespace, name: name) else {
                if reference.optional == true { return [] }
                throw ContainerConfigError("secret \"\(name)\" not found")
            }
            return (secret.data ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, String(decoding: $0.value.bytes, as: UTF8.self)) }
        }
        return []
    }

    private func value(of source: EnvVarSource, named name: String, namespace: String) async throws -> String? {
        if let field = source.fieldRef { return try PodFieldPaths.value(field.fieldPath, of: pod) }
        if let resource = source.resourceFieldRef {
            var container = self.container
            if let other = resource.containerName, !other.isEmpty {
                guard let found = (pod.spec.containers + (pod.spec.initContainers ?? [])).first(where: { $0.name == other }) else {
                    throw ContainerConfigError("resourceFieldRef of \(name) names unknown container \(other)")
                }
                container = found
            }
            return try ResourceFieldValues.value(resource, container: container, nodeAllocatable: nodeAllocatable)
        }
        if let key = source.configMapKeyRef {
            let mapName = key.name ?? ""
            guard let map = try await self.source.configMap(namespace: namespace, name: mapName) else {
                if key.optional == true { return nil }
                throw ContainerConfigError("configmap \"\(mapName)\" not found")
            }
            guard let value = map.data?[key.key] else {
                if key.optional == true { return nil }
                throw ContainerConfigError("couldn't find key \(key.key) in ConfigMap \(namespace)/\(mapName)")
            }
            return value
        }
        if let key = source.secretKeyRef {
            let secretName = key.name ?? ""
            guard let secret = try await self.source.secret(namespace: namespace, name: secretName) else {
                if key.optional == true { return nil }
                throw ContainerConfigError("secret \"\(secretName)\" not found")
            }
            guard let value = secret.data?[key.key] else {
                if key.optional == true { return nil }
                throw ContainerConfigError("couldn't find key \(key.key) in Secret \(namespace)/\(secretName)")
            }
            return String(decoding: value.bytes, as: UTF8.self)
        }
        return nil
    }

    /// envFrom keys that are not valid variable names are skipped, as upstream does
    /// (which also records an event; the caller may).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, !first.isNumber else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
    }
}
