import ClinicEvents
import RecordLog
import XCTest

final class EventCodecTests: XCTestCase {
    private func layout(of event: ClinicEvent, codec: EventCodec) throws -> [FieldSpec] {
        try XCTUnwrap(codec.registry.layout(of: event.eventType, version: event.schemaVersion))
    }

    /// Every type, in clear and sealed, withheld and erased (see `roundTripEveryEvent`).
    func testEveryEventTypeRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0xC11C) { try $0.event() }
        XCTAssertEqual(seenTypes, Set(ClinicEvent.bodyTypes.map { $0.eventType }))
    }

    func testTheDeclaredCurrentLayoutMatchesTheHandWrittenCodec() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 77)
        for _ in 0..<1000 {
            let event = try generator.event()
            var encoder = BinaryEncoder()
            event.encode(into: &encoder)
            let layout = try layout(of: event, codec: codec)
            let fields = try BinaryDecoder.decode(encoder.bytes) { try EventFields.decode(layout: layout, from: &$0) }
            var again = BinaryEncoder()
            try fields.encode(layout: layout, into: &again)
            XCTAssertEqual(again.bytes, encoder.bytes)
        }
    }

    func testAVersion1RegistrationIsUpcastOnRead() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 12)
        let patientID = generator.id()
        let envelope = try EventEnvelope(
            stream: "patient-1", eventID: generator.id(), eventType: "PatientRegistered", schemaVersion: 1,
            recordedTimeMicroseconds: 1_700_000_000_000_000, effectiveTimeMicroseconds: 1_700_000_000_000_000,
            actorStaffID: StaffID("frontdesk-1"), actorRole: .frontDesk)
        var encoder = BinaryEncoder()
        envelope.encode(into: &encoder)
        encoder.writeEventID(patientID)
        encoder.writeString("Nguyen")
        encoder.writeString("Ana")
        encoder.writeVarInt(-3650)
        let decoded = try codec.decode(encoder.bytes)
        XCTAssertEqual(decoded.envelope.schemaVersion, 1)
        XCTAssertEqual(
            decoded.event,
            .patientRegistered(
                try PatientRegistered(
                    patientID: patientID, familyName: "Nguyen", givenName: "Ana", birthDateDaysSince1970: -3650)))
    }

    func testEncodingRefusesAnEnvelopeThatDoesNotMatchTheBody() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 3)
        let event = ClinicEvent.chargePosted(try generator.chargePosted())
        let envelope = try generator.envelope(for: .patientRegistered(try generator.patientRegistered()))
        XCTAssertThrowsError(try codec.encode(event, envelope: envelope)) {
            XCTAssertEqual($0 as? EventEncodingError, .eventTypeMismatch)
        }
        let old = try EventEnvelope(
            stream: "s", eventID: generator.id(), eventType: "PatientRegistered", schemaVersion: 1,
            recordedTimeMicroseconds: 0, effectiveTimeMicroseconds: 0, actorStaffID: StaffID("a"), actorRole: .system)
        XCTAssertThrowsError(try codec.encode(.patientRegistered(try generator.patientRegistered()), envelope: old)) {
            XCTAssertEqual($0 as? EventEncodingError, .schemaVersionNotCurrent)
        }
    }

    func testEveryTruncationIsATypedError() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 99)
        for _ in 0..<60 {
            let event = try generator.event()
            let bytes = try codec.encode(event, envelope: try generator.envelope(for: event))
            for length in 0..<bytes.count {
                XCTAssertThrowsError(try codec.decode(Array(bytes[..<length]))) {
                    XCTAssertTrue($0 is EventDecodingError, "length \(length): \($0)")
                }
            }
            XCTAssertThrowsError(try codec.decode(bytes + [0])) {
                XCTAssertTrue($0 is EventDecodingError)
            }
        }
    }

    func testHostileBytesNeverTrap() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 0xBAD)
        for _ in 0..<20_000 {
            let bytes = generator.bytes(count: generator.int(0...96))
            do { _ = try codec.decode(bytes) } catch { XCTAssertTrue(error is EventDecodingError) }
        }
        var decodedAfterMutation = 0
        for _ in 0..<5_000 {
            let event = try generator.event()
            var bytes = try codec.encode(event, envelope: try generator.envelope(for: event))
            for _ in 0..<generator.int(1...3) {
                bytes[generator.int(0...(bytes.count - 1))] = UInt8(truncatingIfNeeded: generator.int(0...255))
            }
            do {
                _ = try codec.decode(bytes)
                decodedAfterMutation += 1
            } catch {
                XCTAssertTrue(error is EventDecodingError, "\(error)")
            }
        }
        XCTAssertLessThan(decodedAfterMutation, 5_000)
    }

    func testDecodingErrorsCarryNoFieldValues() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 5)
        let event = ClinicEvent.patientRegistered(
            try PatientRegistered(
                patientID: generator.id(), familyName: "Quetzalcoatlson", givenName: "Wilhelmina",
                birthDateDaysSince1970: 100))
        let bytes = try codec.encode(event, envelope: try generator.envelope(for: event))
        for length in 0..<bytes.count {
            do {
                _ = try codec.decode(Array(bytes[..<length]))
                XCTFail("a truncated event decoded")
            } catch {
                let text = String(describing: error)
                XCTAssertFalse(text.contains("Quetzalcoatlson") || text.contains("Wilhelmina"), text)
            }
        }
    }

    func testDomainRulesAreCheckedOnDecode() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 8)
        let charge = try generator.chargePosted()
        let event = ClinicEvent.chargePosted(charge)
        let bytes = try codec.encode(event, envelope: try generator.envelope(for: event))
        let code = Array(charge.procedure.code.utf8)
        let at = try XCTUnwrap(bytes.indices.first { Array(bytes[$0..<min($0 + 5, bytes.count)]) == code })
        var broken = bytes
        broken[at] = UInt8(ascii: "a")
        XCTAssertThrowsError(try codec.decode(broken)) {
            XCTAssertEqual(
                $0 as? EventDecodingError,
                EventDecodingError(.ruleViolated(rule: "codeShape"), field: "procedureCode", offset: at - 1))
        }
    }

    func testUnknownTypesAndNewerVersionsAreRefused() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 4)
        for (type, version) in [
            ("MysteryHappened", UInt32(1)), ("PatientRegistered", PatientRegistered.currentSchemaVersion + 1),
        ] {
            let envelope = try EventEnvelope(
                stream: "s", eventID: generator.id(), eventType: type, schemaVersion: version,
                recordedTimeMicroseconds: 0, effectiveTimeMicroseconds: 0, actorStaffID: StaffID("a"),
                actorRole: .system)
            var encoder = BinaryEncoder()
            envelope.encode(into: &encoder)
            XCTAssertThrowsError(try codec.decode(encoder.bytes)) {
                let kind = ($0 as? EventDecodingError)?.kind
                XCTAssertTrue(kind == .unknownEventType || kind == .unsupportedSchemaVersion, "\($0)")
            }
        }
    }
}
