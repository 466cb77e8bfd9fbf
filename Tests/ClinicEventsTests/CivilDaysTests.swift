import ClinicEvents
import XCTest

/// `CivilDays`: day numbers and Gregorian dates, both ways, across eras and before 1970.
final class CivilDaysTests: XCTestCase {
    func testKnownDatesAndLeapYears() {
        XCTAssertEqual(CivilDays.day(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(CivilDays.day(year: 2000, month: 3, day: 1), 11_017)
        XCTAssertEqual(CivilDays.day(year: 1969, month: 12, day: 31), -1)
        XCTAssertTrue(CivilDays.date(ofDay: 11_016) == (2000, 2, 29))
        XCTAssertTrue(CivilDays.date(ofDay: -719_468) == (0, 3, 1))
        XCTAssertEqual(CivilDays.civilYear(ofDay: -1), 1969)
        XCTAssertTrue(CivilDays.isLeap(2000))
        XCTAssertFalse(CivilDays.isLeap(1900))
        XCTAssertTrue(CivilDays.isLeap(2024))
    }

    /// Every day from 1600 to 2400 maps to a date and back, one day after the other.
    func testEveryDayRoundTrips() {
        var previous = CivilDays.date(ofDay: CivilDays.day(year: 1600, month: 1, day: 1) - 1)
        for day in CivilDays.day(year: 1600, month: 1, day: 1)...CivilDays.day(year: 2400, month: 12, day: 31) {
            let date = CivilDays.date(ofDay: day)
            XCTAssertEqual(CivilDays.day(year: date.year, month: date.month, day: date.day), day)
            let nextOfPrevious =
                date.day == 1
                ? (date.month == 1 ? previous.month == 12 : previous.month == date.month - 1)
                : (previous.month == date.month && previous.day == date.day - 1)
            XCTAssertTrue(nextOfPrevious, "\(date)")
            previous = date
        }
    }
}
