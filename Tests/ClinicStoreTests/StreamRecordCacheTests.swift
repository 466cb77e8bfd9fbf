import ClinicEvents
import Crypto
import Foundation
import RecordLog
import XCTest

@testable import ClinicStore

/// The stream cache (`views/streams.cache`): the staff directory read through it is always the fold of the staff
/// stream the log holds, whatever the file holds.
final class StreamRecordCacheTests: XCTestCase {
    private func open(_ fixture: StoreFixture) throws -> StoreReader {
        try StoreReader.open(at: fixture.location, environment: fixture.environment)
    }

    /// The staff directory folded from the log's staff stream, without the cache.
    private func folded(_ fixture: StoreFixture) throws -> StaffDirectory {
        var directory = StaffDirectory()
        for event in try open(fixture).events(inStream: StaffDirectory.streamName) { directory.apply(event.event) }
        return directory
    }

    private func path(_ fixture: StoreFixture) -> String {
        fixture.location.viewsDirectory + "/" + StreamRecordCache.fileName
    }

    func testTheCacheServesTheDirectoryAndCatchesUpWithLaterStaffEvents() throws {
        let fixture = try StoreFixture()
        let first = try open(fixture)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path(fixture)))
        XCTAssertEqual(try first.staffDirectory(), try folded(fixture))
        XCTAssertTrue(first.saveStreamCache(), "the first read writes the cache")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path(fixture)))
        XCTAssertFalse(first.saveStreamCache(), "nothing new to write")

        // A reader that finds every staff record in the cache has nothing to write.
        let second = try open(fixture)
        XCTAssertEqual(try second.staffDirectory(), try folded(fixture))
        XCTAssertFalse(second.saveStreamCache())

        // A later staff event is read from the log after the cached ones, and the cache is written again.
        let late = try StaffID("late-1")
        try fixture.store.execute(
            .addStaff(try StaffMemberAdded(staffID: late, displayName: "Late", roles: [.nurse])), by: fixture.admin,
            commandID: fixture.newID())
        try fixture.store.execute(
            .grantRole(StaffRoleGranted(staffID: late, role: .biller)), by: fixture.admin,
            commandID: fixture.newID())
        let third = try open(fixture)
        let directory = try third.staffDirectory()
        XCTAssertEqual(directory, try folded(fixture))
        XCTAssertEqual(directory.members[late]?.roles, [.nurse, .biller])
        XCTAssertTrue(third.saveStreamCache())
        XCTAssertFalse(try open(fixture).saveStreamCacheAfterReading())
    }

    func testADamagedCacheIsIgnoredAndWrittenAgain() throws {
        let fixture = try StoreFixture()
        let first = try open(fixture)
        _ = try first.staffDirectory()
        XCTAssertTrue(first.saveStreamCache())
        let good = try Data(contentsOf: URL(fileURLWithPath: path(fixture)))
        for offset in [0, 5, 12, good.count / 2, good.count - 1] {
            var damaged = good
            damaged[offset] ^= 0x40
            try damaged.write(to: URL(fileURLWithPath: path(fixture)))
            let reader = try open(fixture)
            XCTAssertEqual(try reader.staffDirectory(), try folded(fixture), "byte \(offset) flipped")
            XCTAssertTrue(reader.saveStreamCache(), "byte \(offset) flipped: written again")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path(fixture))), good)
        }
        // Cut short at every length: ignored, never a trap.
        for length in 0..<good.count {
            XCTAssertNil(
                StreamRecordCache.decode(Array(good.prefix(length)), keyBytes: fixture.store.keys.streamCacheKeyBytes))
        }
    }

    func testACacheSignedUnderAnotherKeyIsIgnored() throws {
        let fixture = try StoreFixture()
        let reader = try open(fixture)
        var records = try reader.logReader.records(inStream: StaffDirectory.streamName)
        // A cache holding one staff record more than the log, signed with a key of the forger's own.
        records.append(try forgedRecord(after: records, reader: reader))
        let forged = StreamRecordCache.encode(
            [StaffDirectory.streamName: records], keyBytes: Array(repeating: 7, count: 32))
        try Data(forged).write(to: URL(fileURLWithPath: path(fixture)))
        XCTAssertEqual(try open(fixture).staffDirectory(), try folded(fixture))
    }

    func testACacheAheadOfTheLogIsIgnored() throws {
        // A store restored from a backup older than its views directory: the cache holds a staff record the log does
        // not (yet) hold, signed with the store's own key. The newest cached record must be in the log to be used.
        let fixture = try StoreFixture()
        let reader = try open(fixture)
        var records = try reader.logReader.records(inStream: StaffDirectory.streamName)
        records.append(try forgedRecord(after: records, reader: reader))
        let ahead = StreamRecordCache.encode(
            [StaffDirectory.streamName: records], keyBytes: fixture.store.keys.streamCacheKeyBytes)
        try Data(ahead).write(to: URL(fileURLWithPath: path(fixture)))
        let fresh = try open(fixture)
        XCTAssertEqual(try fresh.staffDirectory(), try folded(fixture))
        XCTAssertTrue(fresh.saveStreamCache(), "the stream read from the log replaces the cache")

        // The same when the log later holds a different record at that stream version.
        try fixture.store.execute(
            .grantRole(StaffRoleGranted(staffID: fixture.frontDesk.staffID, role: .biller)), by: fixture.admin,
            commandID: fixture.newID())
        try Data(ahead).write(to: URL(fileURLWithPath: path(fixture)))
        let after = try open(fixture).staffDirectory()
        XCTAssertEqual(after, try folded(fixture))
        XCTAssertEqual(after.members[fixture.frontDesk.staffID]?.roles, [.frontDesk, .biller])
    }

    func testTemporaryFilesOfKilledWritesAreRemovedByTheNextWrite() throws {
        let fixture = try StoreFixture()
        let abandoned = path(fixture) + StreamRecordCache.temporaryInfix + "0123456789abcdef"
        try FileManager.default.createDirectory(
            atPath: fixture.location.viewsDirectory, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: abandoned))
        let reader = try open(fixture)
        _ = try reader.staffDirectory()
        XCTAssertTrue(reader.saveStreamCache())
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned))
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.location.viewsDirectory)
        XCTAssertEqual(names, [StreamRecordCache.fileName])
    }

    /// A copy of the stream's newest record, one version later, at a position past the log's end: a record the log
    /// does not hold (read, it would fold that staff event a second time).
    private func forgedRecord(after records: [LogRecord], reader: StoreReader) throws -> LogRecord {
        var forged = try XCTUnwrap(records.last)
        forged.streamVersion += 1
        forged.position = try reader.endPosition() + 10
        forged.eventID = EventID(high: 0xF0F0, low: 0x0F0F)
        return forged
    }
}

extension StoreReader {
    /// Reads the staff directory, then says whether that read left anything to write.
    fileprivate func saveStreamCacheAfterReading() throws -> Bool {
        _ = try staffDirectory()
        return saveStreamCache()
    }
}
