import Foundation
import XCTest

/// The terminal session in README.md runs exactly as written (in a temporary store) and ends with a verified log.
final class ReadmeSessionTests: XCTestCase {
    func testTheReadmeSessionRunsAsWritten() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = "## A session at the front desk"
        let section = try XCTUnwrap(readme.range(of: marker).map { readme[$0.upperBound...] })
        let start = try XCTUnwrap(section.range(of: "```sh\n"))
        let end = try XCTUnwrap(section[start.upperBound...].range(of: "```"))
        let store = NSTemporaryDirectory() + "clinic-readme-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: store) }
        let script =
            "set -euo pipefail\n"
            + section[start.upperBound..<end.lowerBound].replacingOccurrences(of: "/tmp/my-clinic", with: store)
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
        XCTAssertTrue(printed.contains("Doe, Jane"), printed)
        XCTAssertTrue(printed.contains("reconciles            yes"), printed)
        XCTAssertTrue(printed.contains("The log verifies."), printed)
    }
}
