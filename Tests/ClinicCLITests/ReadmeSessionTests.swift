import Foundation
import XCTest

/// The terminal sessions of README.md and docs/audit.md run exactly as written (in a temporary store).
final class ReadmeSessionTests: XCTestCase {
    func testTheReadmeSessionRunsAsWritten() throws {
        let printed = try runSession(
            document: "README.md", marker: "## A session at the front desk", store: "/tmp/my-clinic")
        XCTAssertTrue(printed.contains("Doe, Jane"), printed)
        XCTAssertTrue(printed.contains("reconciles            yes"), printed)
        XCTAssertTrue(printed.contains("The log verifies."), printed)
    }

    func testTheAuditSessionOfTheAuditGuideRunsAsWrittenOnADemoStore() throws {
        let printed = try runSession(
            document: "docs/audit.md", marker: "## 9. Terminal session", store: "/tmp/audit-demo")
        XCTAssertTrue(printed.contains("The log verifies."), printed)
        XCTAssertTrue(printed.contains("VALID"), printed)
        XCTAssertFalse(printed.contains("INVALID"), printed)
    }

    /// Runs the first `sh` block after `marker` in `document` with bash from the repository root, `placeholder`
    /// replaced by a temporary path; returns what it printed.
    private func runSession(document: String, marker: String, store placeholder: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
        let section = try XCTUnwrap(text.range(of: marker).map { text[$0.upperBound...] })
        let start = try XCTUnwrap(section.range(of: "```sh\n"))
        let end = try XCTUnwrap(section[start.upperBound...].range(of: "```"))
        let store = NSTemporaryDirectory() + "clinic-session-\(UInt64.random(in: 0...UInt64.max))"
        defer {
            for suffix in ["", "-passphrase", "-checkpoint.json", "-proof.json", "-export.json", "-consistency.json"] {
                try? FileManager.default.removeItem(atPath: store + suffix)
            }
        }
        let body = section[start.upperBound..<end.lowerBound].replacingOccurrences(of: placeholder, with: store)
        let script = "set -euo pipefail\ncd '\(root.path)'\n" + body
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] =
            URL(fileURLWithPath: CLIHarness.binary).deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, complaints)
        return printed
    }
}
