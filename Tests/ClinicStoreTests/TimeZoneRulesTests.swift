import ClinicEvents
import Foundation
import RecordLog
import RecordLogTesting
import XCTest

@testable import ClinicStore

/// `TimeZoneRules` (the TZif reader behind `OfficeCalendar`) against Foundation's `TimeZone` (ICU, in the test
/// process only), and its refusals of identifiers and files it must not read.
final class TimeZoneRulesTests: XCTestCase {
    /// Zones of both hemispheres, half-hour and 45-minute offsets, zones that changed their rules, and fixed ones.
    static let zones = [
        "America/Chicago", "America/New_York", "America/Los_Angeles", "America/Phoenix", "America/Anchorage",
        "Pacific/Honolulu", "America/Sao_Paulo", "America/Santiago", "Europe/London", "Europe/Berlin", "Europe/Moscow",
        "Africa/Casablanca", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tehran", "Australia/Sydney", "Australia/Lord_Howe",
        "Pacific/Auckland", "Pacific/Chatham", "America/St_Johns", "America/Nuuk", "Asia/Gaza", "UTC", "Etc/GMT+5",
    ]

    private func foundationZone(_ identifier: String) throws -> TimeZone {
        try XCTUnwrap(TimeZone(identifier: identifier), "\(identifier) is unknown to Foundation here")
    }

    /// The offset at instants spread over 1900 to 2100 (past the files' last transitions, where the footer rule
    /// answers) and one second either side of every transition Foundation reports.
    func testOffsetsMatchFoundationOverTwoCenturies() throws {
        var generator = SplitMix64(seed: 7)
        for identifier in Self.zones {
            let calendar = try OfficeCalendar(timeZoneIdentifier: identifier)
            let zone = try foundationZone(identifier)
            var instants: [Int64] = []
            for _ in 0..<2_000 { instants.append(Int64(generator.next() % 6_311_520_000) - 2_208_988_800) }
            var date = Date(timeIntervalSince1970: -2_208_988_800)
            let end = Date(timeIntervalSince1970: 4_102_444_800)
            while let next = zone.nextDaylightSavingTimeTransition(after: date), next < end {
                let second = Int64(next.timeIntervalSince1970)
                instants += [second - 1, second, second + 1]
                date = next
            }
            for second in instants {
                let expected = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(second))))
                XCTAssertEqual(
                    calendar.offsetSeconds(atMicroseconds: second * 1_000_000), expected, "\(identifier) at \(second)")
            }
        }
    }

    /// `offsetChanges` lists every change of the offset in a range, as Foundation's transitions give them.
    func testOffsetChangesMatchFoundationTransitions() throws {
        for identifier in Self.zones {
            let calendar = try OfficeCalendar(timeZoneIdentifier: identifier)
            let zone = try foundationZone(identifier)
            let start: Int64 = 946_684_800  // 2000-01-01
            let end: Int64 = 4_102_444_800  // 2100-01-01
            var expected: [(Int64, Int64)] = []
            var current = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start))))
            var date = Date(timeIntervalSince1970: Double(start))
            while let next = zone.nextDaylightSavingTimeTransition(after: date),
                next < Date(timeIntervalSince1970: Double(end))
            {
                let offset = Int64(zone.secondsFromGMT(for: next))
                if offset != current { expected.append((Int64(next.timeIntervalSince1970) * 1_000_000, offset)) }
                current = offset
                date = next
            }
            let changes = calendar.offsetChanges(
                fromMicroseconds: start * 1_000_000, beforeMicroseconds: end * 1_000_000)
            XCTAssertEqual(changes.changes.map(\.atMicroseconds), expected.map(\.0), identifier)
            XCTAssertEqual(changes.changes.map(\.offsetSeconds), expected.map(\.1), identifier)
        }
    }

    /// Local minutes and days, and back, on both sides of a spring-forward and a fall-back day in Chicago.
    func testLocalTimesAroundDaylightSavingChanges() throws {
        let calendar = try OfficeCalendar(timeZoneIdentifier: "America/Chicago")
        // 2031-03-09 02:00 CST does not exist; 2031-11-02 01:30 happens twice.
        let springDay = CivilDays.day(year: 2031, month: 3, day: 9)
        let beforeSpring = (springDay * 86_400 + 7_200 + 6 * 3600 - 1) * 1_000_000
        XCTAssertEqual(calendar.offsetSeconds(atMicroseconds: beforeSpring), -6 * 3600)
        XCTAssertEqual(calendar.offsetSeconds(atMicroseconds: beforeSpring + 1_000_000), -5 * 3600)
        let fallDay = CivilDays.day(year: 2031, month: 11, day: 2)
        let firstOneThirty = calendar.microseconds(atLocalMinutes: fallDay * 1440 + 90)
        XCTAssertEqual(firstOneThirty, (fallDay * 86_400 + 5_400 + 5 * 3600) * 1_000_000)
        XCTAssertEqual(calendar.localDay(atMicroseconds: firstOneThirty), fallDay)
        XCTAssertEqual(calendar.microseconds(atStartOfLocalDay: fallDay), (fallDay * 86_400 + 5 * 3600) * 1_000_000)
    }

    /// POSIX rules the footers of other zones may hold: the day forms, times past midnight or negative, names in
    /// angle brackets, daylight time all year.
    func testPosixRulesOfEveryForm() throws {
        func offset(_ rule: String, _ year: Int64, _ month: Int64, _ day: Int64, _ hour: Int64) throws -> Int64 {
            let parsed = try PosixRule(parsing: Array(rule.utf8))
            return parsed.offsetSeconds(
                atSeconds: CivilDays.day(year: year, month: month, day: day) * 86_400 + hour * 3600)
        }
        XCTAssertEqual(try offset("<+0330>-3:30", 2040, 6, 1, 0), 12_600)
        XCTAssertEqual(try offset("<-03>3", 2040, 6, 1, 0), -10_800)
        // Southern hemisphere: daylight time from October to April.
        XCTAssertEqual(try offset("AEST-10AEDT,M10.1.0,M4.1.0/3", 2040, 1, 15, 0), 11 * 3600)
        XCTAssertEqual(try offset("AEST-10AEDT,M10.1.0,M4.1.0/3", 2040, 7, 15, 0), 10 * 3600)
        // Julian days without February 29 (J60 is March 1 every year) and zero-based days with it.
        XCTAssertEqual(try offset("XST3XDT,J60/0,J300/0", 2040, 2, 29, 12), -3 * 3600)
        XCTAssertEqual(try offset("XST3XDT,J60/0,J300/0", 2040, 3, 1, 12), -2 * 3600)
        XCTAssertEqual(try offset("XST3XDT,59/0,300/0", 2040, 2, 29, 12), -2 * 3600)
        // Daylight time all year (a zone that stays on it), and a time of day past 24 hours.
        XCTAssertEqual(try offset("EST5EDT,0/0,J365/25", 2040, 12, 31, 23), -4 * 3600)
        XCTAssertEqual(try offset("EST5EDT,0/0,J365/25", 2040, 1, 1, 6), -4 * 3600)
        XCTAssertEqual(try offset("EST5EDT,0/0,J365/25", 2040, 1, 1, 2), -4 * 3600)
        // A negative time of day (RFC 8536 version 3): the day before.
        // The last Sunday of March 2040 is the 25th: daylight time starts at 23:00 on the 24th, 01:00 UTC.
        XCTAssertEqual(try offset("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2040, 3, 24, 12), -7200)
        XCTAssertEqual(try offset("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2040, 3, 25, 0), -7200)
        XCTAssertEqual(try offset("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2040, 3, 25, 1), -3600)
        for malformed in ["", "EST", "ES5", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "EST5EDT,J0,J365", "<+1>-1"] {
            XCTAssertThrowsError(try PosixRule(parsing: Array(malformed.utf8)), malformed)
        }
    }

    /// Identifiers that are not plain relative names never reach the file system.
    func testIdentifiersOutsideTheDatabaseAreRefused() throws {
        for identifier in [
            "", "/etc/passwd", "../../etc/passwd", "America/../../etc/passwd", "America//Chicago", "America/",
            "America/Chi cago", "America/Chicago\u{0}", ".", String(repeating: "a", count: 256),
        ] {
            XCTAssertFalse(TimeZoneRules.isValidIdentifier(identifier), identifier)
            XCTAssertThrowsError(try OfficeCalendar(timeZoneIdentifier: identifier)) { error in
                XCTAssertEqual(error as? OfficeCalendar.ValidationError, .unknownTimeZone)
            }
        }
        XCTAssertThrowsError(try OfficeCalendar(timeZoneIdentifier: "Mars/Olympus_Mons"))
        XCTAssertTrue(TimeZoneRules.isValidIdentifier("Etc/GMT+5"))
    }

    /// A damaged file is refused, never read past its end: every truncation of a real file, a wrong magic, an
    /// unknown version, leap seconds.
    func testDamagedFilesAreRefused() throws {
        let bytes = try PosixFileSystem().readWholeFile("/usr/share/zoneinfo/America/Chicago")
        XCTAssertNoThrow(try TimeZoneRules(tzif: bytes))
        for length in stride(from: 0, to: bytes.count - 1, by: 7) {
            XCTAssertThrowsError(try TimeZoneRules(tzif: Array(bytes[..<length])), "truncated at \(length)")
        }
        var wrongMagic = bytes
        wrongMagic[0] = UInt8(ascii: "X")
        XCTAssertThrowsError(try TimeZoneRules(tzif: wrongMagic))
        var unknownVersion = bytes
        unknownVersion[4] = UInt8(ascii: "9")
        XCTAssertThrowsError(try TimeZoneRules(tzif: unknownVersion))
        var leapSeconds = bytes
        leapSeconds[28 + 3] = 1
        XCTAssertThrowsError(try TimeZoneRules(tzif: leapSeconds)) { error in
            XCTAssertEqual(error as? TimeZoneRules.ReadError, .malformed(reason: "leap seconds are not supported"))
        }
        // A last transition far past the microsecond range ends the list of changes instead of overflowing.
        var farFuture = bytes
        let secondHeader = try XCTUnwrap(
            (44..<farFuture.count - 4).first { farFuture[$0..<$0 + 4].elementsEqual(Array("TZif".utf8)) })
        let timeCount = farFuture[(secondHeader + 32)..<(secondHeader + 36)].reduce(0) { $0 << 8 | Int($1) }
        let lastTransition = secondHeader + 44 + (timeCount - 1) * 8
        for offset in 0..<8 { farFuture[lastTransition + offset] = offset == 0 ? 0x3F : 0xFF }
        let directory = NSTemporaryDirectory() + "zoneinfo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(farFuture).write(to: URL(fileURLWithPath: directory + "/Far"))
        let far = try OfficeCalendar(timeZoneIdentifier: "Far", zoneDirectory: directory)
        let changes = far.offsetChanges(fromMicroseconds: 0, beforeMicroseconds: 4_102_444_800 * 1_000_000)
        XCTAssertFalse(changes.changes.isEmpty)
        XCTAssertLessThan(changes.changes.last?.atMicroseconds ?? 0, 4_102_444_800 * 1_000_000)
        var generator = SplitMix64(seed: 11)
        for _ in 0..<500 {
            var garbage = bytes
            for _ in 0..<4 {
                garbage[Int(generator.next() % UInt64(garbage.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            // Either refused or read: never a crash or a read past the end.
            if let rules = try? TimeZoneRules(tzif: garbage) { _ = rules.offsetSeconds(atSeconds: 2_000_000_000) }
        }
    }
}

/// A small seeded generator for the sampled instants.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
