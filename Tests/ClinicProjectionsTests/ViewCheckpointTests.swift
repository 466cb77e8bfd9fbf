import ClinicEvents
import ClinicProjections
import Crypto
import Foundation
import RecordLog
import RecordLogTesting
import Synchronization
import XCTest

/// The checkpoint file: round trip, every way a file can be unusable, encryption at rest, checks against the log, and
/// crashes at every write and sync of a checkpoint save never yielding a wrong view.
final class ViewCheckpointTests: XCTestCase {
    /// An office with a generated history of `events` events on a simulated disk.
    private func makeOffice(events: Int, seed: UInt64 = 3) throws -> (TestOffice, OfficeHistoryGenerator) {
        let office = try TestOffice(fileSystem: SimulatedFileSystem(seed: seed))
        office.bufferedAppendsMax = 20
        var generator = OfficeHistoryGenerator(office: office, seed: seed)
        try generator.run(eventCount: events) { _ in }
        return (office, generator)
    }

    private func store(_ office: TestOffice, key: SymmetricKey = testKey()) -> ViewCheckpointStore {
        ViewCheckpointStore(
            directory: "/office/views", fileSystem: office.fileSystem, key: key, random: CountingRandomSource())
    }

    func testSavedCheckpointLoadsBackExactly() throws {
        let (office, _) = try makeOffice(events: 400)
        let store = store(office)
        let calendar = OfficeHistoryGenerator.calendar
        let ledger = try office.replayer.rebuild(LedgerView(calendar: calendar))
        try store.save(ledger)
        XCTAssertEqual(try store.load(LedgerView(calendar: calendar)).get(), ledger)
        let chart = try office.replayer.rebuild(ChartView())
        try store.save(chart)
        XCTAssertEqual(try store.load(ChartView()).get(), chart)
        XCTAssertEqual(store.load(ScheduleView()), .failure(.missing))
        XCTAssertEqual(store.load(LedgerView(calendar: .utc)), .failure(.configurationMismatch))
    }

    /// Two processes that fold the same erasure both remove the other views' checkpoints: the second finds the file
    /// gone between its check and its removal, which must not fail its command (found by tools/crash-test, seed 26:
    /// `clinic schedule` exited 74 with "unlink failed on .../views/ledger.checkpoint: notFound").
    func testRemovingACheckpointAnotherProcessJustRemovedIsNoFailure() throws {
        let (office, _) = try makeOffice(events: 100)
        let calendar = OfficeHistoryGenerator.calendar
        try store(office).save(try office.replayer.rebuild(LedgerView(calendar: calendar)))
        let racing = RemovedMeanwhile(base: office.fileSystem)
        let store = ViewCheckpointStore(
            directory: "/office/views", fileSystem: racing, key: testKey(), random: CountingRandomSource())
        try office.fileSystem.remove("/office/views/\(LedgerView.viewName).checkpoint")
        XCTAssertNoThrow(try store.remove(viewNamed: LedgerView.viewName))
    }

    func testEveryUnusableFileIsRejectedWithItsReason() throws {
        let (office, _) = try makeOffice(events: 200)
        let simulated = try XCTUnwrap(office.simulated)
        let store = store(office)
        let consent = try office.replayer.rebuild(ConsentView())
        try store.save(consent)
        let path = store.path(ofView: ConsentView.viewName)
        let good = try XCTUnwrap(simulated.contents(of: path))

        func rejection(_ bytes: [UInt8], by other: ViewCheckpointStore? = nil) -> CheckpointRejection? {
            simulated.setContents(bytes, of: path)
            if case .failure(let reason) = (other ?? store).load(ConsentView()) { return reason }
            return nil
        }
        XCTAssertNil(rejection(good))
        XCTAssertEqual(rejection(Array(good.prefix(10))), .truncated)
        XCTAssertEqual(rejection(Array(good.dropLast())), .truncated)
        XCTAssertEqual(rejection([UInt8](repeating: 0x41, count: 200)), .notACheckpoint)
        var changed = good
        changed[4] = 9
        XCTAssertEqual(rejection(changed), .unsupportedFormat(9))
        XCTAssertEqual(rejection(good, by: self.store(office, key: testKey(99))), .wrongKey)
        // A changed byte in the ciphertext, and a changed position in the header (authenticated data).
        changed = good
        changed[changed.count - 30] ^= 0x01
        XCTAssertEqual(rejection(changed), .tampered)
        changed = good
        let positionOffset = 4 + 1 + 1 + ConsentView.viewName.utf8.count + 4 + 8 + 8
        changed[positionOffset] ^= 0x01
        XCTAssertEqual(rejection(changed), .tampered)
        // The consent file put in the schedule's place.
        simulated.setContents(good, of: store.path(ofView: ScheduleView.viewName))
        XCTAssertEqual(store.load(ScheduleView()), .failure(.otherView))
    }

    func testCheckpointsAreEncryptedAtRest() throws {
        let (office, generator) = try makeOffice(events: 600)
        XCTAssertFalse(generator.distinctivePatients.isEmpty)
        let store = store(office)
        let chart = try office.replayer.rebuild(ChartView())
        try store.save(chart)
        let name = Array(OfficeHistoryGenerator.distinctiveName.utf8)
        XCTAssertTrue(chart.view.stateBytes.contains(subsequence: name), "the name is in the state")
        let file = try XCTUnwrap(office.simulated?.contents(of: store.path(ofView: ChartView.viewName)))
        XCTAssertFalse(file.contains(subsequence: name), "but not in the file")
    }

    func testACheckpointOfAnotherLogOrBeyondTheLogIsRebuilt() throws {
        let (office, _) = try makeOffice(events: 300, seed: 4)
        let (other, _) = try makeOffice(events: 500, seed: 5)
        let calendar = OfficeHistoryGenerator.calendar
        let foreign = store(other)
        let views = try OfficeViews.open(replayer: other.replayer, store: foreign, calendar: calendar)
        try views.saveCheckpoints()
        // The other office's checkpoints copied next to this office's log.
        let simulated = try XCTUnwrap(office.simulated)
        let mine = store(office)
        for name in [ScheduleView.viewName, LedgerView.viewName, ChartView.viewName, ConsentView.viewName] {
            simulated.setContents(
                try XCTUnwrap(other.simulated?.contents(of: foreign.path(ofView: name))), of: mine.path(ofView: name))
        }
        let reopened = try OfficeViews.open(replayer: office.replayer, store: mine, calendar: calendar)
        XCTAssertEqual(Array(reopened.openReport.values), Array(repeating: .beyondLogEnd, count: 4))
        let rebuilt = try OfficeViews.open(replayer: office.replayer, store: nil, calendar: calendar)
        XCTAssertEqual(reopened.stateHashes, rebuilt.stateHashes)

        // Checkpoints of the other office taken at a position this log also has: the event there differs.
        let earlier = try other.replayer.rebuild(ConsentView(), upTo: 100)
        try mine.save(earlier)
        let again = try OfficeViews.open(replayer: office.replayer, store: mine, calendar: calendar)
        XCTAssertEqual(again.openReport[ConsentView.viewName], .logMismatch)
        XCTAssertEqual(again.stateHashes, rebuilt.stateHashes)
    }

    /// Crashes at every counted disk operation of a save of all four checkpoints (over older checkpoints), in every
    /// crash mode and several random seeds; after each, the views opened from whatever is on disk equal a rebuild.
    func testACrashWhileSavingCheckpointsNeverYieldsAWrongView() throws {
        let (office, _) = try makeOffice(events: 500, seed: 6)
        let simulated = try XCTUnwrap(office.simulated)
        let calendar = OfficeHistoryGenerator.calendar
        let decoder = StoredEventDecoder(codec: office.codec)
        let end = try office.replayer.endPosition()
        // Older checkpoints at mid-history, then the save of current ones is interrupted.
        let older = try OfficeViewsSnapshot(replayer: office.replayer, calendar: calendar, upTo: end / 2)
        try older.save(to: store(office))
        let current = try OfficeViewsSnapshot(replayer: office.replayer, calendar: calendar, upTo: nil)
        let rebuiltHashes = current.hashes
        var crashPoints = 0
        for mode: SimulatedFileSystem.CrashMode in [.loseUnsynced, .keepUnsynced, .random] {
            for seed: UInt64 in mode == .random ? [1, 2] : [1] {
                var operation = 1
                while true {
                    let disk = simulated.makeCopy(seed: seed)
                    let diskStore = ViewCheckpointStore(
                        directory: "/office/views", fileSystem: disk, key: testKey(), random: CountingRandomSource())
                    disk.crashAfter(operations: operation, mode: mode)
                    let saved = (try? current.save(to: diskStore)) != nil
                    let crashed = disk.isHalted
                    disk.restart()
                    let replayer = ProjectionReplayer(
                        reader: LogReader(directory: office.directory, fileSystem: disk), decoder: decoder)
                    let views = try OfficeViews.open(replayer: replayer, store: diskStore, calendar: calendar)
                    XCTAssertEqual(
                        views.stateHashes, rebuiltHashes,
                        "\(mode) seed \(seed): a crash at operation \(operation) gave a wrong view")
                    guard crashed else {
                        XCTAssertTrue(saved)
                        break
                    }
                    crashPoints += 1
                    operation += 1
                }
            }
        }
        XCTAssertGreaterThan(crashPoints, 20)
    }

    func testConcurrentSaversNeverFailAndLeaveOneOfTheirCheckpoints() throws {
        let office = try TestOffice(temporaryDirectoryFor: self)
        var generator = OfficeHistoryGenerator(office: office, seed: 5)
        try generator.run(eventCount: 300) { _ in }
        let early = ViewCheckpoint(
            view: try office.replayer.view(ChartView(), asOfPosition: 150), nextPosition: 150,
            lastLeafHash: try office.replayer.leafHash(at: 149))
        let late = try office.replayer.rebuild(ChartView())
        XCTAssertNotEqual(early, late)
        // Two stores on the same directory, as two processes would have, each with its own random source.
        let directory = office.directory + "-views"
        let stores = (0..<2).map { _ in
            ViewCheckpointStore(directory: directory, fileSystem: PosixFileSystem(), key: testKey())
        }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { saver in
            for _ in 0..<40 {
                do {
                    try stores[saver].save(saver == 0 ? early : late)
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        let loaded = try stores[0].load(ChartView()).get()
        XCTAssertTrue(loaded == early || loaded == late, "the checkpoint is neither saver's")
        XCTAssertEqual(try stores[0].temporaryFileNames(), [])
    }

    /// The payers' entries are cut into parts of 4096 log positions; a ledger saved over several such parts loads back
    /// exactly, its day sheets and accounts still read from their own parts.
    func testThePayersEntriesAreCutByLogPosition() throws {
        let (office, _) = try makeOffice(events: 9_000, seed: 9)
        let calendar = OfficeHistoryGenerator.calendar
        let ledger = try office.replayer.rebuild(LedgerView(calendar: calendar))
        let store = store(office)
        try store.save(ledger)
        XCTAssertEqual(try store.load(LedgerView(calendar: calendar)).get(), ledger)
        let keys = try store.load(LedgerView(calendar: calendar), parts: { _ in false }).get().partKeys
        XCTAssertEqual(
            Set(keys.filter { $0.hasPrefix("payers.") }), ["payers.0", "payers.1", "payers.2"],
            "the payers' entries of 9,000 events in three parts")
        XCTAssertTrue(ledger.view.payers.values.contains { $0.entries.count > 100 })
        let day = try XCTUnwrap(ledger.view.days.keys.max())
        let partial = try store.load(
            LedgerView(calendar: calendar),
            parts: { [LedgerView.dayPartKey(day), LedgerView.netsPartKey(ofDay: day)].contains($0) }
        ).get()
        XCTAssertEqual(partial.view.daySheet(daysSince1970: day), ledger.view.daySheet(daysSince1970: day))
        XCTAssertEqual(partial.view.payers, [:], "a partial ledger reads no payers part")
    }

    /// A save writes part by part; gathered into writes of any size, the file is the same bytes and loads back.
    func testASaveWrittenInSmallWritesIsTheSameFile() throws {
        let (office, _) = try makeOffice(events: 600, seed: 8)
        let simulated = try XCTUnwrap(office.simulated)
        let ledger = try office.replayer.rebuild(LedgerView(calendar: OfficeHistoryGenerator.calendar))
        XCTAssertGreaterThan(ledger.view.stateParts().count, 5)
        var files: [[UInt8]] = []
        for bufferBytes in [1, 100, 4 << 20] {
            let store = ViewCheckpointStore(
                directory: "/office/views-\(bufferBytes)", fileSystem: office.fileSystem, key: testKey(),
                random: CountingRandomSource(), writeBufferBytesMax: bufferBytes)
            try store.save(ledger)
            XCTAssertEqual(try store.load(LedgerView(calendar: OfficeHistoryGenerator.calendar)).get(), ledger)
            files.append(try XCTUnwrap(simulated.contents(of: store.path(ofView: LedgerView.viewName))))
            XCTAssertEqual(try store.temporaryFileNames(), [])
        }
        XCTAssertEqual(files[0], files[2])
        XCTAssertEqual(files[1], files[2])
    }

    func testStaleTemporaryFilesAreRemovedAndASaveWhoseFileVanishesWritesItAgain() throws {
        let (office, _) = try makeOffice(events: 200)
        let simulated = try XCTUnwrap(office.simulated)
        let store = store(office)
        let consent = try office.replayer.rebuild(ConsentView())
        try store.save(consent)
        // What a process killed while saving leaves.
        let stale = store.path(ofView: ConsentView.viewName) + ".tmp-00112233445566ff"
        simulated.setContents([1, 2, 3], of: stale)
        XCTAssertEqual(try store.temporaryFileNames(), ["consent.checkpoint.tmp-00112233445566ff"])
        try store.removeTemporaryFiles()
        XCTAssertEqual(try store.temporaryFileNames(), [])
        XCTAssertFalse(simulated.exists(stale))
        XCTAssertEqual(try store.load(ConsentView()).get(), consent)
    }

    /// A killed save's temporary file was removed only by `clinic rebuild`, so every killed save left up to a whole
    /// checkpoint's size on disk. Each save now removes those files first, and only those: a live save's file is
    /// locked from its creation to its rename.
    func testEverySaveRemovesKilledSavesTemporaryFilesButNotALiveSaves() throws {
        let (office, _) = try makeOffice(events: 200)
        let simulated = try XCTUnwrap(office.simulated)
        let store = store(office)
        let schedule = try office.replayer.rebuild(ScheduleView())
        try store.save(schedule)
        let killed = store.path(ofView: LedgerView.viewName) + ".tmp-00112233445566ff"
        simulated.setContents([1, 2, 3], of: killed)
        let live = store.path(ofView: ChartView.viewName) + ".tmp-0011223344556677"
        let liveLock = try office.fileSystem.lockExclusively(live, timeoutMilliseconds: 0)
        try store.save(try office.replayer.rebuild(ConsentView()))
        XCTAssertEqual(try store.temporaryFileNames(), ["chart.checkpoint.tmp-0011223344556677"])
        XCTAssertFalse(simulated.exists(killed))
        XCTAssertTrue(simulated.exists(live), "a live save's file stays")
        liveLock.release()
        try store.removeTemporaryFiles()
        XCTAssertEqual(try store.temporaryFileNames(), [])
        XCTAssertEqual(try store.load(ScheduleView()).get(), schedule)
    }
}

/// The four views at one position, to save with any store.
struct OfficeViewsSnapshot {
    let schedule: ViewCheckpoint<ScheduleView>
    let ledger: ViewCheckpoint<LedgerView>
    let chart: ViewCheckpoint<ChartView>
    let consent: ViewCheckpoint<ConsentView>

    init(replayer: ProjectionReplayer, calendar: ViewCalendar, upTo end: UInt64?) throws {
        schedule = try replayer.rebuild(ScheduleView(), upTo: end)
        ledger = try replayer.rebuild(LedgerView(calendar: calendar), upTo: end)
        chart = try replayer.rebuild(ChartView(), upTo: end)
        consent = try replayer.rebuild(ConsentView(), upTo: end)
    }

    func save(to store: ViewCheckpointStore) throws {
        try store.save(schedule)
        try store.save(ledger)
        try store.save(chart)
        try store.save(consent)
    }

    var hashes: [String: [UInt8]] {
        [
            ScheduleView.viewName: schedule.view.stateHash, LedgerView.viewName: ledger.view.stateHash,
            ChartView.viewName: chart.view.stateHash, ConsentView.viewName: consent.view.stateHash,
        ]
    }
}

extension Array where Element == UInt8 {
    /// Whether `subsequence` occurs in the bytes.
    func contains(subsequence: [UInt8]) -> Bool {
        guard !subsequence.isEmpty, count >= subsequence.count else { return false }
        for start in 0...(count - subsequence.count) where self[start] == subsequence[0] {
            if self[start..<(start + subsequence.count)].elementsEqual(subsequence) { return true }
        }
        return false
    }
}

/// A file system on which every file still seems to exist: what a process sees when another removes a file between
/// its `exists` check and its `remove`.
private struct RemovedMeanwhile: FileSystem {
    let base: any FileSystem

    func open(_ path: String, mode: FileOpenMode) throws(FileSystemError) -> any OpenFile {
        try base.open(path, mode: mode)
    }
    func exists(_ path: String) -> Bool { true }
    func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String] {
        try base.contentsOfDirectory(path)
    }
    func createDirectory(_ path: String) throws(FileSystemError) { try base.createDirectory(path) }
    func rename(_ source: String, to destination: String) throws(FileSystemError) {
        try base.rename(source, to: destination)
    }
    func remove(_ path: String) throws(FileSystemError) { try base.remove(path) }
    func syncDirectory(_ path: String) throws(FileSystemError) { try base.syncDirectory(path) }
    func lockExclusively(_ path: String, timeoutMilliseconds: Int) throws(FileSystemError) -> any FileLock {
        try base.lockExclusively(path, timeoutMilliseconds: timeoutMilliseconds)
    }
    func permissionBits(_ path: String) throws(FileSystemError) -> UInt16? { try base.permissionBits(path) }
}
