import Dispatch
import Synchronization

/// Work started on another thread at once, whose result the starting thread takes with `wait()` (once).
///
/// For independent work of the same size on this 2-core machine's two cores: saving or hashing the ledger while the
/// calling thread saves or hashes the other views.
final class ConcurrentWork<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Value?>(nil)

    /// Starts `work` on another thread.
    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let value = work()
            result.withLock { $0 = value }
            done.signal()
        }
    }

    /// Waits for the work to end and returns its result; call it once.
    func wait() -> Value {
        done.wait()
        guard let value = result.withLock({ $0.take() }) else { preconditionFailure("the work's result is taken once") }
        return value
    }
}
