import Foundation
import RecordLogTesting
import XCTest

@testable import RecordLog

/// A file system that forwards everything to `base` and calls `willSync()` before every fdatasync: the tests' file
/// systems override it to count, slow down or hold the syncs.
private class SyncHookFileSystem: FileSystem, @unchecked Sendable {
    let base: any FileSystem

    init(base: any FileSystem) { self.base = base }

    /// Called before every fdatasync of a file opened through this file system.
    func willSync() {}

    final class Handle: OpenFile, @unchecked Sendable {
        let wrapped: any OpenFile
        let owner: SyncHookFileSystem

        init(_ wrapped: any OpenFile, owner: SyncHookFileSystem) {
            self.wrapped = wrapped
            self.owner = owner
        }

        func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
            try wrapped.read(at: offset, count: count)
        }
        func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) { try wrapped.write(bytes, at: offset) }
        func sync() throws(FileSystemError) {
            owner.willSync()
            try wrapped.sync()
        }
        func size() throws(FileSystemError) -> Int64 { try wrapped.size() }
        func truncate(to size: Int64) throws(FileSystemError) { try wrapped.truncate(to: size) }
        func close() { wrapped.close() }
    }

    func open(_ path: String, mode: FileOpenMode) throws(FileSystemError) -> any OpenFile {
        Handle(try base.open(path, mode: mode), owner: self)
    }
    func exists(_ path: String) -> Bool { base.exists(path) }
    func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String] { try base.contentsOfDirectory(path) }
    func createDirectory(_ path: String) throws(FileSystemError) { try base.createDirectory(path) }
    func rename(_ source: String, to destination: String) throws(FileSystemError) {
        try base.rename(source, to: destination)
    }
    func remove(_ path: String) throws(FileSystemError) { try base.remove(path) }
    func syncDirectory(_ path: String) throws(FileSystemError) { try base.syncDirectory(path) }
    func lockExclusively(_ path: String, timeoutMilliseconds: Int) throws(FileSystemError) -> any FileLock {
        try base.lockExclusively(path, timeoutMilliseconds: timeoutMilliseconds)
    }
}

/// A real file system whose fsyncs take a while and are counted, to show that concurrent appends share them.
private final class SlowSyncFileSystem: SyncHookFileSystem, @unchecked Sendable {
    let syncDelay: TimeInterval
    private let lock = NSLock()
    private var syncs = 0

    init(syncDelay: TimeInterval) {
        self.syncDelay = syncDelay
        super.init(base: PosixFileSystem())
    }

    override func willSync() { countSync() }

    var syncCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return syncs
    }

    func countSync() {
        lock.lock()
        syncs += 1
        lock.unlock()
        Thread.sleep(forTimeInterval: syncDelay)
    }
}

/// A file system whose fdatasyncs the test can hold, to see what is answered while a sync has not returned.
private final class GatedSyncFileSystem: SyncHookFileSystem, @unchecked Sendable {
    private let condition = NSCondition()
    private var held = false
    private var waiting = 0

    init(_ base: any FileSystem) { super.init(base: base) }

    override func willSync() { waitForGate() }

    /// Makes every later fdatasync wait until ``releaseSyncs()``.
    func holdSyncs() {
        condition.lock()
        held = true
        condition.unlock()
    }

    /// Lets the held fdatasyncs, and every later one, go ahead.
    func releaseSyncs() {
        condition.lock()
        held = false
        condition.broadcast()
        condition.unlock()
    }

    /// How many fdatasyncs are waiting to go ahead.
    var waitingSyncCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return waiting
    }

    func waitForGate() {
        condition.lock()
        waiting += 1
        while held { condition.wait() }
        waiting -= 1
        condition.unlock()
    }
}

/// Polls `condition` every millisecond for up to 20 seconds (a bound for a stuck test, not a timing assertion).
private func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    for _ in 0..<20_000 where !condition() { try await Task.sleep(nanoseconds: 1_000_000) }
    XCTAssertTrue(condition(), "timed out waiting until \(what)")
}

/// The record at `position` in the log of `fileSystem` as it would be after a power cut now (unsynced bytes lost).
private func durableRecord(at position: UInt64, directory: String, in fileSystem: SimulatedFileSystem) -> LogRecord? {
    let copy = fileSystem.makeCopy()
    copy.crash(mode: .loseUnsynced)
    return try? LogReader(directory: directory, fileSystem: copy).record(at: position)
}

final class GroupCommitTests: XCTestCase {
    /// Eight appenders, each appending to its own stream with exact expected versions: every append lands exactly
    /// once, in its appender's order, and is durable (it survives a power cut) the moment it is answered.
    func testConcurrentAppendsLandOnceInOrderAndAreDurableWhenAnswered() async throws {
        let directory = "/log"
        let disk = SimulatedFileSystem(seed: 7)
        let log = try RecordLog.open(
            directory: directory, fileSystem: disk, configuration: makeConfiguration(segmentBytesMax: 1 << 20))
        defer { log.close() }
        let appenders = 8
        let perAppender = 20
        let notDurable = LockedBox<[UInt64]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    for number in 0..<perAppender {
                        let event = makeEvent(appender * 1_000 + number)
                        let stream = "lane-\(appender)"
                        let result = try await log.append(
                            single(stream, number == 0 ? .noStream : .exactly(UInt64(number)), event))
                        XCTAssertEqual(result.streamVersions, [UInt64(number + 1)])
                        XCTAssertFalse(result.alreadyStored)
                        let stored = durableRecord(at: result.positions[0], directory: directory, in: disk)
                        if stored?.eventID != event.eventID || stored?.stream != stream {
                            notDurable.update { $0.append(result.positions[0]) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        XCTAssertEqual(notDurable.value, [], "answered before their batch was fdatasynced")
        let records = try LogReader(directory: directory, fileSystem: disk).records(from: 0)
        XCTAssertEqual(records.count, appenders * perAppender)
        XCTAssertEqual(Set(records.map(\.eventID)).count, appenders * perAppender, "an event stored twice")
        for appender in 0..<appenders {
            let lane = records.filter { $0.stream == "lane-\(appender)" }
            XCTAssertEqual(lane.map(\.eventID), (0..<perAppender).map { makeEvent(appender * 1_000 + $0).eventID })
            XCTAssertEqual(lane.map(\.streamVersion), (1...perAppender).map(UInt64.init))
        }
    }

    /// While the fdatasync of a group is held, none of its appends and none of the appends queued behind it is
    /// answered; once it returns, every one is, and each is durable.
    func testNoAppendIsAnsweredBeforeItsFdatasyncReturns() async throws {
        let directory = "/log"
        let disk = SimulatedFileSystem(seed: 8)
        let gate = GatedSyncFileSystem(disk)
        let log = try RecordLog.open(directory: directory, fileSystem: gate, configuration: makeConfiguration())
        defer { log.close() }
        _ = try await log.append(single("warm-up", .any, makeEvent(0)))
        gate.holdSyncs()
        let answered = LockedBox<[AppendResult]>([])
        let appendOne = { @Sendable (number: Int) in
            let result = try await log.append(single("s-\(number % 3)", .any, makeEvent(number)))
            answered.update { $0.append(result) }
        }
        let first = Task { try await appendOne(1) }
        try await waitUntil("the first append's fdatasync is held") { gate.waitingSyncCount == 1 }
        let others = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 2...8 { group.addTask { try await appendOne(number) } }
                try await group.waitForAll()
            }
        }
        try await waitUntil("the other appends are queued") { log.queuedOperationCount == 7 }
        XCTAssertEqual(answered.value, [], "answered while the fdatasync of its batch had not returned")
        XCTAssertNil(durableRecord(at: 1, directory: directory, in: disk), "durable before its fdatasync returned")
        gate.releaseSyncs()
        try await first.value
        try await others.value
        XCTAssertEqual(answered.value.count, 8)
        XCTAssertEqual(Set(answered.value.flatMap(\.positions)), Set(1...8))
        for position in 1...8 {
            XCTAssertNotNil(durableRecord(at: UInt64(position), directory: directory, in: disk))
        }
    }

    /// Appenders answered together come back together: the next group waits for as many appends as the last one
    /// held (the configured wait is long, so only its early end, when they are all there, lets the test finish), and
    /// every round of eight single-event appends takes exactly one fdatasync.
    func testAnsweredAppendersFormTheNextGroupTogether() async throws {
        let directory = "/log"
        let disk = SimulatedFileSystem(seed: 9)
        let gate = GatedSyncFileSystem(disk)
        var configuration = makeConfiguration(segmentBytesMax: 1 << 20)
        configuration.groupCommitWaitMicroseconds = 10_000_000
        let log = try RecordLog.open(directory: directory, fileSystem: gate, configuration: configuration)
        defer { log.close() }
        gate.holdSyncs()
        let warmUp = Task { try await log.append(single("warm-up", .any, makeEvent(0))) }
        try await waitUntil("the warm-up's fdatasync is held") { gate.waitingSyncCount == 1 }
        let appenders = 8
        let rounds = 12
        let lanes = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<appenders {
                    group.addTask {
                        for round in 0..<rounds {
                            _ = try await log.append(
                                single(
                                    "lane-\(appender)", .exactly(UInt64(round)), makeEvent(1 + appender * 100 + round)))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await waitUntil("every appender's first append is queued") {
            log.queuedOperationCount == appenders
        }
        let syncsBefore = disk.syncCount
        gate.releaseSyncs()
        _ = try await warmUp.value
        try await lanes.value
        XCTAssertEqual(disk.syncCount - syncsBefore, 1 + rounds, "one fdatasync for the warm-up, then one per round")
        XCTAssertEqual(log.nextPosition, UInt64(1 + appenders * rounds))
    }

    func testConcurrentAppendsShareFsyncs() async throws {
        let directory = makeTemporaryDirectory(self)
        let fileSystem = SlowSyncFileSystem(syncDelay: 0.005)
        let log = try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: makeConfiguration(segmentBytesMax: 1 << 20))
        defer { log.close() }
        let before = fileSystem.syncCount
        let appenders = 8
        let perAppender = 25
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    for number in 0..<perAppender {
                        _ = try await log.append(single("a-\(appender)", .any, makeEvent(appender * 100 + number)))
                    }
                }
            }
            try await group.waitForAll()
        }
        let syncs = fileSystem.syncCount - before
        XCTAssertEqual(log.nextPosition, UInt64(appenders * perAppender))
        XCTAssertLessThan(syncs, appenders * perAppender / 2, "\(syncs) fsyncs for \(appenders * perAppender) appends")
    }

    func testAppendsInOneGroupSeeEachOthersVersionsAndIDs() throws {
        let directory = makeTemporaryDirectory(self)
        let fileSystem = SlowSyncFileSystem(syncDelay: 0.02)
        let log = try RecordLog.open(directory: directory, fileSystem: fileSystem, configuration: makeConfiguration())
        defer { log.close() }
        let results = LockedBox<[Result<AppendResult, RecordLogError>]>([])
        let group = DispatchGroup()
        _ = try log.appendAndWait(single("warm-up", .any, makeEvent(0)))
        for number in 1...6 {
            group.enter()
            DispatchQueue.global().async {
                let event = number == 6 ? makeEvent(1) : makeEvent(number)
                let outcome = Result { () throws(RecordLogError) in
                    try log.appendAndWait(single("same", .noStream, event))
                }
                results.update { $0.append(outcome) }
                group.leave()
            }
        }
        group.wait()
        let successes = results.value.compactMap { try? $0.get() }.filter { !$0.alreadyStored }
        XCTAssertEqual(successes.count, 1, "exactly one append with no stream expected wins")
        XCTAssertEqual(log.version(of: "same"), 1)
    }

    func testAnExactRetryInTheSameGroupGetsTheOriginalResult() async throws {
        let directory = makeTemporaryDirectory(self)
        let fileSystem = SlowSyncFileSystem(syncDelay: 0.05)
        let log = try RecordLog.open(directory: directory, fileSystem: fileSystem, configuration: makeConfiguration())
        defer { log.close() }
        // The first append holds the commit queue in its slow fsync while four identical appends queue up behind it
        // (tasks suspend rather than block, so all four are queued) and are then decided as one group.
        async let first = log.append(single("s-0", .any, makeEvent(0)))
        try await Task.sleep(nanoseconds: 10_000_000)
        let retries = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for _ in 0..<4 { group.addTask { try await log.append(single("s-1", .any, makeEvent(1))) } }
            var results: [AppendResult] = []
            for try await result in group { results.append(result) }
            return results
        }
        _ = try await first
        XCTAssertEqual(retries.count, 4, "every retry is answered, none refused")
        XCTAssertTrue(retries.allSatisfy { $0.positions == [1] })
        XCTAssertEqual(retries.filter { !$0.alreadyStored }.count, 1)
        XCTAssertEqual(log.nextPosition, 2)
        XCTAssertLessThanOrEqual(fileSystem.syncCount, 4, "the four shared one fsync")
    }
}
