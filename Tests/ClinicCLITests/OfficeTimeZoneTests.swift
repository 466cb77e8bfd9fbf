import Foundation
import XCTest

/// Office days in an office whose clocks change for daylight saving (America/New_York), end to end.
final class OfficeTimeZoneTests: XCTestCase {
    /// A New York office: `makeOffice()` with the store's time zone set as `clinic init --time-zone` writes it.
    private func makeNewYorkOffice(_ cli: CLIHarness) throws {
        try cli.makeOffice()
        let settings = cli.store + "/store.settings"
        let text = try String(contentsOfFile: settings, encoding: .utf8)
        XCTAssertTrue(text.contains("timeZone=UTC\n"), text)
        try Data(text.replacingOccurrences(of: "timeZone=UTC\n", with: "timeZone=America/New_York\n").utf8)
            .write(to: URL(fileURLWithPath: settings))
    }

    private func charges(onDate date: String, _ cli: CLIHarness) throws -> Int? {
        let sheet = try cli.ok(["ledger", "daily", "--date", date, "--json", "--as", "bl-1"])
        let office = (try sheet.json() as? [String: Any])?["office"] as? [String: Any]
        return office?["chargesCents"] as? Int
    }

    func testAChargeAtHalfPastMidnightInSummerIsOnTheDaySheetOfTheDayOfficeClocksShowed() throws {
        let cli = CLIHarness()
        try makeNewYorkOffice(cli)
        let patient = try cli.ok([
            "patient", "register", "--family", "Night", "--given", "Owl", "--birth", "1980-04-02", "--as", "fd-1",
            "--quiet",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let visit = try cli.ok([
            "book", patient, "--provider", "dr-1", "--start", "2026-07-01 00:15", "--minutes", "15", "--effective",
            "2026-06-30 12:00", "--reason", "booked by phone", "--as", "fd-1", "--quiet",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // A late entry is judged at its effective time: a start before it is still in the past.
        let before = try cli.run([
            "book", patient, "--provider", "dr-1", "--start", "2026-06-30 11:00", "--minutes", "15", "--effective",
            "2026-06-30 12:00", "--reason", "booked by phone", "--as", "fd-1",
        ])
        XCTAssertEqual(before.status, 65, before.stderr)
        XCTAssertTrue(before.stderr.contains("cannot be booked in the past"), before.stderr)
        try cli.ok([
            "visit", "checkin", visit, "--effective", "2026-07-01 00:20", "--reason", "night clinic", "--as", "fd-1",
        ])
        try cli.ok([
            "charge", patient, "--visit", visit, "--cpt", "99213", "--dx", "I10", "--amount", "125.00", "--effective",
            "2026-07-01 00:30", "--reason", "entered after the night clinic", "--as", "bl-1",
        ])
        XCTAssertEqual(try charges(onDate: "2026-07-01", cli), 12_500)
        XCTAssertEqual(try charges(onDate: "2026-06-30", cli), 0)
    }
}
