import RecordLog

/// One thing an audit verification found wrong, which check found it, and where.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    /// The check that found a problem.
    public enum Check: String, Sendable, Equatable, CaseIterable {
        /// The storage checks of `LogVerifier`: batches, framing, continuity, manifest, indexes, stored checkpoints.
        case storage
        /// The Merkle root, signature, log id and stored copy of a checkpoint the officer exported.
        case exportedCheckpoint
        /// The consistency proof from an exported checkpoint to the log as it is now.
        case consistency
        /// Gapless stream versions starting at 1.
        case streamVersions
        /// Event ids used once in the whole log.
        case eventIDs
    }

    /// The check that found the problem.
    public var check: Check
    /// Where: the file, the byte offset when known, the positions when known.
    public var location: LogLocation
    /// What is wrong, in one sentence without record contents.
    public var reason: String

    /// Creates a problem report.
    public init(check: Check, location: LogLocation, reason: String) {
        self.check = check
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}

/// How far a verification is: segment bytes checked out of the bytes it will read.
public struct AuditProgress: Sendable, Equatable {
    /// Segment bytes read and checked so far.
    public var bytesChecked: Int64
    /// Segment bytes the verification reads in all (measured when it started).
    public var bytesTotal: Int64

    /// Creates a progress report.
    public init(bytesChecked: Int64, bytesTotal: Int64) {
        self.bytesChecked = bytesChecked
        self.bytesTotal = bytesTotal
    }

    /// The fraction done, from 0 to 1.
    public var fraction: Double { bytesTotal > 0 ? min(1, Double(bytesChecked) / Double(bytesTotal)) : 1 }
}

/// What an audit verification checked and found.
public struct AuditReport: Sendable, Equatable {
    /// Everything found wrong, in the order found; empty when the log verified.
    public var problems: [AuditProblem] = []
    /// The first position read: 0 for a whole-log verification, a segment boundary at or before the exported
    /// checkpoint's tree size for a verification since a checkpoint.
    public var firstPositionChecked: UInt64 = 0
    /// The number of records in the readable log (the position the next record gets).
    public var endPosition: UInt64 = 0
    /// Records read and checked.
    public var recordsChecked: UInt64 = 0
    /// Batches read and checked.
    public var batchesChecked: Int = 0
    /// Segment bytes read and checked.
    public var bytesChecked: Int64 = 0
    /// The Merkle root of the whole readable log.
    public var root: MerkleDigest = MerkleHash.emptyTree
    /// Stored checkpoints whose root was recomputed from the records and matched.
    public var storedCheckpointsVerified: Int = 0
    /// Stored checkpoints older than the first position checked (signature checked, root not recomputed).
    public var storedCheckpointsBeforeStart: Int = 0
    /// Exported checkpoints whose root, signature, log id and stored copy all matched.
    public var exportedCheckpointsVerified: Int = 0
    /// In a verification since a checkpoint: the consistency proof from the exported checkpoint to the latest stored
    /// checkpoint (or to the whole log when no stored checkpoint is newer), which verified when no `consistency`
    /// problem is listed.
    public var consistencyProof: ConsistencyProof?
    /// A damaged or unfinished end of the last segment (an append in flight, or a torn tail the next open cuts).
    public var unfinishedTail: LogLocation?

    /// True when nothing is wrong.
    public var isValid: Bool { problems.isEmpty }
}
