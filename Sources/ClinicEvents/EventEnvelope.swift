import RecordLog

/// The metadata every event carries in front of its body: where it belongs, what it is, when, who and why.
///
/// The log's position and stream version are not part of the envelope: the log assigns and stores them (see
/// `LogRecord`). The binary layout is in `docs/events.md`.
public struct EventEnvelope: Hashable, Sendable {
    /// The leading byte of every envelope in this layout.
    public static let formatByte: UInt8 = 0x01
    /// The longest stream name accepted, in bytes.
    public static let streamByteCountMax = 256
    /// The longest event type name accepted, in bytes.
    public static let eventTypeByteCountMax = 64
    /// The longest reason accepted, in bytes.
    public static let reasonByteCountMax = 1024

    /// The rule an envelope broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The stream name is empty or longer than `streamByteCountMax` bytes.
        case streamLength
        /// The event type name is empty, longer than `eventTypeByteCountMax`, or not ASCII letters and digits.
        case eventTypeShape
        /// The schema version is 0; versions start at 1.
        case schemaVersionZero
        /// The reason is longer than `reasonByteCountMax` bytes.
        case reasonLength
    }

    /// The stream the event belongs to (a patient, an appointment, an account, the office).
    public let stream: String
    /// The client-made id of the event.
    public let eventID: EventID
    /// The name of the event type, e.g. `PatientRegistered`.
    public let eventType: String
    /// The schema version of the body as it was written.
    public let schemaVersion: UInt32
    /// When the engine recorded the event, in microseconds since 1970-01-01T00:00:00Z.
    public let recordedTimeMicroseconds: Int64
    /// When, as staff state it, the event happened, in microseconds since 1970-01-01T00:00:00Z; may be earlier.
    public let effectiveTimeMicroseconds: Int64
    /// The staff member who issued the event.
    public let actorStaffID: StaffID
    /// The role the staff member acted in.
    public let actorRole: StaffRole
    /// Why the event was issued, when a reason is required or given (a correction, a late entry, a break-glass).
    public let reason: String?
    /// The id shared by all events of one piece of work, if any.
    public let correlationID: EventID?
    /// The id of the event that caused this one, if any.
    public let causationID: EventID?

    /// Creates an envelope, validating the stream, type name, version and reason.
    public init(
        stream: String, eventID: EventID, eventType: String, schemaVersion: UInt32,
        recordedTimeMicroseconds: Int64, effectiveTimeMicroseconds: Int64, actorStaffID: StaffID,
        actorRole: StaffRole, reason: String? = nil, correlationID: EventID? = nil, causationID: EventID? = nil
    ) throws(ValidationError) {
        try self.init(
            stream: stream, eventID: eventID, eventType: eventType, eventTypeIsChecked: false,
            schemaVersion: schemaVersion, recordedTimeMicroseconds: recordedTimeMicroseconds,
            effectiveTimeMicroseconds: effectiveTimeMicroseconds, actorStaffID: actorStaffID, actorRole: actorRole,
            reason: reason, correlationID: correlationID, causationID: causationID)
    }

    /// Creates an envelope, validating the stream, version and reason, and the type name unless `eventTypeIsChecked`
    /// (a name of the catalogue's own table).
    private init(
        stream: String, eventID: EventID, eventType: String, eventTypeIsChecked: Bool, schemaVersion: UInt32,
        recordedTimeMicroseconds: Int64, effectiveTimeMicroseconds: Int64, actorStaffID: StaffID,
        actorRole: StaffRole, reason: String?, correlationID: EventID?, causationID: EventID?
    ) throws(ValidationError) {
        guard !stream.utf8.isEmpty, stream.utf8.count <= Self.streamByteCountMax else { throw .streamLength }
        guard eventTypeIsChecked || Self.isValidEventType(eventType) else { throw .eventTypeShape }
        guard schemaVersion >= 1 else { throw .schemaVersionZero }
        if let reason, reason.utf8.count > Self.reasonByteCountMax { throw .reasonLength }
        self.init(
            checkedStream: stream, eventID: eventID, eventType: eventType, schemaVersion: schemaVersion,
            recordedTimeMicroseconds: recordedTimeMicroseconds, effectiveTimeMicroseconds: effectiveTimeMicroseconds,
            actorStaffID: actorStaffID, actorRole: actorRole, reason: reason, correlationID: correlationID,
            causationID: causationID)
    }

    /// Whether `name` is a valid event type name: 1 to 64 ASCII letters and digits.
    public static func isValidEventType(_ name: String) -> Bool {
        let bytes = name.utf8
        return !bytes.isEmpty && bytes.count <= eventTypeByteCountMax
            && bytes.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            }
    }

    /// Writes the envelope: the format byte, then each field in the order of `docs/events.md`.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeUInt8(Self.formatByte)
        encoder.writeString(stream)
        encoder.writeEventID(eventID)
        encoder.writeString(eventType)
        encoder.writeVarUInt(UInt64(schemaVersion))
        encoder.writeFixedInt64(recordedTimeMicroseconds)
        encoder.writeFixedInt64(effectiveTimeMicroseconds)
        encoder.writeString(actorStaffID.value)
        encoder.writeUInt8(actorRole.rawValue)
        encoder.writeOptional(reason) { $0.writeString($1) }
        encoder.writeOptional(correlationID) { $0.writeEventID($1) }
        encoder.writeOptional(causationID) { $0.writeEventID($1) }
    }

    /// Reads an envelope, refusing an unknown format byte and any field that breaks the envelope's rules.
    public static func decode(from decoder: inout BinaryDecoder) throws -> EventEnvelope {
        try decode(from: &decoder, eventTypes: nil).envelope
    }

    /// Creates an envelope of fields a decoder has already checked against every rule of the validating initializer
    /// (stream length, a type name of the catalogue's table, a version from 1, the reason's length).
    @inline(__always)
    init(
        checkedStream stream: String, eventID: EventID, eventType: String, schemaVersion: UInt32,
        recordedTimeMicroseconds: Int64, effectiveTimeMicroseconds: Int64, actorStaffID: StaffID,
        actorRole: StaffRole, reason: String?, correlationID: EventID?, causationID: EventID?
    ) {
        self.stream = stream
        self.eventID = eventID
        self.eventType = eventType
        self.schemaVersion = schemaVersion
        self.recordedTimeMicroseconds = recordedTimeMicroseconds
        self.effectiveTimeMicroseconds = effectiveTimeMicroseconds
        self.actorStaffID = actorStaffID
        self.actorRole = actorRole
        self.reason = reason
        self.correlationID = correlationID
        self.causationID = causationID
    }

    /// The fields of an envelope of the common shape, found by `readCommon(_:eventTypes:)` and checked against every
    /// rule of the envelope: its numbers and ids, and where its strings' bytes are (all ASCII). Only numbers, so that
    /// reading the body after it copies no string; `envelope(in:eventTypes:)` makes the envelope, strings and all.
    struct CommonShape {
        /// The index of the type's entry in the table (and of the type in `ClinicEvent.bodyTypes`).
        let eventTypeIndex: Int
        /// The schema version, from 1 to 127.
        let schemaVersion: UInt32
        /// The event id.
        let eventID: EventID
        /// The recorded time, in microseconds.
        let recordedTimeMicroseconds: Int64
        /// The effective time, in microseconds.
        let effectiveTimeMicroseconds: Int64
        /// The actor's role.
        let actorRole: StaffRole
        /// The stream name's bytes (offset 2 on): 1 to 127 ASCII bytes.
        let streamByteCount: Int
        /// The offset and length of the staff id's bytes, all allowed.
        let staffIDBytes: Range<Int>
        /// The offset and length of the reason's bytes (ASCII), nil when absent.
        let reasonBytes: Range<Int>?
        /// The correlation id, if any.
        let correlationID: EventID?
        /// The causation id, if any.
        let causationID: EventID?
        /// The offset of the first byte after the envelope.
        let bodyStart: Int

        /// The envelope of these fields in `buffer`, the payload they were read from, with the type name of
        /// `eventTypes`.
        @inline(__always)
        func envelope(in buffer: UnsafeRawBufferPointer, eventTypes: EventTypeTable) -> EventEnvelope {
            EventEnvelope(
                checkedStream: BinaryDecoder.makeString(
                    ascii: UnsafeRawBufferPointer(rebasing: buffer[2..<(2 + streamByteCount)])),
                eventID: eventID, eventType: eventTypes.entries[eventTypeIndex].name, schemaVersion: schemaVersion,
                recordedTimeMicroseconds: recordedTimeMicroseconds,
                effectiveTimeMicroseconds: effectiveTimeMicroseconds,
                actorStaffID: StaffID(
                    checkedValue: BinaryDecoder.makeString(
                        ascii: UnsafeRawBufferPointer(rebasing: buffer[staffIDBytes]))),
                actorRole: actorRole,
                reason: reasonBytes.map {
                    BinaryDecoder.makeString(ascii: UnsafeRawBufferPointer(rebasing: buffer[$0]))
                },
                correlationID: correlationID, causationID: causationID)
        }
    }

    /// Reads the fields of the envelope at the start of `buffer` when it has the common shape; nil when it has not: the
    /// caller then reads the payload with `decode(from:eventTypes:)`, which finds the same envelope or throws the error
    /// that explains it.
    ///
    /// The common shape: every length and the schema version one varint byte (but the reason's), a stream name and a
    /// reason of ASCII, a type name of `eventTypes`, a staff id of the allowed characters, and nothing
    /// `decode(from:eventTypes:)` would refuse. Nothing is allocated.
    @inline(__always)
    static func readCommon(_ buffer: UnsafeRawBufferPointer, eventTypes: EventTypeTable) -> CommonShape? {
        let count = buffer.count
        // Format byte and stream length and bytes.
        guard count >= 2, buffer[0] == formatByte else { return nil }
        let streamLength = Int(buffer[1])
        guard streamLength > 0, streamLength < 0x80, count - 2 >= streamLength,
            BinaryDecoder.isASCII(UnsafeRawBufferPointer(rebasing: buffer[2..<(2 + streamLength)]))
        else { return nil }
        var offset = 2 + streamLength
        // Event id, then the type name's length and bytes.
        guard count - offset >= 17 else { return nil }
        let eventID = EventID(
            high: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
            low: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
        let typeLength = Int(buffer[offset + 16])
        offset += 17
        guard typeLength <= eventTypeByteCountMax, count - offset >= typeLength,
            let eventTypeIndex = eventTypes.index(
                of: UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + typeLength)]))
        else { return nil }
        offset += typeLength
        // Schema version, the two times, the staff id's length and bytes.
        guard count - offset >= 18 else { return nil }
        let schemaVersion = buffer[offset]
        guard schemaVersion >= 1, schemaVersion < 0x80 else { return nil }
        let recorded = Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 1, as: Int64.self))
        let effective = Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 9, as: Int64.self))
        let staffLength = Int(buffer[offset + 17])
        offset += 18
        guard count - offset >= staffLength,
            StaffID.isValid(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + staffLength)]))
        else { return nil }
        let staffIDBytes = offset..<(offset + staffLength)
        offset += staffLength
        // Role, then the optional reason, correlation id and causation id.
        guard count - offset >= 2, let role = StaffRole(rawValue: buffer[offset]) else { return nil }
        offset += 1
        var reasonBytes: Range<Int>?
        switch buffer[offset] {
        case 0: offset += 1
        case 1:
            var decoder = BinaryDecoder(buffer: buffer, offset: offset + 1)
            guard let bytes = try? decoder.readStringBytes(field: "envelope.reason", byteCountMax: reasonByteCountMax),
                BinaryDecoder.isASCII(bytes)
            else { return nil }
            reasonBytes = (decoder.offset - bytes.count)..<decoder.offset
            offset = decoder.offset
        default: return nil
        }
        guard let correlationID = readOptionalEventID(buffer, at: &offset),
            let causationID = readOptionalEventID(buffer, at: &offset)
        else { return nil }
        return CommonShape(
            eventTypeIndex: eventTypeIndex, schemaVersion: UInt32(schemaVersion), eventID: eventID,
            recordedTimeMicroseconds: recorded, effectiveTimeMicroseconds: effective, actorRole: role,
            streamByteCount: streamLength, staffIDBytes: staffIDBytes, reasonBytes: reasonBytes,
            correlationID: correlationID, causationID: causationID, bodyStart: offset)
    }

    /// Reads a presence byte and, when it is 1, an event id at `offset` of `buffer`, moving `offset` past them: the
    /// id or `.some(nil)` when absent; nil for a presence byte other than 0 and 1 or too few bytes.
    @inline(__always)
    private static func readOptionalEventID(_ buffer: UnsafeRawBufferPointer, at offset: inout Int) -> EventID?? {
        guard offset < buffer.count else { return nil }
        switch buffer[offset] {
        case 0:
            offset += 1
            return .some(nil)
        case 1:
            guard buffer.count - offset >= 17 else { return nil }
            let id = EventID(
                high: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 1, as: UInt64.self)),
                low: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 9, as: UInt64.self)))
            offset += 17
            return .some(id)
        default: return nil
        }
    }

    /// Reads an envelope as `decode(from:)` does, looking its type name up in `eventTypes` first: a name found there
    /// is the table's string (no allocation, no second check of its shape) and its index is returned with the
    /// envelope; any other name is read and checked as usual, with a nil index.
    static func decode(
        from decoder: inout BinaryDecoder, eventTypes: EventTypeTable?
    ) throws -> (envelope: EventEnvelope, eventTypeIndex: Int?) {
        let formatOffset = decoder.offset
        guard try decoder.readUInt8(field: "envelope.format") == formatByte else {
            throw EventDecodingError(.unknownFormat, field: "envelope.format", offset: formatOffset)
        }
        let stream = try decoder.readString(field: "envelope.stream", byteCountMax: streamByteCountMax)
        let eventID = try decoder.readEventID(field: "envelope.eventID")
        let eventTypeOffset = decoder.offset
        let eventTypeBytes = try decoder.readStringBytes(
            field: "envelope.eventType", byteCountMax: eventTypeByteCountMax)
        let eventTypeIndex = eventTypes?.index(of: eventTypeBytes)
        let eventType =
            if let eventTypeIndex, let eventTypes {
                eventTypes.entries[eventTypeIndex].name
            } else {
                try BinaryDecoder.makeString(eventTypeBytes, field: "envelope.eventType", offset: eventTypeOffset)
            }
        let versionOffset = decoder.offset
        let schemaVersion = try decoder.readVarUInt32(field: "envelope.schemaVersion")
        let recorded = try decoder.readFixedInt64(field: "envelope.recordedTimeMicroseconds")
        let effective = try decoder.readFixedInt64(field: "envelope.effectiveTimeMicroseconds")
        let staffOffset = decoder.offset
        let staffBytes = try decoder.readStringBytes(field: "envelope.actorStaffID", byteCountMax: StaffID.byteCountMax)
        let staffID: StaffID
        if StaffID.isValid(staffBytes) {
            staffID = StaffID(checkedValue: BinaryDecoder.makeString(ascii: staffBytes))
        } else {
            let staffText = try BinaryDecoder.makeString(
                staffBytes, field: "envelope.actorStaffID", offset: staffOffset)
            do { staffID = try StaffID(staffText) } catch {
                throw EventDecodingError(
                    .ruleViolated(rule: "StaffID.\(error)"), field: "envelope.actorStaffID",
                    offset: staffOffset)
            }
        }
        let roleOffset = decoder.offset
        guard let role = StaffRole(rawValue: try decoder.readUInt8(field: "envelope.actorRole")) else {
            throw EventDecodingError(.unknownEnumerationCode, field: "envelope.actorRole", offset: roleOffset)
        }
        let reasonOffset = decoder.offset
        let reason = try decoder.readOptional(field: "envelope.reason") {
            try $0.readString(field: "envelope.reason", byteCountMax: reasonByteCountMax)
        }
        let correlationID = try decoder.readOptional(field: "envelope.correlationID") {
            try $0.readEventID(field: "envelope.correlationID")
        }
        let causationID = try decoder.readOptional(field: "envelope.causationID") {
            try $0.readEventID(field: "envelope.causationID")
        }
        do {
            let envelope = try EventEnvelope(
                stream: stream, eventID: eventID, eventType: eventType, eventTypeIsChecked: eventTypeIndex != nil,
                schemaVersion: schemaVersion, recordedTimeMicroseconds: recorded, effectiveTimeMicroseconds: effective,
                actorStaffID: staffID, actorRole: role, reason: reason, correlationID: correlationID,
                causationID: causationID)
            return (envelope, eventTypeIndex)
        } catch {
            let (field, offset) =
                switch error {
                case .streamLength: ("envelope.stream", formatOffset + 1)
                case .eventTypeShape: ("envelope.eventType", eventTypeOffset)
                case .schemaVersionZero: ("envelope.schemaVersion", versionOffset)
                case .reasonLength: ("envelope.reason", reasonOffset)
                }
            throw EventDecodingError(.ruleViolated(rule: "EventEnvelope.\(error)"), field: field, offset: offset)
        }
    }
}
