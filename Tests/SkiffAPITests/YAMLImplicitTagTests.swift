import Testing
import Yams
@testable import SkiffAPI

/// The hand-written YAML 1.1 resolution against Yams' own (regular expressions), on
/// scalars chosen to sit on every edge of the patterns.
@Suite struct YAMLImplicitTagTests {
    static let samples = [
        "", "~", "null", "Null", "NULL", "nULL", "none",
        "yes", "Yes", "YES", "yEs", "no", "NO", "true", "True", "TRUE", "tRUE", "false", "on", "ON", "off", "Off", "y", "n",
        "0", "+0", "-0", "00", "007", "08", "0_", "0o17", "0o", "0o8", "-0o7", "0b101", "0b", "0b2", "+0b1_0", "0x1F", "0x", "0xg", "-0x_f",
        "1", "12", "-12", "+12", "1_000", "1__", "1:30", "1:3", "190:20:30", "1:60", "1:123", "0:30", "1:", ":30",
        "1.", "1.5", "-1.5", "+1.5", "1.5.3", "1e5", "1e+5", "1E-5", "1.5e3", "1.5e", "1e", ".5", "._", ".5e3", ".5e+3", "+.5", "-.5",
        "1:30.5", "1:30.", "0:30.5", "1:30.5e3", ".inf", "-.inf", "+.Inf", ".INF", ".iNf", ".nan", ".NaN", "-.nan", "inf", "nan",
        "1.10", "0.50", "3", "web", "a b", "<<", "=", "2026-12-04", "12:30:00", "0.0.0.0", "10.42.0.0/16", "v1", "1Gi", "500m",
        "١٢", "1 ", " 1", "-", "+", ".", "_", "1-2",
    ]

    @Test(arguments: samples)
    func agreesWithYamsDefaultResolver(_ text: String) {
        let expected: YAMLImplicitTag = switch Resolver.default.resolveTag(of: Node(text)) {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .float: .float
        default: .str
        }
        #expect(YAMLImplicitTag(text) == expected, "\(text.debugDescription)")
    }

    @Test func explicitTagsStillDecide() throws {
        let value = try YAMLReader.document("a: !!str 3\nb: !!int \"4\"\nc: !!float 2\nd: !!bool yes\ne: ! 5\n")
        #expect(value == ["a": "3", "b": "4", "c": .number("2.0"), "d": true, "e": "5"])
    }
}
