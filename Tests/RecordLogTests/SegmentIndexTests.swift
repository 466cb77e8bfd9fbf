import Foundation
import RecordLogTesting
import XCTest

@testable import RecordLog

final class SegmentIndexTests: XCTestCase {
    /// A batch whose streams come in runs, one stream twice (A A B A C C): each stream's entry lists its positions in
    /// order from its first version, and every event id is in the table.
    func testAddingABatchRecordsEveryStreamRunAndEveryEventID() {
        let streams = ["A", "A", "B", "A", "C", "C"]
        var versions: [String: UInt64] = ["A": 4]
        let records = streams.enumerated().map { number, stream -> LogRecord in
            let version = (versions[stream] ?? 0) + 1
            versions[stream] = version
            return LogRecord(
                position: UInt64(50 + number), recordedTimeMicroseconds: 7, stream: stream, streamVersion: version,
                eventID: EventID(high: 0xB0, low: UInt64(number)), payload: [UInt8(number)])
        }
        let batch = BatchCodec.encodeWithLeaves(records)
        var index = SegmentIndex(basePosition: 50)
        index.add(batchAt: 0, header: batch.header, records: records, intervalBytes: 4096)
        XCTAssertEqual(index.streams["A"], SegmentIndex.StreamEntry(firstVersion: 5, positions: [50, 51, 53]))
        XCTAssertEqual(index.streams["B"], SegmentIndex.StreamEntry(firstVersion: 1, positions: [52]))
        XCTAssertEqual(index.streams["C"], SegmentIndex.StreamEntry(firstVersion: 1, positions: [54, 55]))
        XCTAssertEqual(index.streams.count, 3)
        for record in records { XCTAssertEqual(index.eventPositions[record.eventID], record.position) }
        XCTAssertEqual(index.recordCount, 6)
    }

    /// An index of one batch of `count` records with ids in ascending order, and the offset of its event table.
    private func makeIndexFile(count: Int) -> (bytes: [UInt8], eventTableOffset: Int) {
        let records = (0..<count).map { (number: Int) -> LogRecord in
            let version = UInt64(1 + number / 2)
            return LogRecord(
                position: UInt64(100 + number), recordedTimeMicroseconds: 1_000, stream: "patient-\(number % 2)",
                streamVersion: version, eventID: EventID(high: 0xE0, low: UInt64(number)), payload: [UInt8(number)])
        }
        let batch = BatchCodec.encodeWithLeaves(records)
        var index = SegmentIndex(basePosition: 100)
        index.add(batchAt: 0, header: batch.header, records: records, intervalBytes: 4096)
        let bytes = index.encode()
        guard case .success(let decoded) = SegmentIndex.decode(bytes) else { preconditionFailure("a valid index") }
        return (bytes, decoded.eventTableOffset)
    }

    /// The index with event entries `first` and `second` swapped and the event table's checksum (the file's last
    /// 4 bytes) made valid again: what a writer with a sorting bug, another implementation or a forger could leave.
    private func swappingEventEntries(_ bytes: [UInt8], tableOffset: Int, _ first: Int, _ second: Int) -> [UInt8] {
        var swapped = bytes
        let a = tableOffset + first * 20
        let b = tableOffset + second * 20
        swapped.replaceSubrange(a..<a + 20, with: bytes[b..<b + 20])
        swapped.replaceSubrange(b..<b + 20, with: bytes[a..<a + 20])
        let checksum = swapped.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[tableOffset..<bytes.count - 4]))
        }
        swapped.setLittleEndian(checksum, at: bytes.count - 4)
        return swapped
    }

    func testAnEventTableOutOfIDOrderIsRefusedAndNeverSearched() {
        let (bytes, tableOffset) = makeIndexFile(count: 9)
        XCTAssertNotNil(SealedEventTable(indexFile: bytes))
        // Found by FuzzSegmentIndex (seed corpus Fuzz/Corpus/SegmentIndex/regression-event-table-out-of-order):
        // the decoder accepted an event table out of order, and the binary search of the sealed event table then
        // missed listed ids.
        let swapped = swappingEventEntries(bytes, tableOffset: tableOffset, 2, 6)
        guard case .failure(let defect) = SegmentIndex.decode(swapped) else {
            return XCTFail("an event table out of order decoded")
        }
        XCTAssertEqual(defect.reason, "invalid event entry")
        XCTAssertEqual(
            defect.offset, tableOffset + 3 * 20 + 16, "just after the id of entry 3, smaller than entry 6's before it")
        XCTAssertNil(SealedEventTable(indexFile: swapped), "a table that a binary search could miss ids in is refused")
        XCTAssertNil(
            SealedEventTable(indexFile: swappingEventEntries(bytes, tableOffset: tableOffset, 7, 8)),
            "the last two entries are checked too")
    }

    func testTheWriterStaysIdempotentWhenASealedEventTableIsOutOfOrder() throws {
        let directory = "/clinic/log"
        let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())
        let fileSystem = SimulatedFileSystem(seed: 1)
        var log = try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedRandomSource())
        let events = try appendMany(log, count: 80)
        log.close()
        let indexPath = joinPath(directory, SegmentFile.indexName(base: 0))
        let original = try XCTUnwrap(fileSystem.contents(of: indexPath))
        let index = try SegmentIndex.decode(original).get()
        XCTAssertGreaterThan(index.recordCount, 8)
        let lastEntry = Int(index.recordCount) - 1
        fileSystem.setContents(
            swappingEventEntries(original, tableOffset: index.eventTableOffset, 0, lastEntry), of: indexPath)

        let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify()
        XCTAssertTrue(
            report.problems.contains {
                $0.location.file == SegmentFile.indexName(base: 0) && $0.location.offset != nil
            },
            "\(report.problems)")
        log = try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedRandomSource())
        defer { log.close() }
        let before = log.nextPosition
        // Retries of events stored in the first segment, including the two whose entries were swapped.
        let swappedIDs = [0, lastEntry].map { entry in
            original.withUnsafeBytes { raw in
                EventID(
                    high: UInt64(
                        bigEndian: raw.loadUnaligned(
                            fromByteOffset: index.eventTableOffset + entry * 20, as: UInt64.self)),
                    low: UInt64(
                        bigEndian: raw.loadUnaligned(
                            fromByteOffset: index.eventTableOffset + entry * 20 + 8, as: UInt64.self)))
            }
        }
        for event in events where swappedIDs.contains(event.eventID) || event == events[3] {
            let number = events.firstIndex(of: event) ?? 0
            let result = try log.appendAndWait(single("stream-\(number % 7)", .any, event))
            XCTAssertTrue(result.alreadyStored, "event \(number) was stored a second time")
        }
        XCTAssertEqual(log.nextPosition, before)
    }
}
