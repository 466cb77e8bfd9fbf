import Logging

/// The limits every record, batch and append must respect, each enforced with ``RecordLogError/limitExceeded(limit:value:maximum:)``.
public struct LogLimits: Sendable, Equatable {
    /// The largest payload of one record, in bytes.
    public var recordPayloadBytesMax: Int
    /// The longest stream id, in UTF-8 bytes.
    public var streamIDBytesMax: Int
    /// The most records in one batch, and so in one append.
    public var recordsPerBatchMax: Int
    /// The largest uncompressed payload of one batch, in bytes, and so of one append.
    public var batchBytesMax: Int

    /// Creates limits; the defaults suit a clinic's events.
    public init(
        recordPayloadBytesMax: Int = 1 << 20,
        streamIDBytesMax: Int = 255,
        recordsPerBatchMax: Int = 10_000,
        batchBytesMax: Int = 8 << 20
    ) {
        self.recordPayloadBytesMax = recordPayloadBytesMax
        self.streamIDBytesMax = streamIDBytesMax
        self.recordsPerBatchMax = recordsPerBatchMax
        self.batchBytesMax = batchBytesMax
    }

    /// The hard ceilings of the on-disk format, which no configuration may pass.
    public static let formatMaximum = LogLimits(
        recordPayloadBytesMax: 64 << 20, streamIDBytesMax: 65_535, recordsPerBatchMax: 1 << 20,
        batchBytesMax: 256 << 20)
}

/// How a log is opened for writing.
public struct LogConfiguration: Sendable {
    /// A segment is sealed and a new one started once it holds this many bytes (default 64 MiB).
    public var segmentBytesMax: Int64
    /// Whether a new segment is filled with zeros up to ``segmentBytesMax`` when created, so appends overwrite
    /// allocated blocks and fdatasync need not update file metadata.
    public var preallocateSegments: Bool
    /// One sparse index entry is written per this many segment bytes (at least one per batch boundary crossed).
    public var indexIntervalBytes: Int
    /// The limits on records, batches and appends.
    public var limits: LogLimits
    /// How long to wait for another writer to release the lock; 0 fails at once.
    public var lockTimeoutMilliseconds: Int
    /// How long a commit waits for more appends when fewer are queued than in the previous group (0: never waits);
    /// the wait ends as soon as as many are queued. A lone appender never waits; concurrent appenders share more
    /// fdatasyncs.
    public var groupCommitWaitMicroseconds: Int
    /// The clock that gives recorded times.
    public var clock: any WallClock
    /// Where diagnostics go (never record contents).
    public var logger: Logger

    /// Creates a configuration.
    public init(
        segmentBytesMax: Int64 = 64 << 20,
        preallocateSegments: Bool = true,
        indexIntervalBytes: Int = 4096,
        limits: LogLimits = LogLimits(),
        lockTimeoutMilliseconds: Int = 0,
        groupCommitWaitMicroseconds: Int = 1_000,
        clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) {
        self.segmentBytesMax = segmentBytesMax
        self.preallocateSegments = preallocateSegments
        self.indexIntervalBytes = indexIntervalBytes
        self.limits = limits
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        self.groupCommitWaitMicroseconds = groupCommitWaitMicroseconds
        self.clock = clock
        self.logger = logger
    }
}
