import Foundation
import XCTest

/// Runs the built `clinic` binary as a user would, in a temporary store.
final class CLIHarness: @unchecked Sendable {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The standard output parsed as JSON.
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        }
    }

    static let binary: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            let path = root.appendingPathComponent(".build/\(configuration)/clinic").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/clinic").path
    }()

    /// The passphrase every test staff member signs in with, in a file of mode 0600 (as scripts use it).
    static let passphraseFile: String = {
        let path = NSTemporaryDirectory() + "clinic-cli-passphrase-\(UInt64.random(in: 0...UInt64.max))"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("staff passphrase for tests\n".utf8),
            attributes: [.posixPermissions: NSNumber(value: 0o600)])
        atexit { try? FileManager.default.removeItem(atPath: CLIHarness.passphraseFile) }
        return path
    }()

    let store: String
    var environment: [String: String]

    init() {
        store = NSTemporaryDirectory() + "clinic-cli-\(UInt64.random(in: 0...UInt64.max))"
        environment = ProcessInfo.processInfo.environment
        environment["CLINIC_STORE"] = store
        environment.removeValue(forKey: "CLINIC_STAFF")
        environment.removeValue(forKey: "CLINIC_ROLE")
        environment["CLINIC_PASSPHRASE_FILE"] = Self.passphraseFile
        environment["TZ"] = "UTC"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: store)
    }

    /// Runs `clinic` with `arguments`, optionally feeding `input` on standard input.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inputPipe.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `clinic` and fails the test unless it exits 0.
    @discardableResult
    func ok(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let result = try run(arguments)
        XCTAssertEqual(
            result.status, 0, "clinic \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result
    }

    /// Registers a patient as `fd-1`, books them with `dr-1` tomorrow at 09:30 and checks them in; returns the
    /// patient's and the visit's ids.
    func checkedInPatient(family: String, given: String, birth: String) throws -> (patient: String, visit: String) {
        let registered = try ok([
            "patient", "register", "--family", family, "--given", given, "--birth", birth, "--as", "fd-1", "--json",
        ])
        let patient = try detail(registered, "patientID")
        let booked = try ok([
            "book", patient, "--provider", "dr-1", "--start", "tomorrow 09:30", "--as", "fd-1", "--json",
        ])
        let visit = try detail(booked, "appointmentID")
        try ok(["visit", "checkin", visit, "--as", "fd-1"])
        return (patient, visit)
    }

    /// The `details` value of a `--json` receipt.
    func detail(_ result: Result, _ key: String) throws -> String {
        let object = try result.json() as? [String: Any]
        let details = object?["details"] as? [String: String]
        return try XCTUnwrap(details?[key], "no \(key) in \(result.stdout)")
    }

    /// Every byte of every file of the store, by path, but the session files (every command marks activity in its
    /// session).
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: store)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = store + "/" + path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                !path.hasSuffix("/lock"), !path.hasPrefix("sessions/")
            {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return files
    }

    /// The number of events in the log (`clinic status`).
    func eventCount(file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let status = try ok(["status", "--json"], file: file, line: line)
        return try XCTUnwrap((try status.json() as? [String: Any])?["events"] as? Int, status.stdout)
    }

    /// The staff of `makeOffice()`: id, name and role.
    static let officeStaff = [
        ("dr-1", "Dr. Lee", "physician"), ("fd-1", "Front Desk", "front-desk"), ("bl-1", "Biller", "biller"),
        ("rn-1", "Nurse", "nurse"),
    ]

    /// A store with staff for each desk and a provider with every day's hours, everyone signed in as a user does
    /// (`clinic signin --as STAFF` with the passphrase file in `$CLINIC_PASSPHRASE_FILE`), reads acting as the
    /// front desk (`CLINIC_STAFF=fd-1`). Hashing passphrases is slow on purpose, so the office is made once per test
    /// run and copied (modes kept) for each test.
    func makeOffice() throws {
        let template = try Self.officeTemplate.get()
        let copy = Process()
        copy.executableURL = URL(fileURLWithPath: "/bin/cp")
        copy.arguments = ["-a", template, store]
        try copy.run()
        copy.waitUntilExit()
        XCTAssertEqual(copy.terminationStatus, 0, "cp -a \(template) \(store)")
        environment["CLINIC_STAFF"] = "fd-1"
    }

    /// The office every test copies, made once through the command line.
    private static let officeTemplate: Swift.Result<String, any Error> = Swift.Result {
        let cli = CLIHarness()
        let template = templatePath
        cli.environment["CLINIC_STORE"] = template
        // Sessions in the template must outlast the whole test run.
        try cli.ok(["init", "--session-idle-minutes", "600"])
        try cli.ok(["signin", "--as", "admin"])
        for (staff, name, role) in officeStaff {
            try cli.ok(["staff", "add", staff, "--name", name, "--roles", role, "--as", "admin"])
            try cli.ok(["staff", "passphrase", staff, "--as", "admin"])
            try cli.ok(["signin", "--as", staff])
        }
        try cli.ok([
            "availability", "define", "--provider", "dr-1", "--days", "mon-sun", "--from", "00:00", "--to", "23:45",
            "--slot", "15", "--as", "dr-1",
        ])
        atexit { try? FileManager.default.removeItem(atPath: CLIHarness.templatePath) }
        return template
    }

    /// Where the office template is made.
    private static let templatePath =
        NSTemporaryDirectory() + "clinic-cli-template-\(UInt64.random(in: 0...UInt64.max))"
}
