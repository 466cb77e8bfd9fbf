import RecordLog

/// An event as it stands in the log: its position, its stream version, the time the log recorded it, and the
/// decoded envelope and body.
///
/// Projections, the audit replayer and the command path all read events in this shape.
public struct StoredEvent: Equatable, Sendable {
    /// The event's gapless global position in the log.
    public let position: UInt64
    /// The event's version within its stream (starting at 1).
    public let streamVersion: UInt64
    /// When the log recorded the event, in microseconds since 1970-01-01T00:00:00Z (the log's own stamp).
    public let recordedTimeMicroseconds: Int64
    /// The envelope as written.
    public let envelope: EventEnvelope
    /// The body, upcast to its current schema version.
    public let event: ClinicEvent

    /// Creates a stored event.
    public init(
        position: UInt64, streamVersion: UInt64, recordedTimeMicroseconds: Int64, envelope: EventEnvelope,
        event: ClinicEvent
    ) {
        self.position = position
        self.streamVersion = streamVersion
        self.recordedTimeMicroseconds = recordedTimeMicroseconds
        self.envelope = envelope
        self.event = event
    }
}

extension EventCodec {
    /// Decodes the record a reader handed out into a stored event.
    public func decodeStored(_ record: LogRecordView) throws -> StoredEvent {
        let decoded = try decode(record.payload)
        return StoredEvent(
            position: record.position, streamVersion: record.streamVersion,
            recordedTimeMicroseconds: record.recordedTimeMicroseconds, envelope: decoded.envelope,
            event: decoded.event)
    }

    /// Decodes a copied record into a stored event.
    public func decodeStored(_ record: LogRecord) throws -> StoredEvent {
        let decoded = try decode(record.payload)
        return StoredEvent(
            position: record.position, streamVersion: record.streamVersion,
            recordedTimeMicroseconds: record.recordedTimeMicroseconds, envelope: decoded.envelope,
            event: decoded.event)
    }
}
