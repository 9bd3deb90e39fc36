/// core/v1 volumes: every volume source, projections and PersistentVolumeClaims.
/// Field numbers and names are upstream's, from k8s.io/api core/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let coreVolumes: [String: ProtobufMessage] = [
        "core.v1.AWSElasticBlockStoreVolumeSource": [
            1: .string("volumeID"), 2: .string("fsType"), 3: .int32("partition"), 4: .bool("readOnly"),
        ],
        "core.v1.AzureDiskVolumeSource": [
            1: .string("diskName"), 2: .string("diskURI"), 3: .optionalString("cachingMode"),
            4: .optionalString("fsType"), 5: .bool("readOnly"), 6: .optionalString("kind"),
        ],
        "core.v1.AzureFileVolumeSource": [1: .string("secretName"), 2: .string("shareName"), 3: .bool("readOnly")],
        "core.v1.CSIVolumeSource": [
            1: .string("driver"), 2: .bool("readOnly"), 3: .optionalString("fsType"),
            4: .stringMap("volumeAttributes"), 5: .message("nodePublishSecretRef", "core.v1.LocalObjectReference"),
        ],
        "core.v1.CephFSVolumeSource": [
            1: .strings("monitors"), 2: .string("path"), 3: .string("user"), 4: .string("secretFile"),
            5: .message("secretRef", "core.v1.LocalObjectReference"), 6: .bool("readOnly"),
        ],
        "core.v1.CinderVolumeSource": [
            1: .string("volumeID"), 2: .string("fsType"), 3: .bool("readOnly"),
            4: .message("secretRef", "core.v1.LocalObjectReference"),
        ],
        "core.v1.ClusterTrustBundleProjection": [
            1: .optionalString("name"), 2: .optionalString("signerName"),
            3: .message("labelSelector", "meta.v1.LabelSelector"), 4: .string("path"), 5: .bool("optional"),
        ],
        "core.v1.ConfigMapProjection": [
            1: .inline("core.v1.LocalObjectReference"), 2: .messages("items", "core.v1.KeyToPath"),
            4: .bool("optional"),
        ],
        "core.v1.ConfigMapVolumeSource": [
            1: .inline("core.v1.LocalObjectReference"), 2: .messages("items", "core.v1.KeyToPath"),
            3: .int32("defaultMode"), 4: .bool("optional"),
        ],
        "core.v1.DownwardAPIProjection": [1: .messages("items", "core.v1.DownwardAPIVolumeFile")],
        "core.v1.DownwardAPIVolumeFile": [
            1: .string("path"), 2: .message("fieldRef", "core.v1.ObjectFieldSelector"),
            3: .message("resourceFieldRef", "core.v1.ResourceFieldSelector"), 4: .int32("mode"),
        ],
        "core.v1.DownwardAPIVolumeSource": [
            1: .messages("items", "core.v1.DownwardAPIVolumeFile"), 2: .int32("defaultMode"),
        ],
        "core.v1.EmptyDirVolumeSource": [1: .string("medium"), 2: .message("sizeLimit", "resource.Quantity")],
        "core.v1.EphemeralVolumeSource": [1: .message("volumeClaimTemplate", "core.v1.PersistentVolumeClaimTemplate")],
        "core.v1.FCVolumeSource": [
            1: .strings("targetWWNs"), 2: .int32("lun"), 3: .string("fsType"), 4: .bool("readOnly"),
            5: .strings("wwids"),
        ],
        "core.v1.FlexVolumeSource": [
            1: .string("driver"), 2: .string("fsType"), 3: .message("secretRef", "core.v1.LocalObjectReference"),
            4: .bool("readOnly"), 5: .stringMap("options"),
        ],
        "core.v1.FlockerVolumeSource": [1: .string("datasetName"), 2: .string("datasetUUID")],
        "core.v1.GCEPersistentDiskVolumeSource": [
            1: .string("pdName"), 2: .string("fsType"), 3: .int32("partition"), 4: .bool("readOnly"),
        ],
        "core.v1.GitRepoVolumeSource": [1: .string("repository"), 2: .string("revision"), 3: .string("directory")],
        "core.v1.GlusterfsVolumeSource": [1: .string("endpoints"), 2: .string("path"), 3: .bool("readOnly")],
        "core.v1.HostPathVolumeSource": [1: .string("path"), 2: .optionalString("type")],
        "core.v1.ISCSIVolumeSource": [
            1: .string("targetPortal"), 2: .string("iqn"), 3: .int32("lun"), 4: .string("iscsiInterface"),
            5: .string("fsType"), 6: .bool("readOnly"), 7: .strings("portals"), 8: .bool("chapAuthDiscovery"),
            10: .message("secretRef", "core.v1.LocalObjectReference"), 11: .bool("chapAuthSession"),
            12: .optionalString("initiatorName"),
        ],
        "core.v1.ImageVolumeSource": [1: .string("reference"), 2: .string("pullPolicy")],
        "core.v1.KeyToPath": [1: .string("key"), 2: .string("path"), 3: .int32("mode")],
        "core.v1.ModifyVolumeStatus": [1: .string("targetVolumeAttributesClassName"), 2: .string("status")],
        "core.v1.NFSVolumeSource": [1: .string("server"), 2: .string("path"), 3: .bool("readOnly")],
        "core.v1.PersistentVolumeClaim": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "core.v1.PersistentVolumeClaimSpec"),
            3: .message("status", "core.v1.PersistentVolumeClaimStatus"),
        ],
        "core.v1.PersistentVolumeClaimCondition": [
            1: .string("type"), 2: .string("status"), 3: .message("lastProbeTime", "meta.v1.Time"),
            4: .message("lastTransitionTime", "meta.v1.Time"), 5: .string("reason"), 6: .string("message"),
        ],
        "core.v1.PersistentVolumeClaimSpec": [
            1: .strings("accessModes"), 2: .message("resources", "core.v1.VolumeResourceRequirements"),
            3: .string("volumeName"), 4: .message("selector", "meta.v1.LabelSelector"),
            5: .optionalString("storageClassName"), 6: .optionalString("volumeMode"),
            7: .message("dataSource", "core.v1.TypedLocalObjectReference"),
            8: .message("dataSourceRef", "core.v1.TypedObjectReference"),
            9: .optionalString("volumeAttributesClassName"),
        ],
        "core.v1.PersistentVolumeClaimStatus": [
            1: .string("phase"), 2: .strings("accessModes"), 3: .map("capacity", "resource.Quantity"),
            4: .messages("conditions", "core.v1.PersistentVolumeClaimCondition"),
            5: .map("allocatedResources", "resource.Quantity"), 7: .stringMap("allocatedResourceStatuses"),
            8: .optionalString("currentVolumeAttributesClassName"),
            9: .message("modifyVolumeStatus", "core.v1.ModifyVolumeStatus"),
        ],
        "core.v1.PersistentVolumeClaimTemplate": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "core.v1.PersistentVolumeClaimSpec"),
        ],
        "core.v1.PersistentVolumeClaimVolumeSource": [1: .string("claimName"), 2: .bool("readOnly")],
        "core.v1.PhotonPersistentDiskVolumeSource": [1: .string("pdID"), 2: .string("fsType")],
        "core.v1.PortworxVolumeSource": [1: .string("volumeID"), 2: .string("fsType"), 3: .bool("readOnly")],
        "core.v1.ProjectedVolumeSource": [
            1: .messages("sources", "core.v1.VolumeProjection"), 2: .int32("defaultMode"),
        ],
        "core.v1.QuobyteVolumeSource": [
            1: .string("registry"), 2: .string("volume"), 3: .bool("readOnly"), 4: .string("user"),
            5: .string("group"), 6: .string("tenant"),
        ],
        "core.v1.RBDVolumeSource": [
            1: .strings("monitors"), 2: .string("image"), 3: .string("fsType"), 4: .string("pool"), 5: .string("user"),
            6: .string("keyring"), 7: .message("secretRef", "core.v1.LocalObjectReference"), 8: .bool("readOnly"),
        ],
        "core.v1.ScaleIOVolumeSource": [
            1: .string("gateway"), 2: .string("system"), 3: .message("secretRef", "core.v1.LocalObjectReference"),
            4: .bool("sslEnabled"), 5: .string("protectionDomain"), 6: .string("storagePool"),
            7: .string("storageMode"), 8: .string("volumeName"), 9: .string("fsType"), 10: .bool("readOnly"),
        ],
        "core.v1.SecretProjection": [
            1: .inline("core.v1.LocalObjectReference"), 2: .messages("items", "core.v1.KeyToPath"),
            4: .bool("optional"),
        ],
        "core.v1.SecretVolumeSource": [
            1: .string("secretName"), 2: .messages("items", "core.v1.KeyToPath"), 3: .int32("defaultMode"),
            4: .bool("optional"),
        ],
        "core.v1.ServiceAccountTokenProjection": [
            1: .string("audience"), 2: .int64("expirationSeconds"), 3: .string("path"),
        ],
        "core.v1.StorageOSVolumeSource": [
            1: .string("volumeName"), 2: .string("volumeNamespace"), 3: .string("fsType"), 4: .bool("readOnly"),
            5: .message("secretRef", "core.v1.LocalObjectReference"),
        ],
        "core.v1.TypedLocalObjectReference": [1: .optionalString("apiGroup"), 2: .string("kind"), 3: .string("name")],
        "core.v1.TypedObjectReference": [
            1: .optionalString("apiGroup"), 2: .string("kind"), 3: .string("name"), 4: .optionalString("namespace"),
        ],
        "core.v1.Volume": [1: .string("name"), 2: .inline("core.v1.VolumeSource")],
        "core.v1.VolumeProjection": [
            1: .message("secret", "core.v1.SecretProjection"),
            2: .message("downwardAPI", "core.v1.DownwardAPIProjection"),
            3: .message("configMap", "core.v1.ConfigMapProjection"),
            4: .message("serviceAccountToken", "core.v1.ServiceAccountTokenProjection"),
            5: .message("clusterTrustBundle", "core.v1.ClusterTrustBundleProjection"),
        ],
        "core.v1.VolumeResourceRequirements": [
            1: .map("limits", "resource.Quantity"), 2: .map("requests", "resource.Quantity"),
        ],
        "core.v1.VolumeSource": [
            1: .message("hostPath", "core.v1.HostPathVolumeSource"),
            2: .message("emptyDir", "core.v1.EmptyDirVolumeSource"),
            3: .message("gcePersistentDisk", "core.v1.GCEPersistentDiskVolumeSource"),
            4: .message("awsElasticBlockStore", "core.v1.AWSElasticBlockStoreVolumeSource"),
            5: .message("gitRepo", "core.v1.GitRepoVolumeSource"), 6: .message("secret", "core.v1.SecretVolumeSource"),
            7: .message("nfs", "core.v1.NFSVolumeSource"), 8: .message("iscsi", "core.v1.ISCSIVolumeSource"),
            9: .message("glusterfs", "core.v1.GlusterfsVolumeSource"),
            10: .message("persistentVolumeClaim", "core.v1.PersistentVolumeClaimVolumeSource"),
            11: .message("rbd", "core.v1.RBDVolumeSource"), 12: .message("flexVolume", "core.v1.FlexVolumeSource"),
            13: .message("cinder", "core.v1.CinderVolumeSource"), 14: .message("cephfs", "core.v1.CephFSVolumeSource"),
            15: .message("flocker", "core.v1.FlockerVolumeSource"),
            16: .message("downwardAPI", "core.v1.DownwardAPIVolumeSource"),
            17: .message("fc", "core.v1.FCVolumeSource"), 18: .message("azureFile", "core.v1.AzureFileVolumeSource"),
            19: .message("configMap", "core.v1.ConfigMapVolumeSource"),
            20: .message("vsphereVolume", "core.v1.VsphereVirtualDiskVolumeSource"),
            21: .message("quobyte", "core.v1.QuobyteVolumeSource"),
            22: .message("azureDisk", "core.v1.AzureDiskVolumeSource"),
            23: .message("photonPersistentDisk", "core.v1.PhotonPersistentDiskVolumeSource"),
            24: .message("portworxVolume", "core.v1.PortworxVolumeSource"),
            25: .message("scaleIO", "core.v1.ScaleIOVolumeSource"),
            26: .message("projected", "core.v1.ProjectedVolumeSource"),
            27: .message("storageos", "core.v1.StorageOSVolumeSource"), 28: .message("csi", "core.v1.CSIVolumeSource"),
            29: .message("ephemeral", "core.v1.EphemeralVolumeSource"),
            30: .message("image", "core.v1.ImageVolumeSource"),
        ],
        "core.v1.VsphereVirtualDiskVolumeSource": [
            1: .string("volumePath"), 2: .string("fsType"), 3: .string("storagePolicyName"),
            4: .string("storagePolicyID"),
        ],
    ]
}
