import Foundation
import XCTest

/// A short run of `tools/crash-test` on the built `clinic`: writer processes killed with SIGKILL at random moments,
/// and after every kill every acknowledged command present exactly once, the log whole and verified, the views equal
/// to a rebuild, and retries landing once. The long run is recorded in docs/reliability.md.
final class CrashTestTests: XCTestCase {
    func testAShortRunLosesNothingAcknowledged() throws {
        // Erasures stay out until the two erasure defects in docs/reliability.md ("Crash test of real clinic
        // processes") are fixed: with them the run fails within a few iterations.
        let run = try CrashTestRun(["--iterations", "5", "--writers", "3", "--seed", "20251201", "--skip", "erase"])
        XCTAssertEqual(run.status, 0, run.output)
        let summary = try XCTUnwrap(run.output.split(separator: "\n").last { $0.hasPrefix("crash-test summary:") })
        XCTAssertTrue(summary.contains(" 0 failures"), String(summary))
        XCTAssertGreaterThan(try run.figure("processes killed"), 0, String(summary))
        XCTAssertGreaterThan(try run.figure("acknowledged commands checked"), 0, String(summary))
        XCTAssertGreaterThan(try run.figure("view comparisons"), 0, String(summary))
    }

    func testTheHarnessCatchesALostAcknowledgedWrite() throws {
        let run = try CrashTestRun(["--iterations", "2", "--writers", "2", "--seed", "7", "--sabotage", "lost-write"])
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(run.output.contains("FAIL iteration 1 (seed 7)"), run.output)
        XCTAssertTrue(run.output.contains("crash-test summary: 1 iterations"), run.output)
    }
}

/// One run of `tools/crash-test` with the binary the other CLI tests use.
struct CrashTestRun {
    let status: Int32
    let output: String

    init(_ arguments: [String]) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let work = NSTemporaryDirectory() + "clinic-crash-test-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", root.appendingPathComponent("tools/crash-test").path, "--clinic", CLIHarness.binary,
                "--work", work,
            ]
            + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        output = String(decoding: data, as: UTF8.self)
    }

    /// The number just before `label` in the summary line.
    func figure(_ label: String) throws -> Int {
        let summary = try XCTUnwrap(output.split(separator: "\n").last { $0.hasPrefix("crash-test summary:") })
        let before = try XCTUnwrap(summary.range(of: " " + label), "no \(label) in \(summary)")
        let digits = summary[..<before.lowerBound].reversed().prefix { $0.isNumber }
        return try XCTUnwrap(Int(String(digits.reversed())), "no number before \(label)")
    }
}
