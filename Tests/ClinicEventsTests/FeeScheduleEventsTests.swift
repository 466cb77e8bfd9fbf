import ClinicEvents
import RecordLog
import XCTest

final class FeeScheduleEventsTests: XCTestCase {
    func testEveryFeeScheduleEventRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0xFEE5, count: 600) { try $0.feeScheduleEvent() }
        XCTAssertEqual(seenTypes, [FeeScheduled.eventType, FeeWithdrawn.eventType])
    }

    func testFieldRulesAreChecked() throws {
        let procedure = try ProcedureCode(code: "99213", modifiers: ["25"])
        func fee(_ cents: Int64, day: Int64 = 20_454, description: String? = nil) throws -> FeeScheduled {
            try FeeScheduled(
                procedure: procedure, amount: try MoneyCents(cents: cents), effectiveDaysSince1970: day,
                procedureDescription: description)
        }
        XCTAssertThrowsError(try fee(0)) { XCTAssertEqual($0 as? FeeScheduled.ValidationError, .amountOutOfRange) }
        XCTAssertThrowsError(try fee(-1)) { XCTAssertEqual($0 as? FeeScheduled.ValidationError, .amountOutOfRange) }
        XCTAssertThrowsError(try fee(1_000_000_001)) {
            XCTAssertEqual($0 as? FeeScheduled.ValidationError, .amountOutOfRange)
        }
        XCTAssertNoThrow(try fee(1_000_000_000))
        XCTAssertThrowsError(try fee(100, day: 80_001)) {
            XCTAssertEqual($0 as? FeeScheduled.ValidationError, .dateOutOfRange)
        }
        XCTAssertThrowsError(try fee(100, description: "")) {
            XCTAssertEqual($0 as? FeeScheduled.ValidationError, .descriptionLength)
        }
        XCTAssertThrowsError(try fee(100, description: String(repeating: "é", count: 65))) {
            XCTAssertEqual($0 as? FeeScheduled.ValidationError, .descriptionLength, "130 bytes")
        }
        XCTAssertNoThrow(try fee(100, description: String(repeating: "é", count: 64)))
        XCTAssertThrowsError(try FeeWithdrawn(procedure: procedure, effectiveDaysSince1970: -80_001)) {
            XCTAssertEqual($0 as? FeeWithdrawn.ValidationError, .dateOutOfRange)
        }
    }

    /// The body of `FeeScheduled` v1 exactly as docs/events.md lays it out, and a body breaking a rule refused by name.
    func testTheBodyBytesAreAsDocumented() throws {
        let scheduled = try FeeScheduled(
            procedure: try ProcedureCode(code: "99213", modifiers: ["25"]), amount: try MoneyCents(cents: 12_500),
            effectiveDaysSince1970: 20_454, procedureDescription: "Visit")
        var encoder = BinaryEncoder()
        scheduled.encode(into: &encoder)
        // "99213", one modifier "25", 12500 zigzag 25000, 20454 zigzag 40908, description present "Visit".
        XCTAssertEqual(
            encoder.bytes,
            [
                0x05, 0x39, 0x39, 0x32, 0x31, 0x33, 0x01, 0x02, 0x32, 0x35, 0xA8, 0xC3, 0x01, 0xCC, 0xBF, 0x02, 0x01,
                0x05,
            ]
                + Array("Visit".utf8))
        var zero = encoder.bytes
        zero[10...12] = [0x00]
        XCTAssertThrowsError(try BinaryDecoder.decode(zero) { try FeeScheduled.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .ruleViolated(rule: "amountOutOfRange"))
            XCTAssertEqual(($0 as? EventDecodingError)?.offset, 10)
        }
        var badModifier = encoder.bytes
        badModifier[8] = 0x61  // "a5": modifiers are uppercase letters and digits
        XCTAssertThrowsError(try BinaryDecoder.decode(badModifier) { try FeeScheduled.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .ruleViolated(rule: "modifierShape"))
            XCTAssertEqual(($0 as? EventDecodingError)?.field, "procedureCode")
        }
        let withdrawn = try FeeWithdrawn(procedure: try ProcedureCode(code: "G0439"), effectiveDaysSince1970: -1)
        var withdrawal = BinaryEncoder()
        withdrawn.encode(into: &withdrawal)
        XCTAssertEqual(withdrawal.bytes, [0x05] + Array("G0439".utf8) + [0x00, 0x01])
        XCTAssertNil(scheduled.subjectPatientID, "a fee belongs to the office")
        XCTAssertNil(withdrawn.subjectPatientID)
    }
}
