import Dispatch

/// Runs `side` on another thread while `main` runs on the calling thread, and returns once both have finished: the
/// append path's way to use the second core for one large batch (its Merkle leaves hashed while LZ4 compresses it, its
/// index updated while fdatasync runs). Small batches do not use it; a hand-over costs some 10 to 30 µs.
func runAlongside(_ side: @escaping @Sendable () -> Void, _ main: () -> Void) {
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global(qos: .userInitiated).async {
        side()
        done.signal()
    }
    main()
    done.wait()
}

/// A value handed to the other thread of ``runAlongside(_:_:)``: memory that only that thread touches until both
/// sides have finished.
struct HandedOver<Value>: @unchecked Sendable {
    let value: Value
}

/// The fewest records of a batch whose leaves are hashed, and whose index is updated, beside its compression and its
/// fdatasync (``runAlongside(_:_:)``).
let recordsHandedOverMin = 128
