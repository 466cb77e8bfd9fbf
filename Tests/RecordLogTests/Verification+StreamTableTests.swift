import XCTest

@testable import RecordLog

/// The verifier's byte-keyed stream table must judge an index's stream table and stream Bloom filter exactly as the
/// `String`-keyed table of an index rebuilt record by record would, for ASCII ids and for ids that are one `String`.
final class SegmentStreamTableTests: XCTestCase {
    /// The records as (stream, version, position), in log order.
    private typealias Record = (stream: String, version: UInt64, position: UInt64)

    private func table(_ records: [Record]) -> SegmentStreamTable {
        var table = SegmentStreamTable()
        for record in records {
            var stream = record.stream
            stream.withUTF8 {
                table.add(stream: UnsafeRawBufferPointer($0), version: record.version, position: record.position)
            }
        }
        return table
    }

    /// The stream table of an index rebuilt record by record (what `SegmentIndex.add` builds).
    private func rebuilt(_ records: [Record]) -> [String: SegmentIndex.StreamEntry] {
        var streams: [String: SegmentIndex.StreamEntry] = [:]
        for record in records {
            streams[record.stream, default: SegmentIndex.StreamEntry(firstVersion: record.version, positions: [])]
                .positions.append(record.position)
        }
        return streams
    }

    private func filter(_ streams: [String: SegmentIndex.StreamEntry]) -> BloomFilter {
        var index = SegmentIndex(basePosition: 0)
        index.streams = streams
        return index.streamFilter()
    }

    func testASCIIStreamsMatchTheRebuiltTableAndItsFilterAndAnyChangeIsADifference() {
        var records: [Record] = []
        var versions: [String: UInt64] = [:]
        for position in UInt64(0)..<5_000 {
            let stream = "patient-\(position * 7_919 % 1_500)"
            versions[stream, default: 0] += 1
            records.append((stream, versions[stream]! + 10, position))
        }
        let table = table(records)
        let streams = rebuilt(records)
        XCTAssertTrue(table.isASCII)
        XCTAssertEqual(table.count, streams.count)
        XCTAssertEqual(table.streams, streams)
        XCTAssertTrue(table.matches(streams))
        XCTAssertEqual(table.streamFilter(), filter(streams))

        var moved = streams
        moved["patient-3"]!.positions[0] += 1
        XCTAssertFalse(table.matches(moved))
        var renumbered = streams
        renumbered["patient-3"]!.firstVersion += 1
        XCTAssertFalse(table.matches(renumbered))
        var missing = streams
        missing["patient-3"] = nil
        XCTAssertFalse(table.matches(missing))
        var renamed = missing
        renamed["patient-3x"] = streams["patient-3"]
        XCTAssertFalse(table.matches(renamed))
        var extra = streams
        extra["patient-x"] = SegmentIndex.StreamEntry(firstVersion: 1, positions: [9_999])
        XCTAssertFalse(table.matches(extra))
        XCTAssertFalse(self.table([]).matches(streams))
        XCTAssertTrue(self.table([]).matches([:]))
    }

    func testIdsThatAreOneStringShareAnEntryAsInTheRebuiltTable() {
        // "café" precomposed and decomposed: different bytes, one `String`.
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let records: [Record] = [
            ("office", 1, 0), (decomposed, 4, 1), ("office", 2, 2), (composed, 5, 3), (decomposed, 6, 4),
            (composed, 7, 5),
        ]
        let table = table(records)
        let streams = rebuilt(records)
        XCTAssertFalse(table.isASCII)
        XCTAssertEqual(table.count, 3)
        XCTAssertEqual(streams.count, 2)
        XCTAssertEqual(table.streams, streams)
        XCTAssertEqual(table.streams[composed], SegmentIndex.StreamEntry(firstVersion: 4, positions: [1, 3, 4, 5]))
        XCTAssertTrue(table.matches(streams))
        XCTAssertEqual(table.streamFilter(), filter(streams))
        var changed = streams
        changed[composed]!.positions.removeLast()
        XCTAssertFalse(table.matches(changed))
    }

    func testTheWholeSegmentChecksumIsTheChecksumOfItsBytesAndAPrefixIsItsOwn() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var checksums = SegmentChecksums(bytes: bytes)
        XCTAssertEqual(checksums.checksum(ofFirst: 4_096), CRC32C.checksum(Array(bytes[0..<4_096])))
        XCTAssertEqual(checksums.checksum(ofFirst: bytes.count), CRC32C.checksum(bytes))
        XCTAssertEqual(checksums.checksum(ofFirst: bytes.count), CRC32C.checksum(bytes))
        XCTAssertEqual(checksums.checksum(ofFirst: 0), CRC32C.checksum([UInt8]()))
    }
}
