import ClinicEvents
import RecordLog
import XCTest

final class ChartEventsCodecTests: XCTestCase {
    private static let chartEventTypes: Set<String> = [
        "AllergyRecorded", "AllergyResolved", "AllergyEnteredInError", "MedicationStarted", "MedicationStopped",
        "ProblemAdded", "ProblemResolved", "NoteSigned", "NoteAddendumSigned", "AmendmentRequested",
        "AmendmentAccepted", "AmendmentDenied",
    ]

    func testEveryChartEventRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0xC4A2) { try $0.chartEvent() }
        XCTAssertEqual(seenTypes, Self.chartEventTypes)
    }

    /// Every chart event type, decoded from random and mutated bodies, refuses with a typed error or decodes to an
    /// event that encodes back to the same bytes; never a trap.
    func testHostileChartBodiesAreTypedErrors() throws {
        var generator = EventGenerator(seed: 0xBAD_C4A7)
        var refusedTypes: Set<String> = []
        for _ in 0..<6000 {
            let event = try generator.chartEvent()
            var encoder = BinaryEncoder()
            event.encode(into: &encoder)
            var bytes = encoder.bytes
            switch generator.int(0...2) {
            case 0: bytes = Array(bytes.prefix(generator.int(0...(bytes.count - 1))))
            case 1:
                for _ in 0..<generator.int(1...4) {
                    bytes[generator.int(0...(bytes.count - 1))] = UInt8(truncatingIfNeeded: generator.int(0...255))
                }
            default: bytes = generator.bytes(count: generator.int(0...64))
            }
            do {
                let decoded = try BinaryDecoder.decode(bytes) { try Self.decodeBody(event.eventType, from: &$0) }
                var again = BinaryEncoder()
                decoded.encode(into: &again)
                XCTAssertEqual(
                    try BinaryDecoder.decode(again.bytes) { try Self.decodeBody(event.eventType, from: &$0) }, decoded)
            } catch let error as EventDecodingError {
                XCTAssertFalse(error.description.isEmpty)
                refusedTypes.insert(event.eventType)
            }
        }
        XCTAssertEqual(refusedTypes, Self.chartEventTypes)
    }

    func testUnknownEnumerationCodesAreRefused() throws {
        let id = EventID(high: 1, low: 2)
        var allergy = BinaryEncoder()
        allergy.writeEventID(id)
        allergy.writeEventID(id)
        allergy.writeSealed(field: "patientData", patient: id) {
            $0.writeString("latex")
            $0.writeString("rash")
        }
        allergy.writeVarUInt(9)
        allergy.writeVarUInt(1)
        XCTAssertEqual(kind(of: allergy, "AllergyRecorded"), .unknownEnumerationCode)
        var medication = BinaryEncoder()
        medication.writeEventID(id)
        medication.writeEventID(id)
        medication.writeVarUInt(0)
        XCTAssertEqual(kind(of: medication, "MedicationStarted"), .unknownEnumerationCode)
        var denial = BinaryEncoder()
        denial.writeEventID(id)
        denial.writeOptional(id) { $0.writeEventID($1) }
        denial.writeVarUInt(300)
        XCTAssertEqual(kind(of: denial, "AmendmentDenied"), .unknownEnumerationCode)
    }

    func testBrokenRulesAreRefusedNamingTheRuleNotTheValue() throws {
        let id = EventID(high: 1, low: 2)
        var problem = BinaryEncoder()
        problem.writeEventID(id)
        problem.writeEventID(id)
        problem.writeSealed(field: "patientData", patient: id) {
            $0.writeString("e11.9")
            $0.writeUInt8(0)
        }
        XCTAssertEqual(kind(of: problem, "ProblemAdded"), .ruleViolated(rule: "codeShape"))
        var onset = BinaryEncoder()
        onset.writeEventID(id)
        onset.writeEventID(id)
        onset.writeSealed(field: "patientData", patient: id) {
            $0.writeString("E11.9")
            $0.writeOptional(Int64(90_000)) { $0.writeVarInt($1) }
        }
        XCTAssertEqual(kind(of: onset, "ProblemAdded"), .ruleViolated(rule: "onsetOutOfRange"))
        var note = BinaryEncoder()
        note.writeEventID(id)
        note.writeEventID(id)
        note.writeEventID(id)
        note.writeString("dr-lee")
        note.writeSealedString("", field: "text", patient: id)
        XCTAssertEqual(kind(of: note, "NoteSigned"), .ruleViolated(rule: "textLength"))
        var addendum = BinaryEncoder()
        addendum.writeEventID(id)
        addendum.writeEventID(id)
        addendum.writeOptional(id) { $0.writeEventID($1) }
        addendum.writeString("dr-lee")
        addendum.writeSealedString("Zoë's secret", field: "text", patient: id)
        XCTAssertEqual(kind(of: addendum, "NoteAddendumSigned"), .ruleViolated(rule: "addendumIsItsOwnNote"))
        var request = BinaryEncoder()
        request.writeEventID(id)
        request.writeEventID(id)
        request.writeArray([id, id]) { $0.writeEventID($1) }
        request.writeSealedString("Zoë's secret", field: "request", patient: id)
        request.writeVarInt(0)
        XCTAssertEqual(kind(of: request, "AmendmentRequested"), .ruleViolated(rule: "entryList"))
        var acceptance = BinaryEncoder()
        acceptance.writeEventID(id)
        acceptance.writeVarUInt(UInt64(ChartLimits.amendmentEntryCountMax + 1))
        XCTAssertEqual(
            kind(of: acceptance, "AmendmentAccepted"), .countAboveLimit(limit: ChartLimits.amendmentEntryCountMax))
        var stop = BinaryEncoder()
        stop.writeEventID(id)
        stop.writeOptional(id) { $0.writeEventID($1) }
        stop.writeSealedString("", field: "reason", patient: id)
        XCTAssertEqual(kind(of: stop, "MedicationStopped"), .ruleViolated(rule: "reasonLength"))
        for (encoder, eventType) in [(addendum, "NoteAddendumSigned"), (request, "AmendmentRequested")] {
            XCTAssertThrowsError(
                try BinaryDecoder.decode(encoder.bytes) { try Self.decodeBody(eventType, from: &$0) }
            ) {
                XCTAssertFalse(String(describing: $0).contains("Zoë"))
            }
        }
    }

    private func kind(of encoder: BinaryEncoder, _ eventType: String) -> EventDecodingError.Kind? {
        do {
            _ = try BinaryDecoder.decode(encoder.bytes) { try Self.decodeBody(eventType, from: &$0) }
            return nil
        } catch {
            return (error as? EventDecodingError)?.kind
        }
    }

    private static func decodeBody(_ eventType: String, from decoder: inout BinaryDecoder) throws -> ClinicEvent {
        switch eventType {
        case "AllergyRecorded": .allergyRecorded(try AllergyRecorded.decode(from: &decoder))
        case "AllergyResolved": .allergyResolved(try AllergyResolved.decode(from: &decoder))
        case "AllergyEnteredInError": .allergyEnteredInError(try AllergyEnteredInError.decode(from: &decoder))
        case "MedicationStarted": .medicationStarted(try MedicationStarted.decode(from: &decoder))
        case "MedicationStopped": .medicationStopped(try MedicationStopped.decode(from: &decoder))
        case "ProblemAdded": .problemAdded(try ProblemAdded.decode(from: &decoder))
        case "ProblemResolved": .problemResolved(try ProblemResolved.decode(from: &decoder))
        case "NoteSigned": .noteSigned(try NoteSigned.decode(from: &decoder))
        case "NoteAddendumSigned": .noteAddendumSigned(try NoteAddendumSigned.decode(from: &decoder))
        case "AmendmentRequested": .amendmentRequested(try AmendmentRequested.decode(from: &decoder))
        case "AmendmentAccepted": .amendmentAccepted(try AmendmentAccepted.decode(from: &decoder))
        default: .amendmentDenied(try AmendmentDenied.decode(from: &decoder))
        }
    }
}
