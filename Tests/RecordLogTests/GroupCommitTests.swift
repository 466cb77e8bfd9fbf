import Foundation
import XCTest

@testable import RecordLog

/// A real file system whose fsyncs take a while and are counted, to show that concurrent appends share them.
private final class SlowSyncFileSystem: FileSystem, @unchecked Sendable {
    let base = PosixFileSystem()
    let syncDelay: TimeInterval
    private let lock = NSLock()
    private var syncs = 0

    init(syncDelay: TimeInterval) { self.syncDelay = syncDelay }

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

    final class Handle: OpenFile, @unchecked Sendable {
        let wrapped: any OpenFile
        let owner: SlowSyncFileSystem

        init(_ wrapped: any OpenFile, owner: SlowSyncFileSystem) {
            self.wrapped = wrapped
            self.owner = owner
        }

        func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
            try wrapped.read(at: offset, count: count)
        }
        func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) { try wrapped.write(bytes, at: offset) }
        func sync() throws(FileSystemError) {
            owner.countSync()
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

final class GroupCommitTests: XCTestCase {
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
