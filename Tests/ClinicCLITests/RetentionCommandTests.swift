import Foundation
import XCTest

/// `clinic retention`: the policy is set by an office manager only, and `apply` refuses to run without one or for a
/// date still to come. (Which records fall due is tested with a moving clock in `ClinicStoreTests.RetentionTests`.)
final class RetentionCommandTests: XCTestCase {
    func testThePolicyAndTheRefusalsOfApply() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let patient = try cli.ok([
            "patient", "register", "--family", "Kept", "--given", "Pat", "--birth", "1980-01-01", "--as", "fd-1",
            "--quiet",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try cli.run(["retention", "apply", "--before", "today", "--as", "admin"]).status, 65)
        XCTAssertEqual(try cli.run(["retention", "policy", "--years", "10", "--as", "fd-1"]).status, 77)
        XCTAssertEqual(try cli.run(["retention", "policy", "--years", "5", "--as", "admin"]).status, 64)
        try cli.ok(["retention", "policy", "--years", "10", "--minor-years", "3", "--as", "admin"])
        let shown = try XCTUnwrap(try cli.ok(["retention", "policy", "--json"]).json() as? [String: Any])
        XCTAssertEqual(shown["years"] as? Int, 10)
        XCTAssertEqual(shown["minorYears"] as? Int, 3)
        // Changing one of the two keeps the other as it was (it once reset the minor years to 0).
        try cli.ok(["retention", "policy", "--years", "12", "--as", "admin"])
        try cli.ok(["retention", "policy", "--minor-years", "4", "--as", "admin"])
        let changed = try XCTUnwrap(try cli.ok(["retention", "policy", "--json"]).json() as? [String: Any])
        XCTAssertEqual(changed["years"] as? Int, 12)
        XCTAssertEqual(changed["minorYears"] as? Int, 4)
        try cli.ok(["retention", "policy", "--years", "10", "--minor-years", "3", "--as", "admin"])
        XCTAssertEqual(try cli.run(["retention", "apply", "--before", "tomorrow", "--as", "admin"]).status, 64)
        XCTAssertEqual(try cli.run(["retention", "apply", "--before", "today", "--as", "fd-1"]).status, 77)
        let applied = try XCTUnwrap(
            try cli.ok(["retention", "apply", "--before", "today", "--as", "admin", "--json"]).json() as? [String: Any])
        XCTAssertEqual((applied["records"] as? [Any])?.count, 0, "a patient registered today is kept")
        XCTAssertEqual((applied["erased"] as? [Any])?.count, 0)
        let shownPatient = try cli.ok(["patient", "show", patient, "--json"])
        XCTAssertTrue(shownPatient.stdout.contains("Kept"), shownPatient.stdout)
    }

    /// The policy is an event of the log: one per change, none for the policy in force set again or for a retried
    /// --id; who set it and when is in `clinic audit history retention`; the settings file is never written.
    func testThePolicyIsRecordedInTheLogWithWhoAndWhen() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let settings = try Data(contentsOf: URL(fileURLWithPath: cli.store + "/store.settings"))
        XCTAssertTrue(try json(cli.ok(["retention", "policy", "--json"])).isEmpty, "no policy yet")
        let events = try cli.eventCount()
        let id = "0123456789abcdef0123456789abcdef"
        let set = try json(
            cli.ok([
                "retention", "policy", "--years", "10", "--minor-years", "3", "--id", id, "--reason", "Board decision",
                "--as", "admin", "--json",
            ]))
        XCTAssertEqual(set["alreadyRecorded"] as? Bool, false)
        XCTAssertEqual(set["source"] as? String, "log")
        XCTAssertEqual(set["setBy"] as? String, "admin")
        XCTAssertEqual(set["setByRole"] as? String, "office-manager")
        XCTAssertEqual(try cli.eventCount(), events + 1)
        for again in [["--id", id], []] {
            let repeated = try json(
                cli.ok(
                    ["retention", "policy", "--years", "10", "--minor-years", "3", "--as", "admin", "--json"] + again))
            XCTAssertEqual(repeated["alreadyRecorded"] as? Bool, true, "\(again)")
        }
        XCTAssertEqual(try cli.eventCount(), events + 1, "the same policy again appends nothing")
        let text = try cli.ok(["retention", "policy", "--years", "7", "--minor-years", "0", "--as", "admin"]).stdout
        XCTAssertTrue(
            text.hasPrefix("Records are kept 7 years after the patient's last activity.\nSet by admin "), text)
        XCTAssertEqual(try cli.eventCount(), events + 2)
        XCTAssertEqual(
            try cli.run(["retention", "policy", "--id", id, "--as", "admin"]).status, 64, "--id without --years")

        try cli.ok(["staff", "add", "co-1", "--name", "Compliance", "--roles", "compliance-officer", "--as", "admin"])
        try cli.ok(["staff", "passphrase", "co-1", "--as", "admin"])
        try cli.ok(["signin", "--as", "co-1"])
        let history = try XCTUnwrap(
            try cli.ok(["audit", "history", "retention", "--as", "co-1", "--json"]).json() as? [[String: Any]])
        XCTAssertEqual(history.map { $0["eventType"] as? String }, ["RetentionPolicySet", "RetentionPolicySet"])
        XCTAssertEqual(history.map { $0["actor"] as? String }, ["admin", "admin"])
        XCTAssertEqual(history.first?["reason"] as? String, "Board decision")
        XCTAssertEqual(
            history.last?["summary"] as? String, "Retention policy set: records kept 7 years after the last activity")
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: cli.store + "/store.settings")), settings,
            "the settings file is not written")
    }

    /// A store made before the policy was an event: its store.settings policy is honoured until an office manager
    /// sets one; from then on, editing the settings file by hand changes nothing.
    func testEditingTheSettingsFileNoLongerChangesThePolicyOnceTheLogHoldsOne() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let path = cli.store + "/store.settings"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        func editSettings(years: Int, minorYears: Int) throws {
            try (original + "retentionYears=\(years)\nretentionMinorYears=\(minorYears)\n").write(
                toFile: path, atomically: true, encoding: .utf8)
        }
        try editSettings(years: 10, minorYears: 3)
        let legacy = try json(cli.ok(["retention", "policy", "--json"]))
        XCTAssertEqual(legacy["years"] as? Int, 10)
        XCTAssertEqual(legacy["minorYears"] as? Int, 3)
        XCTAssertEqual(legacy["source"] as? String, "settingsFile")
        let applied = try json(cli.ok(["retention", "apply", "--before", "today", "--as", "admin", "--json"]))
        XCTAssertEqual((applied["policy"] as? [String: Any])?["source"] as? String, "settingsFile")

        let events = try cli.eventCount()
        let recorded = try json(
            cli.ok(["retention", "policy", "--years", "10", "--minor-years", "3", "--as", "admin", "--json"]))
        XCTAssertEqual(recorded["alreadyRecorded"] as? Bool, false, "the settings' policy is now recorded")
        XCTAssertEqual(recorded["source"] as? String, "log")
        XCTAssertEqual(try cli.eventCount(), events + 1)

        try editSettings(years: 6, minorYears: 0)
        let shown = try json(cli.ok(["retention", "policy", "--json"]))
        XCTAssertEqual(shown["years"] as? Int, 10, "the hand edit is ignored")
        XCTAssertEqual(shown["minorYears"] as? Int, 3)
        XCTAssertEqual(shown["source"] as? String, "log")
        let afterEdit = try json(cli.ok(["retention", "apply", "--before", "today", "--as", "admin", "--json"]))
        XCTAssertEqual((afterEdit["policy"] as? [String: Any])?["years"] as? Int, 10)
    }

    private func json(_ result: CLIHarness.Result) throws -> [String: Any] {
        try XCTUnwrap(try result.json() as? [String: Any], result.stdout)
    }
}

/// Erasing a patient erases the duplicate records merged into them: the same person, each with their own key.
final class ErasureOfMergedRecordsTests: XCTestCase {
    func testErasingTheSurvivorErasesTheDuplicatesMergedIntoIt() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        func register(_ family: String) throws -> String {
            try cli.ok([
                "patient", "register", "--family", family, "--given", "Pat", "--birth", "1980-01-01", "--as", "fd-1",
                "--quiet",
            ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let survivor = try register("Survivor")
        let duplicate = try register("Duplicate")
        let other = try register("Other")
        try cli.ok(["patient", "merge", duplicate, "--into", survivor, "--as", "admin"])
        try cli.ok(["patient", "erase", survivor, "--because", "patient-request", "--confirm", "--as", "admin"])
        for (id, status) in [(survivor, "erased"), (duplicate, "erased"), (other, "active")] {
            let shown = try XCTUnwrap(try cli.ok(["patient", "show", id, "--json"]).json() as? [String: Any])
            XCTAssertEqual(shown["status"] as? String, status, "\(id)")
        }
    }
}
