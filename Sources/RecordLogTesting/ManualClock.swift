import RecordLog
import Synchronization

/// A ``WallClock`` that moves only when a test moves it, forwards or backwards.
///
/// Setting it back simulates a wall-clock step (an NTP correction or a staff member fixing the time), which the log
/// must survive without recording times that go backwards.
public final class ManualClock: WallClock {
    /// The current reading in microseconds since 1970-01-01T00:00:00Z.
    private let microseconds: Mutex<Int64>

    /// Creates a clock reading `microseconds` since 1970-01-01T00:00:00Z.
    public init(microseconds: Int64) {
        self.microseconds = Mutex(microseconds)
    }

    /// The current reading in microseconds since 1970-01-01T00:00:00Z.
    public func nowMicroseconds() -> Int64 {
        microseconds.withLock { $0 }
    }

    /// Moves the clock forwards by `delta` microseconds (not negative; use ``set(microseconds:)`` to go back).
    public func advance(byMicroseconds delta: Int64) {
        precondition(delta >= 0, "ManualClock.advance needs a delta that is not negative; use set(microseconds:)")
        microseconds.withLock { $0 += delta }
    }

    /// Sets the clock to `microseconds` since 1970-01-01T00:00:00Z, which may be earlier than the current reading.
    public func set(microseconds newValue: Int64) {
        microseconds.withLock { $0 = newValue }
    }
}
