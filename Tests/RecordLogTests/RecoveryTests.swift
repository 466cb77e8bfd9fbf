import Foundation
import XCTest

@testable import RecordLog

final class RecoveryTests: XCTestCase {
    private var directory = ""
    private let configuration = makeConfiguration(segmentBytesMax: 4096)

    override func setUp() {
        super.setUp()
        directory = makeTemporaryDirectory(self)
    }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    /// A log of `count` records over several segments, left as a writer that died without closing leaves it (no
    /// index for the active segment); returns the active segment's name and data length.
    @discardableResult
    private func makeLog(count: Int = 200) throws -> (active: String, dataLength: Int) {
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        try appendMany(log, count: count)
        log.close()
        let active =
            try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }
            .sorted().last ?? ""
        try FileManager.default.removeItem(atPath: path(active.replacingOccurrences(of: ".segment", with: ".index")))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path(active)))
        let scan = [UInt8](bytes).withUnsafeBytes {
            SegmentScan.scan(
                $0, basePosition: SegmentFile.base(ofSegmentNamed: active) ?? 0, previousRecordedTime: .min
            ) { _, _ in }
        }
        return (active, scan.validByteCount)
    }

    private func modify(_ name: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
    }

    private func assertCorruption(
        file: String, _ message: String, line: UInt = #line, check: (LogLocation, String) -> Void = { _, _ in }
    ) {
        XCTAssertThrowsError(
            try RecordLog.open(directory: directory, configuration: configuration), message, line: line
        ) {
            guard case .corruption(let location, let reason) = $0 as? RecordLogError else {
                return XCTFail("expected corruption, got \($0)", line: line)
            }
            XCTAssertEqual(location.file, file, line: line)
            check(location, reason)
        }
    }

    func testATornTailIsCutBackToTheLastWholeBatchAndKeptAside() throws {
        let (active, length) = try makeLog()
        let torn = BatchCodec.encode([
            LogRecord(
                position: 200, recordedTimeMicroseconds: Int64.max / 2, stream: "s", streamVersion: 99,
                eventID: EventID(high: 1, low: 1), payload: Array(repeating: 7, count: 100))
        ])
        try modify(active) { bytes in
            for (index, byte) in torn.prefix(torn.count / 2).enumerated() { bytes[length + index] = byte }
        }
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(log.recoveryReport.tailRepairs.count, 1)
        let repair = try XCTUnwrap(log.recoveryReport.tailRepairs.first)
        XCTAssertEqual(repair.file, active)
        XCTAssertEqual(repair.offset, Int64(length))
        let side = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(repair.sideFile))))
        var expected = Array(torn.prefix(torn.count / 2))
        while expected.last == 0 { expected.removeLast() }
        XCTAssertEqual(side, expected, "the side file keeps the removed bytes up to the last non-zero one")
        XCTAssertEqual(log.nextPosition, 200)
        XCTAssertEqual(try log.appendAndWait(single("after", .any, makeEvent(900))).positions, [200])
        log.close()
        let reopened = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertTrue(reopened.recoveryReport.isClean)
        XCTAssertEqual(try reopened.reader().records().count, 201)
        reopened.close()
        XCTAssertTrue(try LogVerifier(directory: directory).verify().isValid)
    }

    func testABytePastTheFirstWindowButWithinATornWritesReachIsCutAsideAndOneJustBeyondIsNotRead() throws {
        // Opening reads a small first window after the snapshot and checks the rest of a torn write's reach in
        // pieces: a byte anywhere in that reach is damage, however far past the first window.
        let large = makeConfiguration(segmentBytesMax: 16 << 20)
        let log = try RecordLog.open(directory: directory, configuration: large)
        try appendMany(log, count: 20)
        log.close()
        let active = SegmentFile.name(base: 0)
        let (_, length) = try scanActive(active)
        let reach = LogLimits().batchBytesMax + BatchHeader.byteCount + 4096
        try modify(active) { $0[length + reach] = 0xEE }
        let beyond = try RecordLog.open(directory: directory, configuration: large)
        XCTAssertTrue(beyond.recoveryReport.isClean, "the first byte past the reach is not read at open")
        beyond.close()
        try modify(active) { $0[length + reach] = 0 }
        for offset in [Recovery.firstWindowBytes + 1, 3 * Recovery.pieceBytes + 7, reach - 1] {
            try modify(active) { $0[length + offset] = 0xEE }
            let repaired = try RecordLog.open(directory: directory, configuration: large)
            XCTAssertEqual(repaired.recoveryReport.tailRepairs.count, 1, "a byte \(offset) bytes after the records")
            XCTAssertEqual(repaired.nextPosition, 20)
            repaired.close()
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(active))))
            XCTAssertTrue(bytes[length...].allSatisfy { $0 == 0 }, "the byte was zeroed after its copy was kept")
        }
    }

    func testOpeningChecksOnlyTheZerosATornWriteCanReachAndVerifyChecksTheWholeTail() throws {
        let large = makeConfiguration(segmentBytesMax: 32 << 20)
        let log = try RecordLog.open(directory: directory, configuration: large)
        try appendMany(log, count: 20)
        log.close()
        let active = SegmentFile.name(base: 0)
        try modify(active) { $0[$0.count - 1] = 0xEE }
        let reopened = try RecordLog.open(directory: directory, configuration: large)
        XCTAssertTrue(reopened.recoveryReport.isClean, "a byte beyond any torn write's reach is not read at open")
        XCTAssertEqual(reopened.nextPosition, 20)
        reopened.close()
        let report = try LogVerifier(directory: directory).verify()
        XCTAssertNotNil(report.unfinishedTail, "the verifier reads the whole zero tail and reports the stray byte")
        try modify(active) { $0[$0.count - 1] = 0 }
        let (_, length) = try scanActive(active)
        try modify(active) { $0[length + 100] = 0xEE }
        let repaired = try RecordLog.open(directory: directory, configuration: large)
        defer { repaired.close() }
        XCTAssertEqual(repaired.recoveryReport.tailRepairs.count, 1, "garbage a torn write can reach is cut aside")
        XCTAssertEqual(repaired.nextPosition, 20)
    }

    private func scanActive(_ name: String) throws -> (Int, Int) {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        let scan = [UInt8](bytes).withUnsafeBytes {
            SegmentScan.scan($0, basePosition: 0, previousRecordedTime: .min) { _, _ in }
        }
        return (bytes.count, scan.validByteCount)
    }

    func testASessionThatAppendsNothingLeavesTheActiveIndexFileUntouchedEvenAfterReadingEventIDsBack() throws {
        let large = makeConfiguration(segmentBytesMax: 1 << 20)
        let log = try RecordLog.open(directory: directory, configuration: large)
        try appendMany(log, count: 20)
        log.close()
        let indexPath = path(SegmentFile.indexName(base: 0))
        let before = try Data(contentsOf: URL(fileURLWithPath: indexPath))
        let modified = try FileManager.default.attributesOfItem(atPath: indexPath)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.02)
        let reopened = try RecordLog.open(directory: directory, configuration: large)
        let stored = try reopened.reader().records().first?.eventID
        XCTAssertNotNil(try reopened.position(of: try XCTUnwrap(stored)), "reads the snapshot's event ids back")
        reopened.close()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: indexPath)), before)
        XCTAssertEqual(
            try FileManager.default.attributesOfItem(atPath: indexPath)[.modificationDate] as? Date, modified)
    }

    func testAFlippedByteInTheLastBatchLosesOnlyThatUnacknowledgedBatch() throws {
        let (active, length) = try makeLog()
        try modify(active) { $0[length - 5] ^= 0x01 }
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        defer { log.close() }
        XCTAssertEqual(log.recoveryReport.tailRepairs.count, 1)
        XCTAssertEqual(log.nextPosition, 199)
        XCTAssertEqual(try log.reader().records().count, 199)
    }

    func testRecoveringTwiceGivesTheSameResult() throws {
        let (active, length) = try makeLog()
        try modify(active) { $0[length - 5] ^= 0x01 }
        let first = try RecordLog.open(directory: directory, configuration: configuration)
        let firstRoot = first.root
        first.close()
        let second = try RecordLog.open(directory: directory, configuration: configuration)
        defer { second.close() }
        XCTAssertTrue(second.recoveryReport.isClean)
        XCTAssertEqual(second.root, firstRoot)
        XCTAssertEqual(second.nextPosition, 199)
    }

    func testDamageFollowedByAValidBatchIsCorruptionNotATornTail() throws {
        let (active, _) = try makeLog()
        try modify(active) { $0[70] ^= 0x01 }
        assertCorruption(file: active, "damage inside the active segment") { location, _ in
            XCTAssertEqual(location.offset, 0)
        }
        XCTAssertFalse(
            try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.contains("damaged") })
    }

    func testAChangedSealedSegmentIsFoundByTheReaderWithItsLocation() throws {
        try makeLog()
        let first = SegmentFile.name(base: 0)
        try modify(first) { $0[100] ^= 0x40 }
        XCTAssertThrowsError(try LogReader(directory: directory).records()) { error in
            guard case .corruption(let location, _) = error as? RecordLogError else { return XCTFail("\(error)") }
            XCTAssertEqual(location.file, first)
            XCTAssertEqual(location.offset, 0)
        }
        let report = try LogVerifier(directory: directory).verify()
        XCTAssertFalse(report.isValid)
        XCTAssertTrue(report.problems.contains { $0.location.file == first && $0.location.offset == 0 })
    }

    func testATruncatedSealedSegmentStopsTheWriter() throws {
        try makeLog()
        try modify(SegmentFile.name(base: 0)) { $0.removeLast(10) }
        assertCorruption(file: SegmentFile.name(base: 0), "truncated sealed segment")
    }

    func testAMissingSealedSegmentStopsTheWriter() throws {
        try makeLog()
        let sealed = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }
            .sorted()
        try FileManager.default.removeItem(atPath: path(sealed[1]))
        assertCorruption(file: sealed[1], "missing sealed segment")
    }

    func testADamagedManifestStopsTheWriter() throws {
        try makeLog()
        try modify(Manifest.fileName) { $0[20] ^= 0xFF }
        assertCorruption(file: Manifest.fileName, "damaged manifest")
    }

    func testAMissingOrDamagedIndexIsRebuiltFromItsSegment() throws {
        try makeLog()
        let original = try SegmentIndex.decode(
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(SegmentFile.indexName(base: 0)))))
        ).get()
        try FileManager.default.removeItem(atPath: path(SegmentFile.indexName(base: 0)))
        let sealed = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".index") }
            .sorted()
        try modify(sealed[0]) { $0[20] ^= 1 }
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        log.close()
        XCTAssertEqual(Set(log.recoveryReport.rebuiltIndexes), Set([SegmentFile.indexName(base: 0), sealed[0]]))
        let rebuilt = try SegmentIndex.decode(
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(SegmentFile.indexName(base: 0)))))
        ).get()
        XCTAssertEqual(rebuilt.streams, original.streams)
        XCTAssertEqual(rebuilt.eventPositions, original.eventPositions)
        XCTAssertEqual(rebuilt.dataChecksum, original.dataChecksum)
        XCTAssertTrue(try LogVerifier(directory: directory).verify().isValid)
    }

    func testAnEmptySegmentLeftByAnInterruptedRollIsRemoved() throws {
        try makeLog()
        let leftover = SegmentFile.name(base: 5_000)
        try Data(count: 4096).write(to: URL(fileURLWithPath: path(leftover)))
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        log.close()
        XCTAssertEqual(log.recoveryReport.removedEmptySegments, [leftover])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path(leftover)))
    }

    func testASegmentWithDataUnknownToTheManifestIsCorruption() throws {
        try makeLog()
        let extra = SegmentFile.name(base: 5_000)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path(extra)))
        assertCorruption(file: extra, "unknown segment with data")
    }

    func testATornCheckpointIsCutAndACheckpointBeyondTheLogIsCorruption() throws {
        try makeLog()
        let signer = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 3, count: 32))
        var log = try RecordLog.open(directory: directory, configuration: configuration)
        let checkpoint = try log.checkpointAndWait(signer: signer)
        log.close()
        try modify(CheckpointFile.fileName) { $0 += Array(checkpoint.encode().prefix(100)) }
        log = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(log.recoveryReport.tailRepairs.map(\.file), [CheckpointFile.fileName])
        XCTAssertEqual(try log.reader().checkpoints(), [checkpoint])
        log.close()
        var beyond = checkpoint
        beyond.treeSize = 10_000
        try modify(CheckpointFile.fileName) { $0 += beyond.encode() }
        assertCorruption(file: CheckpointFile.fileName, "checkpoint beyond the log")
    }

    func testACleanCloseLeavesAnIndexOfTheActiveSegmentThatTheNextOpenUses() throws {
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        try appendMany(log, count: 30)
        let root = log.root
        log.close()
        let active = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }.max())
        let indexName = active.replacingOccurrences(of: ".segment", with: ".index")
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: path(indexName)))
        let index = try SegmentIndex.decode([UInt8](snapshot)).get()
        XCTAssertEqual(index.frontier?.root, root)

        let reopened = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(reopened.root, root)
        XCTAssertEqual(
            reopened.version(of: "stream-3"), try reopened.reader().records(inStream: "stream-3").last?.streamVersion)
        try appendMany(reopened, count: 5, startingAt: 500)
        let longerRoot = reopened.root
        reopened.close()
        // A writer that died after more appends leaves the older index behind: the next open scans past it.
        try snapshot.write(to: URL(fileURLWithPath: path(indexName)))
        let afterCrash = try RecordLog.open(directory: directory, configuration: configuration)
        defer { afterCrash.close() }
        XCTAssertEqual(afterCrash.root, longerRoot)
        XCTAssertEqual(afterCrash.nextPosition, 35)
        let all = try afterCrash.reader().records()
        XCTAssertEqual(try afterCrash.reader().records(inStream: "stream-0"), all.filter { $0.stream == "stream-0" })
        XCTAssertEqual(afterCrash.version(of: "stream-0"), 6)
        XCTAssertEqual(try afterCrash.reader().records(inStream: "stream-500").count, 0)
        XCTAssertEqual(try afterCrash.reader().records(inStream: "stream-1").map(\.streamVersion), [1, 2, 3, 4, 5])
    }

    private func snapshotOfFiles() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "lock" {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        }
        return files
    }

    func testDamageToAcknowledgedRecordsOfACleanlyClosedLogIsCorruptionNotATornTail() throws {
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        try appendMany(log, count: 30)
        log.close()
        let active = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }.max())
        let index = try SegmentIndex.decode(
            [UInt8](
                try Data(
                    contentsOf: URL(fileURLWithPath: path(active.replacingOccurrences(of: ".segment", with: ".index"))))
            )
        ).get()
        try modify(active) { $0[Int(index.dataLength) - 3] ^= 0x01 }
        let before = try snapshotOfFiles()
        assertCorruption(file: active, "a flipped byte in acknowledged records")
        XCTAssertEqual(try snapshotOfFiles(), before, "a refused open changes nothing")
        try modify(active) { $0[Int(index.dataLength) - 3] ^= 0x01 }
        try modify(active) { $0.removeLast($0.count - Int(index.dataLength) + 10) }
        assertCorruption(file: active, "acknowledged records cut off")
    }

    func testATornTailUnderACheckpointIsRefusedBeforeAnythingIsCut() throws {
        let (active, length) = try makeLog()
        let signer = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 3, count: 32))
        var log = try RecordLog.open(directory: directory, configuration: configuration)
        _ = try log.checkpointAndWait(signer: signer)
        log.close()
        try FileManager.default.removeItem(atPath: path(active.replacingOccurrences(of: ".segment", with: ".index")))
        try modify(active) { $0[length - 3] ^= 0x01 }
        let before = try snapshotOfFiles()
        assertCorruption(file: CheckpointFile.fileName, "records a signed checkpoint covers are damaged")
        XCTAssertEqual(try snapshotOfFiles(), before, "nothing was cut or kept aside")
        try modify(active) { $0[length - 3] ^= 0x01 }
        log = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertTrue(log.recoveryReport.isClean)
        log.close()
    }

    func testACreationThatCrashedBeforeItsManifestIsStartedAgain() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(count: 4096).write(to: URL(fileURLWithPath: path(SegmentFile.name(base: 0))))
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(log.recoveryReport.removedEmptySegments, [SegmentFile.name(base: 0)])
        XCTAssertEqual(try log.appendAndWait(single("s", .any, makeEvent(1))).positions, [0])
        log.close()
        try FileManager.default.removeItem(atPath: path(Manifest.fileName))
        assertCorruption(file: Manifest.fileName, "a lost manifest beside records")
    }

    func testACheckpointOutOfOrderOrFromAnotherLogIsCorruptionNotATornTail() throws {
        try makeLog()
        let signer = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 3, count: 32))
        var log = try RecordLog.open(directory: directory, configuration: configuration)
        let checkpoint = try log.checkpointAndWait(signer: signer)
        log.close()
        let original = try Data(contentsOf: URL(fileURLWithPath: path(CheckpointFile.fileName)))
        var earlier = checkpoint
        earlier.treeSize = 5
        try modify(CheckpointFile.fileName) { $0 += earlier.encode() }
        assertCorruption(file: CheckpointFile.fileName, "a checkpoint going backwards")
        try original.write(to: URL(fileURLWithPath: path(CheckpointFile.fileName)))
        var foreign = checkpoint
        foreign.logID = [UInt8](repeating: 0xEE, count: 16)
        try modify(CheckpointFile.fileName) { $0 += foreign.encode() }
        assertCorruption(file: CheckpointFile.fileName, "a checkpoint of another log")
        try original.write(to: URL(fileURLWithPath: path(CheckpointFile.fileName)))
        log = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(try log.reader().checkpoints(), [checkpoint])
        log.close()
    }

    func testAReaderReportsDamageInTheLastSegmentThatValidBatchesFollow() throws {
        let (active, _) = try makeLog()
        try modify(active) { $0[70] ^= 0x01 }
        XCTAssertThrowsError(try LogReader(directory: directory).records()) { error in
            guard case .corruption(let location, _) = error as? RecordLogError else { return XCTFail("\(error)") }
            XCTAssertEqual(location.file, active)
            XCTAssertEqual(location.offset, 0)
        }
    }

    func testClosingAfterAFewAppendsKeepsTheOlderActiveIndexAndTheNextOpenScansOnlyTheRest() throws {
        let big = makeConfiguration(segmentBytesMax: 1 << 20)
        var log = try RecordLog.open(directory: directory, configuration: big)
        try appendMany(log, count: 50)
        log.close()
        let indexPath = path(SegmentFile.indexName(base: 0))
        let written = try Data(contentsOf: URL(fileURLWithPath: indexPath))
        log = try RecordLog.open(directory: directory, configuration: big)
        try appendMany(log, count: 3, startingAt: 700)
        let root = log.root
        log.close()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: indexPath)), written, "the older index is kept")
        log = try RecordLog.open(directory: directory, configuration: big)
        defer { log.close() }
        XCTAssertTrue(log.recoveryReport.isClean)
        XCTAssertEqual(log.nextPosition, 53)
        XCTAssertEqual(log.root, root)
        XCTAssertTrue(try log.appendAndWait(single("stream-0", .any, makeEvent(700))).alreadyStored)
        XCTAssertTrue(try log.appendAndWait(single("stream-0", .any, makeEvent(0))).alreadyStored)
    }

    func testAGarbageFileIsNotMistakenForALog() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data([0xFF, 0x00, 0x12]).write(to: URL(fileURLWithPath: path(Manifest.fileName)))
        assertCorruption(file: Manifest.fileName, "garbage manifest")
    }

    // MARK: - Side files are never replaced

    /// A torn batch written over the first `count` bytes after the data of `active`, which ends at `length`.
    private func tearTail(of active: String, at length: Int, position: UInt64, count: Int? = nil) throws -> [UInt8] {
        let torn = BatchCodec.encode([
            LogRecord(
                position: position, recordedTimeMicroseconds: Int64.max / 2, stream: "stream-1", streamVersion: 30,
                eventID: EventID(high: 5, low: UInt64(length)), payload: Array(repeating: 9, count: 120))
        ])
        let written = Array(torn.prefix(count ?? torn.count / 2))
        try modify(active) { bytes in
            for (index, byte) in written.enumerated() { bytes[length + index] = byte }
        }
        var kept = written
        while kept.last == 0 { kept.removeLast() }
        return kept
    }

    func testACutNeverReplacesAnExistingSideFileAndReusesOneHoldingTheSameBytes() throws {
        // Another cut at the same offset (after later appends, or of other damage a crash left) writes the next
        // free name; the side file there keeps the only copy of the bytes the earlier cut removed.
        let (active, length) = try makeLog()
        let torn = try tearTail(of: active, at: length, position: 200)
        let first = "\(active).damaged-\(length)"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path(first)))
        try Data([4, 5]).write(to: URL(fileURLWithPath: path(first + ".1")))
        var log = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(log.recoveryReport.tailRepairs.map(\.sideFile), [first + ".2"])
        log.close()
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path(first)))), [1, 2, 3])
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path(first + ".1")))), [4, 5])
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path(first + ".2")))), torn)

        // A side file that already holds exactly the bytes being cut is the copy of a recovery interrupted after
        // writing it: it is the copy, and no second one is made.
        directory = makeTemporaryDirectory(self)
        let (again, againLength) = try makeLog()
        let againTorn = try tearTail(of: again, at: againLength, position: 200)
        let side = "\(again).damaged-\(againLength)"
        try Data(againTorn).write(to: URL(fileURLWithPath: path(side)))
        log = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(log.recoveryReport.tailRepairs.map(\.sideFile), [side])
        log.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path(side + ".1")))

        // The checkpoint file's torn entry follows the same rule.
        let signer = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 3, count: 32))
        log = try RecordLog.open(directory: directory, configuration: configuration)
        let checkpoint = try log.checkpointAndWait(signer: signer)
        log.close()
        try modify(CheckpointFile.fileName) { $0 += Array(checkpoint.encode().prefix(100)) }
        let checkpointSide = "\(CheckpointFile.fileName).damaged-\(SignedCheckpoint.byteCount)"
        try Data([7]).write(to: URL(fileURLWithPath: path(checkpointSide)))
        log = try RecordLog.open(directory: directory, configuration: configuration)
        XCTAssertEqual(log.recoveryReport.tailRepairs.map(\.sideFile), [checkpointSide + ".1"])
        log.close()
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path(checkpointSide)))), [7])
        XCTAssertEqual(
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(checkpointSide + ".1")))),
            Array(checkpoint.encode().prefix(100)))
    }

    // MARK: - Whole batches that break stream versions or event ids

    /// A log whose first five records are the stream `patient-old`, which no later segment holds, then 200 records
    /// over `stream-0` ... `stream-6`; closed cleanly (the active segment's index covers its data) or, with `crashed`,
    /// left without that index as a writer that died leaves it. Returns the active segment, where its data ends, the
    /// next position, the last recorded time and every record.
    private func makeLogWithAnOldStream(
        crashed: Bool
    ) throws -> (active: String, dataLength: Int, next: UInt64, lastTime: Int64, records: [LogRecord]) {
        let log = try RecordLog.open(directory: directory, configuration: configuration)
        for number in 0..<5 {
            _ = try log.appendAndWait(single("patient-old", .any, makeEvent(10_000 + number)))
        }
        try appendMany(log, count: 200)
        log.close()
        let active = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }.max())
        if crashed {
            try FileManager.default.removeItem(
                atPath: path(active.replacingOccurrences(of: ".segment", with: ".index")))
        }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(active))))
        let base = try XCTUnwrap(SegmentFile.base(ofSegmentNamed: active))
        let scan = bytes.withUnsafeBytes {
            SegmentScan.scan($0, basePosition: base, previousRecordedTime: .min) { _, _ in }
        }
        let records = try LogReader(directory: directory).records()
        XCTAssertFalse(try LogReader(directory: directory).records(from: base).contains { $0.stream == "patient-old" })
        return (
            active, scan.validByteCount, UInt64(records.count), records.last?.recordedTimeMicroseconds ?? 0, records
        )
    }

    /// Writes a whole, valid batch of `records` where the active segment's data ends.
    private func appendForgedBatch(_ records: [LogRecord], to active: String, at offset: Int) throws {
        let batch = BatchCodec.encode(records)
        try modify(active) { bytes in
            if bytes.count < offset + batch.count { bytes += [UInt8](repeating: 0, count: offset + batch.count) }
            bytes.replaceSubrange(offset..<offset + batch.count, with: batch)
        }
    }

    func testAWholeBatchWhoseStreamVersionsDoNotFollowIsRefusedNeitherTakenNorCut() throws {
        // Each case: whether the writer died (no index of the active segment), the stream, and how far its version
        // is off. A stream of the scanned records, one only the snapshot covers, one only a sealed segment holds, and
        // a new stream; an offset of 0 is the control: the batch that follows is taken into the log.
        let cases: [(crashed: Bool, stream: String, off: Int64)] = [
            (true, "stream-3", 994), (true, "stream-3", -1), (true, "patient-old", 2), (false, "stream-3", 1),
            (false, "patient-old", 994), (true, "patient-new", 1), (false, "patient-new", 0), (true, "patient-old", 0),
            (false, "stream-3", 0),
        ]
        for (crashed, stream, off) in cases {
            let context = "stream \(stream) off by \(off), \(crashed ? "after a crash" : "after a clean close")"
            directory = makeTemporaryDirectory(self)
            let log = try makeLogWithAnOldStream(crashed: crashed)
            let last = log.records.last { $0.stream == stream }?.streamVersion ?? 0
            let version = UInt64(Int64(last) + 1 + off)
            try appendForgedBatch(
                [
                    LogRecord(
                        position: log.next, recordedTimeMicroseconds: log.lastTime, stream: stream,
                        streamVersion: version, eventID: EventID(high: 77, low: 77), payload: [1, 2, 3])
                ], to: log.active, at: log.dataLength)
            guard off != 0 else {
                let opened = try RecordLog.open(directory: directory, configuration: configuration)
                XCTAssertTrue(opened.recoveryReport.isClean, context)
                XCTAssertEqual(opened.nextPosition, log.next + 1, context)
                XCTAssertEqual(opened.version(of: stream), last + 1, context)
                opened.close()
                XCTAssertEqual(try LogVerifier(directory: directory).verify().problems, [], context)
                continue
            }
            let before = try snapshotOfFiles()
            assertCorruption(file: log.active, context) { location, reason in
                XCTAssertEqual(location.offset, Int64(log.dataLength), context)
                XCTAssertTrue(
                    reason.contains("position \(log.next): stream version \(version), expected \(last + 1)"),
                    "\(reason); \(context)")
            }
            XCTAssertEqual(try snapshotOfFiles(), before, "a refused open changes nothing; \(context)")
        }
    }

    func testAWholeBatchRepeatingAnEventIDOfTheScannedRecordsIsRefused() throws {
        let log = try makeLogWithAnOldStream(crashed: true)
        let base = try XCTUnwrap(SegmentFile.base(ofSegmentNamed: log.active))
        let stored = try XCTUnwrap(log.records.first { $0.position == base })
        let last = log.records.last { $0.stream == "stream-2" }?.streamVersion ?? 0
        try appendForgedBatch(
            [
                LogRecord(
                    position: log.next, recordedTimeMicroseconds: log.lastTime, stream: "stream-2",
                    streamVersion: last + 1, eventID: stored.eventID, payload: [1])
            ], to: log.active, at: log.dataLength)
        let before = try snapshotOfFiles()
        assertCorruption(file: log.active, "a second record with a stored event id") { location, reason in
            XCTAssertEqual(location.offset, Int64(log.dataLength))
            XCTAssertTrue(reason.contains("event id"), reason)
        }
        XCTAssertEqual(try snapshotOfFiles(), before)
    }
}
