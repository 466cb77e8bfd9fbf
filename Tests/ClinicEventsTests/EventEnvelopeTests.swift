import RecordLog
import RecordLogTesting
import XCTest

@testable import ClinicEvents

/// The envelope as the codec reads it: the common shape read in place (`EventEnvelope.readCommon`) and every other
/// shape, and every fault, handed to the general reading, with the same result or the same error.
final class EventEnvelopeTests: XCTestCase {
    /// Envelopes outside the common shape (a stream of 128 bytes or more, whose length takes two varint bytes; names
    /// and reasons in non-ASCII UTF-8; the longest staff id and reason) decode to the envelope written, through the
    /// table as through the general path; so do the common ones around them.
    func testEveryEnvelopeShapeDecodesToTheEnvelopeWritten() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 0xE4E1)
        let streams = [
            "p", "patient-0001", "chart-" + String(repeating: "a", count: 121),
            "chart-" + String(repeating: "b", count: 122),
            String(repeating: "s", count: EventEnvelope.streamByteCountMax), "patient-zoë-ø-患者", "\u{1F600}",
        ]
        let staffIDs = ["a", "dr.smith_2-A", String(repeating: "x", count: StaffID.byteCountMax)]
        let reasons: [String?] = [
            nil, "", "late entry", "corrección tardía",
            String(repeating: "r", count: EventEnvelope.reasonByteCountMax),
        ]
        var decoded = 0
        for stream in streams {
            for staff in staffIDs {
                for reason in reasons {
                    let event = try generator.event()
                    let written = try EventEnvelope(
                        stream: stream, eventID: generator.id(), eventType: event.eventType,
                        schemaVersion: event.schemaVersion, recordedTimeMicroseconds: -5,
                        effectiveTimeMicroseconds: Int64.max, actorStaffID: StaffID(staff),
                        actorRole: generator.pick(StaffRole.allCases), reason: reason,
                        correlationID: generator.bool() ? generator.id() : nil,
                        causationID: generator.bool() ? generator.id() : nil)
                    let payload = try codec.encode(event, envelope: written)
                    let fast = try decode(payload, codec: codec, table: true).get()
                    XCTAssertEqual(fast, try decode(payload, codec: codec, table: false).get())
                    XCTAssertEqual(fast, DecodedEvent(envelope: written, event: event, patientDataWithheld: false))
                    decoded += 1
                }
            }
        }
        XCTAssertEqual(decoded, streams.count * staffIDs.count * reasons.count)
    }

    /// Envelopes made by hand with each fault the envelope rules know are refused through the table with the very
    /// error of the general path, and that error names the fault.
    func testEnvelopeFaultsFailAsOnTheGeneralPath() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 0xE4E2)
        let event = ClinicEvent.chargePosted(try generator.chargePosted())
        let bodyBytes = try Self.body(of: codec.encode(event, envelope: generator.envelope(for: event)), codec: codec)
        let cases: [(name: String, parts: EnvelopeParts, kind: EventDecodingError.Kind, field: String)] = [
            ("format", EnvelopeParts(format: 0x02), .unknownFormat, "envelope.format"),
            (
                "empty stream", EnvelopeParts(stream: []), .ruleViolated(rule: "EventEnvelope.streamLength"),
                "envelope.stream"
            ),
            ("stream length overlong", EnvelopeParts(streamLength: [0x85, 0x00]), .overlongVarint, "envelope.stream"),
            (
                "stream not UTF-8", EnvelopeParts(stream: Array("patient-".utf8) + [0xC3, 0x28]), .invalidUTF8,
                "envelope.stream"
            ),
            (
                "stream above the limit", EnvelopeParts(stream: Array(repeating: 0x61, count: 257)),
                .countAboveLimit(limit: 256), "envelope.stream"
            ),
            (
                "type unknown", EnvelopeParts(eventType: Array("ChargePostedLater".utf8)), .unknownEventType,
                "envelope.eventType"
            ),
            (
                "type shape", EnvelopeParts(eventType: Array("Charge-Posted".utf8)),
                .ruleViolated(rule: "EventEnvelope.eventTypeShape"), "envelope.eventType"
            ),
            (
                "version zero", EnvelopeParts(version: [0x00]), .ruleViolated(rule: "EventEnvelope.schemaVersionZero"),
                "envelope.schemaVersion"
            ),
            ("version overlong", EnvelopeParts(version: [0x82, 0x00]), .overlongVarint, "envelope.schemaVersion"),
            (
                "version newer", EnvelopeParts(version: [0x80, 0x01]), .unsupportedSchemaVersion,
                "envelope.schemaVersion"
            ),
            ("staff empty", EnvelopeParts(staff: []), .ruleViolated(rule: "StaffID.shape"), "envelope.actorStaffID"),
            (
                "staff character", EnvelopeParts(staff: Array("dr smith".utf8)), .ruleViolated(rule: "StaffID.shape"),
                "envelope.actorStaffID"
            ),
            ("staff not UTF-8", EnvelopeParts(staff: [0x61, 0xFF]), .invalidUTF8, "envelope.actorStaffID"),
            ("role zero", EnvelopeParts(role: 0), .unknownEnumerationCode, "envelope.actorRole"),
            ("role eleven", EnvelopeParts(role: 11), .unknownEnumerationCode, "envelope.actorRole"),
            ("reason flag", EnvelopeParts(reason: [0x02]), .invalidFlagByte, "envelope.reason"),
            ("reason not UTF-8", EnvelopeParts(reason: [0x01, 0x01, 0xFF]), .invalidUTF8, "envelope.reason"),
            (
                "reason truncated", EnvelopeParts(reason: [0x01, 0x05, 0x61], correlation: [], causation: []),
                .truncated,
                "envelope.reason"
            ),
            ("correlation flag", EnvelopeParts(correlation: [0x03]), .invalidFlagByte, "envelope.correlationID"),
            (
                "causation truncated", EnvelopeParts(causation: [0x01] + Array(repeating: 0, count: 15)), .truncated,
                "envelope.causationID"
            ),
        ]
        for (name, parts, kind, field) in cases {
            let payload = parts.bytes() + (name.hasSuffix("truncated") ? [] : bodyBytes)
            let fast = decode(payload, codec: codec, table: true)
            let general = decode(payload, codec: codec, table: false)
            guard case .failure(let error) = fast else {
                XCTFail("\(name): decoded through the table")
                continue
            }
            XCTAssertEqual(fast, general, name)
            XCTAssertEqual(error.kind, kind, name)
            XCTAssertEqual(error.field, field, name)
        }
        // The unchanged parts make the event written; a byte after the body is refused on both paths.
        XCTAssertEqual(try decode(EnvelopeParts().bytes() + bodyBytes, codec: codec, table: true).get().event, event)
        let trailing = decode(EnvelopeParts().bytes() + bodyBytes + [0], codec: codec, table: true)
        XCTAssertEqual(trailing, decode(EnvelopeParts().bytes() + bodyBytes + [0], codec: codec, table: false))
        guard case .failure(let trailingError) = trailing else { return XCTFail("a trailing byte was accepted") }
        XCTAssertEqual(trailingError.kind, .trailingBytes(count: 1))
        // A body fault is located from the payload's start on both paths.
        let cut = EnvelopeParts().bytes() + bodyBytes.dropLast()
        XCTAssertEqual(decode(cut, codec: codec, table: true), decode(cut, codec: codec, table: false))
    }

    /// A body written at an older version is upcast through the table as through the general path.
    func testAnOldBodyIsUpcastThroughTheTable() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 0xE4E3)
        let event = ClinicEvent.chargePosted(try generator.chargePosted())
        let envelope = try generator.envelope(for: event)
        var encoder = BinaryEncoder()
        let old = try EventEnvelope(
            stream: envelope.stream, eventID: envelope.eventID, eventType: envelope.eventType, schemaVersion: 1,
            recordedTimeMicroseconds: envelope.recordedTimeMicroseconds,
            effectiveTimeMicroseconds: envelope.effectiveTimeMicroseconds, actorStaffID: envelope.actorStaffID,
            actorRole: envelope.actorRole)
        old.encode(into: &encoder)
        guard case .chargePosted(let charge) = event else { return XCTFail("not a charge") }
        // Version 1 of a charge is version 2 without its posting date.
        encoder.writeEventID(charge.chargeID)
        encoder.writeEventID(charge.patientID)
        encoder.writeEventID(charge.encounterID)
        encoder.writeString(charge.procedure.code)
        encoder.writeArray(charge.procedure.modifiers) { $0.writeString($1) }
        encoder.writeVarUInt(UInt64(charge.units))
        encoder.writeArray(charge.diagnoses) { $0.writeString($1.code) }
        encoder.writeArray(charge.diagnosisPointers) { $0.writeVarUInt(UInt64($1)) }
        encoder.writeVarInt(charge.amount.cents)
        let fast = try decode(encoder.bytes, codec: codec, table: true).get()
        XCTAssertEqual(fast, try decode(encoder.bytes, codec: codec, table: false).get())
        XCTAssertEqual(fast.envelope, old)
        guard case .chargePosted(let upcast) = fast.event else { return XCTFail("not a charge") }
        XCTAssertNil(upcast.postingDateDaysSince1970)
        XCTAssertEqual(upcast.diagnoses, charge.diagnoses)
    }

    /// `decodeStored` of a copied record is the stored event of the record's place and the decoded payload,
    /// withheld and opened.
    func testDecodeStoredIsTheRecordAndTheDecodedEvent() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 0xE4E4)
        let random = RandomByteSource(SeededRandomNumberGenerator(seed: 0xE4E5))
        let keyring = PatientKeyring(masterKey: MasterKey.make(using: random), random: random)
        let sealer = PatientDataSealer(keyring: keyring, random: random)
        for index in 0..<200 {
            let event = try generator.event()
            let envelope = try generator.envelope(for: event)
            if let patientID = event.subjectPatientID, keyring.wrappedKey(for: patientID) == nil {
                try keyring.createKey(for: patientID)
            }
            let payload = try codec.encode(event, envelope: envelope, sealingWith: sealer)
            let record = LogRecord(
                position: UInt64(index), recordedTimeMicroseconds: 1_000 + Int64(index), stream: envelope.stream,
                streamVersion: UInt64(index + 1), eventID: envelope.eventID, payload: payload)
            for opening in [nil, keyring] {
                XCTAssertEqual(
                    try codec.decodeStored(record, opening: opening),
                    StoredEvent(
                        position: record.position, streamVersion: record.streamVersion,
                        recordedTimeMicroseconds: record.recordedTimeMicroseconds,
                        decoded: try codec.decode(payload, opening: opening)))
            }
            XCTAssertEqual(try codec.decodeStored(record, opening: keyring).event, event)
        }
    }

    /// `decodeStored` refuses each damaged payload (every truncation, every byte changed) with the very error `decode`
    /// gives, and otherwise decodes it to the same envelope and body.
    func testDecodeStoredOfADamagedPayloadFailsAsDecode() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 0xE4E6)
        var refused = 0
        for index in 0..<30 {
            let event = try generator.event()
            let envelope = try generator.envelope(for: event)
            let payload = try codec.encode(event, envelope: envelope)
            var damaged = (0..<payload.count).map { Array(payload[..<$0]) }
            for position in payload.indices {
                for replacement: UInt8 in [0x00, 0x80, 0xFF, payload[position] ^ 0x01] {
                    var copy = payload
                    copy[position] = replacement
                    damaged.append(copy)
                }
            }
            for bytes in damaged {
                let record = LogRecord(
                    position: UInt64(index), recordedTimeMicroseconds: 7, stream: envelope.stream, streamVersion: 3,
                    eventID: envelope.eventID, payload: bytes)
                let decoded = Result { try codec.decode(bytes) }
                let stored = Result { try codec.decodeStored(record) }
                switch (decoded, stored) {
                case (.success(let decodedEvent), .success(let storedEvent)):
                    XCTAssertEqual(
                        storedEvent,
                        StoredEvent(
                            position: UInt64(index), streamVersion: 3, recordedTimeMicroseconds: 7,
                            decoded: decodedEvent))
                case (.failure(let decodeError), .failure(let storedError)):
                    XCTAssertEqual(storedError as? EventDecodingError, decodeError as? EventDecodingError)
                    XCTAssertNotNil(decodeError as? EventDecodingError)
                    refused += 1
                default:
                    XCTFail("decode and decodeStored disagree on a damaged \(event.eventType)")
                }
            }
        }
        XCTAssertGreaterThan(refused, 1_000)
    }

    // MARK: - Helpers

    /// The body bytes of `payload`: what follows its envelope.
    private static func body(of payload: [UInt8], codec: EventCodec) throws -> [UInt8] {
        let decoded = try codec.decode(payload)
        var encoder = BinaryEncoder()
        decoded.envelope.encode(into: &encoder)
        return Array(payload[encoder.bytes.count...])
    }

    private func decode(_ payload: [UInt8], codec: EventCodec, table: Bool) -> Result<DecodedEvent, EventDecodingError>
    {
        do {
            return .success(
                try payload.withUnsafeBytes { buffer in
                    table
                        ? try codec.decode(buffer, opening: nil)
                        : try codec.decode(buffer, opening: nil, eventTypes: nil)
                })
        } catch let error as EventDecodingError {
            return .failure(error)
        } catch {
            return .failure(
                EventDecodingError(.ruleViolated(rule: "not a decoding error: \(error)"), field: "", offset: 0))
        }
    }
}

/// The parts of a `ChargePosted` envelope as raw bytes, each replaceable by a faulty one.
private struct EnvelopeParts {
    var format: UInt8 = EventEnvelope.formatByte
    var streamLength: [UInt8]?
    var stream: [UInt8] = Array("account-0001".utf8)
    var eventType: [UInt8] = Array("ChargePosted".utf8)
    var version: [UInt8] = [0x02]
    var staff: [UInt8] = Array("biller.1".utf8)
    var role: UInt8 = StaffRole.biller.rawValue
    var reason: [UInt8] = [0x00]
    var correlation: [UInt8] = [0x00]
    var causation: [UInt8] = [0x01] + Array(repeating: 0xAB, count: 16)

    /// The envelope: each part in the order of `docs/events.md`, lengths as varints unless given.
    func bytes() -> [UInt8] {
        var encoder = BinaryEncoder()
        encoder.writeUInt8(format)
        if let streamLength {
            for byte in streamLength { encoder.writeUInt8(byte) }
        } else {
            encoder.writeVarUInt(UInt64(stream.count))
        }
        for byte in stream { encoder.writeUInt8(byte) }
        encoder.writeEventID(EventID(high: 0x0102_0304_0506_0708, low: 0x1112_1314_1516_1718))
        encoder.writeVarUInt(UInt64(eventType.count))
        for byte in eventType { encoder.writeUInt8(byte) }
        for byte in version { encoder.writeUInt8(byte) }
        encoder.writeFixedInt64(1_700_000_000_000_000)
        encoder.writeFixedInt64(1_699_999_000_000_000)
        encoder.writeVarUInt(UInt64(staff.count))
        for byte in staff { encoder.writeUInt8(byte) }
        encoder.writeUInt8(role)
        for byte in reason + correlation + causation { encoder.writeUInt8(byte) }
        return encoder.bytes
    }
}
