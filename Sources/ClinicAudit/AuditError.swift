import RecordLog

/// Everything that can stop an audit operation, with what was wrong and what to do.
///
/// Messages name files, positions, streams, event ids and document fields, never record contents.
public enum AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The log could not be read.
    case log(RecordLogError)
    /// A record of the log could not be decoded as a clinic event.
    case undecodableEvent(position: UInt64, stream: String, reason: String)
    /// No event with this id is in the log.
    case eventNotFound(EventID)
    /// The log has no stored checkpoint, or none that covers what was asked.
    case noCoveringCheckpoint(neededTreeSize: UInt64, latestTreeSize: UInt64?)
    /// A checkpoint given to a proof does not belong to this log, or does not match its records.
    case checkpointDoesNotMatchLog(treeSize: UInt64, reason: String)
    /// A proof file is not a well-formed document of the expected kind.
    case malformedDocument(field: String, reason: String)
    /// A consistency proof was asked from a larger checkpoint to a smaller one.
    case checkpointsOutOfOrder(oldTreeSize: UInt64, newTreeSize: UInt64)
    /// A diff was asked from a later moment to an earlier one.
    case momentsOutOfOrder

    public var description: String {
        switch self {
        case .log(let error):
            return "\(error)"
        case .undecodableEvent(let position, let stream, let reason):
            return "the event at position \(position) (stream \(stream)) cannot be decoded: \(reason); "
                + "run `clinic audit verify` and check the event catalogue version"
        case .eventNotFound(let id):
            return "no event with id \(id) is in the log; check the id"
        case .noCoveringCheckpoint(let needed, let latest):
            let latestText = latest.map { "the latest covers \($0) records" } ?? "the log has no checkpoint"
            return "no stored checkpoint covers \(needed) records (\(latestText)); take a checkpoint first"
        case .checkpointDoesNotMatchLog(let treeSize, let reason):
            return "the checkpoint of \(treeSize) records does not match this log: \(reason); run `clinic audit verify`"
        case .malformedDocument(let field, let reason):
            return "the proof document is malformed at \(field): \(reason)"
        case .checkpointsOutOfOrder(let old, let new):
            return "a consistency proof goes from the smaller checkpoint to the larger one, not from \(old) to \(new) "
                + "records; swap them"
        case .momentsOutOfOrder:
            return "a diff goes from the earlier moment to the later one; swap them"
        }
    }
}
