import Foundation
import XCTest

/// End-to-end: signing in, the access log, breaking the glass and rotating the master key, as staff type them.
final class SignInTests: XCTestCase {
    /// A file of mode `mode` holding `text`, removed after the test.
    private func passphraseFile(_ text: String, mode: Int = 0o600) throws -> String {
        let path = NSTemporaryDirectory() + "clinic-passphrase-\(UInt64.random(in: 0...UInt64.max))"
        XCTAssertTrue(
            FileManager.default.createFile(
                atPath: path, contents: Data((text + "\n").utf8),
                attributes: [.posixPermissions: NSNumber(value: mode)]))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Adds a compliance officer and signs them in.
    private func addComplianceOfficer(_ cli: CLIHarness) throws {
        try cli.ok(["staff", "add", "co-1", "--name", "Compliance", "--roles", "compliance-officer", "--as", "admin"])
        try cli.ok(["staff", "passphrase", "co-1", "--as", "admin"])
        try cli.ok(["signin", "--as", "co-1"])
    }

    private func register(_ cli: CLIHarness, family: String) throws -> String {
        let registered = try cli.ok([
            "patient", "register", "--family", family, "--given", "Kim", "--birth", "1970-03-04", "--as", "fd-1",
            "--json",
        ])
        return String(try cli.detail(registered, "patientID").prefix(8))
    }

    func testCommandsNeedASignedInStaffMemberAndFailedSignInsAreLoggedAndThrottled() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        try cli.ok(["signout", "--as", "fd-1"])
        let refused = try cli.run(["patient", "find", "--name", "x", "--as", "fd-1"])
        XCTAssertEqual(refused.status, 77)
        XCTAssertEqual(
            refused.stderr, "clinic: Staff member fd-1 is not signed in; run `clinic signin --as fd-1` first.\n")
        XCTAssertEqual(
            try cli.run([
                "patient", "register", "--family", "A", "--given", "B", "--birth", "2000-01-01",
                "--as", "fd-1",
            ]).status, 77)
        // No passphrase on the command line: there is no such option.
        XCTAssertEqual(
            try cli.run(["signin", "--as", "fd-1", "--passphrase", "staff passphrase for tests"]).status, 64)
        let exposed = try passphraseFile("staff passphrase for tests", mode: 0o644)
        let loose = try cli.run(["signin", "--as", "fd-1", "--passphrase-file", exposed])
        XCTAssertEqual(loose.status, 77)
        XCTAssertTrue(loose.stderr.contains("can be read by other users"), loose.stderr)
        let wrong = try passphraseFile("not the passphrase at all")
        let failed = try cli.run(["signin", "--as", "fd-1", "--passphrase-file", wrong])
        XCTAssertEqual(failed.status, 77)
        XCTAssertTrue(failed.stderr.contains("Sign-in as fd-1 failed"), failed.stderr)
        // Each failure in a row doubles the wait (1, 2, 4 s): four quick tries meet it at least once, unchecked.
        var throttled: CLIHarness.Result?
        var failures = 1
        while throttled == nil, failures < 4 {
            let again = try cli.run(["signin", "--as", "fd-1", "--passphrase-file", wrong])
            XCTAssertEqual(again.status, 77)
            if again.stderr.contains("Too many failed sign-ins") { throttled = again } else { failures += 1 }
        }
        let message = try XCTUnwrap(throttled?.stderr, "throttled within four tries")
        let seconds = try XCTUnwrap(
            message.split(separator: " ").firstIndex(of: "wait").map { Double(message.split(separator: " ")[$0 + 1]) }
                ?? nil, message)
        Thread.sleep(forTimeInterval: seconds + 0.2)
        try cli.ok(["signin", "--as", "fd-1"])
        try cli.ok(["patient", "find", "--name", "x"])
        try addComplianceOfficer(cli)
        let log = try cli.ok(["audit", "access", "fd-1", "--as", "co-1", "--json"])
        let kinds = (try log.json() as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        XCTAssertEqual(
            Array(kinds.suffix(failures + 4)),
            ["signedIn", "signedOut"] + Array(repeating: "signInFailed", count: failures + 1) + ["signedIn"], "\(kinds)"
        )
        XCTAssertFalse(log.stdout.contains("not the passphrase"), "no passphrase in the access log")
    }

    func testBreakingTheGlassOpensAChartAndTheComplianceOfficerSeesItFlagged() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let patient = try register(cli, family: "Quill")
        let refused = try cli.run(["chart", patient, "--as", "fd-1"])
        XCTAssertEqual(refused.status, 77)
        XCTAssertTrue(refused.stderr.contains("may not do viewChart"), refused.stderr)
        let opened = try cli.ok(["chart", patient, "--as", "fd-1", "--break-glass", "fainted at the front desk"])
        XCTAssertTrue(opened.stdout.contains("Chart of Quill, Kim"), opened.stdout)
        XCTAssertTrue(opened.stderr.contains("break-glass access recorded"), opened.stderr)
        try cli.ok(["chart", patient, "--as", "rn-1", "--json"])
        try cli.ok(["ledger", patient, "--as", "bl-1", "--purpose", "payment"])
        try addComplianceOfficer(cli)
        try cli.ok(["audit", "checkpoint", "--as", "co-1"])
        let export = cli.store + "/export.json"
        try cli.ok(["audit", "export", patient, "--as", "co-1", "--out", export])
        let mode = try FileManager.default.attributesOfItem(atPath: export)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600, "an export holds patient data")
        let report = try cli.ok(["audit", "access", patient, "--as", "co-1", "--json"])
        let rows = try XCTUnwrap(try report.json() as? [[String: Any]])
        XCTAssertEqual(
            rows.map { "\($0["staff"] ?? "") \($0["kind"] ?? "") \($0["flagged"] as? Bool == true)" },
            [
                "fd-1 accessDenied false", "fd-1 breakGlass true", "fd-1 recordAccessed true",
                "rn-1 recordAccessed false", "bl-1 recordAccessed false", "co-1 recordAccessed false",
            ])
        XCTAssertEqual(rows[1]["what"] as? String, "broke the glass: fainted at the front desk")
        let flagged = try cli.ok(["audit", "access", "--as", "co-1", "--flagged"])
        XCTAssertTrue(flagged.stdout.contains("BREAK-GLASS"), flagged.stdout)
        XCTAssertEqual(flagged.stdout.split(separator: "\n").count, 3, flagged.stdout)
        XCTAssertEqual(try cli.run(["audit", "access", patient, "--as", "fd-1"]).status, 77)
    }

    func testRotatingTheMasterKeyKeepsRecordsReadableAndProofsValid() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let patient = try register(cli, family: "Roth")
        try addComplianceOfficer(cli)
        try cli.ok(["audit", "checkpoint", "--as", "co-1"])
        let before = cli.store + "/before.json"
        try cli.ok(["audit", "export-checkpoint", "--out", before])
        let oldKey = try Data(contentsOf: URL(fileURLWithPath: cli.store + "/master.key"))
        XCTAssertEqual(try cli.run(["keys", "rotate", "--as", "fd-1"]).status, 77)
        let rotated = try cli.ok(["keys", "rotate", "--as", "admin", "--json"])
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: cli.store + "/master.key")), oldKey)
        XCTAssertNotNil((try rotated.json() as? [String: Any])?["newMasterKeyID"])
        let stale = try cli.run(["patient", "show", patient, "--as", "fd-1"])
        XCTAssertEqual(stale.status, 77, "sessions are signed with the old key")
        try cli.ok(["signin", "--as", "fd-1"])
        XCTAssertTrue(try cli.ok(["patient", "show", patient, "--as", "fd-1"]).stdout.contains("Roth, Kim"))
        try cli.ok(["signin", "--as", "co-1"])
        try cli.ok(["audit", "checkpoint", "--as", "co-1"])
        let verified = try cli.ok(["audit", "verify", "--against", before, "--json"])
        XCTAssertEqual((try verified.json() as? [String: Any])?["valid"] as? Bool, true, verified.stdout)
        let consistency = cli.store + "/consistency.json"
        try cli.ok(["audit", "prove-consistency", before, "--out", consistency])
        XCTAssertTrue(FileManager.default.fileExists(atPath: consistency))
        // Hardening: a master key others can read stops every command that opens the store.
        try FileManager.default.setAttributes(
            [.posixPermissions: NSNumber(value: 0o644)], ofItemAtPath: cli.store + "/master.key")
        let exposed = try cli.run(["status"])
        XCTAssertEqual(exposed.status, 77)
        XCTAssertTrue(exposed.stderr.contains("chmod 600"), exposed.stderr)
    }
}
