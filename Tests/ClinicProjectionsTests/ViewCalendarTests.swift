import ClinicEvents
import RecordLogTesting
import XCTest

@testable import ClinicProjections

/// Office days on a calendar whose offset changes (daylight saving), checked against hand-computed instants.
final class ViewCalendarTests: XCTestCase {
    private static let hour: Int64 = 3_600_000_000
    private static let day: Int64 = 86_400_000_000
    /// 2026-03-08T07:00Z: New York clocks go from 02:00 EST to 03:00 EDT.
    private static let springForward: Int64 = 1_772_953_200_000_000
    /// 2026-11-01T06:00Z: New York clocks go from 02:00 EDT back to 01:00 EST.
    private static let fallBack: Int64 = 1_793_512_800_000_000
    /// Office days of 2026-03-08, 2026-07-01 and 2026-11-01.
    private static let march8: Int64 = 20_520
    private static let july1: Int64 = 20_635
    private static let november1: Int64 = 20_758

    /// New York's offsets through 2026 (EST -300, EDT -240).
    private func newYork2026() throws -> ViewCalendar {
        try ViewCalendar(
            identifier: "America/New_York", initialOffsetMinutes: -300,
            changes: [
                .init(atMicroseconds: Self.springForward, offsetMinutes: -240),
                .init(atMicroseconds: Self.fallBack, offsetMinutes: -300),
            ])
    }

    func testAPostingAtHalfPastMidnightInSummerFallsOnTheDayOfficeClocksShowed() throws {
        let calendar = try newYork2026()
        let halfPastMidnight: Int64 = 1_782_880_200_000_000  // 2026-07-01T04:30Z = 00:30 EDT
        XCTAssertEqual(calendar.day(ofMicroseconds: halfPastMidnight), Self.july1)
        // The standard offset alone (what the views used before) put it on June 30.
        XCTAssertEqual(ViewCalendar(utcOffsetMinutes: -300).day(ofMicroseconds: halfPastMidnight), Self.july1 - 1)
        XCTAssertEqual(calendar.startMicroseconds(ofDay: Self.july1), 1_782_878_400_000_000)  // 04:00Z
        XCTAssertEqual(
            calendar.localMicroseconds(atMicroseconds: halfPastMidnight) - Self.july1 * Self.day, Self.hour / 2)
    }

    func testTheDaysTheClocksChangeAreTwentyThreeAndTwentyFiveHoursLong() throws {
        let calendar = try newYork2026()
        let march8Start = calendar.startMicroseconds(ofDay: Self.march8)
        XCTAssertEqual(march8Start, 1_772_946_000_000_000)  // 05:00Z, midnight EST
        XCTAssertEqual(calendar.startMicroseconds(ofDay: Self.march8 + 1) - march8Start, 23 * Self.hour)
        let november1Start = calendar.startMicroseconds(ofDay: Self.november1)
        XCTAssertEqual(november1Start, 1_793_505_600_000_000)  // 04:00Z, midnight EDT
        XCTAssertEqual(calendar.startMicroseconds(ofDay: Self.november1 + 1) - november1Start, 25 * Self.hour)
        // Each side of a change belongs to the day its clocks showed.
        XCTAssertEqual(calendar.day(ofMicroseconds: Self.springForward - 1), Self.march8)
        XCTAssertEqual(calendar.day(ofMicroseconds: Self.springForward), Self.march8)
        XCTAssertEqual(calendar.offsetMinutes(atMicroseconds: Self.springForward - 1), -300)
        XCTAssertEqual(calendar.offsetMinutes(atMicroseconds: Self.springForward), -240)
        XCTAssertEqual(calendar.offsetMinutes(atMicroseconds: Self.fallBack), -300)
    }

    func testADaySkippingItsMidnightStartsWhenTheClocksChange() throws {
        // Clocks jump from 00:00 to 01:00 on office day 20,000 (offset -240 to -180 at its local midnight).
        let change = 20_000 * Self.day + 4 * Self.hour
        let calendar = try ViewCalendar(
            identifier: "Test/Midnight", initialOffsetMinutes: -240,
            changes: [.init(atMicroseconds: change, offsetMinutes: -180)])
        XCTAssertEqual(calendar.startMicroseconds(ofDay: 20_000), change)
        XCTAssertEqual(calendar.day(ofMicroseconds: change - 1), 19_999)
        XCTAssertEqual(calendar.day(ofMicroseconds: change), 20_000)
        XCTAssertEqual(calendar.startMicroseconds(ofDay: 20_001), 20_001 * Self.day + 3 * Self.hour)
    }

    func testEveryInstantLiesInTheDayThatStartsBeforeItAndEndsAfterIt() throws {
        let calendar = try newYork2026()
        var random = SeededRandomNumberGenerator(seed: 7)
        let first = Self.march8 * Self.day - 40 * Self.day
        for _ in 0..<5_000 {
            let time = first + Int64(random.next() % UInt64(320 * Self.day))
            let day = calendar.day(ofMicroseconds: time)
            XCTAssertLessThanOrEqual(calendar.startMicroseconds(ofDay: day), time)
            XCTAssertGreaterThan(calendar.startMicroseconds(ofDay: day + 1), time)
        }
        // A fixed calendar keeps the arithmetic of a plain offset, before 1970 too.
        let fixed = ViewCalendar(utcOffsetMinutes: 330)
        XCTAssertEqual(fixed.identifier, "UTC+05:30")
        XCTAssertEqual(fixed.day(ofMicroseconds: -1), 0)
        XCTAssertEqual(fixed.startMicroseconds(ofDay: -3), -3 * Self.day - 330 * 60_000_000)
        XCTAssertEqual(ViewCalendar(utcOffsetMinutes: -300).identifier, "UTC-05:00")
    }

    func testChangesOutOfOrderOrOutOfRangeAreRefused() {
        XCTAssertThrowsError(
            try ViewCalendar(
                identifier: "x", initialOffsetMinutes: 0,
                changes: [.init(atMicroseconds: 10, offsetMinutes: 60), .init(atMicroseconds: 10, offsetMinutes: 0)])
        ) { XCTAssertEqual($0 as? ViewCalendar.ValidationError, .changeOutOfOrder(index: 1)) }
        XCTAssertThrowsError(
            try ViewCalendar(
                identifier: "x", initialOffsetMinutes: 60, changes: [.init(atMicroseconds: 10, offsetMinutes: 60)])
        ) { XCTAssertEqual($0 as? ViewCalendar.ValidationError, .changeOutOfOrder(index: 0)) }
        XCTAssertThrowsError(try ViewCalendar(identifier: "x", initialOffsetMinutes: 1081, changes: [])) {
            XCTAssertEqual($0 as? ViewCalendar.ValidationError, .offsetOutOfRange(1081))
        }
    }

    func testALedgerCheckpointOfAnotherCalendarIsNotRead() throws {
        let newYork = try newYork2026()
        var encoder = BinaryEncoder()
        LedgerView(calendar: newYork).encodeState(into: &encoder)
        let bytes = encoder.bytes
        XCTAssertNoThrow(try LedgerView(calendar: newYork).decodingState(fromBytes: bytes))
        for other in [ViewCalendar(utcOffsetMinutes: -300), ViewCalendar(utcOffsetMinutes: -240)] {
            XCTAssertThrowsError(try LedgerView(calendar: other).decodingState(fromBytes: bytes)) {
                XCTAssertEqual($0 as? ViewStateDecodingError, .configurationMismatch)
            }
        }
        let otherRules = try ViewCalendar(
            identifier: "America/New_York", initialOffsetMinutes: -300,
            changes: [.init(atMicroseconds: Self.springForward + Self.day, offsetMinutes: -240)])
        XCTAssertThrowsError(try LedgerView(calendar: otherRules).decodingState(fromBytes: bytes)) {
            XCTAssertEqual($0 as? ViewStateDecodingError, .configurationMismatch)
        }
    }
}
