import Foundation
import XCTest

@testable import RecordLog

/// Checks docs/log-format.md against the code: `tools/read-log.py`, a reader written from the docs alone, must read
/// exactly what the Swift reader reads from a real log, and must judge a damaged last batch as the writer does.
final class IndependentReaderTests: XCTestCase {
    private struct MissingScript: Error {}

    private struct ReaderRun {
        var exitCode: Int32
        var output: [String: Any]
        var errorText: String
    }

    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `python3 tools/read-log.py directory --json`; skips the test when python3 is not installed.
    private func runIndependentReader(on directory: String) throws -> ReaderRun {
        let script = Self.repositoryRoot.appendingPathComponent("tools/read-log.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            XCTFail("tools/read-log.py is missing at \(script)")
            throw MissingScript()
        }
        let probe = try run(["python3", "--version"])
        guard probe.exitCode == 0 else { throw XCTSkip("python3 is not installed") }
        let result = try run(["python3", script, directory, "--json"])
        let object = (try? JSONSerialization.jsonObject(with: result.standardOutput)) as? [String: Any] ?? [:]
        return ReaderRun(
            exitCode: result.exitCode, output: object,
            errorText: String(decoding: result.standardError, as: UTF8.self))
    }

    private func run(_ arguments: [String]) throws -> (exitCode: Int32, standardOutput: Data, standardError: Data) {
        let errorPath = makeTemporaryDirectory(self) + ".stderr"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: errorPath) }
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let errorFile = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? errorFile.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorFile
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: URL(fileURLWithPath: errorPath))) ?? Data()
        return (process.terminationStatus, outputData, errorData)
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    /// Checks that the reader's records are exactly `expected`, field by field.
    private func assertRecords(
        _ run: ReaderRun, equal expected: [LogRecord], leafHashes: [MerkleDigest], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let records = run.output["records"] as? [[String: Any]] ?? []
        XCTAssertEqual(records.count, expected.count, "record count", file: file, line: line)
        for (record, swift) in zip(records, expected) {
            let position = (record["position"] as? NSNumber)?.uint64Value
            XCTAssertEqual(position, swift.position, file: file, line: line)
            XCTAssertEqual(
                (record["recordedTime"] as? NSNumber)?.int64Value, swift.recordedTimeMicroseconds,
                "recorded time at \(swift.position)", file: file, line: line)
            XCTAssertEqual(
                record["stream"] as? String, swift.stream, "stream at \(swift.position)", file: file, line: line)
            XCTAssertEqual(
                (record["stream"] as? String).map { Array($0.utf8) }, Array(swift.stream.utf8),
                "stream bytes at \(swift.position)", file: file, line: line)
            XCTAssertEqual(
                (record["version"] as? NSNumber)?.uint64Value, swift.streamVersion,
                "version at \(swift.position)", file: file, line: line)
            XCTAssertEqual(
                record["eventId"] as? String, swift.eventID.description,
                "event id at \(swift.position)", file: file, line: line)
            XCTAssertEqual(
                record["payload"] as? String, hex(swift.payload), "payload at \(swift.position)", file: file, line: line
            )
            if Int(swift.position) < leafHashes.count {
                XCTAssertEqual(
                    record["leafHash"] as? String, leafHashes[Int(swift.position)].description,
                    "leaf hash at \(swift.position)", file: file, line: line)
            }
        }
    }

    /// A log of several sealed segments and an active one: single and multi-event appends, multi-stream appends, a
    /// stream id with punctuation, an empty payload, an incompressible payload (a raw batch) and a batch larger
    /// than the segment size, with a checkpoint in the middle and one at the end.
    private func buildLog(in directory: String, configuration: LogConfiguration) throws -> (
        log: RecordLog, checkpoints: [SignedCheckpoint]
    ) {
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        let signer = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 7, count: 32))
        let streams = ["patient-1", "appointment-2", "account-3", "office:front-desk/2026@clinic~1", "office"]
        var generator = SeededGenerator(seed: 42)
        var checkpoints: [SignedCheckpoint] = []
        var number = 0
        for round in 0..<260 {
            let stream = streams[round % streams.count]
            switch round % 13 {
            case 3:
                let events = (0..<4).map { offset in makeEvent(number + offset, payloadBytes: 40 + offset * 30) }
                number += 4
                _ = try log.appendAndWait(
                    single(stream, .exactly(log.version(of: stream)), events[0], events[1], events[2], events[3]))
            case 7:
                let second = streams[(round + 2) % streams.count]
                _ = try log.appendAndWait([
                    StreamAppend(stream: stream, expectedVersion: .any, events: [makeEvent(number)]),
                    StreamAppend(
                        stream: second, expectedVersion: .any, events: [makeEvent(number + 1, payloadBytes: 0)]),
                ])
                number += 2
            case 11:
                let random = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
                _ = try log.appendAndWait(
                    single(stream, .any, AppendEvent(eventID: makeEvent(number).eventID, payload: random)))
                number += 1
            default:
                _ = try log.appendAndWait(single(stream, .any, makeEvent(number)))
                number += 1
            }
            if round == 120 {
                let random = (0..<5_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
                _ = try log.appendAndWait(
                    single("office", .any, AppendEvent(eventID: makeEvent(number).eventID, payload: random)))
                number += 1
            }
            if round == 150 { checkpoints.append(try log.checkpointAndWait(signer: signer)) }
        }
        checkpoints.append(try log.checkpointAndWait(signer: signer))
        return (log, checkpoints)
    }

    func testTheIndependentReaderReadsWhatTheSwiftReaderReads() throws {
        try checkTheIndependentReaderAgrees(preallocate: true)
    }

    func testTheIndependentReaderReadsWhatTheSwiftReaderReadsWithoutPreallocation() throws {
        try checkTheIndependentReaderAgrees(preallocate: false)
    }

    private func checkTheIndependentReaderAgrees(preallocate: Bool) throws {
        let directory = makeTemporaryDirectory(self)
        let configuration = makeConfiguration(segmentBytesMax: 4096, preallocate: preallocate)
        let (log, checkpoints) = try buildLog(in: directory, configuration: configuration)
        let reader = log.reader()
        let records = try reader.records()
        let leafHashes = try reader.leafHashes(0..<UInt64(records.count))
        let root = log.root
        log.close()
        let segmentCount = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".segment") }.count
        XCTAssertGreaterThan(segmentCount, 5)
        XCTAssertGreaterThan(records.count, 300)

        let run = try runIndependentReader(on: directory)
        XCTAssertEqual(run.exitCode, 0, run.errorText)
        assertRecords(run, equal: records, leafHashes: leafHashes)
        XCTAssertEqual(run.output["root"] as? String, root.description)
        XCTAssertTrue(run.output["tornTail"] is NSNull, "\(String(describing: run.output["tornTail"]))")
        let stored = run.output["checkpoints"] as? [[String: Any]] ?? []
        XCTAssertEqual(stored.count, checkpoints.count)
        for (entry, checkpoint) in zip(stored, checkpoints) {
            XCTAssertEqual((entry["treeSize"] as? NSNumber)?.uint64Value, checkpoint.treeSize)
            XCTAssertEqual(entry["root"] as? String, checkpoint.root.description)
            XCTAssertEqual((entry["time"] as? NSNumber)?.int64Value, checkpoint.timeMicroseconds)
            XCTAssertEqual(entry["keyId"] as? String, hex(checkpoint.keyID))
            XCTAssertEqual(entry["rootMatches"] as? Bool, true)
            XCTAssertTrue(
                ["signature valid", "signature not checked"].contains(entry["signatureState"] as? String ?? ""),
                "\(String(describing: entry["signatureState"]))")
        }
        XCTAssertEqual(checkpoints.last?.root, root)
    }

    /// Flips a byte inside the last batch of the active segment (the segment file with the highest base); returns
    /// the segment's name and the batch's offset.
    private func damageLastBatch(in directory: String) throws -> (segment: String, batchOffset: Int) {
        let activeName = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }.max())
        let activePath = directory + "/" + activeName
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: activePath)))
        let lastBatchOffset = try bytes.withUnsafeBytes { raw in
            let base = try XCTUnwrap(SegmentFile.base(ofSegmentNamed: activeName))
            let scan = try SegmentScan.scan(raw, basePosition: base, previousRecordedTime: Int64.min)
            return try XCTUnwrap(scan.batches.last).offset
        }
        let lastNonZero = try XCTUnwrap(bytes.lastIndex(where: { $0 != 0 }))
        XCTAssertGreaterThan(lastNonZero, lastBatchOffset + BatchHeader.byteCount)
        bytes[lastNonZero - 1] ^= 0x5A
        try Data(bytes).write(to: URL(fileURLWithPath: activePath))
        return (activeName, lastBatchOffset)
    }

    /// Checks that the independent reader calls the damaged last batch a torn tail (exit code 3) and reads exactly
    /// the records before it, as the Swift reader does, with their root and the checkpoints.
    private func assertTornTail(
        in directory: String, segment: String, batchOffset: Int, expected: [LogRecord], leafHashes: [MerkleDigest],
        checkpoints: [SignedCheckpoint]
    ) throws {
        XCTAssertEqual(try LogReader(directory: directory).records(), expected)
        let run = try runIndependentReader(on: directory)
        XCTAssertEqual(run.exitCode, 3, run.errorText)
        XCTAssertTrue(run.errorText.contains("torn tail"), run.errorText)
        let tornTail = try XCTUnwrap(run.output["tornTail"] as? [String: Any], "\(run.output)")
        XCTAssertEqual(tornTail["file"] as? String, segment)
        XCTAssertEqual((tornTail["offset"] as? NSNumber)?.intValue, batchOffset)
        assertRecords(run, equal: expected, leafHashes: leafHashes)
        let expectedRoot = try MerkleProof.root(
            size: UInt64(expected.count),
            source: InMemoryMerkleTree(leafHashes: Array(leafHashes.prefix(expected.count))))
        XCTAssertEqual(run.output["root"] as? String, expectedRoot.description)
        let stored = run.output["checkpoints"] as? [[String: Any]] ?? []
        XCTAssertEqual(stored.map { $0["root"] as? String }, checkpoints.map { $0.root.description })
    }

    func testADamagedLastBatchOfAClosedLogIsCorruptionForBothReaders() throws {
        let directory = makeTemporaryDirectory(self)
        let configuration = makeConfiguration(segmentBytesMax: 4096)
        let (log, _) = try buildLog(in: directory, configuration: configuration)
        _ = try log.appendAndWait(single("patient-1", .any, makeEvent(9_999)))
        log.close()

        // The index written at close covers the last batch: it was acknowledged, so damage to it is not a torn tail.
        let (segment, batchOffset) = try damageLastBatch(in: directory)
        let run = try runIndependentReader(on: directory)
        XCTAssertEqual(run.exitCode, 2, run.errorText)
        XCTAssertTrue(run.errorText.contains(segment), run.errorText)
        XCTAssertTrue(run.errorText.contains("\(batchOffset)"), run.errorText)
        XCTAssertThrowsError(try RecordLog.open(directory: directory, configuration: configuration)) { error in
            guard case .corruption(let location, _) = error as? RecordLogError else { return XCTFail("\(error)") }
            XCTAssertEqual(location.file, segment)
            XCTAssertEqual(location.offset, Int64(batchOffset))
        }
    }

    func testADamagedLastBatchAfterACrashIsCutByRecoveryAsTheIndependentReaderSays() throws {
        let directory = makeTemporaryDirectory(self)
        let configuration = makeConfiguration(segmentBytesMax: 4096)
        let (checkpoints, records, leafHashes, lastPosition) = try {
            // The log is dropped without close(), as in a crash: every append is durable, and no index of the active
            // segment is written.
            let (log, checkpoints) = try buildLog(in: directory, configuration: configuration)
            let last = try log.appendAndWait(single("patient-1", .any, makeEvent(9_999)))
            let records = try log.reader().records()
            return (checkpoints, records, try log.reader().leafHashes(0..<UInt64(records.count)), last.positions[0])
        }()

        let (segment, batchOffset) = try damageLastBatch(in: directory)
        let expected = records.filter { $0.position < lastPosition }
        try assertTornTail(
            in: directory, segment: segment, batchOffset: batchOffset, expected: expected, leafHashes: leafHashes,
            checkpoints: checkpoints)

        let reopened = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(reopened.recoveryReport.tailRepairs.map(\.file), [segment])
        XCTAssertEqual(reopened.recoveryReport.tailRepairs.first?.offset, Int64(batchOffset))
        XCTAssertEqual(reopened.nextPosition, lastPosition)
        let root = reopened.root
        reopened.close()
        let repaired = try runIndependentReader(on: directory)
        XCTAssertEqual(repaired.exitCode, 0, repaired.errorText)
        XCTAssertTrue(repaired.output["tornTail"] is NSNull)
        assertRecords(repaired, equal: expected, leafHashes: leafHashes)
        XCTAssertEqual(repaired.output["root"] as? String, root.description)
        XCTAssertEqual(repaired.output["otherFiles"] as? [String], ["\(segment).damaged-\(batchOffset)"])
    }

    func testTheIndependentReaderNamesTheSideFileRecoveryKeepsATornTailIn() throws {
        let directory = makeTemporaryDirectory(self)
        let configuration = makeConfiguration(segmentBytesMax: 4096)
        try {
            // Dropped without close(), as in a crash.
            let (log, _) = try buildLog(in: directory, configuration: configuration)
            _ = try log.appendAndWait(single("patient-1", .any, makeEvent(9_999)))
        }()
        let (segment, batchOffset) = try damageLastBatch(in: directory)
        // An earlier cut at the same offset left a side file holding other bytes: it is never replaced.
        let taken = "\(segment).damaged-\(batchOffset)"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: joinPath(directory, taken)))
        let run = try runIndependentReader(on: directory)
        XCTAssertEqual(run.exitCode, 3, run.errorText)
        let tornTail = try XCTUnwrap(run.output["tornTail"] as? [String: Any], "\(run.output)")
        XCTAssertEqual(tornTail["sideFile"] as? String, taken + ".1")
        XCTAssertTrue(run.errorText.contains("moves them to \(taken).1"), run.errorText)
        let reopened = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(reopened.recoveryReport.tailRepairs.map(\.sideFile), [taken + ".1"])
        reopened.close()
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: joinPath(directory, taken)))), [1, 2, 3])
    }
}
