import ClinicEvents
import RecordLog
import RecordLogTesting
import XCTest

final class SealedFieldsTests: XCTestCase {
    private let patient = EventID(high: 0x5EA1, low: 1)
    private let distinctiveName = "Zebulon Quixote-Farnsworth"

    private func makeSealer(seed: UInt64 = 11) throws -> PatientDataSealer {
        let random = RandomByteSource(SeededRandomNumberGenerator(seed: seed))
        let keyring = PatientKeyring(masterKey: MasterKey.make(using: random), random: random)
        try keyring.createKey(for: patient)
        return PatientDataSealer(keyring: keyring, random: random)
    }

    private func envelope(for event: ClinicEvent, id: UInt64 = 7) throws -> EventEnvelope {
        try EventEnvelope(
            stream: "patient-\(patient)", eventID: EventID(high: 0xE7, low: id), eventType: event.eventType,
            schemaVersion: event.schemaVersion, recordedTimeMicroseconds: 1_764_406_800_000_000,
            effectiveTimeMicroseconds: 1_764_406_800_000_000, actorStaffID: StaffID("fd-1"), actorRole: .frontDesk)
    }

    private func registration() throws -> ClinicEvent {
        .patientRegistered(
            try PatientRegistered(
                patientID: patient, familyName: distinctiveName, givenName: "Ottoline", birthDateDaysSince1970: -9_000,
                preferredLanguage: "en-GB"))
    }

    private func decodingError(_ body: () throws -> Void) -> EventDecodingError? {
        do {
            try body()
            return nil
        } catch {
            return error as? EventDecodingError
        }
    }

    func testASealedRecordHoldsNoPlaintextOfTheName() throws {
        let codec = try EventCodec()
        let event = try registration()
        let envelope = try envelope(for: event)
        let sealed = try codec.encode(event, envelope: envelope, sealingWith: try makeSealer())
        let clear = try codec.encode(event, envelope: envelope)
        for text in [distinctiveName, "Ottoline", "en-GB"] {
            XCTAssertTrue(contains(clear, Array(text.utf8)), "the clear form holds \(text)")
            XCTAssertFalse(contains(sealed, Array(text.utf8)), "the sealed form holds \(text)")
        }
        XCTAssertEqual(sealed.count, clear.count + SealedPatientData.overheadByteCount + 1)
    }

    func testWithheldDecodingNeedsNoKeyringAndGivesPlaceholders() throws {
        let codec = try EventCodec()
        let sealer = try makeSealer()
        let registered = try registration()
        let vitals = ClinicEvent.vitalsRecorded(
            try VitalsRecorded(
                patientID: patient, encounterID: EventID(high: 1, low: 1),
                measurements: [
                    try VitalSign(kind: .bodyWeight, valueThousandths: 80_000),
                    try VitalSign(kind: .heartRate, valueThousandths: 64_000),
                ]))
        let problem = ClinicEvent.problemAdded(
            try ProblemAdded(
                problemID: EventID(high: 2, low: 2), patientID: patient, diagnosis: try DiagnosisCode("F32.9"),
                onsetDaysSince1970: 19_000))
        let expected: [(ClinicEvent, ClinicEvent)] = [
            (
                registered,
                .patientRegistered(
                    try PatientRegistered(
                        patientID: patient, familyName: "[withheld]", givenName: "[withheld]",
                        birthDateDaysSince1970: 0))
            ),
            (
                vitals,
                .vitalsRecorded(
                    try VitalsRecorded(
                        patientID: patient, encounterID: EventID(high: 1, low: 1),
                        measurements: [
                            try VitalSign(kind: .bodyWeight, valueThousandths: 200),
                            try VitalSign(kind: .heartRate, valueThousandths: 20_000),
                        ]))
            ),
            (
                problem,
                .problemAdded(
                    try ProblemAdded(
                        problemID: EventID(high: 2, low: 2), patientID: patient, diagnosis: try DiagnosisCode("R69"),
                        onsetDaysSince1970: nil))
            ),
        ]
        for (event, placeholders) in expected {
            let envelope = try envelope(for: event)
            let bytes = try codec.encode(event, envelope: envelope, sealingWith: sealer)
            XCTAssertEqual(
                try codec.decode(bytes),
                DecodedEvent(envelope: envelope, event: placeholders, patientDataWithheld: true))
            XCTAssertEqual(try codec.decode(bytes, opening: nil), try codec.decode(bytes))
            XCTAssertEqual(
                try codec.decode(bytes, opening: sealer.keyring), DecodedEvent(envelope: envelope, event: event))
        }
    }

    func testWithheldDecodingDoesNotOpenTheSealedBytes() throws {
        let codec = try EventCodec()
        let sealer = try makeSealer()
        let event = try registration()
        var bytes = try codec.encode(event, envelope: try envelope(for: event), sealingWith: sealer)
        bytes[bytes.count - 1] ^= 0xFF
        XCTAssertTrue(try codec.decode(bytes).patientDataWithheld, "withheld, the tag is not checked")
        XCTAssertEqual(
            decodingError { _ = try codec.decode(bytes, opening: sealer.keyring) }?.kind,
            .sealedValueUnreadable(.tampered))
    }

    func testAfterTheKeyIsDestroyedDecodingGivesErasedPlaceholders() throws {
        let codec = try EventCodec()
        let sealer = try makeSealer()
        let event = try registration()
        let envelope = try envelope(for: event)
        let bytes = try codec.encode(event, envelope: envelope, sealingWith: sealer)
        sealer.keyring.destroyKey(for: patient)
        let erased = try codec.decode(bytes, opening: sealer.keyring)
        XCTAssertEqual(
            erased,
            DecodedEvent(
                envelope: envelope,
                event: .patientRegistered(
                    try PatientRegistered(
                        patientID: patient, familyName: "[erased]", givenName: "[erased]", birthDateDaysSince1970: 0)),
                patientDataWithheld: true, patientDataErased: true))
        XCTAssertThrowsError(try codec.encode(event, envelope: envelope, sealingWith: sealer)) {
            XCTAssertEqual(
                $0 as? EventEncodingError, .sealingFailed(field: "identity", .patientErased(patientID: patient)))
        }
    }

    func testErasureSurvivesThePersistedKeyring() throws {
        let codec = try EventCodec()
        let random = RandomByteSource(SeededRandomNumberGenerator(seed: 21))
        let masterKey = MasterKey.make(using: random)
        let keyring = PatientKeyring(masterKey: masterKey, random: random)
        try keyring.createKey(for: patient)
        let event = try registration()
        let bytes = try codec.encode(
            event, envelope: try envelope(for: event), sealingWith: PatientDataSealer(keyring: keyring, random: random))
        keyring.destroyKey(for: patient)
        let restored = try PatientKeyring(serialized: keyring.serialized(), masterKey: masterKey, random: random)
        let decoded = try codec.decode(bytes, opening: restored)
        XCTAssertTrue(decoded.patientDataErased)
        guard case .patientRegistered(let body) = decoded.event else { return XCTFail("not a registration") }
        XCTAssertEqual(body.familyName, "[erased]")
    }

    func testEveryChangedByteOfASealedValueIsATypedError() throws {
        let codec = try EventCodec()
        let sealer = try makeSealer()
        let event = ClinicEvent.appointmentCancelled(
            try AppointmentCancelled(
                appointmentID: EventID(high: 3, low: 3), patientID: patient, reason: "moved away", isLate: false))
        let bytes = try codec.encode(event, envelope: try envelope(for: event), sealingWith: sealer)
        let body = try bodyBytes(of: bytes)
        let sealedStart = bytes.count - body.count + 16 + 1 + 16 + 1 + 1
        let sealedEnd = bytes.count - 1
        XCTAssertEqual(Int(bytes[sealedStart - 1]), sealedEnd - sealedStart, "the varint length of the sealed value")
        for offset in sealedStart..<sealedEnd {
            var changed = bytes
            changed[offset] ^= 0x01
            let kind = decodingError { _ = try codec.decode(changed, opening: sealer.keyring) }?.kind
            let expected: PatientDataError =
                switch offset - sealedStart {
                case 0: .unsupportedFormat(SealedPatientData.format ^ 0x01)
                case 1..<17: .patientMismatch
                case 17..<21: .wrongKey
                default: .tampered
                }
            XCTAssertEqual(kind, .sealedValueUnreadable(expected), "byte \(offset - sealedStart) of the sealed value")
        }
    }

    func testASealedValueMovedToAnotherEventOrFieldDoesNotOpen() throws {
        let codec = try EventCodec()
        let sealer = try makeSealer()
        let cancelled = ClinicEvent.appointmentCancelled(
            try AppointmentCancelled(
                appointmentID: EventID(high: 3, low: 3), patientID: patient, reason: "moved away", isLate: false))
        let original = try codec.encode(cancelled, envelope: try envelope(for: cancelled, id: 1), sealingWith: sealer)
        let replayed = try codec.encode(cancelled, envelope: try envelope(for: cancelled, id: 2), sealingWith: sealer)
        let envelopeOfSecond = try bodyBytes(of: replayed).count
        let moved = Array(replayed[..<(replayed.count - envelopeOfSecond)]) + (try bodyBytes(of: original))
        XCTAssertEqual(
            decodingError { _ = try codec.decode(moved, opening: sealer.keyring) }?.kind,
            .sealedValueUnreadable(.tampered))

        let death = ClinicEvent.patientDeathRecorded(
            try PatientDeathRecorded(patientID: patient, dateOfDeathDaysSince1970: 20_000))
        let deathBytes = try codec.encode(death, envelope: try envelope(for: death, id: 1), sealingWith: sealer)
        let sealedDate = Array(try bodyBytes(of: deathBytes)[16...])
        var forged = BinaryEncoder()
        try envelope(for: try registration(), id: 1).encode(into: &forged)
        forged.writeEventID(patient)
        let forgedBytes = forged.bytes + sealedDate
        XCTAssertEqual(
            decodingError { _ = try codec.decode(forgedBytes, opening: sealer.keyring) }?.kind,
            .sealedValueUnreadable(.tampered), "a value sealed for one field does not open as another")
    }

    func testAKeyringWithoutThePatientsKeyIsAnError() throws {
        let codec = try EventCodec()
        let event = try registration()
        let bytes = try codec.encode(event, envelope: try envelope(for: event), sealingWith: try makeSealer())
        let other = try makeSealer(seed: 12)
        let otherPatientKeyring = PatientKeyring(masterKey: MasterKey.make(using: other.random), random: other.random)
        XCTAssertEqual(
            decodingError { _ = try codec.decode(bytes, opening: otherPatientKeyring) }?.kind,
            .sealedValueUnreadable(.noKey(patientID: patient)))
        XCTAssertEqual(
            decodingError { _ = try codec.decode(bytes, opening: other.keyring) }?.kind,
            .sealedValueUnreadable(.wrongKey), "another keyring's key for the same patient")
    }

    func testSealingNeedsThePatientAndTheirKey() throws {
        let codec = try EventCodec()
        let sealer = try makeSealer()
        let stranger = EventID(high: 9, low: 9)
        let unknown = ClinicEvent.breakGlassUsed(
            try BreakGlassUsed(staffID: StaffID("dr-lee"), patientID: stranger, reason: "unconscious"))
        XCTAssertThrowsError(try codec.encode(unknown, envelope: try envelope(for: unknown), sealingWith: sealer)) {
            XCTAssertEqual($0 as? EventEncodingError, .sealingFailed(field: "reason", .noKey(patientID: stranger)))
        }
        let upcastShape = ClinicEvent.appointmentCancelled(
            try AppointmentCancelled(
                appointmentID: EventID(high: 3, low: 3), patientID: nil, reason: "moved away", isLate: false))
        XCTAssertThrowsError(
            try codec.encode(upcastShape, envelope: try envelope(for: upcastShape), sealingWith: sealer)
        ) {
            XCTAssertEqual($0 as? EventEncodingError, .patientUnknown(field: "reason"))
            XCTAssertFalse(String(describing: $0).contains("moved away"))
        }
        let noPatientData = ClinicEvent.staffRoleGranted(
            StaffRoleGranted(staffID: try StaffID("dr-lee"), role: .physician))
        let envelope = try envelope(for: noPatientData)
        XCTAssertNil(noPatientData.subjectPatientID)
        XCTAssertEqual(
            try codec.encode(noPatientData, envelope: envelope, sealingWith: sealer),
            try codec.encode(noPatientData, envelope: envelope))
    }

    func testAnUpcastClearEventSealsAndOpensAtTheCurrentVersion() throws {
        let codec = try EventCodec()
        let sealer = try makeSealer()
        var old = BinaryEncoder()
        let oldEnvelope = try EventEnvelope(
            stream: "patient-1", eventID: EventID(high: 0xE7, low: 1), eventType: "PatientRegistered",
            schemaVersion: 1, recordedTimeMicroseconds: 0, effectiveTimeMicroseconds: 0,
            actorStaffID: StaffID("fd-1"), actorRole: .frontDesk)
        oldEnvelope.encode(into: &old)
        old.writeEventID(patient)
        old.writeString(distinctiveName)
        old.writeString("Ottoline")
        old.writeVarInt(-9_000)
        let decoded = try codec.decode(old.bytes)
        XCTAssertFalse(decoded.patientDataWithheld, "a clear old version needs no keyring")
        let current = try envelope(for: decoded.event)
        let sealed = try codec.encode(decoded.event, envelope: current, sealingWith: sealer)
        XCTAssertEqual(try codec.decode(sealed, opening: sealer.keyring).event, decoded.event)
        XCTAssertFalse(contains(sealed, Array(distinctiveName.utf8)))
    }

    func testTheSealedWireFormIsRefusedWhenMalformed() throws {
        let max = FieldKind.string(byteCountMax: 256).sealedByteCountMax
        XCTAssertEqual(max, 49 + 2 + 256)
        func read(_ bytes: [UInt8]) -> EventDecodingError.Kind? {
            decodingError {
                _ = try BinaryDecoder.decode(bytes) {
                    try $0.readSealedString(field: "reason", byteCountMax: 256, patient: self.patient)
                }
            }?.kind
        }
        XCTAssertEqual(read([0x02]), .invalidFlagByte)
        XCTAssertEqual(read([0x01, 0x05, 1, 2, 3, 4, 5]), .sealedValueUnreadable(.malformed(offset: 5)))
        var tooLong = BinaryEncoder()
        tooLong.writeUInt8(0x01)
        tooLong.writeVarUInt(UInt64(max + 1))
        XCTAssertEqual(read(tooLong.bytes), .countAboveLimit(limit: max))
        XCTAssertEqual(read([0x01, 49]), .truncated)
        XCTAssertEqual(read([0x00, 0x03, 0x61, 0x62]), .truncated)
        XCTAssertEqual(
            try BinaryDecoder.decode([0x00, 0x02, 0x6F, 0x6B]) {
                try $0.readSealedString(field: "reason", byteCountMax: 256, patient: nil)
            }, "ok", "a clear value needs no patient")
    }

    func testVitalsValuesMustMatchTheKindsMeasured() throws {
        var body = BinaryEncoder()
        body.writeEventID(patient)
        body.writeEventID(patient)
        body.writeArray(["29463-7"]) { encoder, code in
            encoder.writeString(code)
            encoder.writeString("kg")
        }
        body.writeSealed(field: "values", patient: patient) {
            $0.writeArray([Int64(80_000), 1]) { $0.writeVarInt($1) }
        }
        XCTAssertEqual(
            decodingError { _ = try BinaryDecoder.decode(body.bytes) { try VitalsRecorded.decode(from: &$0) } }?.kind,
            .ruleViolated(rule: "valueCount"))
    }

    func testTheRegistryRefusesASealedFieldBelowTheTopLevel() throws {
        var registry = SchemaRegistry()
        registry.declare(eventType: "Nested", currentVersion: 1)
        registry.register(
            EventSchema(
                eventType: "Nested", version: 1,
                layout: [FieldSpec("names", .array(.sealed(.string(byteCountMax: 8)), countMax: 2))]))
        XCTAssertThrowsError(try registry.validate()) {
            XCTAssertEqual(
                $0 as? SchemaRegistryError, .sealedFieldNotTopLevel(eventType: "Nested", version: 1, field: "names"))
        }
        XCTAssertNoThrow(try EventCodec())
    }

    func testEveryEventThatSealsNamesItsPatient() throws {
        var generator = EventGenerator(seed: 0x5EA1ED)
        let registry = EventCodec.makeStandardRegistry()
        for _ in 0..<2000 {
            let event = try generator.event()
            let layout = try XCTUnwrap(registry.layout(of: event.eventType, version: event.schemaVersion))
            let seals = layout.contains { if case .sealed = $0.kind { true } else { false } }
            if seals { XCTAssertNotNil(event.subjectPatientID, event.eventType) }
        }
    }
}
