import Foundation
import RecordLog
import RecordLogTesting
import XCTest

/// The ``FileSystem`` contract, run against ``PosixFileSystem`` and ``SimulatedFileSystem``, and the crash and fault
/// model of ``SimulatedFileSystem``.
final class FileSystemTests: XCTestCase {
    /// A file system under test and an empty directory to work in.
    private struct Subject {
        var name: String
        var fileSystem: any FileSystem
        var root: String

        func path(_ name: String) -> String {
            joinPath(root, name)
        }
    }

    /// A POSIX file system in a fresh temporary directory (removed after the test) and a simulated one.
    private func makeSubjects() throws -> [Subject] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("FileSystemTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock {
            try? FileManager.default.removeItem(at: directory)
        }
        let simulated = SimulatedFileSystem(seed: 1)
        try simulated.createDirectory("/clinic")
        return [
            Subject(name: "posix", fileSystem: PosixFileSystem(), root: directory.path),
            Subject(name: "simulated", fileSystem: simulated, root: "/clinic"),
        ]
    }

    /// A simulated file system with the durable, empty directory `/log`.
    private func makeSimulated(seed: UInt64 = 1) throws -> SimulatedFileSystem {
        let fileSystem = SimulatedFileSystem(seed: seed)
        try fileSystem.createDirectory("/log")
        return fileSystem
    }

    /// Creates the file at `path` with `bytes`, syncs it, and syncs its directory.
    private func createDurably(_ bytes: [UInt8], at path: String, in fileSystem: any FileSystem) throws {
        let handle = try fileSystem.open(path, mode: .createNew)
        defer { handle.close() }
        try handle.write(bytes, at: 0)
        try handle.sync()
        try fileSystem.syncDirectory(parentDirectory(of: path))
    }

    private func assertFails<T>(
        with code: FileSystemError.Code, _ message: String = "", file: StaticString = #filePath, line: UInt = #line,
        _ body: () throws(FileSystemError) -> T
    ) {
        do {
            _ = try body()
            XCTFail("expected \(code) but it succeeded \(message)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.code, code, "\(error) \(message)", file: file, line: line)
        }
    }

    // MARK: Contract

    func testWriteReadSizeAndTruncate() throws {
        for subject in try makeSubjects() {
            let fileSystem = subject.fileSystem
            let path = subject.path("segment")
            let handle = try fileSystem.open(path, mode: .createNew)
            try handle.write(Array("hello".utf8), at: 0)
            try handle.write(Array("world".utf8), at: 10)
            XCTAssertEqual(try handle.size(), 15, subject.name)
            let expected = Array("hello".utf8) + [0, 0, 0, 0, 0] + Array("world".utf8)
            XCTAssertEqual(try handle.read(at: 0, count: 15), expected, subject.name)
            XCTAssertEqual(try handle.read(at: 12, count: 100), Array("rld".utf8), subject.name)
            XCTAssertEqual(try handle.read(at: 15, count: 10), [], subject.name)
            XCTAssertEqual(try handle.read(at: 1_000, count: 10), [], subject.name)
            XCTAssertEqual(try handle.read(at: 3, count: 0), [], subject.name)
            try handle.write(Array("J".utf8), at: 0)
            try handle.sync()
            try handle.truncate(to: 3)
            XCTAssertEqual(try handle.size(), 3, subject.name)
            try handle.truncate(to: 5)
            XCTAssertEqual(try handle.read(at: 0, count: 10), Array("Jel".utf8) + [0, 0], subject.name)
            handle.close()

            let reader = try fileSystem.open(path, mode: .readOnly)
            XCTAssertEqual(try reader.read(at: 0, count: 10), Array("Jel".utf8) + [0, 0], subject.name)
            assertFails(with: .other(errno: EBADF), subject.name) { () throws(FileSystemError) in
                try reader.write([1], at: 0)
            }
            assertFails(with: .other(errno: EINVAL), subject.name) { () throws(FileSystemError) in
                try reader.truncate(to: 0)
            }
            reader.close()
            XCTAssertEqual(try fileSystem.readWholeFile(path), Array("Jel".utf8) + [0, 0], subject.name)
        }
    }

    /// Reads a file through ``OpenFile/read(into:at:)`` into a buffer first filled with `0xEE`: the bytes it read,
    /// the count it returned, and whether every byte past that count was left as it was.
    private func readInto(
        _ handle: any OpenFile, at offset: Int64, capacity: Int
    ) throws(FileSystemError) -> (bytes: [UInt8], count: Int, restUntouched: Bool) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0xEE)
        let count = try handle.read(into: buffer, at: offset)
        return (
            Array(buffer[0..<min(count, capacity)]), count, buffer[min(count, capacity)...].allSatisfy { $0 == 0xEE }
        )
    }

    func testReadIntoABufferReadsWhatReadReturnsAndLeavesTheRestOfTheBuffer() throws {
        for subject in try makeSubjects() {
            let path = subject.path("segment")
            let content = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
            try createDurably(content, at: path, in: subject.fileSystem)
            let handle = try subject.fileSystem.open(path, mode: .readOnly)
            for (offset, capacity) in [
                (0, 10_000), (0, 100), (123, 4_096), (9_990, 64), (10_000, 8), (20_000, 8), (5, 0),
            ] {
                let context = "\(subject.name): \(capacity) bytes at \(offset)"
                let read = try readInto(handle, at: Int64(offset), capacity: capacity)
                XCTAssertEqual(read.bytes, try handle.read(at: Int64(offset), count: capacity), context)
                XCTAssertEqual(read.count, max(0, min(capacity, content.count - offset)), context)
                XCTAssertTrue(read.restUntouched, context)
            }
            assertFails(with: .other(errno: EINVAL), subject.name) { () throws(FileSystemError) in
                try readInto(handle, at: -1, capacity: 8)
            }
            handle.close()
            assertFails(with: .other(errno: EBADF), subject.name) { () throws(FileSystemError) in
                try readInto(handle, at: 0, capacity: 8)
            }
        }
    }

    /// An ``OpenFile`` that implements only ``OpenFile/read(at:count:)`` gets ``OpenFile/read(into:at:)`` from it.
    func testReadIntoABufferFallsBackToReadForAFileWithoutItsOwn() throws {
        final class ReadOnlyCopy: OpenFile, @unchecked Sendable {
            let file: any OpenFile
            init(_ file: any OpenFile) { self.file = file }
            func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
                try file.read(at: offset, count: count)
            }
            func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) { try file.write(bytes, at: offset) }
            func sync() throws(FileSystemError) { try file.sync() }
            func size() throws(FileSystemError) -> Int64 { try file.size() }
            func truncate(to size: Int64) throws(FileSystemError) { try file.truncate(to: size) }
            func close() { file.close() }
        }
        let fileSystem = try makeSimulated()
        try createDurably(Array(0..<200), at: "/log/segment", in: fileSystem)
        fileSystem.failReads(path: "/log/segment", range: 150..<160)
        let handle = ReadOnlyCopy(try fileSystem.open("/log/segment", mode: .readOnly))
        let read = try readInto(handle, at: 90, capacity: 50)
        XCTAssertEqual(read.bytes, Array(90..<140))
        XCTAssertEqual(try readInto(handle, at: 190, capacity: 50).bytes, Array(190..<200))
        XCTAssertTrue(try readInto(handle, at: 190, capacity: 50).restUntouched)
        assertFails(with: .ioError) { () throws(FileSystemError) in try readInto(handle, at: 100, capacity: 60) }
    }

    func testUseAfterCloseFailsWithBadDescriptor() throws {
        for subject in try makeSubjects() {
            let handle = try subject.fileSystem.open(subject.path("closed"), mode: .createNew)
            handle.close()
            handle.close()
            assertFails(with: .other(errno: EBADF), subject.name) { () throws(FileSystemError) in
                try handle.read(at: 0, count: 1)
            }
        }
    }

    func testNewFilesAndDirectoriesAreOwnerOnlyAndTheSimulatedSystemKeepsNoModes() throws {
        for subject in try makeSubjects() {
            try subject.fileSystem.writeAtomically([1, 2, 3], to: subject.path("secret"))
            try subject.fileSystem.createDirectory(subject.path("inner/deeper"))
            if subject.name == "posix" {
                XCTAssertEqual(try subject.fileSystem.permissionBits(subject.path("secret")), 0o600)
                XCTAssertEqual(try subject.fileSystem.permissionBits(subject.path("inner/deeper")), 0o700)
                try FileManager.default.setAttributes(
                    [.posixPermissions: NSNumber(value: 0o644)], ofItemAtPath: subject.path("secret"))
                XCTAssertEqual(try subject.fileSystem.permissionBits(subject.path("secret")), 0o644)
                XCTAssertThrowsError(try subject.fileSystem.permissionBits(subject.path("missing"))) {
                    XCTAssertEqual(($0 as? FileSystemError)?.code, .notFound)
                }
            } else {
                XCTAssertNil(try subject.fileSystem.permissionBits(subject.path("secret")))
            }
        }
    }

    func testCreateNewOnExistingFileFailsWithAlreadyExists() throws {
        for subject in try makeSubjects() {
            try createDurably([1, 2, 3], at: subject.path("manifest"), in: subject.fileSystem)
            assertFails(with: .alreadyExists, subject.name) { () throws(FileSystemError) in
                try subject.fileSystem.open(subject.path("manifest"), mode: .createNew)
            }
            XCTAssertEqual(try subject.fileSystem.readWholeFile(subject.path("manifest")), [1, 2, 3], subject.name)
        }
    }

    func testMissingFilesFailWithNotFound() throws {
        for subject in try makeSubjects() {
            let fileSystem = subject.fileSystem
            let missing = subject.path("missing")
            XCTAssertFalse(fileSystem.exists(missing), subject.name)
            assertFails(with: .notFound, subject.name) { () throws(FileSystemError) in
                try fileSystem.open(missing, mode: .readOnly)
            }
            assertFails(with: .notFound, subject.name) { () throws(FileSystemError) in
                try fileSystem.open(missing, mode: .readWrite)
            }
            assertFails(with: .notFound, subject.name) { () throws(FileSystemError) in
                try fileSystem.open(joinPath(missing, "child"), mode: .createNew)
            }
            assertFails(with: .notFound, subject.name) { () throws(FileSystemError) in
                try fileSystem.remove(missing)
            }
            assertFails(with: .notFound, subject.name) { () throws(FileSystemError) in
                try fileSystem.rename(missing, to: subject.path("other"))
            }
            assertFails(with: .notFound, subject.name) { () throws(FileSystemError) in
                try fileSystem.contentsOfDirectory(missing)
            }
            assertFails(with: .notFound, subject.name) { () throws(FileSystemError) in
                try fileSystem.syncDirectory(missing)
            }
        }
    }

    func testRenameRemoveAndList() throws {
        for subject in try makeSubjects() {
            let fileSystem = subject.fileSystem
            try createDurably([1], at: subject.path("a"), in: fileSystem)
            try createDurably([2, 2], at: subject.path("b"), in: fileSystem)
            try fileSystem.createDirectory(subject.path("index"))
            XCTAssertEqual(try fileSystem.contentsOfDirectory(subject.root).sorted(), ["a", "b", "index"])

            try fileSystem.rename(subject.path("a"), to: subject.path("b"))
            XCTAssertFalse(fileSystem.exists(subject.path("a")), subject.name)
            XCTAssertEqual(try fileSystem.readWholeFile(subject.path("b")), [1], subject.name)
            try fileSystem.rename(subject.path("b"), to: subject.path("index/c"))
            try fileSystem.syncDirectory(subject.root)
            try fileSystem.syncDirectory(subject.path("index"))
            XCTAssertEqual(try fileSystem.contentsOfDirectory(subject.root), ["index"], subject.name)
            XCTAssertEqual(try fileSystem.contentsOfDirectory(subject.path("index")), ["c"], subject.name)

            try fileSystem.remove(subject.path("index/c"))
            XCTAssertFalse(fileSystem.exists(subject.path("index/c")), subject.name)
            XCTAssertEqual(try fileSystem.contentsOfDirectory(subject.path("index")), [], subject.name)
        }
    }

    func testOpenHandleOutlivesRemovalOfItsName() throws {
        for subject in try makeSubjects() {
            let handle = try subject.fileSystem.open(subject.path("sealed"), mode: .createNew)
            defer { handle.close() }
            try handle.write([7, 8], at: 0)
            try subject.fileSystem.remove(subject.path("sealed"))
            XCTAssertEqual(try handle.read(at: 0, count: 2), [7, 8], subject.name)
        }
    }

    func testCreateDirectoryCreatesParentsAndAcceptsExistingDirectory() throws {
        for subject in try makeSubjects() {
            let fileSystem = subject.fileSystem
            let nested = subject.path("log/index/by-stream")
            try fileSystem.createDirectory(nested)
            try fileSystem.createDirectory(nested)
            XCTAssertTrue(fileSystem.exists(nested), subject.name)
            XCTAssertEqual(try fileSystem.contentsOfDirectory(subject.path("log")), ["index"], subject.name)
            try fileSystem.syncDirectory(nested)
            try createDurably([], at: subject.path("plain"), in: fileSystem)
            assertFails(with: .other(errno: ENOTDIR), subject.name) { () throws(FileSystemError) in
                try fileSystem.createDirectory(subject.path("plain/child"))
            }
        }
    }

    func testRepeatedSlashesNameTheSameFile() throws {
        for subject in try makeSubjects() {
            try createDurably([5], at: subject.root + "//doubled", in: subject.fileSystem)
            XCTAssertEqual(try subject.fileSystem.readWholeFile(subject.path("doubled")), [5], subject.name)
        }
    }

    func testWriteAtomicallyReplacesTheFile() throws {
        for subject in try makeSubjects() {
            let path = subject.path("checkpoint")
            try subject.fileSystem.writeAtomically([1, 1], to: path)
            try subject.fileSystem.writeAtomically([2], to: path)
            XCTAssertEqual(try subject.fileSystem.readWholeFile(path), [2], subject.name)
            XCTAssertEqual(try subject.fileSystem.contentsOfDirectory(subject.root), ["checkpoint"], subject.name)
        }
    }

    // MARK: Locks

    func testSecondLockFailsAtOnceWithoutTimeout() throws {
        for subject in try makeSubjects() {
            let path = subject.path("writer.lock")
            let first = try subject.fileSystem.lockExclusively(path, timeoutMilliseconds: 0)
            XCTAssertTrue(subject.fileSystem.exists(path), subject.name)
            assertFails(with: .lockHeld, subject.name) { () throws(FileSystemError) in
                try subject.fileSystem.lockExclusively(path, timeoutMilliseconds: 0)
            }
            first.release()
            first.release()
            let second = try subject.fileSystem.lockExclusively(path, timeoutMilliseconds: 0)
            second.release()
        }
    }

    func testLockTimesOutWhileHeld() throws {
        for subject in try makeSubjects() {
            let path = subject.path("writer.lock")
            let first = try subject.fileSystem.lockExclusively(path, timeoutMilliseconds: 0)
            defer { first.release() }
            let start = DispatchTime.now().uptimeNanoseconds
            assertFails(with: .lockHeld, subject.name) { () throws(FileSystemError) in
                try subject.fileSystem.lockExclusively(path, timeoutMilliseconds: 30)
            }
            XCTAssertGreaterThanOrEqual(DispatchTime.now().uptimeNanoseconds - start, 30_000_000, subject.name)
        }
    }

    func testLockWithTimeoutSucceedsOnceReleasedByAnotherThread() throws {
        for subject in try makeSubjects() {
            let path = subject.path("writer.lock")
            let first = try subject.fileSystem.lockExclusively(path, timeoutMilliseconds: 0)
            let released = expectation(description: "released")
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 0.05)
                first.release()
                released.fulfill()
            }
            let second = try subject.fileSystem.lockExclusively(path, timeoutMilliseconds: 10_000)
            wait(for: [released], timeout: 10)
            assertFails(with: .lockHeld, subject.name) { () throws(FileSystemError) in
                try subject.fileSystem.lockExclusively(path, timeoutMilliseconds: 0)
            }
            second.release()
        }
    }

    // MARK: Simulated crashes

    func testUnsyncedWriteIsLostOnCrashWithLoseUnsynced() throws {
        let fileSystem = try makeSimulated()
        try createDurably([1, 2, 3], at: "/log/segment", in: fileSystem)
        let handle = try fileSystem.open("/log/segment", mode: .readWrite)
        try handle.write([4, 5], at: 3)
        XCTAssertEqual(fileSystem.contents(of: "/log/segment"), [1, 2, 3, 4, 5])
        XCTAssertEqual(fileSystem.durableContents(of: "/log/segment"), [1, 2, 3])

        let report = fileSystem.crash(mode: .loseUnsynced)

        XCTAssertEqual(fileSystem.contents(of: "/log/segment"), [1, 2, 3])
        XCTAssertEqual(report.outcomes.map(\.fate), [.lost])
        assertFails(with: .ioError) { () throws(FileSystemError) in
            try handle.read(at: 0, count: 1)
        }
        XCTAssertFalse(fileSystem.isHalted)
        XCTAssertEqual(try fileSystem.readWholeFile("/log/segment"), [1, 2, 3])
    }

    func testSyncedWriteSurvivesCrash() throws {
        let fileSystem = try makeSimulated()
        try createDurably([1], at: "/log/segment", in: fileSystem)
        let handle = try fileSystem.open("/log/segment", mode: .readWrite)
        try handle.write([2, 3], at: 1)
        try handle.sync()

        fileSystem.crash(mode: .random)

        XCTAssertEqual(fileSystem.contents(of: "/log/segment"), [1, 2, 3])
        XCTAssertEqual(fileSystem.lastCrashReport?.outcomes, [])
    }

    func testKeepUnsyncedAppliesEveryChange() throws {
        let fileSystem = try makeSimulated()
        try createDurably([1, 2, 3, 4], at: "/log/segment", in: fileSystem)
        let handle = try fileSystem.open("/log/segment", mode: .readWrite)
        try handle.truncate(to: 2)
        try handle.write([9], at: 3)

        fileSystem.crash(mode: .keepUnsynced)

        XCTAssertEqual(fileSystem.contents(of: "/log/segment"), [1, 2, 0, 9])
    }

    func testFileCreatedWithoutDirectorySyncVanishes() throws {
        let fileSystem = try makeSimulated()
        let handle = try fileSystem.open("/log/segment", mode: .createNew)
        try handle.write([1], at: 0)
        try handle.sync()
        XCTAssertEqual(fileSystem.allPaths(), ["/log", "/log/segment"])
        XCTAssertNil(fileSystem.durableContents(of: "/log/segment"))

        fileSystem.crash(mode: .keepUnsynced)

        XCTAssertFalse(fileSystem.exists("/log/segment"))
        XCTAssertNil(fileSystem.contents(of: "/log/segment"))
        XCTAssertEqual(fileSystem.allPaths(), ["/log"])
    }

    func testRenameWithoutDirectorySyncReverts() throws {
        let fileSystem = try makeSimulated()
        try createDurably([1], at: "/log/manifest.tmp", in: fileSystem)
        try createDurably([0], at: "/log/manifest", in: fileSystem)
        try fileSystem.rename("/log/manifest.tmp", to: "/log/manifest")
        XCTAssertEqual(fileSystem.contents(of: "/log/manifest"), [1])

        fileSystem.crash(mode: .keepUnsynced)

        XCTAssertEqual(fileSystem.contents(of: "/log/manifest"), [0])
        XCTAssertEqual(fileSystem.contents(of: "/log/manifest.tmp"), [1])
    }

    func testRemoveWithoutDirectorySyncReverts() throws {
        let fileSystem = try makeSimulated()
        try createDurably([1], at: "/log/old.seg", in: fileSystem)
        try createDurably([2], at: "/log/older.seg", in: fileSystem)
        try fileSystem.remove("/log/old.seg")
        try fileSystem.remove("/log/older.seg")
        try fileSystem.syncDirectory("/log")
        let handle = try fileSystem.open("/log/new.seg", mode: .createNew)
        handle.close()
        try fileSystem.remove("/log/new.seg")
        try createDurably([3], at: "/log/old.seg", in: fileSystem)
        try fileSystem.remove("/log/old.seg")

        fileSystem.crash(mode: .keepUnsynced)

        XCTAssertEqual(fileSystem.allPaths(), ["/log", "/log/old.seg"])
        XCTAssertEqual(fileSystem.contents(of: "/log/old.seg"), [3])
    }

    func testCrashReleasesLocks() throws {
        let fileSystem = try makeSimulated()
        let lock = try fileSystem.lockExclusively("/log/writer.lock", timeoutMilliseconds: 0)
        try fileSystem.syncDirectory("/log")

        fileSystem.crash(mode: .loseUnsynced)

        let second = try fileSystem.lockExclusively("/log/writer.lock", timeoutMilliseconds: 0)
        lock.release()
        assertFails(with: .lockHeld) { () throws(FileSystemError) in
            try fileSystem.lockExclusively("/log/writer.lock", timeoutMilliseconds: 0)
        }
        second.release()
    }

    /// A synced 4 KiB prefix followed by unsynced appends of assorted sizes, then a random crash.
    private func crashAfterUnsyncedAppends(
        seed: UInt64
    ) throws -> (bytes: [UInt8], report: SimulatedFileSystem.CrashReport) {
        let fileSystem = try makeSimulated(seed: seed)
        let synced = (0..<4_096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try createDurably(synced, at: "/log/segment", in: fileSystem)
        let handle = try fileSystem.open("/log/segment", mode: .readWrite)
        var offset = Int64(synced.count)
        for size in [1, 7, 300, 512, 700, 1_500, 2, 4_000] {
            try handle.write([UInt8](repeating: 0xAB, count: size), at: offset)
            offset += Int64(size)
        }
        let report = fileSystem.crash(mode: .random)
        let bytes = try XCTUnwrap(fileSystem.contents(of: "/log/segment"))
        XCTAssertEqual(Array(bytes.prefix(synced.count)), synced, "seed \(seed) changed synced bytes: \(report)")
        return (bytes, report)
    }

    func testRandomCrashIsDeterministicPerSeedAndKeepsSyncedBytes() throws {
        var results: Set<[UInt8]> = []
        var fates: [SimulatedFileSystem.CrashReport.Fate] = []
        for seed in UInt64(1)...40 {
            let first = try crashAfterUnsyncedAppends(seed: seed)
            let second = try crashAfterUnsyncedAppends(seed: seed)
            XCTAssertEqual(first.bytes, second.bytes, "seed \(seed)")
            XCTAssertEqual(first.report, second.report, "seed \(seed)")
            XCTAssertEqual(first.report.outcomes.count, 8)
            results.insert(first.bytes)
            fates += first.report.outcomes.map(\.fate)
        }
        XCTAssertGreaterThan(results.count, 30)
        XCTAssertTrue(fates.contains(.lost))
        XCTAssertTrue(fates.contains(.applied))
        XCTAssertTrue(fates.contains(.garbled))
        XCTAssertTrue(fates.contains(.zeroed))
        XCTAssertTrue(fates.contains { if case .torn = $0 { true } else { false } })
    }

    func testTornWriteKeepsAPrefix() throws {
        var sawSectorTear = false
        for seed in UInt64(1)...60 {
            let fileSystem = try makeSimulated(seed: seed)
            try createDurably([], at: "/log/segment", in: fileSystem)
            let handle = try fileSystem.open("/log/segment", mode: .readWrite)
            let written = (0..<3_000).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
            try handle.write(written, at: 100)
            let report = fileSystem.crash(mode: .random)
            guard case .torn(let kept) = report.outcomes.first?.fate else { continue }
            XCTAssertGreaterThan(kept, 0)
            XCTAssertLessThan(kept, written.count)
            let expected = [UInt8](repeating: 0, count: 100) + written.prefix(kept)
            XCTAssertEqual(fileSystem.contents(of: "/log/segment"), expected, "seed \(seed)")
            sawSectorTear = sawSectorTear || (100 + kept) % 512 == 0
        }
        XCTAssertTrue(sawSectorTear)
    }

    // MARK: Simulated faults

    func testWritesFailWithNoSpaceAfterCountUntilCleared() throws {
        let fileSystem = try makeSimulated()
        let handle = try fileSystem.open("/log/segment", mode: .createNew)
        fileSystem.failWrites(afterCount: 2, with: .noSpace)
        try handle.write([1], at: 0)
        try handle.write([2], at: 1)
        assertFails(with: .noSpace) { () throws(FileSystemError) in
            try handle.write([3], at: 2)
        }
        assertFails(with: .noSpace) { () throws(FileSystemError) in
            try handle.write([4], at: 2)
        }
        XCTAssertEqual(fileSystem.contents(of: "/log/segment"), [1, 2])
        XCTAssertEqual(fileSystem.writeCount, 2)

        fileSystem.clearFaults()
        try handle.write([5], at: 2)
        XCTAssertEqual(fileSystem.contents(of: "/log/segment"), [1, 2, 5])
        XCTAssertEqual(fileSystem.writeCount, 3)
    }

    func testFailingWriteCanLeaveAShortWrite() throws {
        let fileSystem = try makeSimulated()
        let handle = try fileSystem.open("/log/segment", mode: .createNew)
        fileSystem.failWrites(afterCount: 0, with: .noSpace, applyingPrefixBytes: 2)
        assertFails(with: .noSpace) { () throws(FileSystemError) in
            try handle.write([1, 2, 3, 4], at: 0)
        }
        XCTAssertEqual(fileSystem.contents(of: "/log/segment"), [1, 2])
    }

    func testSyncFailsWithInjectedIOErrorAndLeavesWritesUnsynced() throws {
        let fileSystem = try makeSimulated()
        try createDurably([], at: "/log/bad.seg", in: fileSystem)
        try createDurably([], at: "/log/good.seg", in: fileSystem)
        fileSystem.failSyncs(where: { $0.hasSuffix("bad.seg") || $0 == "/log" })
        let bad = try fileSystem.open("/log/bad.seg", mode: .readWrite)
        let good = try fileSystem.open("/log/good.seg", mode: .readWrite)
        try bad.write([1], at: 0)
        try good.write([2], at: 0)
        assertFails(with: .ioError) { () throws(FileSystemError) in
            try bad.sync()
        }
        try good.sync()
        assertFails(with: .ioError) { () throws(FileSystemError) in
            try fileSystem.syncDirectory("/log")
        }
        XCTAssertEqual(fileSystem.syncCount, 3)

        fileSystem.crash(mode: .loseUnsynced)

        XCTAssertEqual(fileSystem.contents(of: "/log/bad.seg"), [])
        XCTAssertEqual(fileSystem.contents(of: "/log/good.seg"), [2])
        fileSystem.clearFaults()
        try fileSystem.syncDirectory("/log")
    }

    func testReadsFailInsideTheFaultyRange() throws {
        let fileSystem = try makeSimulated()
        try createDurably([UInt8](repeating: 1, count: 300), at: "/log/segment", in: fileSystem)
        fileSystem.failReads(path: "/log//segment", range: 100..<200)
        let handle = try fileSystem.open("/log/segment", mode: .readOnly)
        XCTAssertEqual(try handle.read(at: 0, count: 100).count, 100)
        XCTAssertEqual(try handle.read(at: 200, count: 100).count, 100)
        assertFails(with: .ioError) { () throws(FileSystemError) in
            try handle.read(at: 150, count: 10)
        }
        assertFails(with: .ioError) { () throws(FileSystemError) in
            try handle.read(at: 0, count: 101)
        }
        fileSystem.clearFaults()
        XCTAssertEqual(try handle.read(at: 0, count: 300).count, 300)
    }

    /// A read into a buffer keeps the simulated disk's semantics: it sees unsynced writes, fails inside a faulty range
    /// with the same offset as ``OpenFile/read(at:count:)``, and dies with its handle in a crash.
    func testReadIntoABufferSeesUnsyncedWritesFailsOnFaultsAndDiesInACrash() throws {
        let fileSystem = try makeSimulated()
        try createDurably([UInt8](repeating: 1, count: 300), at: "/log/segment", in: fileSystem)
        let writer = try fileSystem.open("/log/segment", mode: .readWrite)
        try writer.write([UInt8](repeating: 2, count: 100), at: 250)
        let handle = try fileSystem.open("/log/segment", mode: .readOnly)
        let read = try readInto(handle, at: 200, capacity: 400)
        XCTAssertEqual(read.bytes, [UInt8](repeating: 1, count: 50) + [UInt8](repeating: 2, count: 100))
        XCTAssertTrue(read.restUntouched)

        fileSystem.failReads(path: "/log/segment", range: 100..<200)
        XCTAssertEqual(try readInto(handle, at: 0, capacity: 100).count, 100)
        XCTAssertEqual(try readInto(handle, at: 200, capacity: 100).count, 100)
        for (offset, capacity) in [(150, 10), (0, 101), (50, 300)] {
            do {
                _ = try readInto(handle, at: Int64(offset), capacity: capacity)
                XCTFail("a read of \(capacity) bytes at \(offset) crossed the faulty range")
            } catch {
                XCTAssertEqual(error.code, .ioError)
                XCTAssertEqual(error.offset, max(Int64(offset), 100))
            }
        }
        fileSystem.clearFaults()

        _ = fileSystem.crash(mode: .loseUnsynced)
        assertFails(with: .ioError) { () throws(FileSystemError) in try readInto(handle, at: 0, capacity: 10) }
        fileSystem.restart()
        let reopened = try fileSystem.open("/log/segment", mode: .readOnly)
        let durable = try readInto(reopened, at: 200, capacity: 400)
        XCTAssertEqual(durable.bytes, [UInt8](repeating: 1, count: 100), "the unsynced write is lost")
        XCTAssertTrue(durable.restUntouched)
    }

    /// A failed read or write names the path and the byte offset where it failed, and says what to do; it carries no
    /// file contents.
    func testAFailedReadOrWriteNamesThePathAndTheByteOffsetAndSaysWhatToDo() throws {
        let fileSystem = try makeSimulated()
        try createDurably([UInt8](repeating: 0xAB, count: 10_000), at: "/log/segment", in: fileSystem)
        fileSystem.failReads(path: "/log/segment", range: 4096..<8192)
        let handle = try fileSystem.open("/log/segment", mode: .readWrite)
        func message(_ body: () throws(FileSystemError) -> Void) -> String {
            do {
                try body()
                return "no error"
            } catch {
                return error.description
            }
        }
        let advice =
            "; the device reported an input/output error: check the disk and its system log, copy the "
            + "directory to a healthy disk or restore it from a backup, and run verify"
        XCTAssertEqual(
            message { () throws(FileSystemError) in _ = try handle.read(at: 0, count: 10_000) },
            "pread failed on /log/segment at byte 4096: ioError" + advice)
        XCTAssertEqual(
            message { () throws(FileSystemError) in _ = try handle.read(at: 5_000, count: 10) },
            "pread failed on /log/segment at byte 5000: ioError" + advice)
        XCTAssertEqual(
            "\(RecordLogError.fileSystem(FileSystemError(.ioError, operation: "pread", path: "/log/segment")))",
            "storage failure: pread failed on /log/segment: ioError" + advice)
        fileSystem.clearFaults()
        fileSystem.failWrites(afterCount: 0, with: .noSpace, applyingPrefixBytes: 10)
        XCTAssertEqual(
            message { () throws(FileSystemError) in try handle.write([UInt8](repeating: 1, count: 100), at: 300) },
            "pwrite failed on /log/segment at byte 310: noSpace; free space on the device, then retry")
        handle.close()

        // The real file system: a read of a directory fails with EISDIR at the offset asked for.
        let directory = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let opened = try PosixFileSystem().open(directory, mode: .readOnly)
        defer { opened.close() }
        XCTAssertEqual(
            message { () throws(FileSystemError) in _ = try opened.read(at: 7, count: 16) },
            "pread failed on \(directory) at byte 7: other(errno: \(EISDIR)); the system reported error number "
                + "\(EISDIR); see errno(3) for its meaning")
    }

    func testCrashAfterFiresAtExactlyTheNthOperation() throws {
        let prepared = try makeSimulated()
        try createDurably([0], at: "/log/manifest", in: prepared)
        let start = prepared.operationCount
        let probe = prepared.makeCopy()
        try probe.writeAtomically([1], to: "/log/manifest")
        let operations = probe.operationCount - start
        XCTAssertEqual(operations, 5)  // create, write, sync, rename, directory sync

        for n in 1...operations + 1 {
            let fileSystem = prepared.makeCopy(seed: UInt64(n))
            fileSystem.crashAfter(operations: n, mode: .random)
            do {
                try fileSystem.writeAtomically([1], to: "/log/manifest")
                XCTAssertEqual(n, operations + 1, "no crash at operation \(n)")
                XCTAssertFalse(fileSystem.isHalted)
                XCTAssertEqual(fileSystem.contents(of: "/log/manifest"), [1])
                continue
            } catch {
                XCTAssertEqual(error.code, .ioError)
            }
            XCTAssertTrue(fileSystem.isHalted, "operation \(n)")
            XCTAssertEqual(fileSystem.crashCount, 1)
            XCTAssertEqual(fileSystem.operationCount - start, n)
            assertFails(with: .ioError, "halted until restart") { () throws(FileSystemError) in
                try fileSystem.remove("/log/manifest")
            }
            fileSystem.restart()
            XCTAssertEqual(try fileSystem.readWholeFile("/log/manifest"), [0], "operation \(n)")
        }
    }

    func testInterruptedWriteIsKeptByKeepUnsynced() throws {
        let fileSystem = try makeSimulated()
        try createDurably([1], at: "/log/segment", in: fileSystem)
        let handle = try fileSystem.open("/log/segment", mode: .readWrite)
        fileSystem.crashAfter(operations: 2, mode: .keepUnsynced)
        try handle.write([2], at: 1)
        assertFails(with: .ioError) { () throws(FileSystemError) in
            try handle.write([3], at: 2)
        }
        XCTAssertTrue(fileSystem.isHalted)
        XCTAssertEqual(fileSystem.contents(of: "/log/segment"), [1, 2, 3])
        XCTAssertEqual(fileSystem.lastCrashReport?.outcomes.map(\.fate), [.applied, .applied])
    }

    func testClearFaultsCancelsAPendingCrash() throws {
        let fileSystem = try makeSimulated()
        fileSystem.crashAfter(operations: 1, mode: .loseUnsynced)
        fileSystem.clearFaults()
        try createDurably([1], at: "/log/segment", in: fileSystem)
        XCTAssertEqual(fileSystem.crashCount, 0)
    }

    func testCountersAndCopies() throws {
        let fileSystem = try makeSimulated()
        try createDurably([1], at: "/log/a", in: fileSystem)
        try createDurably([2], at: "/log/b", in: fileSystem)
        XCTAssertEqual(fileSystem.writeCount, 2)
        XCTAssertEqual(fileSystem.syncCount, 2)
        XCTAssertEqual(fileSystem.directorySyncCount, 2)
        XCTAssertEqual(fileSystem.operationCount, 8)

        let copy = fileSystem.makeCopy()
        try copy.remove("/log/a")
        XCTAssertEqual(fileSystem.contents(of: "/log/a"), [1])
        XCTAssertNil(copy.contents(of: "/log/a"))
        XCTAssertEqual(copy.writeCount, 2)
    }

    func testSetContentsPlantsDurableBytes() throws {
        let fileSystem = SimulatedFileSystem(seed: 3)
        fileSystem.setContents([9, 9], of: "/log/index//0001.idx")
        fileSystem.crash(mode: .loseUnsynced)
        XCTAssertEqual(fileSystem.contents(of: "/log/index/0001.idx"), [9, 9])
        XCTAssertEqual(fileSystem.durableContents(of: "/log/index/0001.idx"), [9, 9])
        XCTAssertEqual(fileSystem.allPaths(), ["/log", "/log/index", "/log/index/0001.idx"])
    }
}
