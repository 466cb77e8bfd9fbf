import Foundation
import XCTest

/// docs/cli.md's command reference, the completion scripts and the man page match the command definitions.
final class GeneratedDocsTests: XCTestCase {
    func testTheGeneratedCommandReferenceCompletionsAndManPageAreCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appendingPathComponent("tools/generate-cli-docs").path, "--check", "--clinic",
            CLIHarness.binary,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, printed)
    }
}
