import SkiffAPI

extension Pod {
    /// A new pod from `template` owned by `owner` (controller.GetPodFromTemplate):
    /// the template's labels, annotations, finalizers and spec, a name generated
    /// from `<owner>-`, and a controller reference to the owner.
    static func fromTemplate<T: APIObject>(_ template: PodTemplateSpec, owner: T) -> Pod {
        var pod = Pod()
        pod.metadata.namespace = owner.metadata.namespace
        pod.metadata.generateName = (owner.metadata.name ?? "") + "-"
        pod.metadata.labels = template.metadata.labels
        pod.metadata.annotations = template.metadata.annotations
        pod.metadata.finalizers = template.metadata.finalizers
        pod.metadata.ownerReferences = [.controller(owner)]
        pod.spec = template.spec
        return pod
    }
}
