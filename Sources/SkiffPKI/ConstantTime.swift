/// Comparisons whose duration does not depend on where two secrets differ, so a
/// client timing the answers to its guesses learns nothing about the secret.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. Every byte of the longer one is
    /// read whatever the contents; only the lengths' inequality shows in timing.
    public static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let left = Array(a)
        let right = Array(b)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    /// Whether two strings have the same UTF-8 bytes, in constant time.
    public static func equal(_ a: String, _ b: String) -> Bool {
        equal(a.utf8, b.utf8)
    }
}
