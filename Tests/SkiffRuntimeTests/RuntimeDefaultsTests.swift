import Testing
@testable import SkiffRuntime

@Test func containersNestUnderTheSkiffCgroup() {
    #expect(RuntimeDefaults.cgroupParent == "skiff")
}
