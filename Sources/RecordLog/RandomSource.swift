/// The source of random bytes (log ids), injected so tests are deterministic.
public protocol RandomSource: Sendable {
    /// `count` random bytes.
    func bytes(count: Int) -> [UInt8]
}

/// The operating system's cryptographically secure random source.
public struct SystemRandomSource: RandomSource {
    /// Creates the system random source.
    public init() {}

    /// `count` bytes from `SystemRandomNumberGenerator`.
    public func bytes(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
