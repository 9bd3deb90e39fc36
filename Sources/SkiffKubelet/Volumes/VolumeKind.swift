import SkiffAPI

/// Which source a pod's volume has, as far as this node is concerned: the types
/// Skiff's kubelet sets up, or the name of one it does not.
enum VolumeKind {
    case emptyDir(EmptyDirVolumeSource)
    case hostPath(HostPathVolumeSource)
    case configMap(ConfigMapVolumeSource)
    case secret(SecretVolumeSource)
    case downwardAPI(DownwardAPIVolumeSource)
    case projected(ProjectedVolumeSource)
    /// The JSON name of the source (`persistentVolumeClaim`, `nfs`, `csi`…).
    case unsupported(String)
    case none

    init(_ volume: Volume) {
        if let source = volume.emptyDir { self = .emptyDir(source); return }
        if let source = volume.hostPath { self = .hostPath(source); return }
        if let source = volume.configMap { self = .configMap(source); return }
        if let source = volume.secret { self = .secret(source); return }
        if let source = volume.downwardAPI { self = .downwardAPI(source); return }
        if let source = volume.projected { self = .projected(source); return }
        let others: [(String, Bool)] = [
            ("persistentVolumeClaim", volume.persistentVolumeClaim != nil), ("ephemeral", volume.ephemeral != nil),
            ("csi", volume.csi != nil), ("image", volume.image != nil), ("nfs", volume.nfs != nil),
            ("iscsi", volume.iscsi != nil), ("gitRepo", volume.gitRepo != nil), ("rbd", volume.rbd != nil),
            ("cephfs", volume.cephfs != nil), ("glusterfs", volume.glusterfs != nil), ("fc", volume.fc != nil),
            ("flexVolume", volume.flexVolume != nil), ("cinder", volume.cinder != nil), ("flocker", volume.flocker != nil),
            ("gcePersistentDisk", volume.gcePersistentDisk != nil), ("awsElasticBlockStore", volume.awsElasticBlockStore != nil),
            ("azureFile", volume.azureFile != nil), ("azureDisk", volume.azureDisk != nil),
            ("vsphereVolume", volume.vsphereVolume != nil), ("quobyte", volume.quobyte != nil),
            ("photonPersistentDisk", volume.photonPersistentDisk != nil), ("portworxVolume", volume.portworxVolume != nil),
            ("scaleIO", volume.scaleIO != nil), ("storageos", volume.storageos != nil),
        ]
        self = others.first { $0.1 }.map { .unsupported($0.0) } ?? .none
    }
}
