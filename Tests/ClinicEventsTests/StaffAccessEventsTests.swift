import ClinicEvents
import RecordLog
import XCTest

final class StaffAccessEventsTests: XCTestCase {
    func testEveryStaffAndAccessEventRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0x57AF) { try $0.staffAccessEvent() }
        XCTAssertEqual(seenTypes.count, 11)
    }

    func testAStaffMemberNeedsRolesWithoutRepeats() throws {
        let staffID = try StaffID("dr-lee")
        XCTAssertThrowsError(try StaffMemberAdded(staffID: staffID, displayName: "Dr. Lee", roles: [])) {
            XCTAssertEqual($0 as? StaffMemberAdded.ValidationError, .rolesInvalid)
        }
        XCTAssertThrowsError(
            try StaffMemberAdded(staffID: staffID, displayName: "Dr. Lee", roles: [.physician, .physician])
        ) {
            XCTAssertEqual($0 as? StaffMemberAdded.ValidationError, .rolesInvalid)
        }
        XCTAssertThrowsError(try BreakGlassUsed(staffID: staffID, patientID: EventID(high: 1, low: 1), reason: "")) {
            XCTAssertEqual($0 as? BreakGlassUsed.ValidationError, .reasonLength)
        }
    }

    func testAnUnknownAccessAreaIsRefused() throws {
        var encoder = BinaryEncoder()
        encoder.writeString("dr-lee")
        encoder.writeEventID(EventID(high: 1, low: 2))
        encoder.writeVarUInt(9)
        encoder.writeVarUInt(1)
        XCTAssertThrowsError(try BinaryDecoder.decode(encoder.bytes) { try RecordAccessed.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .unknownEnumerationCode)
        }
    }
}
