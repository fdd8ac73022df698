/// The rule and metric names of a snapshot, each written once and referred to by its number: a
/// city's 50,000 series share a handful of metric names and rule names.
struct SnapshotNames {
    private(set) var names: [String] = []
    private var numbers: [String: UInt32] = [:]

    mutating func add(_ name: String) {
        guard numbers[name] == nil else { return }
        numbers[name] = UInt32(names.count)
        names.append(name)
    }

    /// The number of a name already added.
    func number(of name: String) -> UInt32 {
        guard let number = numbers[name] else { preconditionFailure("\(name) was not added to the snapshot's names") }
        return number
    }
}
