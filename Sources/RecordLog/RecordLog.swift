import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A segmented, LZ4-compressed, append-only log of records with a verifiable Merkle history: the writer.
///
/// One writer per directory, enforced by an OS lock on the file `lock`. ``append(_:)`` returns only once its records
/// are durable (fdatasync); appends that arrive while a write is in flight are grouped into the next write and share
/// one fdatasync (group commit). Readers (``LogReader``) need no lock.
///
/// ```swift
/// let log = try RecordLog.open(directory: path, configuration: LogConfiguration(logger: logger))
/// let result = try await log.append([StreamAppend(stream: "patient-42", expectedVersion: .noStream, events: [event])])
/// ```
public final class RecordLog: Sendable {
    /// An operation waiting for the commit queue.
    private enum Operation {
        case append([StreamAppend], @Sendable (Result<AppendResult, RecordLogError>) -> Void)
        case checkpoint(CheckpointSigner, @Sendable (Result<SignedCheckpoint, RecordLogError>) -> Void)
    }

    /// What the commit queue is doing about the queued operations.
    private enum QueueState {
        /// Nothing queued, nothing scheduled.
        case idle
        /// A drain is scheduled or running on the commit queue; it takes whatever is queued.
        case draining
        /// Fewer operations are queued than the last group held: a drain starts when `target` are queued, or when the
        /// timer of wait number `wait` fires, whichever comes first. The commit queue itself is free meanwhile.
        case waiting(target: Int, wait: UInt64)
    }

    private struct Queue {
        var operations: [Operation] = []
        var state = QueueState.idle
        var closed = false
        /// How many operations the last commit group held: the next group waits for as many (up to
        /// ``LogConfiguration/groupCommitWaitMicroseconds``) before it is written.
        var lastGroupCount = 1
        /// The number of the last wait started, so that the timer of an earlier one does nothing.
        var waitCount: UInt64 = 0

        /// Starts a wait for the rest of a group when fewer operations are queued than the last group held and
        /// waiting is configured; returns its number, or nil when the queued operations should be drained now.
        mutating func startWaitIfShort(waitNanoseconds: Int) -> UInt64? {
            guard waitNanoseconds > 0, !closed, operations.count < lastGroupCount else { return nil }
            waitCount += 1
            state = .waiting(target: lastGroupCount, wait: waitCount)
            return waitCount
        }
    }

    /// The log directory.
    public let directory: String
    /// What opening the log found and repaired.
    public let recoveryReport: RecoveryReport
    private let fileSystem: any FileSystem
    private let writer: LogWriter
    private let lock: any FileLock
    private let commitQueue = DispatchQueue(label: "cliniclog.recordlog.commit")
    private let queue = Mutex(Queue())
    /// ``LogConfiguration/groupCommitWaitMicroseconds`` in nanoseconds.
    private let groupWaitNanoseconds: Int

    private init(
        directory: String, fileSystem: any FileSystem, writer: LogWriter, lock: any FileLock, report: RecoveryReport
    ) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.writer = writer
        self.lock = lock
        self.recoveryReport = report
        groupWaitNanoseconds = max(0, writer.configuration.groupCommitWaitMicroseconds) * 1_000
    }

    /// Opens the log in `directory` for writing, creating it if the directory holds no log, and recovers it.
    ///
    /// - Throws: ``RecordLogError/writerLocked(directory:)`` when another process writes to it (after
    ///   ``LogConfiguration/lockTimeoutMilliseconds``), ``RecordLogError/corruption(_:reason:)`` for damage that is not
    ///   a torn tail, ``RecordLogError/fileSystem(_:)`` for I/O failures.
    public static func open(
        directory: String, fileSystem: any FileSystem = PosixFileSystem(), configuration: LogConfiguration,
        randomSource: any RandomSource = SystemRandomSource()
    ) throws(RecordLogError) -> RecordLog {
        try validate(configuration)
        let lock: any FileLock
        do {
            try fileSystem.createDirectory(directory)
            lock = try fileSystem.lockExclusively(
                joinPath(directory, "lock"), timeoutMilliseconds: configuration.lockTimeoutMilliseconds)
        } catch let error {
            if error.code == .lockHeld { throw .writerLocked(directory: directory) }
            throw .fileSystem(error)
        }
        do {
            var recovery = Recovery(directory: directory, fileSystem: fileSystem, configuration: configuration)
            if !fileSystem.exists(joinPath(directory, Manifest.fileName)) {
                try recovery.removeSegmentsOfAnInterruptedCreation()
                try recovery.createLog(logID: randomSource.bytes(count: 16))
                configuration.logger.info("created a new log", metadata: ["directory": "\(directory)"])
            }
            let state = try recovery.recover()
            let writer = LogWriter(
                directory: directory, fileSystem: fileSystem, configuration: configuration, state: state)
            return RecordLog(
                directory: directory, fileSystem: fileSystem, writer: writer, lock: lock, report: recovery.report)
        } catch {
            lock.release()
            throw RecordLogError(wrapping: error)
        }
    }

    private static func validate(_ configuration: LogConfiguration) throws(RecordLogError) {
        let limits = configuration.limits
        let maximum = LogLimits.formatMaximum
        let checks: [(String, Int, Int)] = [
            ("record payload bytes limit", limits.recordPayloadBytesMax, maximum.recordPayloadBytesMax),
            ("stream id bytes limit", limits.streamIDBytesMax, maximum.streamIDBytesMax),
            ("records per batch limit", limits.recordsPerBatchMax, maximum.recordsPerBatchMax),
            ("batch bytes limit", limits.batchBytesMax, maximum.batchBytesMax),
        ]
        for (name, value, ceiling) in checks where value < 1 || value > ceiling {
            throw .invalidConfiguration(reason: "the \(name) is \(value); it must be between 1 and \(ceiling)")
        }
        guard configuration.segmentBytesMax >= 4096, configuration.indexIntervalBytes >= 1 else {
            throw .invalidConfiguration(
                reason: "the segment size must be at least 4096 bytes and the index interval at least 1 byte")
        }
    }

    /// Appends events to one or more streams atomically, returning once they are durable.
    ///
    /// All streams' expected versions are checked, and every event is stored, or nothing is. An append whose event
    /// ids are all stored already by an identical earlier append returns the stored positions and writes nothing.
    /// An append that fails with a storage error may or may not be stored: retry it with the same event ids.
    public func append(_ appends: [StreamAppend]) async throws(RecordLogError) -> AppendResult {
        let result = await withCheckedContinuation { continuation in
            submit(.append(appends, { continuation.resume(returning: $0) }))
        }
        return try result.get()
    }

    /// Appends, blocking the calling thread until the append is durable. Never call it from a commit callback.
    public func appendAndWait(_ appends: [StreamAppend]) throws(RecordLogError) -> AppendResult {
        let box = ResultBox<AppendResult>()
        submit(.append(appends, { box.set($0) }))
        return try box.wait().get()
    }

    /// Signs a checkpoint of the whole log as it is once every earlier append is durable, and stores it durably.
    public func checkpoint(signer: CheckpointSigner) async throws(RecordLogError) -> SignedCheckpoint {
        let result = await withCheckedContinuation { continuation in
            submit(.checkpoint(signer, { continuation.resume(returning: $0) }))
        }
        return try result.get()
    }

    /// Signs and stores a checkpoint, blocking the calling thread.
    public func checkpointAndWait(signer: CheckpointSigner) throws(RecordLogError) -> SignedCheckpoint {
        let box = ResultBox<SignedCheckpoint>()
        submit(.checkpoint(signer, { box.set($0) }))
        return try box.wait().get()
    }

    /// The position the next record will get: the number of records in the log.
    public var nextPosition: UInt64 {
        commitQueue.sync { writer.nextPosition }
    }

    /// The version of `stream`'s last event (0 when it has none, or when the sealed segments' indexes and segments
    /// cannot be read to find it: an append that expects that version is then checked again, and refused with the
    /// storage error). ``streamVersion(of:)`` throws the error instead.
    public func version(of stream: String) -> UInt64 {
        (try? streamVersion(of: stream)) ?? 0
    }

    /// The version of `stream`'s last event (0 when it has none). A stream of the sealed segments is looked up in
    /// their index files the first time it is asked for.
    public func streamVersion(of stream: String) throws(RecordLogError) -> UInt64 {
        let result = commitQueue.sync { () -> Result<UInt64, RecordLogError> in
            do throws(RecordLogError) { return .success(try writer.streamVersion(of: stream)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The position of the stored event with id `eventID`, or nil when no event has it.
    ///
    /// A command path uses it to answer a retried command (same id) with the original result before deciding again.
    public func position(of eventID: EventID) throws(RecordLogError) -> UInt64? {
        do {
            return try commitQueue.sync { try writer.storedPosition(of: eventID) }
        } catch {
            throw RecordLogError(wrapping: error)
        }
    }

    /// How many operations wait in the commit queue now (not counting a group being written); for tests.
    var queuedOperationCount: Int {
        queue.withLock { $0.operations.count }
    }

    /// The Merkle root of the whole log now.
    public var root: MerkleDigest {
        commitQueue.sync { writer.state.frontier.root }
    }

    /// The log's id, fixed when it was created.
    public var logID: [UInt8] {
        commitQueue.sync { writer.state.manifest.logID }
    }

    /// A reader of this log's directory.
    public func reader() -> LogReader {
        LogReader(directory: directory, fileSystem: fileSystem)
    }

    /// Waits for queued appends, closes the files and releases the writer lock. Later appends fail with
    /// ``RecordLogError/closed``.
    public func close() {
        let wasClosed = queue.withLock { queue in
            let was = queue.closed
            queue.closed = true
            return was
        }
        guard !wasClosed else { return }
        commitQueue.sync {
            drainRemaining()
            writer.close()
        }
        lock.release()
    }

    private func submit(_ operation: Operation) {
        enum Next {
            case refuse, drain
            case startWait(UInt64)
            case nothing
        }
        let next = queue.withLock { queue -> Next in
            if queue.closed { return .refuse }
            queue.operations.append(operation)
            switch queue.state {
            case .draining:
                return .nothing
            case .waiting(let target, _):
                guard queue.operations.count >= target else { return .nothing }
            case .idle:
                if let wait = queue.startWaitIfShort(waitNanoseconds: groupWaitNanoseconds) { return .startWait(wait) }
            }
            queue.state = .draining
            return .drain
        }
        switch next {
        case .refuse:
            switch operation {
            case .append(_, let complete): complete(.failure(.closed))
            case .checkpoint(_, let complete): complete(.failure(.closed))
            }
        case .drain:
            commitQueue.async { self.drain(waited: false) }
        case .startWait(let wait):
            scheduleEndOfWait(wait)
        case .nothing:
            break
        }
    }

    /// Ends wait number `wait` after ``LogConfiguration/groupCommitWaitMicroseconds``: whatever is queued then is
    /// committed, unless the wait ended earlier (enough operations arrived) or the log was closed.
    private func scheduleEndOfWait(_ wait: UInt64) {
        commitQueue.asyncAfter(deadline: .now() + .nanoseconds(groupWaitNanoseconds)) {
            let ends = self.queue.withLock { queue -> Bool in
                guard case .waiting(_, let current) = queue.state, current == wait, !queue.closed else { return false }
                queue.state = .draining
                return true
            }
            if ends { self.drain(waited: true) }
        }
    }

    /// Runs on the commit queue: takes everything queued, commits it as one group, and repeats until the queue is empty.
    ///
    /// Operations that arrive while a group is written and fdatasynced wait in the queue and form the next group.
    /// When fewer are waiting than the last group held (also when the queue was idle in between), the group waits up
    /// to ``LogConfiguration/groupCommitWaitMicroseconds`` for as many: appenders that were just answered are about
    /// to submit again, and one fdatasync for all of them beats one each. The wait ends as soon as they are there; the
    /// commit queue is free meanwhile (for ``nextPosition``, ``streamVersion(of:)`` and the like), and `waited` is
    /// true when the drain starts at the end of a wait, whose operations are then committed without waiting again.
    private func drain(waited: Bool) {
        var mayWait = !waited
        while true {
            enum Next {
                case idle
                case wait(UInt64)
                case commit([Operation])
            }
            let next = queue.withLock { queue -> Next in
                if queue.operations.isEmpty {
                    queue.state = .idle
                    return .idle
                }
                if mayWait, let wait = queue.startWaitIfShort(waitNanoseconds: groupWaitNanoseconds) {
                    return .wait(wait)
                }
                let taken = queue.operations
                queue.operations.removeAll()
                queue.lastGroupCount = taken.count
                return .commit(taken)
            }
            switch next {
            case .idle:
                return
            case .wait(let wait):
                scheduleEndOfWait(wait)
                return
            case .commit(let operations):
                commit(operations)
                mayWait = true
            }
        }
    }

    private func takeQueued() -> [Operation] {
        queue.withLock { queue -> [Operation] in
            let taken = queue.operations
            queue.operations.removeAll()
            return taken
        }
    }

    /// Runs on the commit queue during ``close()``: commits what was queued before the log closed.
    private func drainRemaining() {
        let operations = takeQueued()
        if !operations.isEmpty { commit(operations) }
    }

    private func commit(_ operations: [Operation]) {
        var index = 0
        while index < operations.count {
            switch operations[index] {
            case .checkpoint(let signer, let complete):
                complete(
                    Result { () throws(RecordLogError) in
                        do { return try writer.takeCheckpoint(signer: signer) } catch {
                            throw RecordLogError(wrapping: error)
                        }
                    })
                index += 1
            case .append:
                var group: [([StreamAppend], @Sendable (Result<AppendResult, RecordLogError>) -> Void)] = []
                while index < operations.count, case .append(let appends, let complete) = operations[index] {
                    group.append((appends, complete))
                    index += 1
                }
                commitAppends(group)
            }
        }
    }

    private func commitAppends(_ group: [([StreamAppend], @Sendable (Result<AppendResult, RecordLogError>) -> Void)]) {
        var overlay = LogWriter.GroupOverlay(nextPosition: writer.nextPosition)
        let recordedTime = writer.nextRecordedTime()
        var accepted: [LogWriter.Accepted] = []
        var waiting: [(AppendResult, @Sendable (Result<AppendResult, RecordLogError>) -> Void)] = []
        for (number, (appends, complete)) in group.enumerated() {
            let decision = writer.decide(
                appends, overlay: &overlay, recordedTime: recordedTime, updatesOverlay: number < group.count - 1)
            switch decision {
            case .refuse(let error): complete(.failure(error))
            case .alreadyStored(let result): complete(.success(result))
            case .retryOfPending(let result): waiting.append((result, complete))
            case .accept(let append):
                accepted.append(append)
                waiting.append(
                    (
                        AppendResult(
                            positions: append.records.map(\.position),
                            streamVersions: append.records.map(\.streamVersion),
                            recordedTimeMicroseconds: recordedTime, alreadyStored: false),
                        complete
                    ))
            }
        }
        guard !accepted.isEmpty else { return }
        do {
            try writer.write(accepted)
        } catch {
            let failure = RecordLogError(wrapping: error)
            for (_, complete) in waiting { complete(.failure(failure)) }
            return
        }
        for (result, complete) in waiting { complete(.success(result)) }
    }
}

extension RecordLogError {
    /// Wraps any error thrown inside the log as a ``RecordLogError``.
    init(wrapping error: any Error) {
        if let error = error as? RecordLogError {
            self = error
        } else if let error = error as? FileSystemError {
            self = .fileSystem(error)
        } else {
            self = .writerStopped(cause: "unexpected error \(type(of: error))")
        }
    }
}

/// A one-shot result that a blocking caller waits for.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var result: Result<Value, RecordLogError>?

    func set(_ result: Result<Value, RecordLogError>) {
        self.result = result
        semaphore.signal()
    }

    func wait() -> Result<Value, RecordLogError> {
        semaphore.wait()
        // The semaphore orders the write in `set` before this read.
        return result ?? .failure(.closed)
    }
}
