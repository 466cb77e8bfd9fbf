import ClinicEvents
import RecordLog
import XCTest

final class AppointmentEventsCodecTests: XCTestCase {
    func testEveryAppointmentEventRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0xA990) { try $0.appointmentEvent() }
        XCTAssertEqual(seenTypes.count, 11)
    }

    func testAnAvailabilityWithBothAWeekdayAndADateIsRefused() throws {
        var encoder = BinaryEncoder()
        encoder.writeString("dr-lee")
        encoder.writeOptional(UInt64(1)) { $0.writeVarUInt($1) }
        encoder.writeOptional(Int64(20_000)) { $0.writeVarInt($1) }
        for value: UInt64 in [540, 720, 15] { encoder.writeVarUInt(value) }
        XCTAssertThrowsError(
            try BinaryDecoder.decode(encoder.bytes) { try ProviderAvailabilityDefined.decode(from: &$0) }
        ) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .ruleViolated(rule: "exactlyOneDay"))
        }
    }

    func testAnUnknownApproverRoleIsRefused() throws {
        var encoder = BinaryEncoder()
        encoder.writeEventID(EventID(high: 1, low: 2))
        encoder.writeVarInt(29_933_820)
        encoder.writeVarUInt(30)
        encoder.writeUInt8(1)
        encoder.writeString("dr-lee")
        encoder.writeVarUInt(99)
        XCTAssertThrowsError(try BinaryDecoder.decode(encoder.bytes) { try AppointmentRescheduled.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .unknownEnumerationCode)
        }
    }

    func testIsoWeekdays() {
        XCTAssertEqual(AvailabilityDay.isoWeekday(ofDaysSince1970: 0), 4)
        XCTAssertEqual(AvailabilityDay.isoWeekday(ofDaysSince1970: 20_787), 1)
        XCTAssertEqual(AvailabilityDay.isoWeekday(ofDaysSince1970: -1), 3)
        XCTAssertEqual(ProviderSchedule.day(of: -1), -1)
    }
}
