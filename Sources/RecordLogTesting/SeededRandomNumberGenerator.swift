/// The SplitMix64 generator (Steele, Lea and Flood, 2014): small, fast, and the same on every platform, so a test or
/// benchmark with a given seed always sees the same data. Not for anything that needs unpredictability.
public struct SeededRandomNumberGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`; the modulo bias is negligible for the small bounds tests use.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "the bound is positive")
        return Int(next() % UInt64(bound))
    }
}
