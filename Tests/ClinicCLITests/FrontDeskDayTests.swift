import Foundation
import XCTest

/// End-to-end: the built `clinic` binary, as the front desk, billing and clinical staff use it.
final class FrontDeskDayTests: XCTestCase {
    func testRegisterBookAndCheckInShowsOnTheSchedule() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let registered = try cli.ok([
            "patient", "register", "--family", "Doe", "--given", "Jane", "--birth", "1980-04-02", "--as", "fd-1",
            "--json",
        ])
        let patient = try cli.detail(registered, "patientID")
        let booked = try cli.ok([
            "book", String(patient.prefix(8)), "--provider", "dr-1", "--start", "tomorrow 10:00", "--minutes", "30",
            "--as", "fd-1", "--json",
        ])
        let appointment = try cli.detail(booked, "appointmentID")
        let schedule = try cli.ok(["schedule", "--date", "tomorrow", "--json"])
        let rows = (try schedule.json() as? [String: Any])?["appointments"] as? [[String: Any]]
        XCTAssertEqual(rows?.count, 1)
        XCTAssertEqual(rows?.first?["appointmentID"] as? String, appointment)
        XCTAssertEqual(rows?.first?["patient"] as? String, "Doe, Jane")
        XCTAssertEqual(rows?.first?["status"] as? String, "booked")
        let human = try cli.ok(["schedule", "--date", "tomorrow"])
        XCTAssertTrue(human.stdout.contains("Doe, Jane"), human.stdout)
    }

    /// `day close` takes the day's totals from the day's own checkpoint part (as the day sheet does), not the whole
    /// ledger: what it records must be exactly the sheet's figures.
    func testClosingADayRecordsTheTotalsOfItsDaySheet() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let (patient, visit) = try cli.checkedInPatient(family: "Roe", given: "Ann", birth: "1975-01-09")
        try cli.ok([
            "charge", patient, "--visit", visit, "--cpt", "99213", "--dx", "E11.9", "--amount", "125.40", "--as",
            "bl-1",
        ])
        try cli.ok(["payment", patient, "--amount", "20.15", "--method", "cash", "--as", "fd-1"])
        let open = try cli.ok(["ledger", "daily", "--as", "bl-1"])
        XCTAssertTrue(open.stdout.contains("(open)"), open.stdout)
        let closed = try cli.ok(["day", "close", "--as", "bl-1"])
        XCTAssertTrue(closed.stdout.contains("charges 125.40, payments 20.15"), closed.stdout)
        let sheet = try cli.ok(["ledger", "daily", "--as", "bl-1"])
        XCTAssertTrue(sheet.stdout.contains("(closed; matches the closed totals)"), sheet.stdout)
    }

    /// A rebuild whose checkpoints cannot be written must fail with the storage exit code, not report success (it
    /// used to drop the save's error). The views directory is a dangling symbolic link: writing under it fails even
    /// for root, which file modes would not stop.
    func testARebuildThatCannotWriteItsCheckpointsFailsAsAStorageFailure() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        _ = try cli.checkedInPatient(family: "Poe", given: "Ed", birth: "1960-02-03")
        let views = cli.store + "/views"
        try? FileManager.default.removeItem(atPath: views)
        try FileManager.default.createSymbolicLink(atPath: views, withDestinationPath: cli.store + "/no-such-directory")
        let rebuilt = try cli.run(["rebuild", "--as", "admin"])
        XCTAssertEqual(rebuilt.status, 74, rebuilt.stdout + rebuilt.stderr)
        XCTAssertTrue(rebuilt.stderr.contains("checkpoints could not be written"), rebuilt.stderr)
        XCTAssertFalse(rebuilt.stdout.contains("Rebuilt the views"), rebuilt.stdout)
    }

    /// The staff stream cache (`views/streams.cache`) is written at the end of a successful command only: a refused
    /// command that read a staff record the cache lacks leaves the store byte-identical, and the next successful
    /// command writes the cache caught up.
    func testOnlyASuccessfulCommandWritesTheStaffCache() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let cache = URL(fileURLWithPath: cli.store + "/views/streams.cache")
        try cli.ok(["schedule", "--date", "today", "--as", "fd-1"])
        let written = try Data(contentsOf: cache)
        try cli.ok(["staff", "add", "co-2", "--name", "Compliance", "--roles", "compliance-officer", "--as", "admin"])
        let before = try cli.snapshot()
        let refused = try cli.run([
            "book", "ffffffff", "--provider", "dr-1", "--start", "tomorrow 11:00", "--as", "fd-1",
        ])
        XCTAssertEqual(refused.status, 66, refused.stderr)
        XCTAssertEqual(try cli.snapshot(), before, "a refused command writes no cache")
        try cli.ok(["schedule", "--date", "today", "--as", "fd-1"])
        XCTAssertNotEqual(try Data(contentsOf: cache), written, "the next successful command writes it caught up")
    }

    func testEveryRefusalClassHasItsExitCodeAndLeavesTheStoreByteIdentical() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let registered = try cli.ok([
            "patient", "register", "--family", "Roe", "--given", "Sam", "--birth", "1975-01-01", "--as", "fd-1",
            "--json",
        ])
        let patient = String(try cli.detail(registered, "patientID").prefix(8))
        try cli.ok(["book", patient, "--provider", "dr-1", "--start", "tomorrow 09:00", "--as", "fd-1"])
        let before = try cli.snapshot()
        let cases: [(arguments: [String], status: Int32)] = [
            (["book", patient, "--provider", "dr-1", "--start", "tomorrow 09:00", "--as", "fd-1"], 65),
            (["book", patient, "--provider", "dr-1", "--start", "2001-01-01 09:00", "--as", "fd-1"], 65),
            (["book", "ffffffff", "--provider", "dr-1", "--start", "tomorrow 11:00", "--as", "fd-1"], 66),
            (["book", patient, "--provider", "dr-1", "--start", "tomorrow 25:00", "--as", "fd-1"], 64),
            (["book", patient, "--provider", "dr-1", "--start", "tomorrow 11:00", "--as", "nobody"], 77),
            (["patient", "register", "--family", "X", "--given", "Y", "--birth", "2001-02-30", "--as", "fd-1"], 64),
            (["patient", "register", "--family", "", "--given", "Y", "--birth", "2001-02-03", "--as", "fd-1"], 64),
        ]
        for (arguments, status) in cases {
            let result = try cli.run(arguments)
            XCTAssertEqual(result.status, status, "clinic \(arguments.joined(separator: " ")): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("clinic: "), result.stderr)
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one sentence: \(result.stderr)")
        }
        XCTAssertEqual(try cli.snapshot(), before)
        let events = try cli.eventCount()
        let refused = try cli.run(["book", patient, "--provider", "dr-1", "--start", "tomorrow 11:00", "--as", "bl-1"])
        XCTAssertEqual(refused.status, 77, refused.stderr)
        XCTAssertEqual(try cli.eventCount(), events + 1, "a role refusal appends its AccessDenied event only")
    }

    func testARetriedCommandWithTheSameIDNeverAppendsTwice() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let id = "0123456789abcdef0123456789abcdef"
        let arguments = [
            "patient", "register", "--family", "Poe", "--given", "Ed", "--birth", "1990-05-05", "--as", "fd-1",
            "--id", id, "--json",
        ]
        let first = try cli.ok(arguments)
        let second = try cli.ok(arguments)
        XCTAssertEqual((try second.json() as? [String: Any])?["alreadyRecorded"] as? Bool, true)
        let found = try cli.ok(["patient", "find", "--name", "poe", "--json"])
        let listed = try XCTUnwrap(try found.json() as? [[String: Any]])
        XCTAssertEqual(listed.count, 1)
        // The retry prints the id of the record the first attempt made, not a new one (found by the crash test).
        func details(_ result: CLIHarness.Result) throws -> [String: String] {
            try XCTUnwrap((try result.json() as? [String: Any])?["details"] as? [String: String])
        }
        XCTAssertEqual(try details(first)["patientID"], listed.first?["patientID"] as? String)
        XCTAssertEqual(try details(second)["patientID"], listed.first?["patientID"] as? String)
        let patient = try XCTUnwrap(listed.first?["patientID"] as? String)
        let book = [
            "book", patient, "--provider", "dr-1", "--start", "tomorrow 10:00", "--as", "fd-1", "--json", "--id",
            "11111111111111111111111111111111",
        ]
        XCTAssertEqual(try details(try cli.ok(book))["appointmentID"], try details(try cli.ok(book))["appointmentID"])
    }

    func testConcurrentClinicProcessesEachLandExactlyOnce() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let count = 8
        let group = DispatchGroup()
        let statuses = Mutex<[Int32]>([])
        for index in 0..<count {
            group.enter()
            DispatchQueue.global().async {
                let result = try? cli.run([
                    "patient", "register", "--family", "Many\(index)", "--given", "P", "--birth", "1990-01-01",
                    "--as", "fd-1",
                ])
                statuses.withLock { $0.append(result?.status ?? -1) }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(statuses.withLock { $0 }, Array(repeating: 0, count: count))
        let found = try cli.ok(["patient", "find", "--name", "many", "--json"])
        XCTAssertEqual((try found.json() as? [Any])?.count, count)
    }
}

/// A tiny lock-protected value for the concurrency test.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// End-to-end: the compliance officer's tools on a store the front desk used.
final class AuditSessionTests: XCTestCase {
    func testAsOfShowsTheScheduleAsItWasKnownThen() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        let patient = try cli.ok([
            "patient", "register", "--family", "Then", "--given", "Now", "--birth", "1970-01-01", "--as", "fd-1",
            "--quiet",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.ok(["book", patient, "--provider", "dr-1", "--start", "tomorrow 10:00", "--as", "fd-1"])
        let refused = try cli.run(["audit", "as-of", "today", "schedule", "--date", "tomorrow"])
        XCTAssertEqual(refused.status, 77, "the front desk may not replay history: \(refused.stderr)")
        try cli.ok(["staff", "add", "co-1", "--name", "Compliance", "--roles", "compliance-officer", "--as", "admin"])
        try cli.ok(["staff", "passphrase", "co-1", "--as", "admin"])
        try cli.ok(["signin", "--as", "co-1"])
        let before = try cli.ok(["audit", "as-of", "today", "schedule", "--date", "tomorrow", "--as", "co-1"])
        XCTAssertFalse(before.stdout.contains("Then, Now"), before.stdout)
        let after = try cli.ok(["audit", "as-of", "tomorrow", "schedule", "--date", "tomorrow", "--as", "co-1"])
        XCTAssertTrue(after.stdout.contains("Then, Now"), after.stdout)
    }

    func testVerifyProveAndCatchATamperedSegment() throws {
        let cli = CLIHarness()
        try cli.makeOffice()
        for family in ["Ames", "Boyd", "Cruz"] {
            try cli.ok([
                "patient", "register", "--family", family, "--given", "Pat", "--birth", "1970-01-01", "--as", "fd-1",
            ])
        }
        try cli.ok(["staff", "add", "co-1", "--name", "Compliance", "--roles", "compliance-officer", "--as", "admin"])
        try cli.ok(["staff", "passphrase", "co-1", "--as", "admin"])
        try cli.ok(["signin", "--as", "co-1"])
        try cli.ok(["audit", "checkpoint", "--as", "co-1"])
        let verified = try cli.ok(["audit", "verify", "--json"])
        XCTAssertEqual((try verified.json() as? [String: Any])?["valid"] as? Bool, true)
        let checkpointFile = cli.store + "/exported-checkpoint.json"
        let proofFile = cli.store + "/proof.json"
        try cli.ok(["audit", "export-checkpoint", "--out", checkpointFile])
        try cli.ok(["audit", "prove", "3", "--checkpoint", checkpointFile, "--out", proofFile])
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tools/verify-proof.py").path
        python.arguments = ["python3", script, proofFile]
        python.standardOutput = Pipe()
        try python.run()
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0)
        let segment = cli.store + "/log/00000000000000000000.segment"
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: segment))
        try handle.seek(toOffset: 100)
        let original = try XCTUnwrap(try handle.read(upToCount: 1))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data([original[0] ^ 0x40]))
        try handle.close()
        let tampered = try cli.run(["audit", "verify", "--against", checkpointFile])
        XCTAssertEqual(tampered.status, 74, tampered.stdout)
        XCTAssertTrue(tampered.stdout.contains("00000000000000000000.segment"), tampered.stdout)
    }
}
