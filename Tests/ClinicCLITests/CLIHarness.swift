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

    let store: String
    var environment: [String: String]

    init() {
        store = NSTemporaryDirectory() + "clinic-cli-\(UInt64.random(in: 0...UInt64.max))"
        environment = ProcessInfo.processInfo.environment
        environment["CLINIC_STORE"] = store
        environment.removeValue(forKey: "CLINIC_STAFF")
        environment.removeValue(forKey: "CLINIC_ROLE")
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

    /// The `details` value of a `--json` receipt.
    func detail(_ result: Result, _ key: String) throws -> String {
        let object = try result.json() as? [String: Any]
        let details = object?["details"] as? [String: String]
        return try XCTUnwrap(details?[key], "no \(key) in \(result.stdout)")
    }

    /// Every byte of every file of the store, by path.
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: store)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = store + "/" + path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                !path.hasSuffix("/lock")
            {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return files
    }

    /// A store with staff for each desk and a provider with weekday hours.
    func makeOffice() throws {
        try ok(["init"])
        try ok(["staff", "add", "dr-1", "--name", "Dr. Lee", "--roles", "physician", "--as", "admin"])
        try ok(["staff", "add", "fd-1", "--name", "Front Desk", "--roles", "front-desk", "--as", "admin"])
        try ok(["staff", "add", "bl-1", "--name", "Biller", "--roles", "biller", "--as", "admin"])
        try ok(["staff", "add", "rn-1", "--name", "Nurse", "--roles", "nurse", "--as", "admin"])
        try ok([
            "availability", "define", "--provider", "dr-1", "--days", "mon-sun", "--from", "00:00", "--to", "23:45",
            "--slot", "15", "--as", "dr-1",
        ])
    }
}
