import SkiffAPI
import SkiffClient

/// The ControllerRevisions a DaemonSet or StatefulSet keeps of its pod
/// template (upstream's controller history): each distinct template is one
/// revision named `<owner>-<hash>`, and its pods carry that hash in the
/// `controller-revision-hash` label, so a pod is "updated" when its label
/// names the newest revision.
struct ControllerRevisions<Owner: APIObject> {
    static var hashLabel: String { "controller-revision-hash" }

    let client: APIClient
    let owner: Owner
    /// The owner's revisions as the cache holds them.
    let existing: [ControllerRevision]

    init(client: APIClient, owner: Owner, all: [ControllerRevision]) {
        self.client = client
        self.owner = owner
        existing = all.filter {
            $0.metadata.namespace == owner.metadata.namespace && $0.metadata.controllerReference?.uid == owner.metadata.uid
        }
    }

    /// The hash that names a template's revision.
    static func hash(_ template: PodTemplateSpec) -> String {
        PodTemplateHash.compute(template, collisionCount: nil)
    }

    /// The revision of `template`, created (numbered after the newest) when
    /// none exists yet; an existing one that is not the newest is renumbered
    /// to be, as upstream does when a template returns (a rollback).
    func ensure(_ template: PodTemplateSpec, labels: [String: String]) async throws -> ControllerRevision {
        let hash = Self.hash(template)
        let name = (owner.metadata.name ?? "") + "-" + hash
        let newest = existing.map(\.revision).max() ?? 0
        if var found = existing.first(where: { $0.metadata.name == name }) {
            guard found.revision < newest else { return found }
            found.revision = newest + 1
            return try await client.update(found)
        }
        var revision = ControllerRevision()
        revision.metadata.name = name
        revision.metadata.namespace = owner.metadata.namespace
        revision.metadata.labels = labels.merging([Self.hashLabel: hash]) { $1 }
        revision.metadata.ownerReferences = [.controller(owner)]
        revision.revision = newest + 1
        revision.data = try JSONCodec.encodeValue(RevisionData(spec: .init(template: template)))
        do {
            return try await client.create(revision)
        } catch {
            // The cache had not seen our own earlier creation yet.
            guard error.isAlreadyExists else { throw error }
            return try await client.get(ControllerRevision.self, name, namespace: owner.metadata.namespace)
        }
    }

    /// Deletes the oldest revisions beyond `limit` (default 10) that no pod
    /// and neither the current nor the update revision still names.
    func prune(limit: Int32?, keeping inUse: Set<String>) async {
        let old = existing.filter { !inUse.contains($0.metadata.labels?[Self.hashLabel] ?? "") }
            .sorted { $0.revision < $1.revision }
        let excess = old.count - Int(limit ?? 10)
        guard excess > 0 else { return }
        for revision in old.prefix(excess) {
            try? await client.delete(ControllerRevision.self, revision.metadata.name ?? "", namespace: revision.metadata.namespace)
        }
    }
}

extension ControllerRevision {
    /// The pod template a revision stores, if it holds one.
    var podTemplate: PodTemplateSpec? {
        guard let data else { return nil }
        return try? JSONCodec.decode(StoredRevision.self, from: data).spec.template
    }
}

private struct StoredRevision: Decodable {
    struct Spec: Decodable { var template: PodTemplateSpec }
    var spec: Spec
}

/// What a revision stores: the owner's template, as upstream's strategic
/// merge patch of the spec (`{"spec":{"template":{…,"$patch":"replace"}}}`)
/// without the replace directive.
private struct RevisionData: Encodable {
    struct Spec: Encodable { var template: PodTemplateSpec }
    var spec: Spec
}
