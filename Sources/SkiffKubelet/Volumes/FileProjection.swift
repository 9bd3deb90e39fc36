/// One file of a volume's content: its bytes and permission bits (upstream's
/// volumeutil.FileProjection).
struct FileProjection: Equatable, Sendable {
    var data: [UInt8]
    var mode: Int32

    init(_ data: [UInt8], mode: Int32) {
        self.data = data
        self.mode = mode
    }

    init(_ text: String, mode: Int32) {
        self.init(Array(text.utf8), mode: mode)
    }
}

/// A volume's whole content by relative path (`key`, or an item's `path` such as
/// `conf/app.yaml`).
typealias VolumePayload = [String: FileProjection]

/// The mode of files when a volume source sets no defaultMode (the API's default).
let defaultVolumeFileMode: Int32 = 0o644
