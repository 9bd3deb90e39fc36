import SkiffAPI

extension Array where Element == Toleration {
    func tolerate(_ taint: Taint) -> Bool { contains { $0.tolerates(taint) } }
}
