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
        XCTAssertEqual(try cli.run(["retention", "apply", "--before", "tomorrow", "--as", "admin"]).status, 64)
        XCTAssertEqual(try cli.run(["retention", "apply", "--before", "today", "--as", "fd-1"]).status, 77)
        let applied = try XCTUnwrap(
            try cli.ok(["retention", "apply", "--before", "today", "--as", "admin", "--json"]).json() as? [String: Any])
        XCTAssertEqual((applied["records"] as? [Any])?.count, 0, "a patient registered today is kept")
        XCTAssertEqual((applied["erased"] as? [Any])?.count, 0)
        let shownPatient = try cli.ok(["patient", "show", patient, "--json"])
        XCTAssertTrue(shownPatient.stdout.contains("Kept"), shownPatient.stdout)
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
