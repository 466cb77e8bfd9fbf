import ClinicAudit
import XCTest

final class UTCTimeTests: XCTestCase {
    func testTimesAreWrittenInUTCToTheMicrosecond() {
        XCTAssertEqual(UTCTime.iso8601(microseconds: 0), "1970-01-01T00:00:00.000000Z")
        XCTAssertEqual(UTCTime.iso8601(microseconds: 1_764_581_401_000_000), "2025-12-01T09:30:01.000000Z")
        XCTAssertEqual(UTCTime.iso8601(microseconds: 951_782_400_000_001), "2000-02-29T00:00:00.000001Z")
        XCTAssertEqual(UTCTime.iso8601(microseconds: -1), "1969-12-31T23:59:59.999999Z")
        XCTAssertEqual(UTCTime.date(daysSince1970: 3_001), "1978-03-21")
    }

    func testYearsBackAreCalendarYearsAndTheTwentyNinthOfFebruaryFallsBack() {
        let leapDay: Int64 = 951_782_400_000_000  // 2000-02-29
        XCTAssertEqual(
            UTCTime.iso8601(microseconds: UTCTime.microseconds(leapDay, minusYears: 6)), "1994-02-28T00:00:00.000000Z")
        XCTAssertEqual(
            UTCTime.iso8601(microseconds: UTCTime.microseconds(leapDay, minusYears: 4)), "1996-02-29T00:00:00.000000Z")
        let december: Int64 = 1_764_581_401_000_000
        XCTAssertEqual(
            UTCTime.iso8601(microseconds: UTCTime.microseconds(december, minusYears: 6)), "2019-12-01T09:30:01.000000Z")
    }
}
