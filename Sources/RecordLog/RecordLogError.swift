/// Where in the log something was found: a file, and a byte offset and position range when known.
public struct LogLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file name inside the log directory, such as `00000000000000000000.segment`.
    public var file: String
    /// The byte offset in the file, when the problem is at a known place.
    public var offset: Int64?
    /// The global positions concerned, when known.
    public var positions: Range<UInt64>?

    /// Creates a location.
    public init(file: String, offset: Int64? = nil, positions: Range<UInt64>? = nil) {
        self.file = file
        self.offset = offset
        self.positions = positions
    }

    public var description: String {
        var text = file
        if let offset { text += " at byte \(offset)" }
        if let positions { text += " (positions \(positions.lowerBound)..<\(positions.upperBound))" }
        return text
    }
}

/// Everything that can go wrong with a record log, with what was wrong, where, and what to do.
///
/// Messages name files, offsets, streams and positions, never record contents.
public enum RecordLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stream was not at the version the append expected; nothing was appended.
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64)
    /// An event id of the append is already stored, but the append is not an exact retry of the stored one.
    case conflictingRetry(eventID: EventID, storedAt: UInt64)
    /// The same event id appears twice in one append.
    case duplicateEventInAppend(eventID: EventID)
    /// A value is outside a configured limit (record size, batch size, records per batch, stream id length).
    case limitExceeded(limit: String, value: Int, maximum: Int)
    /// The append is malformed (no events, empty stream id, invalid UTF-8 ...).
    case invalidAppend(reason: String)
    /// The log configuration is unusable (a segment size too small, a limit out of range).
    case invalidConfiguration(reason: String)
    /// Another writer holds the log's lock.
    case writerLocked(directory: String)
    /// The writer stopped after a failed fsync or an unrecoverable write error; reopen the log to recover.
    case writerStopped(cause: String)
    /// The log was closed.
    case closed
    /// Stored bytes are damaged or inconsistent somewhere other than a repairable tail.
    case corruption(LogLocation, reason: String)
    /// The log directory holds no log, or a log of an unknown format version.
    case notALog(directory: String, reason: String)
    /// A file system operation failed.
    case fileSystem(FileSystemError)
    /// A position or checkpoint that does not exist was asked for.
    case notFound(what: String)

    public var description: String {
        switch self {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            return "stream \(stream) is at version \(actual), but the append expected \(expected); "
                + "reload the stream and decide again"
        case .conflictingRetry(let eventID, let position):
            return "event \(eventID) is already stored at position \(position) with a different append; "
                + "use a new event id for a new event"
        case .duplicateEventInAppend(let eventID):
            return "event \(eventID) appears twice in one append; give every event its own id"
        case .limitExceeded(let limit, let value, let maximum):
            return "\(limit) is \(value), over the limit of \(maximum); split the append or raise the limit"
        case .invalidAppend(let reason):
            return "invalid append: \(reason)"
        case .invalidConfiguration(let reason):
            return "invalid log configuration: \(reason)"
        case .writerLocked(let directory):
            return "another process is writing to the log at \(directory); wait for it or stop it"
        case .writerStopped(let cause):
            return "the log writer stopped after \(cause); reopen the log to recover"
        case .closed:
            return "the log is closed"
        case .corruption(let location, let reason):
            return "the log is damaged in \(location): \(reason); restore from a backup and run verify"
        case .notALog(let directory, let reason):
            return "\(directory) is not a ClinicLog log: \(reason)"
        case .fileSystem(let error):
            return "storage failure: \(error)"
        case .notFound(let what):
            return "\(what) does not exist"
        }
    }
}
