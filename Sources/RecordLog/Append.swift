/// One event to append: its client-made id and its opaque payload.
public struct AppendEvent: Sendable, Equatable {
    /// The client-made id; appending the same id again returns the stored position instead of a copy.
    public var eventID: EventID
    /// The bytes to store.
    public var payload: [UInt8]

    /// Creates an event to append.
    public init(eventID: EventID, payload: [UInt8]) {
        self.eventID = eventID
        self.payload = payload
    }
}

/// Events for one stream, with the version the stream must be at.
public struct StreamAppend: Sendable, Equatable {
    /// The stream id (UTF-8, 1 to ``LogLimits/streamIDBytesMax`` bytes).
    public var stream: String
    /// The version the stream must be at before these events.
    public var expectedVersion: ExpectedVersion
    /// The events, in order; at least one.
    public var events: [AppendEvent]

    /// Creates an append to one stream.
    public init(stream: String, expectedVersion: ExpectedVersion, events: [AppendEvent]) {
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

/// What an append stored, or found already stored.
public struct AppendResult: Sendable, Equatable {
    /// The global position of each event, in the order given.
    public var positions: [UInt64]
    /// The stream version of each event, in the order given.
    public var streamVersions: [UInt64]
    /// The recorded time of the events.
    public var recordedTimeMicroseconds: Int64
    /// True when every event was already stored by an earlier identical append and nothing was written.
    public var alreadyStored: Bool

    /// Creates a result.
    public init(positions: [UInt64], streamVersions: [UInt64], recordedTimeMicroseconds: Int64, alreadyStored: Bool) {
        self.positions = positions
        self.streamVersions = streamVersions
        self.recordedTimeMicroseconds = recordedTimeMicroseconds
        self.alreadyStored = alreadyStored
    }
}

/// What opening a log found and repaired.
public struct RecoveryReport: Sendable, Equatable {
    /// A damaged tail that was cut back to the last whole batch or checkpoint.
    public struct TailRepair: Sendable, Equatable {
        /// The damaged file.
        public var file: String
        /// Where the kept bytes end and the removed bytes began.
        public var offset: Int64
        /// How many bytes were removed (up to the last non-zero byte).
        public var removedByteCount: Int64
        /// The side file in the log directory that keeps a copy of the removed bytes.
        public var sideFile: String
    }

    /// Tails cut back on open.
    public var tailRepairs: [TailRepair] = []
    /// Index files that were missing or damaged and were rebuilt from their segments.
    public var rebuiltIndexes: [String] = []
    /// Empty segment files left by an interrupted roll and removed (they held only zeros).
    public var removedEmptySegments: [String] = []

    /// True when opening changed nothing.
    public var isClean: Bool { tailRepairs.isEmpty && rebuiltIndexes.isEmpty && removedEmptySegments.isEmpty }
}
