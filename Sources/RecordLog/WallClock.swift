#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The source of wall-clock time for recorded times, injected so tests and replays are deterministic.
///
/// The log never lets recorded time move backwards, even when a clock does (see ``RecordedTimeSource``).
public protocol WallClock: Sendable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    func nowMicroseconds() -> Int64
}

/// The operating system's real-time clock (`clock_gettime(CLOCK_REALTIME)`).
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}

    /// Microseconds since 1970-01-01T00:00:00Z, from `clock_gettime(CLOCK_REALTIME)`.
    public func nowMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
    }
}

/// Hands out recorded times that never move backwards: the later of the clock and the last time handed out.
struct RecordedTimeSource {
    private(set) var lastMicroseconds: Int64

    init(lastMicroseconds: Int64) {
        self.lastMicroseconds = lastMicroseconds
    }

    mutating func next(from clock: any WallClock) -> Int64 {
        let now = clock.nowMicroseconds()
        if now > lastMicroseconds {
            lastMicroseconds = now
        }
        return lastMicroseconds
    }
}
