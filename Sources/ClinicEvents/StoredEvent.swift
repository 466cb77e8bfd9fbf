import RecordLog

/// An event as it stands in the log: its position, its stream version, the time the log recorded it, the decoded
/// envelope and body, and whether the body's patient data was withheld.
///
/// Projections, the audit replayer and the command path all read events in this shape.
///
/// The body is stored before the envelope, as in `DecodedEvent`: see there why.
public struct StoredEvent: Equatable, Sendable {
    /// The event's gapless global position in the log.
    public let position: UInt64
    /// The event's version within its stream (starting at 1).
    public let streamVersion: UInt64
    /// When the log recorded the event, in microseconds since 1970-01-01T00:00:00Z (the log's own stamp).
    public let recordedTimeMicroseconds: Int64
    /// The body, upcast to its current schema version.
    public let event: ClinicEvent
    /// The envelope as written.
    public let envelope: EventEnvelope
    /// Whether a sealed value of the body was replaced by its placeholder (decoded without a keyring, or the patient
    /// was erased).
    public let patientDataWithheld: Bool
    /// Whether the placeholders stand for an erased patient's data.
    public let patientDataErased: Bool

    /// Creates a stored event; `patientDataErased` implies `patientDataWithheld`.
    public init(
        position: UInt64, streamVersion: UInt64, recordedTimeMicroseconds: Int64, envelope: EventEnvelope,
        event: ClinicEvent, patientDataWithheld: Bool = false, patientDataErased: Bool = false
    ) {
        self.position = position
        self.streamVersion = streamVersion
        self.recordedTimeMicroseconds = recordedTimeMicroseconds
        self.envelope = envelope
        self.event = event
        self.patientDataWithheld = patientDataWithheld || patientDataErased
        self.patientDataErased = patientDataErased
    }

    /// Creates a stored event from a decoded one and the log's record of it.
    public init(position: UInt64, streamVersion: UInt64, recordedTimeMicroseconds: Int64, decoded: DecodedEvent) {
        self.init(
            position: position, streamVersion: streamVersion, recordedTimeMicroseconds: recordedTimeMicroseconds,
            envelope: decoded.envelope, event: decoded.event, patientDataWithheld: decoded.patientDataWithheld,
            patientDataErased: decoded.patientDataErased)
    }
}

extension EventCodec {
    /// Decodes the record a reader handed out into a stored event, with its patient data withheld.
    public func decodeStored(_ record: LogRecordView) throws -> StoredEvent {
        try decodeStored(record, opening: nil)
    }

    /// Decodes the record a reader handed out into a stored event; patient data is opened with `keyring`, or withheld
    /// (placeholders, no decryption) when it is nil.
    public func decodeStored(_ record: LogRecordView, opening keyring: PatientKeyring?) throws -> StoredEvent {
        try decodeStored(
            record.payload, position: record.position, streamVersion: record.streamVersion,
            recordedTimeMicroseconds: record.recordedTimeMicroseconds, opening: keyring)
    }

    /// Decodes a copied record into a stored event, with its patient data withheld.
    public func decodeStored(_ record: LogRecord) throws -> StoredEvent {
        try decodeStored(record, opening: nil)
    }

    /// Decodes a copied record into a stored event; patient data is opened with `keyring`, or withheld when it is nil.
    public func decodeStored(_ record: LogRecord, opening keyring: PatientKeyring?) throws -> StoredEvent {
        try record.payload.withUnsafeBytes { payload in
            try decodeStored(
                payload, position: record.position, streamVersion: record.streamVersion,
                recordedTimeMicroseconds: record.recordedTimeMicroseconds, opening: keyring)
        }
    }

    /// Decodes `payload` as `decode(_:opening:)` does into a stored event with the log's record of it, built in place.
    @inline(__always)
    private func decodeStored(
        _ payload: UnsafeRawBufferPointer, position: UInt64, streamVersion: UInt64, recordedTimeMicroseconds: Int64,
        opening keyring: PatientKeyring?
    ) throws -> StoredEvent {
        if let common = Self.commonShape(of: payload, eventTypes: eventTypes) {
            let body = try Self.readCurrentBody(of: payload, common, opening: keyring)
            return StoredEvent(
                position: position, streamVersion: streamVersion, recordedTimeMicroseconds: recordedTimeMicroseconds,
                envelope: common.envelope(in: payload, eventTypes: eventTypes), event: body.event,
                patientDataWithheld: body.withholding != nil, patientDataErased: body.withholding == .erased)
        }
        return try decodeGeneralStored(
            payload, position: position, streamVersion: streamVersion,
            recordedTimeMicroseconds: recordedTimeMicroseconds, opening: keyring)
    }

    /// Decodes `payload` with `decodeGeneral(_:opening:eventTypes:)` into a stored event. Out of line, so that the
    /// common path builds its own result in place rather than through a result shared with this one.
    @inline(never)
    private func decodeGeneralStored(
        _ payload: UnsafeRawBufferPointer, position: UInt64, streamVersion: UInt64, recordedTimeMicroseconds: Int64,
        opening keyring: PatientKeyring?
    ) throws -> StoredEvent {
        let decoded = try decodeGeneral(payload, opening: keyring, eventTypes: eventTypes)
        return StoredEvent(
            position: position, streamVersion: streamVersion, recordedTimeMicroseconds: recordedTimeMicroseconds,
            envelope: decoded.envelope, event: decoded.event, patientDataWithheld: decoded.withholding != nil,
            patientDataErased: decoded.withholding == .erased)
    }
}
