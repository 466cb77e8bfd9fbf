import Synchronization

/// A source of random bytes for patient data keys, master keys and nonces, passed in so tests can be deterministic.
///
/// Production code passes `RandomByteSource.system()`, backed by the operating system's cryptographically secure
/// generator; tests pass a seeded generator. Domain code never reaches for a random source of its own.
public final class RandomByteSource: Sendable {
    private let generator: Mutex<any RandomNumberGenerator & Sendable>

    /// Creates a source that draws from `generator`; it must be cryptographically secure outside tests.
    public init(_ generator: some RandomNumberGenerator & Sendable) {
        self.generator = Mutex(generator)
    }

    /// Makes a source backed by the operating system's cryptographically secure random generator.
    public static func system() -> RandomByteSource {
        RandomByteSource(SystemRandomNumberGenerator())
    }

    /// Returns `count` random bytes.
    public func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "a byte count is never negative")
        return generator.withLock { generator in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count + 8)
            while bytes.count < count {
                withUnsafeBytes(of: generator.next().littleEndian) { bytes.append(contentsOf: $0) }
            }
            bytes.removeLast(bytes.count - count)
            return bytes
        }
    }
}
