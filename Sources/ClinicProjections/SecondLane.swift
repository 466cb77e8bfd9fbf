import ClinicEvents
import Dispatch
import Synchronization

/// One view folded on a second thread while the calling thread reads and decodes the log (and folds other views).
///
/// The calling thread hands the decoded events over in chunks, in log order (`push(_:)`); the lane folds every event
/// from `start` on into its view, in that order, so the view ends exactly as a fold on the calling thread would leave
/// it. At most `chunkCountMax` chunks wait at a time: a lane slower than the reader holds the reader back rather than
/// let decoded events pile up in memory. `finish()` waits for the lane to fold the last chunk and returns the view.
final class SecondLane<View: Projection>: Sendable {
    /// The events in one chunk handed to the lane.
    static var chunkEventCount: Int { 2048 }
    /// The chunks that may wait for the lane at once.
    static var chunkCountMax: Int { 8 }

    private let queue = Mutex<(chunks: [[StoredEvent]], finished: Bool)>(([], false))
    private let available = DispatchSemaphore(value: 0)
    private let space = DispatchSemaphore(value: SecondLane.chunkCountMax)
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<View?>(nil)

    /// Starts folding into `view` the events pushed from position `start` on (earlier ones are skipped).
    init(view: View, from start: UInt64) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            var view = view
            while let chunk = pop() {
                // Each event is folded where it lies in the chunk, not copied out first.
                chunk.withUnsafeBufferPointer { events in
                    for index in events.indices where events[index].position >= start { view.apply(events[index]) }
                }
            }
            let folded = view
            result.withLock { $0 = folded }
            done.signal()
        }
    }

    /// Hands the lane the next events, in log order; waits while `chunkCountMax` chunks are waiting.
    func push(_ chunk: [StoredEvent]) {
        space.wait()
        queue.withLock { $0.chunks.append(chunk) }
        available.signal()
    }

    /// Ends the input, waits for the lane to fold every chunk pushed, and returns the view.
    func finish() -> View {
        queue.withLock { $0.finished = true }
        available.signal()
        done.wait()
        guard let view = result.withLock({ $0 }) else { preconditionFailure("a finished lane holds its view") }
        return view
    }

    /// The next chunk, waiting for it; nil once the input ended and every chunk was taken.
    private func pop() -> [StoredEvent]? {
        available.wait()
        let chunk: [StoredEvent]? = queue.withLock { $0.chunks.isEmpty ? nil : $0.chunks.removeFirst() }
        if chunk != nil { space.signal() }
        return chunk
    }
}
