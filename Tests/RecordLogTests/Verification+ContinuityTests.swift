import XCTest

@testable import RecordLog

/// The tables behind the verifier's checks of stream versions and event ids, against the standard library's.
final class VerificationContinuityTests: XCTestCase {
    func testTheStreamVersionTableAgreesWithADictionaryAcrossGrowthAndIDLengths() {
        var table = StreamVersionTable()
        var expected: [[UInt8]: UInt64] = [:]
        var generator = SeededGenerator(seed: 11)
        // Ids of 1 to 40 bytes, many sharing a prefix or differing only in their last byte, so that both the
        // eight-byte steps and the tail of the comparison decide; enough of them to grow the table several times.
        for step in 0..<20_000 {
            let length = 1 + Int(generator.next(below: 40))
            var id = Array("patient-0000000000000000000000000000000000".utf8.prefix(length))
            id[id.count - 1] = UInt8(truncatingIfNeeded: 0x21 + generator.next(below: 90))
            if length > 9 { id[8] = UInt8(truncatingIfNeeded: 0x30 + step % 10) }
            let version = UInt64(step + 1)
            let previous = id.withUnsafeBytes { table.exchange(version, forStream: $0) }
            XCTAssertEqual(previous, expected[id] ?? 0, "id \(id)")
            expected[id] = version
        }
        XCTAssertEqual(table.count, expected.count)
        XCTAssertGreaterThan(expected.count, 1_024, "the table grew")
    }

    func testTheEventIDCheckFindsEveryRepeatAndTheSegmentIDsMatchTablesExactly() throws {
        let records = (0..<300).map { number in
            LogRecord(
                position: UInt64(number), recordedTimeMicroseconds: 1, stream: "s", streamVersion: UInt64(number + 1),
                eventID: EventID(high: 0, low: UInt64(number % 250)), payload: [])
        }
        var check = EventIDCheck(expectedCount: 0)
        // The last 50 records are a segment of their own.
        var segmentIDs = SegmentEventIDs(basePosition: 0)
        for start in stride(from: 0, to: 300, by: 50) {
            let batch = try BatchCodec.encode(Array(records[start..<start + 50])).withUnsafeBytes {
                try BatchCodec.decode($0).get()
            }
            check.check(batch, segment: "s", batchOffset: start)
            if start == 250 { segmentIDs.reset(basePosition: 250) }
            segmentIDs.add(batch)
        }
        // Ids 0 to 49 come back at positions 250 to 299; the id 0 is the all-zero id.
        XCTAssertEqual(check.problems.all.count, 50)
        XCTAssertEqual(check.problems.all.first?.location.positions, 250..<251)
        XCTAssertTrue(check.problems.all.first?.reason.hasPrefix("event id stored twice, first at position 0") ?? false)
        XCTAssertTrue(segmentIDs.holds(EventID(high: 0, low: 3), at: 253))
        XCTAssertFalse(segmentIDs.holds(EventID(high: 0, low: 3), at: 3), "a position before the segment")
        XCTAssertFalse(segmentIDs.holds(EventID(high: 0, low: 4), at: 253))
        XCTAssertFalse(segmentIDs.holds(EventID(high: 0, low: 50), at: 300), "a position after the segment")
        // An index file's event table, read in place as the verifier reads it.
        func entries(_ ids: [(EventID, UInt64)], base: UInt64, count: UInt64) throws -> IndexFileEventEntries {
            var index = SegmentIndex(basePosition: base)
            index.recordCount = count
            for (id, position) in ids { index.eventPositions.insert(id, position: position) }
            let file = index.encode()
            XCTAssertNoThrow(
                try SegmentIndex.decodeKeepingFilters(file, includingEvents: true, fillingEventTable: false).get())
            return try XCTUnwrap(IndexFileEventEntries(file: file))
        }
        let covered = records[250..<300].map { ($0.eventID, $0.position) }
        let table = try entries(covered, base: 250, count: 50)
        XCTAssertEqual(table.count, 50)
        XCTAssertTrue(segmentIDs.matches(table, recordsAt: 250..<300))
        XCTAssertFalse(segmentIDs.matches(table, recordsAt: 249..<300), "one record is missing from the table")
        let other = try entries(covered.dropLast() + [(EventID(high: 9, low: 9), 299)], base: 250, count: 50)
        XCTAssertFalse(segmentIDs.matches(other, recordsAt: 250..<300), "an id the log does not hold there")
        let moved = try entries(covered.dropLast() + [(records[299].eventID, 298)], base: 250, count: 50)
        XCTAssertFalse(segmentIDs.matches(moved, recordsAt: 250..<300), "an id at another position")
        // The filter built in place is the one the decoded table gives.
        let decoded = try SegmentIndex.decodeKeepingFilters(table.file).get().index
        XCTAssertEqual(table.eventFilter(), decoded.eventFilter())
    }
}
