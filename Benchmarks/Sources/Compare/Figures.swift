/// Every run's value of every figure, by name, in the order they were first measured.
struct Figures {
    private(set) var runs: [String: [Double]] = [:]
    private(set) var names: [String] = []

    /// Adds one run's value of `name`.
    mutating func add(_ name: String, _ value: Double) {
        if runs[name] == nil { names.append(name) }
        runs[name, default: []].append(value)
    }

    /// Every run's value of `name`.
    func values(_ name: String) -> [Double] { runs[name] ?? [] }

    /// The median of the runs of `name` (the mean of the two middle values for an even count; 0 when none).
    func median(_ name: String) -> Double { medianOf(values(name)) }
}

/// The median of `values` (0 when empty).
func medianOf(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
