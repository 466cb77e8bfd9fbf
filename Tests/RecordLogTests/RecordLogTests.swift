import Foundation
import XCTest

@testable import RecordLog

final class RecordLogTests: XCTestCase {
    func testAppendedRecordsReadBackInOrderWithGaplessPositionsAndVersions() throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration())
        defer { log.close() }
        let first = try log.appendAndWait(single("patient-1", .noStream, makeEvent(1), makeEvent(2)))
        XCTAssertEqual(first.positions, [0, 1])
        XCTAssertEqual(first.streamVersions, [1, 2])
        let second = try log.appendAndWait(single("patient-2", .noStream, makeEvent(3)))
        XCTAssertEqual(second.positions, [2])
        XCTAssertEqual(second.streamVersions, [1])
        let records = try log.reader().records()
        XCTAssertEqual(records.map(\.position), [0, 1, 2])
        XCTAssertEqual(records.map(\.stream), ["patient-1", "patient-1", "patient-2"])
        XCTAssertEqual(records.map(\.payload), [makeEvent(1), makeEvent(2), makeEvent(3)].map(\.payload))
        XCTAssertEqual(log.version(of: "patient-1"), 2)
        XCTAssertEqual(log.nextPosition, 3)
    }

    func testExpectedVersionMismatchIsRefusedAndWritesNothing() throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration())
        defer { log.close() }
        _ = try log.appendAndWait(single("s", .noStream, makeEvent(1)))
        XCTAssertThrowsError(try log.appendAndWait(single("s", .noStream, makeEvent(2)))) { error in
            XCTAssertEqual(error as? RecordLogError, .wrongExpectedVersion(stream: "s", expected: .noStream, actual: 1))
        }
        XCTAssertThrowsError(try log.appendAndWait(single("s", .exactly(5), makeEvent(3))))
        XCTAssertEqual(try log.appendAndWait(single("s", .exactly(1), makeEvent(4))).streamVersions, [2])
        XCTAssertEqual(log.nextPosition, 2)
    }

    func testAMultiStreamAppendIsAllOrNothing() throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration())
        defer { log.close() }
        _ = try log.appendAndWait(single("b", .noStream, makeEvent(1)))
        let refused = [
            StreamAppend(stream: "a", expectedVersion: .noStream, events: [makeEvent(2)]),
            StreamAppend(stream: "b", expectedVersion: .noStream, events: [makeEvent(3)]),
        ]
        XCTAssertThrowsError(try log.appendAndWait(refused))
        XCTAssertEqual(log.nextPosition, 1)
        XCTAssertEqual(log.version(of: "a"), 0)
        let accepted = [
            StreamAppend(stream: "a", expectedVersion: .noStream, events: [makeEvent(2)]),
            StreamAppend(stream: "b", expectedVersion: .exactly(1), events: [makeEvent(3)]),
        ]
        XCTAssertEqual(try log.appendAndWait(accepted).positions, [1, 2])
    }

    func testARetriedAppendReturnsTheOriginalPositionsEvenAfterARestart() throws {
        let directory = makeTemporaryDirectory(self)
        let configuration = makeConfiguration(segmentBytesMax: 8192)
        var log = try RecordLog.open(directory: directory, configuration: configuration)
        let original = try log.appendAndWait(single("p", .noStream, makeEvent(7), makeEvent(8)))
        try appendMany(log, count: 300, startingAt: 100)
        let retry = try log.appendAndWait(single("p", .noStream, makeEvent(7), makeEvent(8)))
        XCTAssertTrue(retry.alreadyStored)
        XCTAssertEqual(retry.positions, original.positions)
        log.close()
        log = try RecordLog.open(directory: directory, configuration: configuration)
        defer { log.close() }
        XCTAssertGreaterThan(
            try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".index") }.count, 0)
        let end = log.nextPosition
        let afterRestart = try log.appendAndWait(single("p", .noStream, makeEvent(7), makeEvent(8)))
        XCTAssertTrue(afterRestart.alreadyStored)
        XCTAssertEqual(afterRestart.positions, original.positions)
        XCTAssertEqual(afterRestart.streamVersions, [1, 2])
        XCTAssertEqual(log.nextPosition, end)
    }

    func testARetryOfAnEventInTheReopenedActiveSegmentIsRecognised() throws {
        let directory = makeTemporaryDirectory(self)
        let configuration = makeConfiguration(segmentBytesMax: 64 << 10)
        var log = try RecordLog.open(directory: directory, configuration: configuration)
        let original = try log.appendAndWait(single("p", .noStream, makeEvent(7)))
        try appendMany(log, count: 20, startingAt: 100)
        log.close()
        log = try RecordLog.open(directory: directory, configuration: configuration)
        let retry = try log.appendAndWait(single("p", .noStream, makeEvent(7)))
        XCTAssertTrue(retry.alreadyStored)
        XCTAssertEqual(retry.positions, original.positions)
        log.close()
        log = try RecordLog.open(directory: directory, configuration: makeConfiguration(segmentBytesMax: 4096))
        try appendMany(log, count: 100, startingAt: 200)
        XCTAssertTrue(try log.appendAndWait(single("p", .noStream, makeEvent(7))).alreadyStored)
        log.close()
        XCTAssertEqual(try LogVerifier(directory: directory).verify().problems, [])
    }

    func testIdempotencyHoldsWhenASealedIndexCannotBeRead() throws {
        let directory = makeTemporaryDirectory(self)
        let configuration = makeConfiguration(segmentBytesMax: 4096)
        var log = try RecordLog.open(directory: directory, configuration: configuration)
        let original = try log.appendAndWait(single("p", .noStream, makeEvent(7)))
        try appendMany(log, count: 200, startingAt: 100)
        log.close()
        log = try RecordLog.open(directory: directory, configuration: configuration)
        defer { log.close() }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: joinPath(directory, SegmentFile.indexName(base: 0))))
        let retry = try log.appendAndWait(single("p", .noStream, makeEvent(7)))
        XCTAssertTrue(retry.alreadyStored)
        XCTAssertEqual(retry.positions, original.positions)
    }

    func testAReusedEventIDWithDifferentContentIsRefused() throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration())
        defer { log.close() }
        _ = try log.appendAndWait(single("p", .any, makeEvent(1)))
        var changed = makeEvent(1)
        changed.payload = [1, 2, 3]
        XCTAssertThrowsError(try log.appendAndWait(single("p", .any, changed))) { error in
            XCTAssertEqual(error as? RecordLogError, .conflictingRetry(eventID: changed.eventID, storedAt: 0))
        }
        XCTAssertThrowsError(try log.appendAndWait(single("p", .any, makeEvent(1), makeEvent(2))))
        XCTAssertThrowsError(try log.appendAndWait(single("q", .any, makeEvent(3), makeEvent(3)))) { error in
            XCTAssertEqual(error as? RecordLogError, .duplicateEventInAppend(eventID: makeEvent(3).eventID))
        }
        XCTAssertEqual(log.nextPosition, 1)
    }

    func testLimitsAreEnforcedWithNamedErrors() throws {
        let directory = makeTemporaryDirectory(self)
        let limits = LogLimits(
            recordPayloadBytesMax: 100, streamIDBytesMax: 8, recordsPerBatchMax: 3, batchBytesMax: 1000)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration(limits: limits))
        defer { log.close() }
        XCTAssertThrowsError(try log.appendAndWait(single("s", .any, makeEvent(1, payloadBytes: 101)))) { error in
            XCTAssertEqual(
                error as? RecordLogError, .limitExceeded(limit: "record payload bytes", value: 101, maximum: 100))
        }
        XCTAssertThrowsError(try log.appendAndWait(single("a-long-stream", .any, makeEvent(1))))
        XCTAssertThrowsError(
            try log.appendAndWait(single("s", .any, makeEvent(1), makeEvent(2), makeEvent(3), makeEvent(4))))
        XCTAssertThrowsError(try log.appendAndWait(single("", .any, makeEvent(1))))
        for stream in ["a b", "caf\u{E9}", "l\nb", "t\t", "\u{7F}"] {
            XCTAssertThrowsError(try log.appendAndWait(single(stream, .any, makeEvent(1))), stream) { error in
                guard case .invalidAppend = error as? RecordLogError else { return XCTFail("\(error)") }
            }
        }
        XCTAssertThrowsError(try log.appendAndWait([]))
        XCTAssertEqual(log.nextPosition, 0)
        XCTAssertEqual(try log.appendAndWait(single("s", .any, makeEvent(1, payloadBytes: 100))).positions, [0])
    }

    func testSegmentsRollAndEverythingReadsBackAcrossThem() throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration(segmentBytesMax: 4096))
        defer { log.close() }
        let events = try appendMany(log, count: 400)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        let segments = names.filter { $0.hasSuffix(".segment") }.sorted()
        XCTAssertGreaterThan(segments.count, 3)
        XCTAssertEqual(names.filter { $0.hasSuffix(".index") }.count, segments.count - 1)
        let reader = log.reader()
        let records = try reader.records()
        XCTAssertEqual(records.map(\.payload), events.map(\.payload))
        XCTAssertEqual(records.map(\.position), Array(0..<400))
        XCTAssertEqual(try reader.record(at: 257).eventID, events[257].eventID)
        var viewed: [UInt64] = []
        try reader.forEachRecordView(from: 123) { view in
            viewed.append(view.position)
            XCTAssertEqual(Array(view.payload), events[Int(view.position)].payload)
            return view.position < 300
        }
        XCTAssertEqual(viewed, Array(123...300))
        XCTAssertEqual(try reader.records(from: 390).count, 10)
        XCTAssertEqual(try reader.endPosition(), 400)
        for stream in 0..<7 {
            let streamRecords = try reader.records(inStream: "stream-\(stream)")
            XCTAssertEqual(streamRecords.map(\.streamVersion), Array(1...UInt64(streamRecords.count)))
            XCTAssertEqual(
                streamRecords.map(\.eventID),
                events.enumerated().filter { $0.offset % 7 == stream }.map(\.element.eventID))
        }
        XCTAssertEqual(try reader.records(inStream: "stream-3", fromVersion: 50).first?.streamVersion, 50)
        XCTAssertEqual(try reader.records(inStream: "nobody"), [])
    }

    func testTheTimeIndexFindsTheFirstRecordAtOrAfterATime() throws {
        let directory = makeTemporaryDirectory(self)
        let clock = TestClock(microseconds: 1_000_000)
        let log = try RecordLog.open(
            directory: directory, configuration: makeConfiguration(segmentBytesMax: 4096, clock: clock))
        defer { log.close() }
        var times: [Int64] = []
        for number in 0..<200 {
            clock.set(1_000_000 + Int64(number) * 1_000)
            times.append(try log.appendAndWait(single("s", .any, makeEvent(number))).recordedTimeMicroseconds)
        }
        let reader = log.reader()
        for probe in [0, 1, 57, 123, 199] {
            XCTAssertEqual(try reader.firstPosition(recordedAtOrAfter: times[probe]), UInt64(probe))
            XCTAssertEqual(try reader.firstPosition(recordedAtOrAfter: times[probe] - 1), UInt64(probe))
        }
        XCTAssertEqual(try reader.firstPosition(recordedAtOrAfter: times[199] + 1), 200)
    }

    func testRecordedTimeNeverMovesBackwardsWhenTheClockDoes() throws {
        let directory = makeTemporaryDirectory(self)
        let clock = TestClock(microseconds: 5_000_000)
        let configuration = makeConfiguration(clock: clock)
        var log = try RecordLog.open(directory: directory, configuration: configuration)
        let first = try log.appendAndWait(single("s", .any, makeEvent(1))).recordedTimeMicroseconds
        clock.set(1_000)
        let second = try log.appendAndWait(single("s", .any, makeEvent(2))).recordedTimeMicroseconds
        XCTAssertGreaterThanOrEqual(second, first)
        log.close()
        log = try RecordLog.open(directory: directory, configuration: configuration)
        defer { log.close() }
        clock.set(2_000)
        let third = try log.appendAndWait(single("s", .any, makeEvent(3))).recordedTimeMicroseconds
        XCTAssertGreaterThanOrEqual(third, second)
    }

    func testASecondWriterIsRefusedAtOnceOrWaitsForTheLock() throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration())
        XCTAssertThrowsError(try RecordLog.open(directory: directory, configuration: makeConfiguration())) { error in
            XCTAssertEqual(error as? RecordLogError, .writerLocked(directory: directory))
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { log.close() }
        let second = try RecordLog.open(
            directory: directory, configuration: makeConfiguration(lockTimeoutMilliseconds: 10_000))
        second.close()
    }

    func testAWriterInAnotherProcessIsRefusedAtOnceOrWaitedFor() throws {
        let directory = makeTemporaryDirectory(self)
        try RecordLog.open(directory: directory, configuration: makeConfiguration()).close()
        // Another process takes the lock the way a writer does (flock on the lock file) and holds it for a while.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); "
                + "print('locked', flush=True); time.sleep(float(sys.argv[2]))",
            joinPath(directory, "lock"), "0.5",
        ]
        let output = Pipe()
        holder.standardOutput = output
        do { try holder.run() } catch { throw XCTSkip("python3 is not available to hold the lock") }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("locked") else { throw XCTSkip("python3 could not take the lock") }
        XCTAssertThrowsError(try RecordLog.open(directory: directory, configuration: makeConfiguration())) { error in
            XCTAssertEqual(error as? RecordLogError, .writerLocked(directory: directory))
        }
        let waited = try RecordLog.open(
            directory: directory, configuration: makeConfiguration(lockTimeoutMilliseconds: 10_000))
        XCTAssertEqual(try waited.appendAndWait(single("s", .any, makeEvent(1))).positions, [0])
        waited.close()
        holder.waitUntilExit()
    }

    func testConcurrentAppendsAreGroupedAndEachLandsExactlyOnce() async throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration(segmentBytesMax: 16384))
        defer { log.close() }
        let appenders = 8
        let perAppender = 100
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    for number in 0..<perAppender {
                        let event = makeEvent(appender * 1_000 + number)
                        _ = try await log.append(single("appender-\(appender)", .exactly(UInt64(number)), event))
                    }
                }
            }
            try await group.waitForAll()
        }
        let records = try log.reader().records()
        XCTAssertEqual(records.count, appenders * perAppender)
        XCTAssertEqual(Set(records.map(\.eventID)).count, appenders * perAppender)
        XCTAssertEqual(records.map(\.position), Array(0..<UInt64(appenders * perAppender)))
        for appender in 0..<appenders {
            XCTAssertEqual(log.version(of: "appender-\(appender)"), UInt64(perAppender))
        }
    }

    func testAReaderSeesAConsistentPrefixWhileTheWriterAppends() throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration(segmentBytesMax: 4096))
        defer { log.close() }
        let done = DispatchSemaphore(value: 0)
        let writerError = LockedBox<Error?>(nil)
        DispatchQueue.global().async {
            do { try appendMany(log, count: 500) } catch { writerError.update { $0 = error } }
            done.signal()
        }
        let reader = LogReader(directory: directory)
        var previous: UInt64 = 0
        var finished = false
        while !finished {
            finished = done.wait(timeout: .now()) == .success
            let records = try reader.records()
            XCTAssertEqual(records.map(\.position), Array(0..<UInt64(records.count)))
            XCTAssertGreaterThanOrEqual(UInt64(records.count), previous)
            previous = UInt64(records.count)
        }
        XCTAssertNil(writerError.value)
        XCTAssertEqual(try reader.records().count, 500)
    }

    func testAnUnusableConfigurationIsRefusedBeforeAnythingIsCreated() throws {
        let directory = makeTemporaryDirectory(self)
        XCTAssertThrowsError(
            try RecordLog.open(directory: directory, configuration: makeConfiguration(segmentBytesMax: 100))
        ) {
            guard case .invalidConfiguration = $0 as? RecordLogError else { return XCTFail("\($0)") }
        }
        let limits = LogLimits(recordPayloadBytesMax: 0)
        XCTAssertThrowsError(try RecordLog.open(directory: directory, configuration: makeConfiguration(limits: limits)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory))
    }

    func testAClosedLogRefusesAppends() throws {
        let directory = makeTemporaryDirectory(self)
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration())
        log.close()
        XCTAssertThrowsError(try log.appendAndWait(single("s", .any, makeEvent(1)))) { error in
            XCTAssertEqual(error as? RecordLogError, .closed)
        }
    }
}

final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    /// The value now. Read-modify-write through ``update(_:)``, never `value.append` (a get then a set).
    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    /// Changes the value under the lock.
    func update(_ change: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        change(&stored)
    }
}
