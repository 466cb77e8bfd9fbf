import Foundation
import XCTest

/// `clinic audit diff T1 T2 VIEW` end to end, as the compliance officer runs it.
final class AuditDiffTests: XCTestCase {
    /// An office with a compliance officer `co-1` signed in and one registered patient; returns the patient's id.
    private func makeOfficeWithOfficer(_ cli: CLIHarness) throws -> String {
        try cli.makeOffice()
        try cli.ok(["staff", "add", "co-1", "--name", "Compliance", "--roles", "compliance-officer", "--as", "admin"])
        try cli.ok(["staff", "passphrase", "co-1", "--as", "admin"])
        try cli.ok(["signin", "--as", "co-1"])
        return try cli.ok([
            "patient", "register", "--family", "Diffley", "--given", "Dana", "--birth", "1980-02-03", "--as", "fd-1",
            "--quiet",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The office date `daysAgo` days before today (the harness runs in UTC).
    private func date(daysAgo: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(-Double(daysAgo) * 86_400))
    }

    private func object(_ result: CLIHarness.Result) throws -> [String: Any] {
        try XCTUnwrap(try result.json() as? [String: Any], result.stdout)
    }

    private func changes(_ diff: [String: Any]) -> [[String: Any]] { diff["changes"] as? [[String: Any]] ?? [] }

    func testAChartDiffListsWhatWasRecordedBetweenAndTheRowsItChanged() throws {
        let cli = CLIHarness()
        let patient = try makeOfficeWithOfficer(cli)
        try cli.ok([
            "allergy", "add", patient, "--substance", "Latex", "--reaction", "rash", "--severity", "mild", "--as",
            "dr-1",
        ])
        let refused = try cli.run(["audit", "diff", "yesterday", "tomorrow", "chart", "--patient", patient])
        XCTAssertEqual(refused.status, 77, "the front desk may not replay history: \(refused.stderr)")

        let diff = try object(
            try cli.ok([
                "audit", "diff", "yesterday", "tomorrow", "chart", "--patient", patient, "--as", "co-1", "--json",
            ]))
        XCTAssertEqual(diff["format"] as? String, "cliniclog.view-diff.v1")
        XCTAssertEqual(diff["view"] as? String, "chart")
        XCTAssertEqual(diff["mode"] as? String, "recorded")
        XCTAssertEqual(diff["patientErased"] as? Bool, false)
        let events = diff["events"] as? [[String: Any]] ?? []
        XCTAssertEqual(events.map { $0["eventType"] as? String }, ["PatientRegistered", "AllergyRecorded"])
        XCTAssertEqual(events.last?["actorStaffId"] as? String, "dr-1")
        XCTAssertEqual(events.last?["actorRole"] as? String, "physician")
        let allergy = try XCTUnwrap(changes(diff).first { $0["section"] as? String == "allergy" })
        XCTAssertEqual(allergy["change"] as? String, "added")
        XCTAssertEqual((allergy["after"] as? [String: String])?["substance"], "Latex")
        XCTAssertEqual((allergy["after"] as? [String: String])?["status"], "active")

        let text = try cli.ok(["audit", "diff", "yesterday", "tomorrow", "chart", "--patient", patient, "--as", "co-1"])
        XCTAssertTrue(text.stdout.contains("+ allergy "), text.stdout)
        XCTAssertTrue(text.stdout.contains("substance Latex"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Events in between (2)"), text.stdout)

        let nothing = try object(
            try cli.ok([
                "audit", "diff", "tomorrow", "tomorrow", "chart", "--patient", patient, "--as", "co-1", "--json",
            ]))
        XCTAssertEqual((nothing["events"] as? [Any])?.count, 0)
        XCTAssertEqual(changes(nothing).count, 0)

        let access = try cli.ok(["audit", "access", patient, "--as", "co-1", "--json"])
        XCTAssertTrue(access.stdout.contains("co-1"), "each diff of the chart logs a read: \(access.stdout)")
    }

    func testWithEffectiveDatesALateEntryShowsOnTheDayItHappened() throws {
        let cli = CLIHarness()
        let patient = try makeOfficeWithOfficer(cli)
        try cli.ok([
            "allergy", "add", patient, "--substance", "Iodine", "--reaction", "hives", "--as", "dr-1", "--effective",
            date(daysAgo: 3) + " 09:00", "--reason", "seen on paper",
        ])
        let late = try object(
            try cli.ok([
                "audit", "diff", date(daysAgo: 5), date(daysAgo: 2), "chart", "--patient", patient, "--effective",
                "--as", "co-1", "--json",
            ]))
        XCTAssertEqual(late["mode"] as? String, "effective")
        XCTAssertEqual(late["from"] as? String, date(daysAgo: 5))
        XCTAssertEqual((late["events"] as? [[String: Any]])?.map { $0["eventType"] as? String }, ["AllergyRecorded"])
        XCTAssertEqual((late["events"] as? [[String: Any]])?.first?["reason"] as? String, "seen on paper")
        XCTAssertTrue(
            changes(late).contains { $0["section"] as? String == "allergy" && $0["change"] as? String == "added" })

        let known = try object(
            try cli.ok([
                "audit", "diff", date(daysAgo: 2), "today", "chart", "--patient", patient, "--effective", "--as",
                "co-1", "--json",
            ]))
        XCTAssertFalse(
            changes(known).contains { $0["section"] as? String == "allergy" }, "true on both days: \(known)")
    }

    func testScheduleAndDaySheetDiffsShowBookingsAndTotals() throws {
        let cli = CLIHarness()
        let patient = try makeOfficeWithOfficer(cli)
        let booked = try cli.ok([
            "book", patient, "--provider", "dr-1", "--start", "tomorrow 10:00", "--as", "fd-1", "--json",
        ])
        let appointment = try cli.detail(booked, "appointmentID")
        try cli.ok(["cancel", appointment, "--reason", "patient called", "--as", "fd-1"])
        let schedule = try object(
            try cli.ok([
                "audit", "diff", "yesterday", "tomorrow", "schedule", "--date", "tomorrow", "--as", "co-1", "--json",
            ]))
        XCTAssertEqual(schedule["date"] as? String, date(daysAgo: -1))
        let row = try XCTUnwrap(changes(schedule).first { $0["section"] as? String == "appointment" })
        XCTAssertEqual(row["change"] as? String, "added")
        XCTAssertEqual(row["key"] as? String, appointment)
        XCTAssertEqual((row["after"] as? [String: String])?["status"], "cancelled")
        // The provider's hours, defined when the office was made (one event per weekday, Monday first), are among
        // the events too: Monday's, which made the provider appear on every day's schedule, and tomorrow's weekday's,
        // the same event when tomorrow is a Monday. (This used to expect one event: it held only on Sundays.)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = try XCTUnwrap(TimeZone(identifier: "UTC"))
        let tomorrowIsMonday = utc.component(.weekday, from: Date().addingTimeInterval(86_400)) == 2
        XCTAssertEqual(
            (schedule["events"] as? [[String: Any]])?.map { $0["eventType"] as? String },
            Array(repeating: "ProviderAvailabilityDefined", count: tomorrowIsMonday ? 1 : 2)
                + ["AppointmentBooked", "AppointmentCancelled"])

        let sheet = try cli.ok(["audit", "diff", "yesterday", "tomorrow", "ledger", "--as", "co-1"])
        XCTAssertTrue(sheet.stdout.hasPrefix("Day sheet of \(date(daysAgo: -1))"), sheet.stdout)
    }

    func testAnErasedPatientsChartDiffSaysErasedAndShowsNoData() throws {
        let cli = CLIHarness()
        let patient = try makeOfficeWithOfficer(cli)
        try cli.ok(["allergy", "add", patient, "--substance", "Sulfa", "--reaction", "rash", "--as", "dr-1"])
        try cli.ok(["patient", "erase", patient, "--because", "patient-request", "--confirm", "--as", "admin"])
        let json = try cli.ok([
            "audit", "diff", "yesterday", "tomorrow", "chart", "--patient", patient, "--as", "co-1", "--json",
        ])
        let diff = try object(json)
        XCTAssertEqual(diff["patientErased"] as? Bool, true)
        XCTAssertEqual(changes(diff).count, 0)
        XCTAssertTrue(
            (diff["events"] as? [[String: Any]])?.contains { $0["eventType"] as? String == "PatientErased" } ?? false)
        for secret in ["Sulfa", "Diffley", "Dana", "1980-02-03"] {
            XCTAssertFalse(json.stdout.contains(secret), "\(secret) in \(json.stdout)")
        }
        let text = try cli.ok(["audit", "diff", "yesterday", "tomorrow", "chart", "--patient", patient, "--as", "co-1"])
        XCTAssertTrue(text.stdout.contains("The patient was erased"), text.stdout)
        XCTAssertFalse(text.stdout.contains("Sulfa"), text.stdout)
    }

    func testWrongArgumentsAreUsageErrorsBeforeTheStoreIsRead() throws {
        let cli = CLIHarness()
        cli.environment["CLINIC_STORE"] = cli.store + "-never-made"
        for arguments in [
            ["audit", "diff", "tomorrow", "yesterday", "schedule"],
            ["audit", "diff", "2025-01-02 10:00", "2025-01-02 09:00", "ledger"],
            ["audit", "diff", "2025-01-05", "2025-01-02", "chart", "--patient", "abcd", "--effective"],
            ["audit", "diff", "2025-02-30", "2025-03-01", "schedule"],
            ["audit", "diff", "yesterday", "today 25:00", "schedule"],
            ["audit", "diff", "yesterday", "today", "diary"],
            ["audit", "diff", "yesterday", "today", "chart"],
            ["audit", "diff", "yesterday", "today", "consent", "--patient", "abcd", "--date", "today"],
            ["audit", "diff", "yesterday", "today", "schedule", "--patient", "abcd"],
            ["audit", "diff", "yesterday", "today", "ledger", "--patient", "abcd", "--date", "today"],
            ["audit", "diff", "yesterday", "today", "schedule", "--date", "2025-13-01"],
        ] {
            let result = try cli.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("clinic: "), result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.store + "-never-made"))
    }
}
