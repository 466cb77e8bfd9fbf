import Foundation
import RecordLogTesting
import XCTest

@testable import RecordLog

/// Power loss at every write and fsync point of appends that roll a segment and take a checkpoint, on the simulated
/// file system; and the errors a disk can raise. Every failure message names the seed and crash point.
final class CrashTests: XCTestCase {
    private let directory = "/clinic/log"
    private let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())
    private let signer = try! CheckpointSigner(privateKeyBytes: [UInt8](repeating: 4, count: 32))
    /// Seeds of random crash outcomes per run: 5 in the suite; set `CLINICLOG_CRASH_SEEDS` for a long soak
    /// (`CLINICLOG_CRASH_SEEDS=500 swift test --filter CrashTests`).
    private static let randomSeedCount = UInt64(ProcessInfo.processInfo.environment["CLINICLOG_CRASH_SEEDS"] ?? "") ?? 5

    private func open(_ fileSystem: SimulatedFileSystem) throws -> RecordLog {
        try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedRandomSource())
    }

    /// A closed log of 30 acknowledged events, close to its first segment roll.
    private func prepare(seed: UInt64) throws -> (SimulatedFileSystem, [AppendEvent]) {
        let fileSystem = SimulatedFileSystem(seed: seed)
        let log = try open(fileSystem)
        let events = try appendMany(log, count: 30)
        log.close()
        return (fileSystem, events)
    }

    /// After recovery: the acknowledged events are all there in order, the log is a prefix of what was attempted,
    /// the Merkle root recomputed from the records equals the writer's, verification passes, appends work, and a
    /// second open changes nothing.
    private func checkRecovery(
        _ fileSystem: SimulatedFileSystem, acknowledged: [AppendEvent], attempted: [AppendEvent], context: String
    ) throws {
        let log = try open(fileSystem)
        let records = try log.reader().records()
        let ids = records.map(\.eventID)
        XCTAssertGreaterThanOrEqual(ids.count, acknowledged.count, context)
        XCTAssertEqual(Array(ids.prefix(acknowledged.count)), acknowledged.map(\.eventID), context)
        XCTAssertEqual(
            ids, Array(attempted.prefix(ids.count)).map(\.eventID), "not a prefix of the attempt: \(context)")
        XCTAssertEqual(records.map(\.position), Array(0..<UInt64(records.count)), context)
        XCTAssertEqual(try log.reader().root(treeSize: UInt64(records.count)), log.root, context)
        let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify()
        XCTAssertEqual(report.problems, [], context)
        let root = log.root
        let next = try log.appendAndWait(single("after-crash", .any, makeEvent(99_999)))
        XCTAssertEqual(next.positions, [UInt64(records.count)], context)
        log.close()
        let again = try open(fileSystem)
        XCTAssertTrue(again.recoveryReport.isClean, "second open repaired again: \(context)")
        XCTAssertNotEqual(again.root, root, context)
        again.close()
    }

    func testCrashAtEveryWriteAndSyncPointKeepsEveryAcknowledgedRecord() throws {
        var pointsCovered = 0
        for mode in [SimulatedFileSystem.CrashMode.random, .loseUnsynced, .keepUnsynced] {
            for seed in mode == .random ? Array(1...Self.randomSeedCount) : [1] {
                let (prepared, baseline) = try prepare(seed: seed)
                let attempted = baseline + (0..<12).map { makeIncompressibleEvent(1_000 + $0) }
                var point = 1
                while true {
                    let context = "mode \(mode), seed \(seed), crash at operation \(point)"
                    let fileSystem = prepared.makeCopy(seed: seed &* 1_000 &+ UInt64(point))
                    let log = try open(fileSystem)
                    fileSystem.crashAfter(operations: point, mode: mode)
                    var acknowledged = baseline
                    for (number, event) in attempted.dropFirst(baseline.count).enumerated() {
                        guard (try? log.appendAndWait(single("s-\(number % 3)", .any, event))) != nil else { break }
                        acknowledged.append(event)
                        if number == 6 { _ = try? log.checkpointAndWait(signer: signer) }
                    }
                    guard fileSystem.isHalted else {
                        log.close()
                        break
                    }
                    fileSystem.restart()
                    try checkRecovery(fileSystem, acknowledged: acknowledged, attempted: attempted, context: context)
                    pointsCovered += 1
                    point += 1
                }
            }
        }
        XCTAssertGreaterThan(pointsCovered, 100, "the attempt must roll a segment and hit many crash points")
    }

    func testACrashDuringRecoveryGivesTheSameResultAsOneRecovery() throws {
        let (prepared, baseline) = try prepare(seed: 7)
        let log = try open(prepared)
        prepared.crashAfter(operations: 3, mode: .random)
        for number in 0..<5 {
            _ = try? log.appendAndWait(single("s", .any, makeEvent(2_000 + number, payloadBytes: 900)))
        }
        XCTAssertTrue(prepared.isHalted)
        prepared.restart()
        let reference = prepared.makeCopy(seed: 1)
        let once = try open(reference)
        let expectedRecords = try once.reader().records()
        once.close()
        XCTAssertGreaterThanOrEqual(expectedRecords.count, baseline.count)
        var point = 1
        while true {
            let fileSystem = prepared.makeCopy(seed: UInt64(point))
            fileSystem.crashAfter(operations: point, mode: .random)
            if let opened = try? open(fileSystem), !fileSystem.isHalted {
                opened.close()
                break
            }
            fileSystem.restart()
            let recovered = try open(fileSystem)
            XCTAssertEqual(try recovered.reader().records(), expectedRecords, "crash at recovery operation \(point)")
            recovered.close()
            point += 1
        }
        XCTAssertGreaterThan(point, 1, "recovery had repairs to crash in")
    }

    func testAFullDiskRefusesTheAppendCleanlyAndTheLogWorksOnceSpaceIsFreed() throws {
        let (fileSystem, baseline) = try prepare(seed: 3)
        let log = try open(fileSystem)
        defer { log.close() }
        fileSystem.failWrites(afterCount: 0, with: .noSpace, applyingPrefixBytes: 10)
        XCTAssertThrowsError(try log.appendAndWait(single("s", .any, makeEvent(500)))) { error in
            guard case .fileSystem(let failure) = error as? RecordLogError else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.code, .noSpace)
        }
        XCTAssertEqual(log.nextPosition, UInt64(baseline.count))
        fileSystem.clearFaults()
        XCTAssertEqual(try log.appendAndWait(single("s", .any, makeEvent(501))).positions, [UInt64(baseline.count)])
        let records = try log.reader().records()
        XCTAssertEqual(records.map(\.eventID), (baseline + [makeEvent(501)]).map(\.eventID))
        XCTAssertTrue(try LogVerifier(directory: directory, fileSystem: fileSystem).verify().isValid)
    }

    func testAFailedFsyncStopsTheWriterUntilTheLogIsReopened() throws {
        let (fileSystem, baseline) = try prepare(seed: 4)
        let log = try open(fileSystem)
        fileSystem.failSyncs(with: .ioError)
        XCTAssertThrowsError(try log.appendAndWait(single("s", .any, makeEvent(600)))) { error in
            guard case .writerStopped = error as? RecordLogError else { return XCTFail("\(error)") }
        }
        fileSystem.clearFaults()
        XCTAssertThrowsError(try log.appendAndWait(single("s", .any, makeEvent(601)))) { error in
            guard case .writerStopped = error as? RecordLogError else { return XCTFail("\(error)") }
        }
        log.close()
        fileSystem.crash(mode: .loseUnsynced)
        let reopened = try open(fileSystem)
        defer { reopened.close() }
        XCTAssertEqual(try reopened.reader().records().map(\.eventID), baseline.map(\.eventID))
        XCTAssertEqual(
            try reopened.appendAndWait(single("s", .any, makeEvent(602))).positions, [UInt64(baseline.count)])
    }

    /// A large batch's index and leaves are recorded while its fdatasync runs on another thread: when that fdatasync
    /// fails, the writer stops all the same, writes no index of the batch, and the reopened log holds exactly what
    /// was synced before.
    func testAFailedFsyncOfALargeBatchStopsTheWriterAndLeavesNoTraceAfterReopening() throws {
        let (fileSystem, baseline) = try prepare(seed: 6)
        let log = try open(fileSystem)
        fileSystem.failSyncs(with: .ioError)
        let large = (0..<300).map { makeEvent(700 + $0) }
        XCTAssertThrowsError(try log.appendAndWait([StreamAppend(stream: "s", expectedVersion: .any, events: large)]))
        { error in
            guard case .writerStopped = error as? RecordLogError else { return XCTFail("\(error)") }
        }
        fileSystem.clearFaults()
        XCTAssertThrowsError(try log.appendAndWait(single("s", .any, makeEvent(1_100)))) { error in
            guard case .writerStopped = error as? RecordLogError else { return XCTFail("\(error)") }
        }
        log.close()
        fileSystem.crash(mode: .loseUnsynced)
        let reopened = try open(fileSystem)
        defer { reopened.close() }
        XCTAssertEqual(try reopened.reader().records().map(\.eventID), baseline.map(\.eventID))
        let appended = try reopened.appendAndWait([StreamAppend(stream: "s", expectedVersion: .any, events: large)])
        XCTAssertEqual(appended.positions.first, UInt64(baseline.count))
        XCTAssertTrue(try LogVerifier(directory: directory, fileSystem: fileSystem).verify().isValid)
    }

    func testAReadErrorIsReportedWithItsLocation() throws {
        let (fileSystem, _) = try prepare(seed: 5)
        let segment = joinPath(directory, SegmentFile.name(base: 0))
        fileSystem.failReads(path: segment, range: 100..<1 << 20)
        XCTAssertThrowsError(try LogReader(directory: directory, fileSystem: fileSystem).records()) { error in
            guard case .fileSystem(let failure) = error as? RecordLogError else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.code, .ioError)
            XCTAssertTrue(failure.path.hasSuffix(SegmentFile.name(base: 0)))
            // The file and the byte where the read failed, and what to do.
            XCTAssertTrue("\(error)".hasPrefix("storage failure: pread failed on \(segment) at byte 100: ioError; "))
            XCTAssertTrue("\(error)".contains("restore it from a backup"), "\(error)")
        }
    }
}
