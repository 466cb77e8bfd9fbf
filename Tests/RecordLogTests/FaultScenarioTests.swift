import Foundation
import RecordLogTesting
import Synchronization
import XCTest

@testable import RecordLog

/// Disk faults on the simulated file system that `CrashTests` does not already cover: power loss at every write and
/// sync point of a log without preallocated segments (checking stream versions and acknowledged checkpoints too), a
/// full disk at every write of a segment roll and a checkpoint, a failed read of every file, a failed fsync at every
/// sync point, a crash at every point of a recovery that has several repairs to make (and a second crash during the
/// next recovery), and a wall clock that steps backwards across a checkpoint, a roll and a crash.
///
/// Already covered elsewhere, so not repeated here: power loss at every point with preallocated segments
/// (`CrashTests.testCrashAtEveryWriteAndSyncPointKeepsEveryAcknowledgedRecord`), a full disk at the very first write
/// (`CrashTests.testAFullDiskRefusesTheAppendCleanlyAndTheLogWorksOnceSpaceIsFreed`), a failed fdatasync of a batch
/// (`CrashTests.testAFailedFsyncStopsTheWriterUntilTheLogIsReopened`), a failed read of a sealed segment by a reader
/// (`CrashTests.testAReadErrorIsReportedWithItsLocation`), a crash during the recovery of a torn tail
/// (`CrashTests.testACrashDuringRecoveryGivesTheSameResultAsOneRecovery`), and the clock going back within one
/// process and across a clean reopen (`RecordLogTests.testRecordedTimeNeverMovesBackwardsWhenTheClockDoes`).
///
/// Every scenario is seeded; every failure message names the seed and the fault point. `CLINICLOG_FAULT_SEEDS=N`
/// runs N seeds of random crash outcomes instead of 2.
final class FaultScenarioTests: XCTestCase {
    private let directory = "/clinic/log"
    private let signer = try! CheckpointSigner(privateKeyBytes: [UInt8](repeating: 8, count: 32))
    private static let randomSeedCount = UInt64(ProcessInfo.processInfo.environment["CLINICLOG_FAULT_SEEDS"] ?? "") ?? 2
    private static let streams = ["patient-a", "patient-b", "office"]

    private func open(_ fileSystem: SimulatedFileSystem, _ configuration: LogConfiguration) throws -> RecordLog {
        try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedRandomSource())
    }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    /// A closed log of 24 acknowledged events over three streams, close to its first segment roll, with no
    /// checkpoint yet (so the attempt creates the checkpoint file).
    private func prepare(seed: UInt64, _ configuration: LogConfiguration) throws -> (SimulatedFileSystem, [AppendEvent])
    {
        let fileSystem = SimulatedFileSystem(seed: seed)
        let log = try open(fileSystem, configuration)
        var events: [AppendEvent] = []
        for number in 0..<24 {
            let event = makeEvent(number, payloadBytes: 100)
            let stream = Self.streams[number % 3]
            _ = try log.appendAndWait(single(stream, .exactly(log.version(of: stream)), event))
            events.append(event)
        }
        log.close()
        return (fileSystem, events)
    }

    /// What an attempt got acknowledged before a fault stopped it.
    private struct Attempt {
        /// The events stored before the attempt.
        var baseline: [AppendEvent]
        var acknowledged: [AppendEvent]
        var checkpoints: [SignedCheckpoint] = []
        /// The stream version each acknowledged event of the attempt was given.
        var versions: [EventID: UInt64] = [:]
        /// The operation that failed: an event, or nil for a checkpoint.
        var failedEvent: AppendEvent??
        var failure: RecordLogError?
    }

    /// The events an attempt tries to append after the prepared ones: enough raw bytes to seal a segment.
    private static let attempted = (0..<12).map { makeIncompressibleEvent(3_000 + $0, payloadBytes: 450) }

    /// Appends the attempted events, each with the stream's expected version, and takes checkpoints after the 5th
    /// and the 10th, until something fails.
    private func runAttempt(_ log: RecordLog, baseline: [AppendEvent]) -> Attempt {
        var attempt = Attempt(baseline: baseline, acknowledged: baseline)
        for (number, event) in Self.attempted.enumerated() {
            let stream = Self.streams[number % 3]
            do {
                let result = try log.appendAndWait(single(stream, .exactly(log.version(of: stream)), event))
                XCTAssertFalse(result.alreadyStored)
                attempt.acknowledged.append(event)
                attempt.versions[event.eventID] = result.streamVersions.first
            } catch {
                attempt.failedEvent = .some(event)
                attempt.failure = error
                return attempt
            }
            if number == 4 || number == 9 {
                do {
                    attempt.checkpoints.append(try log.checkpointAndWait(signer: signer))
                } catch {
                    attempt.failedEvent = .some(nil)
                    attempt.failure = error
                    return attempt
                }
            }
        }
        return attempt
    }

    /// After recovery: every acknowledged event is there exactly once and in order, the log is a prefix of what was
    /// attempted, every stream's versions run 1, 2, 3 … and every acknowledged version is the stored one, every
    /// acknowledged checkpoint is stored and matches the records, verification passes, an append with an expected
    /// version works, and a second open repairs nothing.
    private func checkRecovered(
        _ fileSystem: SimulatedFileSystem, _ configuration: LogConfiguration, attempt: Attempt, context: String
    ) throws {
        let log = try open(fileSystem, configuration)
        let reader = log.reader()
        let records = try reader.records()
        let all = (attempt.baseline + Self.attempted).map(\.eventID)
        let ids = records.map(\.eventID)
        XCTAssertEqual(Set(ids).count, ids.count, "an event stored twice; \(context)")
        XCTAssertEqual(Array(ids.prefix(attempt.acknowledged.count)), attempt.acknowledged.map(\.eventID), context)
        XCTAssertEqual(ids, Array(all.prefix(ids.count)), "not a prefix of the attempt; \(context)")
        for stream in Self.streams {
            let versions = records.filter { $0.stream == stream }.map(\.streamVersion)
            XCTAssertEqual(versions, versions.indices.map { UInt64($0 + 1) }, "versions of \(stream); \(context)")
            XCTAssertEqual(log.version(of: stream), UInt64(versions.count), context)
        }
        for record in records where attempt.versions[record.eventID] != nil {
            XCTAssertEqual(record.streamVersion, attempt.versions[record.eventID], "acknowledged version; \(context)")
        }
        let checkpoints = try reader.checkpoints()
        XCTAssertEqual(Array(checkpoints.prefix(attempt.checkpoints.count)), attempt.checkpoints, context)
        for checkpoint in checkpoints {
            XCTAssertEqual(try reader.root(treeSize: checkpoint.treeSize), checkpoint.root, context)
        }
        let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify(
            trustedPublicKeys: [signer.publicKey])
        XCTAssertEqual(report.problems, [], context)
        let stream = Self.streams[1]
        let next = try log.appendAndWait(
            single(stream, .exactly(log.version(of: stream)), makeEvent(99_000, payloadBytes: 50)))
        XCTAssertEqual(next.positions, [UInt64(records.count)], context)
        log.close()
        let again = try open(fileSystem, configuration)
        XCTAssertTrue(again.recoveryReport.isClean, "a second open repaired again; \(context)")
        again.close()
    }

    // MARK: - Power loss without preallocation

    func testCrashAtEveryWriteAndSyncPointWithoutPreallocationKeepsVersionsAndCheckpoints() throws {
        let configuration = makeConfiguration(segmentBytesMax: 4096, preallocate: false, clock: TestClock())
        var pointsCovered = 0
        for mode in [SimulatedFileSystem.CrashMode.random, .loseUnsynced, .keepUnsynced] {
            for seed in mode == .random ? Array(1...Self.randomSeedCount) : [1] {
                let (prepared, baseline) = try prepare(seed: seed, configuration)
                var point = 1
                while true {
                    let context = "mode \(mode), seed \(seed), crash at operation \(point)"
                    let fileSystem = prepared.makeCopy(seed: seed &* 1_000 &+ UInt64(point))
                    let log = try open(fileSystem, configuration)
                    fileSystem.crashAfter(operations: point, mode: mode)
                    let attempt = runAttempt(log, baseline: baseline)
                    guard fileSystem.isHalted else {
                        XCTAssertNil(attempt.failure, context)
                        log.close()
                        break
                    }
                    fileSystem.restart()
                    try checkRecovered(fileSystem, configuration, attempt: attempt, context: context)
                    pointsCovered += 1
                    point += 1
                }
            }
        }
        XCTAssertGreaterThan(pointsCovered, 100, "the attempt rolls a segment and writes checkpoints")
        print(
            "FaultScenarioTests: \(pointsCovered) crash points without preallocation, \(Self.randomSeedCount) random seeds"
        )
    }

    // MARK: - A full disk

    func testAFullDiskAtEveryWriteRefusesCleanlyAndTheLogWorksOnceSpaceIsFreed() throws {
        let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())
        let seed: UInt64 = 21
        let (prepared, baseline) = try prepare(seed: seed, configuration)
        var generator = SeededGenerator(seed: seed)
        var failingWrite = 0
        var stoppedCount = 0
        while true {
            let prefixBytes = generator.next(below: 600)
            let context = "seed \(seed), ENOSPC from write \(failingWrite) on, \(prefixBytes) bytes of it written"
            let fileSystem = prepared.makeCopy(seed: UInt64(failingWrite))
            var log = try open(fileSystem, configuration)
            fileSystem.failWrites(afterCount: failingWrite, with: .noSpace, applyingPrefixBytes: prefixBytes)
            var attempt = runAttempt(log, baseline: baseline)
            guard let failure = attempt.failure, let failed = attempt.failedEvent else {
                log.close()
                break
            }
            let stopped: Bool
            switch failure {
            case .fileSystem(let error):
                XCTAssertEqual(error.code, .noSpace, context)
                stopped = false
            case .writerStopped(let cause):
                XCTAssertTrue(cause.contains("noSpace"), "\(cause); \(context)")
                stopped = true
            default:
                XCTFail("\(failure); \(context)")
                stopped = true
            }
            // Nothing of the refused operation is visible.
            XCTAssertEqual(log.nextPosition, UInt64(attempt.acknowledged.count), context)
            XCTAssertEqual(try log.reader().records().map(\.eventID), attempt.acknowledged.map(\.eventID), context)
            XCTAssertEqual(try log.reader().checkpoints(), attempt.checkpoints, context)
            fileSystem.clearFaults()
            if stopped {
                stoppedCount += 1
                XCTAssertThrowsError(try log.appendAndWait(single("office", .any, makeEvent(98_000))), context) {
                    guard case .writerStopped = $0 as? RecordLogError else { return XCTFail("\($0); \(context)") }
                }
                log.close()
                log = try open(fileSystem, configuration)
            }
            // Space is free again: the refused operation succeeds on retry, once.
            if let event = failed {
                let stream = Self.streams[Self.attempted.firstIndex(of: event)! % 3]
                let result = try log.appendAndWait(single(stream, .exactly(log.version(of: stream)), event))
                XCTAssertEqual(result.positions, [UInt64(attempt.acknowledged.count)], context)
                XCTAssertFalse(result.alreadyStored, context)
                attempt.acknowledged.append(event)
            }
            attempt.checkpoints.append(try log.checkpointAndWait(signer: signer))
            // The power goes at once: the retried operation and the checkpoint are durable, directory entry included.
            fileSystem.crash(mode: .loseUnsynced)
            log = try open(fileSystem, configuration)
            XCTAssertEqual(try log.reader().records().map(\.eventID), attempt.acknowledged.map(\.eventID), context)
            XCTAssertEqual(try log.reader().checkpoints(), attempt.checkpoints, context)
            for number in 0..<8 {
                let event = makeIncompressibleEvent(5_000 + number, payloadBytes: 450)
                _ = try log.appendAndWait(single("office", .any, event))
                attempt.acknowledged.append(event)
            }
            attempt.checkpoints.append(try log.checkpointAndWait(signer: signer))
            // Everything acknowledged since is durable: the power goes without a clean close.
            fileSystem.crash(mode: .loseUnsynced)
            log = try open(fileSystem, configuration)
            XCTAssertEqual(try log.reader().records().map(\.eventID), attempt.acknowledged.map(\.eventID), context)
            XCTAssertEqual(try log.reader().checkpoints(), attempt.checkpoints, context)
            XCTAssertEqual(
                try LogVerifier(directory: directory, fileSystem: fileSystem).verify().problems, [], context)
            log.close()
            failingWrite += 1
        }
        XCTAssertGreaterThan(failingWrite, 15, "the attempt's writes include a roll and a checkpoint")
        XCTAssertGreaterThan(stoppedCount, 0, "some full-disk points are in a segment roll, which stops the writer")
        print("FaultScenarioTests: ENOSPC at \(failingWrite) write points, \(stoppedCount) of them stopped the writer")
    }

    // MARK: - A failed read

    func testAFailedReadOfAnyFileIsReportedWithThatFileAndNeverTakenForDamage() throws {
        let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())
        let (prepared, _) = try prepare(seed: 31, configuration)
        var log = try open(prepared, configuration)
        _ = runAttempt(log, baseline: [])
        log.close()
        log = try open(prepared, configuration)
        let recordCount = log.nextPosition
        log.close()
        let names = try prepared.contentsOfDirectory(directory).filter { $0 != "lock" }.sorted()
        XCTAssertTrue(names.contains(CheckpointFile.fileName) && names.contains(Manifest.fileName), "\(names)")
        XCTAssertGreaterThanOrEqual(names.filter { $0.hasSuffix(SegmentFile.indexSuffix) }.count, 2, "\(names)")
        for name in names {
            let context = "EIO on every read of \(name), seed 31"
            let fileSystem = prepared.makeCopy()
            fileSystem.failReads(path: path(name), range: 0..<(1 << 30))
            let before = fileSystem.allPaths().map { fileSystem.contents(of: $0) }
            do {
                let opened = try open(fileSystem, configuration)
                XCTAssertTrue(opened.recoveryReport.isClean, "a read error repaired something; \(context)")
                XCTAssertEqual(opened.nextPosition, recordCount, context)
                opened.close()
            } catch {
                assertReadError(error, names: name, context)
                XCTAssertEqual(
                    fileSystem.allPaths().map { fileSystem.contents(of: $0) }, before, "open changed files; \(context)")
            }
            do {
                let records = try LogReader(directory: directory, fileSystem: fileSystem).records()
                XCTAssertEqual(records.count, Int(recordCount), context)
                _ = try LogReader(directory: directory, fileSystem: fileSystem).checkpoints()
            } catch {
                assertReadError(error, names: name, context)
            }
            do {
                let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify()
                XCTAssertTrue(
                    report.problems.contains { $0.location.file == name }, "verifier: \(report.problems); \(context)")
                XCTAssertFalse(
                    report.problems.contains { $0.reason.contains("missing") },
                    "an unreadable file is not missing; \(context)")
            } catch {
                assertReadError(error, names: name, context)
            }
        }
        print("FaultScenarioTests: EIO on the reads of \(names.count) files")
    }

    private func assertReadError(_ error: any Error, names file: String, _ context: String, line: UInt = #line) {
        guard case .fileSystem(let failure) = error as? RecordLogError else {
            return XCTFail("expected the read error, got \(error); \(context)", line: line)
        }
        XCTAssertEqual(failure.code, .ioError, context, line: line)
        XCTAssertEqual(failure.path, path(file), context, line: line)
        XCTAssertTrue(
            "\(error)".contains("pread failed on \(path(file)) at byte "), "the offset of the read: \(error)",
            line: line)
    }

    // MARK: - A failed fsync

    func testAFailedFsyncAtAnySyncPointStopsTheWriterAndLosesNothingAcknowledged() throws {
        let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())
        let seed: UInt64 = 41
        let (prepared, baseline) = try prepare(seed: seed, configuration)
        var failingSync = 0
        while true {
            let context = "seed \(seed), EIO on sync \(failingSync) (file and directory syncs counted together)"
            let fileSystem = prepared.makeCopy(seed: seed &+ UInt64(failingSync))
            let log = try open(fileSystem, configuration)
            let syncs = SyncCounter()
            let target = failingSync
            fileSystem.failSyncs(where: { _ in syncs.next() == target }, with: .ioError)
            let attempt = runAttempt(log, baseline: baseline)
            guard let failure = attempt.failure else {
                log.close()
                break
            }
            guard case .writerStopped = failure else {
                XCTFail("\(failure); \(context)")
                log.close()
                failingSync += 1
                continue
            }
            fileSystem.clearFaults()
            XCTAssertThrowsError(try log.appendAndWait(single("office", .any, makeEvent(97_000))), context) {
                guard case .writerStopped = $0 as? RecordLogError else { return XCTFail("\($0); \(context)") }
            }
            XCTAssertThrowsError(try log.checkpointAndWait(signer: signer), context) {
                guard case .writerStopped = $0 as? RecordLogError else { return XCTFail("\($0); \(context)") }
            }
            log.close()
            fileSystem.crash(mode: .random)
            try checkRecovered(fileSystem, configuration, attempt: attempt, context: context)
            failingSync += 1
        }
        XCTAssertGreaterThan(failingSync, 15, "the attempt's syncs include a roll and a checkpoint")
        print("FaultScenarioTests: EIO at \(failingSync) sync points")
    }

    // MARK: - A crash during recovery

    func testACrashAtAnyPointOfARecoveryWithSeveralRepairsGivesTheResultOfOneRecovery() throws {
        let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())
        let damaged = try makeLogNeedingEveryRepair(configuration)
        let reference = damaged.makeCopy()
        let once = try open(reference, configuration)
        XCTAssertEqual(once.recoveryReport.tailRepairs.count, 2, "\(once.recoveryReport)")
        XCTAssertEqual(once.recoveryReport.rebuiltIndexes.count, 1, "\(once.recoveryReport)")
        XCTAssertEqual(once.recoveryReport.removedEmptySegments.count, 1, "\(once.recoveryReport)")
        once.close()
        let expectedFiles = durableFiles(reference)
        let expectedRecords = try LogReader(directory: directory, fileSystem: reference).records()
        let expectedCheckpoints = try LogReader(directory: directory, fileSystem: reference).checkpoints()
        var crashes = 0
        var furtherSideFiles = 0
        for mode in [SimulatedFileSystem.CrashMode.random, .loseUnsynced, .keepUnsynced] {
            for seed in mode == .random ? Array(1...Self.randomSeedCount) : [1] {
                var generator = SeededGenerator(seed: seed)
                var point = 1
                while true {
                    let fileSystem = damaged.makeCopy(seed: seed &* 1_000 &+ UInt64(point))
                    fileSystem.crashAfter(operations: point, mode: mode)
                    if let opened = try? open(fileSystem, configuration), !fileSystem.isHalted {
                        opened.close()
                        break
                    }
                    fileSystem.restart()
                    // A second power cut, at a seeded point of the next recovery.
                    let second = 1 + generator.next(below: 12)
                    let context = "mode \(mode), seed \(seed), crash at recovery operation \(point), then at \(second)"
                    fileSystem.crashAfter(operations: second, mode: mode)
                    if let opened = try? open(fileSystem, configuration) { opened.close() }
                    fileSystem.restart()
                    fileSystem.clearFaults()
                    let recovered = try open(fileSystem, configuration)
                    recovered.close()
                    XCTAssertEqual(
                        try LogReader(directory: directory, fileSystem: fileSystem).records(), expectedRecords, context)
                    XCTAssertEqual(
                        try LogReader(directory: directory, fileSystem: fileSystem).checkpoints(), expectedCheckpoints,
                        context)
                    // Every file of the one recovery is there, byte for byte, side files included: a side file is
                    // never replaced. When a crash garbles the zeros that overwrite a torn tail (random mode only),
                    // the next recovery cuts that other damage at the same offset and keeps it in a further side
                    // file, `<side file>.<n>`; nothing else may differ.
                    let files = durableFiles(fileSystem)
                    for (name, bytes) in expectedFiles where files[name] != bytes {
                        XCTFail("\(name) is missing or differs from the one recovery's; \(context)")
                    }
                    let further = files.keys.filter { expectedFiles[$0] == nil }
                    for name in further {
                        let isFurtherCopy = expectedFiles.keys.contains { side in
                            side.contains(".damaged-") && name.hasPrefix(side + ".")
                                && Int(name.dropFirst(side.count + 1)) != nil
                        }
                        XCTAssertTrue(mode == .random && isFurtherCopy, "unexpected file \(name); \(context)")
                    }
                    furtherSideFiles += further.count
                    crashes += 1
                    point += 1
                }
            }
        }
        XCTAssertGreaterThan(crashes, 20, "recovery had many operations to crash in")
        XCTAssertGreaterThan(furtherSideFiles, 0, "some crash garbled the zeros over a torn tail")
        print(
            "FaultScenarioTests: \(crashes) double crashes during recovery (\(furtherSideFiles) further side files), "
                + "\(Self.randomSeedCount) random seeds")
    }

    /// Every file of the log but the lock and stray temporary files.
    private func durableFiles(_ fileSystem: SimulatedFileSystem) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in (try? fileSystem.contentsOfDirectory(directory)) ?? []
        where name != "lock" && !name.hasSuffix(".tmp") {
            files[name] = fileSystem.contents(of: path(name))
        }
        return files
    }

    /// A closed log that a writer left needing every kind of repair: a torn tail after what the active segment's
    /// index covers, a torn last checkpoint entry, an all-zero segment after the active one (an interrupted roll),
    /// a sealed index with a damaged header, and a stray temporary manifest.
    private func makeLogNeedingEveryRepair(_ configuration: LogConfiguration) throws -> SimulatedFileSystem {
        let (fileSystem, _) = try prepare(seed: 51, configuration)
        let log = try open(fileSystem, configuration)
        _ = runAttempt(log, baseline: [])
        let next = log.nextPosition
        let officeVersion = log.version(of: "office")
        log.close()
        let manifest = try Manifest.decode(XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))).get()
        let activeName = SegmentFile.name(base: manifest.activeBase)
        var active = try XCTUnwrap(fileSystem.contents(of: path(activeName)))
        let index = try SegmentIndex.decode(
            XCTUnwrap(fileSystem.contents(of: path(SegmentFile.indexName(base: manifest.activeBase))))
        ).get()
        let torn = BatchCodec.encode([
            LogRecord(
                position: next, recordedTimeMicroseconds: Int64.max / 2, stream: "office",
                streamVersion: officeVersion + 1,
                eventID: EventID(high: 7, low: 7), payload: makeIncompressibleEvent(7).payload)
        ])
        XCTAssertGreaterThan(torn.count, 150, "only a prefix of the batch is written")
        let tornEnd = Int(index.dataLength) + 150
        if active.count < tornEnd { active += [UInt8](repeating: 0, count: tornEnd - active.count) }
        active.replaceSubrange(Int(index.dataLength)..<tornEnd, with: torn.prefix(150))
        fileSystem.setContents(active, of: path(activeName))
        var checkpoints = try XCTUnwrap(fileSystem.contents(of: path(CheckpointFile.fileName)))
        checkpoints += checkpoints.prefix(100)
        fileSystem.setContents(checkpoints, of: path(CheckpointFile.fileName))
        fileSystem.setContents([UInt8](repeating: 0, count: 4096), of: path(SegmentFile.name(base: next + 5)))
        let sealedIndex = path(SegmentFile.indexName(base: 0))
        var indexBytes = try XCTUnwrap(fileSystem.contents(of: sealedIndex))
        indexBytes[20] ^= 0x10
        fileSystem.setContents(indexBytes, of: sealedIndex)
        fileSystem.setContents([1, 2, 3], of: path(Manifest.fileName + ".tmp"))
        return fileSystem
    }

    // MARK: - The wall clock steps backwards

    func testRecordedTimeNeverGoesBackAcrossACheckpointARollAndACrashWhenTheClockSteps() throws {
        let clock = ManualClock(microseconds: 1_764_581_400_000_000)
        let configuration = makeConfiguration(segmentBytesMax: 4096, clock: clock)
        let seed: UInt64 = 61
        let fileSystem = SimulatedFileSystem(seed: seed)
        var log = try open(fileSystem, configuration)
        var generator = SeededGenerator(seed: seed)
        var times: [Int64] = []
        for number in 0..<30 {
            // The clock wanders: forward a few seconds, or back up to an hour (an NTP step, a staff member's fix).
            let step = Int64(generator.next(below: 7_200_000_000)) - 3_600_000_000
            clock.set(microseconds: clock.nowMicroseconds() + step)
            let event = makeIncompressibleEvent(7_000 + number, payloadBytes: 300)
            times.append(try log.appendAndWait(single("office", .any, event)).recordedTimeMicroseconds)
            if number % 10 == 9 {
                clock.advance(byMicroseconds: 86_400_000_000)
                let checkpoint = try log.checkpointAndWait(signer: signer)
                XCTAssertGreaterThanOrEqual(checkpoint.timeMicroseconds, times.last ?? 0, "seed \(seed)")
                times.append(checkpoint.timeMicroseconds)
                clock.set(microseconds: clock.nowMicroseconds() - 2 * 86_400_000_000)
            }
        }
        XCTAssertEqual(times, times.sorted(), "recorded and checkpoint times never decrease; seed \(seed)")
        // The power goes after the last checkpoint, whose time is a day ahead of the clock and of every record.
        fileSystem.crash(mode: .loseUnsynced)
        log = try open(fileSystem, configuration)
        let lastCheckpoint = try XCTUnwrap(try log.reader().checkpoints().last)
        let after = try log.appendAndWait(single("office", .any, makeEvent(7_999))).recordedTimeMicroseconds
        XCTAssertGreaterThanOrEqual(
            after, lastCheckpoint.timeMicroseconds, "recovery restarts time from it; seed \(seed)")
        log.close()
        let records = try LogReader(directory: directory, fileSystem: fileSystem).records()
        let recordTimes = records.map(\.recordedTimeMicroseconds)
        XCTAssertEqual(recordTimes, recordTimes.sorted(), "seed \(seed)")
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        for record in records {
            let first = try reader.firstPosition(recordedAtOrAfter: record.recordedTimeMicroseconds)
            XCTAssertEqual(
                first, records.first { $0.recordedTimeMicroseconds >= record.recordedTimeMicroseconds }?.position,
                "the time index; seed \(seed)")
        }
        let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify(
            trustedPublicKeys: [signer.publicKey])
        XCTAssertEqual(report.problems, [], "seed \(seed)")
        XCTAssertGreaterThanOrEqual(report.checkpointsVerified, 3, "seed \(seed)")
        let manifest = try Manifest.decode(XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))).get()
        XCTAssertGreaterThanOrEqual(manifest.sealed.count, 1, "the log rolled segments while the clock stepped")
    }
}

/// Counts the syncs a fault predicate sees, from 0.
private final class SyncCounter: Sendable {
    private let count = Mutex(0)

    /// The number of this sync.
    func next() -> Int {
        count.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}
