import ClinicEvents
import RecordLog
import XCTest

final class RetentionPolicyEventsTests: XCTestCase {
    func testEveryRetentionPolicyRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0x7E7E, count: 300) {
            .retentionPolicySet(try $0.retentionPolicySet())
        }
        XCTAssertEqual(seenTypes, [RetentionPolicySet.eventType])
    }

    func testTheRangesAreThoseOfTheRetentionPolicy() throws {
        XCTAssertThrowsError(try RetentionPolicySet(years: 5, minorYears: 0)) {
            XCTAssertEqual($0 as? RetentionPolicySet.ValidationError, .yearsOutOfRange, "less than HIPAA's six years")
        }
        XCTAssertThrowsError(try RetentionPolicySet(years: 101, minorYears: 0)) {
            XCTAssertEqual($0 as? RetentionPolicySet.ValidationError, .yearsOutOfRange)
        }
        XCTAssertThrowsError(try RetentionPolicySet(years: 10, minorYears: -1)) {
            XCTAssertEqual($0 as? RetentionPolicySet.ValidationError, .minorYearsOutOfRange)
        }
        XCTAssertThrowsError(try RetentionPolicySet(years: 10, minorYears: 101)) {
            XCTAssertEqual($0 as? RetentionPolicySet.ValidationError, .minorYearsOutOfRange)
        }
        XCTAssertNoThrow(try RetentionPolicySet(years: 6, minorYears: 0))
        XCTAssertNoThrow(try RetentionPolicySet(years: 100, minorYears: 100))
        XCTAssertNil(try RetentionPolicySet(years: 10, minorYears: 3).subjectPatientID, "no patient data")
    }

    /// The body exactly as docs/events.md lays it out (two varuints), and bodies breaking a rule refused by name at
    /// the offset of the field.
    func testTheBodyBytesAreAsDocumented() throws {
        var encoder = BinaryEncoder()
        try RetentionPolicySet(years: 100, minorYears: 3).encode(into: &encoder)
        XCTAssertEqual(encoder.bytes, [0x64, 0x03])
        XCTAssertEqual(
            try BinaryDecoder.decode([0x0A, 0x00]) { try RetentionPolicySet.decode(from: &$0) },
            try RetentionPolicySet(years: 10, minorYears: 0))
        XCTAssertThrowsError(try BinaryDecoder.decode([0x05, 0x00]) { try RetentionPolicySet.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .ruleViolated(rule: "yearsOutOfRange"))
            XCTAssertEqual(($0 as? EventDecodingError)?.field, "years")
            XCTAssertEqual(($0 as? EventDecodingError)?.offset, 0)
        }
        // 101 minor years: varuint 0x65.
        XCTAssertThrowsError(try BinaryDecoder.decode([0x0A, 0x65]) { try RetentionPolicySet.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .ruleViolated(rule: "minorYearsOutOfRange"))
            XCTAssertEqual(($0 as? EventDecodingError)?.field, "minorYears")
            XCTAssertEqual(($0 as? EventDecodingError)?.offset, 1)
        }
        // 2^63 years (a varuint of 10 bytes) is out of range, not a crash.
        let huge: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00]
        XCTAssertThrowsError(try BinaryDecoder.decode(huge) { try RetentionPolicySet.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .ruleViolated(rule: "yearsOutOfRange"))
        }
    }
}
