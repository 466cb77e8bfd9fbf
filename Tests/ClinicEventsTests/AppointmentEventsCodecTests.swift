import ClinicEvents
import RecordLog
import XCTest

final class AppointmentEventsCodecTests: XCTestCase {
    func testEveryAppointmentEventRoundTripsExactly() throws {
        let codec = try EventCodec()
        var generator = EventGenerator(seed: 0xA990)
        var seenTypes: Set<String> = []
        for _ in 0..<3000 {
            let event = try generator.appointmentEvent()
            let envelope = try generator.envelope(for: event)
            let bytes = try codec.encode(event, envelope: envelope)
            XCTAssertEqual(try codec.decode(bytes), DecodedEvent(envelope: envelope, event: event))
            var body = BinaryEncoder()
            event.encode(into: &body)
            let layout = try XCTUnwrap(codec.registry.layout(of: event.eventType, version: 1))
            let fields = try BinaryDecoder.decode(body.bytes) { try EventFields.decode(layout: layout, from: &$0) }
            var again = BinaryEncoder()
            try fields.encode(layout: layout, into: &again)
            XCTAssertEqual(again.bytes, body.bytes)
            seenTypes.insert(event.eventType)
        }
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
