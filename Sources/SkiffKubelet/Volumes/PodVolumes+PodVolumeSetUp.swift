/// The volume manager is what the pod workers set volumes up with.
extension PodVolumes: PodVolumeSetUp {}
