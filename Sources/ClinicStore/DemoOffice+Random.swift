import RecordLog

/// The demo generator's seeded random source: xoshiro256** seeded through SplitMix64.
///
/// Every choice the generator makes (names, times, codes, amounts, ids) is drawn from one `DemoRandom`, in a fixed
/// order, so that a seed always yields the same office history. It is not cryptographically secure and is never
/// used for keys or nonces: those come from the store environment's random source.
struct DemoRandom: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole sequence is fixed by `seed`.
    init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    /// A uniformly drawn integer of `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// A uniformly drawn integer of `range`.
    mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
        Int64.random(in: range, using: &self)
    }

    /// True with probability `probability` (0 ... 1).
    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < probability
    }

    /// A value drawn uniformly from [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// An element of the non-empty `elements`, uniformly.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        precondition(!elements.isEmpty, "pick needs at least one element")
        return elements[Int.random(in: 0..<elements.count, using: &self)]
    }

    /// An index of `weights`, drawn with probability proportional to its weight (weights are not negative and do
    /// not all vanish).
    mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "weightedIndex needs a positive total weight")
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return weights.count - 1
    }

    /// A new random (version 4) event id.
    mutating func eventID() -> EventID {
        EventID.random(using: &self)
    }

    /// A value near `mean`, roughly normal with standard deviation `deviation` (the sum of three uniform draws).
    mutating func around(_ mean: Double, deviation: Double) -> Double {
        let sum = unit() + unit() + unit() - 1.5
        return mean + sum * 2 * deviation
    }
}
