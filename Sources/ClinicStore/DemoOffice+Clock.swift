import RecordLog
import Synchronization

/// The wall clock of a simulated office history: it reads what the generator sets and only ever moves forward.
///
/// `DemoOffice.generate` hands it to the store in place of the environment's clock and moves it through the
/// simulated years, so that every rule that looks at "now" (no booking in the past, no effective time in the future,
/// no disclosure in the future) sees the simulated moment, and recorded times are historic.
public final class DemoClock: WallClock {
    private let microseconds: Mutex<Int64>

    /// Creates a clock reading `microseconds` since 1970-01-01T00:00:00Z.
    public init(microseconds: Int64) {
        self.microseconds = Mutex(microseconds)
    }

    /// The current reading in microseconds since 1970-01-01T00:00:00Z.
    public func nowMicroseconds() -> Int64 {
        microseconds.withLock { $0 }
    }

    /// Moves the clock to `target` microseconds since 1970, or leaves it where it is when `target` is earlier: the
    /// simulated time never runs backwards. Returns the reading afterwards.
    @discardableResult
    public func advance(to target: Int64) -> Int64 {
        microseconds.withLock { now in
            now = max(now, target)
            return now
        }
    }
}
