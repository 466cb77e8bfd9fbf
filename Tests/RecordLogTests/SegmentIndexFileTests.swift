import Foundation
import RecordLogTesting
import XCTest

@testable import RecordLog

/// The index file layout of format version 2: a header and parts that each carry their own CRC-32C, read whole or
/// part by part.
final class SegmentIndexFileTests: XCTestCase {
    /// An index of three batches over `streams` streams, with a frontier.
    private func makeIndex(streams: Int = 40, records: Int = 300) -> SegmentIndex {
        var index = SegmentIndex(basePosition: 1_000)
        var offset: UInt64 = 0
        var versions: [String: UInt64] = [:]
        var frontier = MerkleFrontier()
        for _ in 0..<1_000 { frontier.append(leafHash: MerkleHash.leaf([1])) }
        for batchNumber in 0..<3 {
            let range = (batchNumber * records / 3)..<((batchNumber + 1) * records / 3)
            let batchRecords = range.map { number -> LogRecord in
                let stream = "patient-\((number * 7) % streams)"
                versions[stream, default: 0] += 1
                return LogRecord(
                    position: 1_000 + UInt64(number), recordedTimeMicroseconds: 5_000 + Int64(batchNumber),
                    stream: stream, streamVersion: versions[stream]!,
                    eventID: EventID(high: UInt64(number) &* 0x9E37_79B9_7F4A_7C15, low: UInt64(number)),
                    payload: [UInt8(number & 0xFF)])
            }
            let batch = BatchCodec.encodeWithLeaves(batchRecords)
            index.add(batchAt: offset, header: batch.header, records: batchRecords, intervalBytes: 1)
            for leaf in batch.leafHashes { frontier.append(leafHash: leaf) }
            offset += UInt64(batch.bytes.count)
        }
        index.dataChecksum = 0xABCD_1234
        index.frontier = frontier
        return index
    }

    func testAnIndexDecodesToWhatWasEncoded() throws {
        let index = makeIndex()
        let bytes = index.encode()
        let decoded = try SegmentIndex.decode(bytes).get()
        XCTAssertEqual(decoded.streams, index.streams)
        XCTAssertEqual(decoded.eventPositions, index.eventPositions)
        XCTAssertEqual(decoded.sparse, index.sparse)
        XCTAssertEqual(decoded.frontier, index.frontier)
        XCTAssertEqual(decoded.dataChecksum, index.dataChecksum)
        XCTAssertEqual(
            [decoded.basePosition, decoded.recordCount, decoded.dataLength],
            [index.basePosition, index.recordCount, index.dataLength])
        let withoutEvents = try SegmentIndex.decode(bytes, includingEvents: false).get()
        XCTAssertEqual(withoutEvents.omittedEventsFilter, index.eventFilter())
        XCTAssertTrue(withoutEvents.eventPositions.isEmpty)
        XCTAssertEqual(try SegmentIndex.decode(SegmentIndex(basePosition: 7).encode()).get().recordCount, 0)
    }

    /// Sparse entries whose recorded times go back (checksums valid) are refused: a look-up by time searches them
    /// by halves and would start too late (found by reviewing the fuzz target of format 2).
    func testSparseEntriesWhoseTimesGoBackAreRefused() throws {
        var index = makeIndex()
        XCTAssertGreaterThanOrEqual(index.sparse.count, 3)
        index.sparse[2].recordedTime = index.sparse[0].recordedTime - 1
        guard case .failure(let defect) = SegmentIndex.decode(index.encode()) else {
            return XCTFail("an index whose sparse times go back decoded")
        }
        XCTAssertEqual(defect.reason, "invalid sparse entry")
        index.sparse[2].recordedTime = index.sparse[1].recordedTime
        XCTAssertNoThrow(try SegmentIndex.decode(index.encode()).get(), "equal times are allowed")
    }

    func testTheStreamDirectoryIsOrderedByHashAndPointsAtEachEntry() throws {
        let bytes = makeIndex().encode()
        let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        XCTAssertEqual(header.fileLength, UInt64(bytes.count))
        let part = header.part(3)
        let directory = try bytes.withUnsafeBytes { raw in
            try IndexFileParts.directory(
                UnsafeRawBufferPointer(rebasing: raw[Int(part.lowerBound)..<Int(part.upperBound)]),
                at: part.lowerBound, header: header
            ).get()
        }
        XCTAssertEqual(directory.count, 40)
        XCTAssertEqual(directory.map(\.hash), directory.map(\.hash).sorted())
        XCTAssertEqual(
            Set(directory.map(\.hash)), Set((0..<40).map { BloomFilter.hash(Array("patient-\($0)".utf8)) }))
    }

    func testAViewFindsEveryStreamByReadingOnlyItsParts() throws {
        let index = makeIndex()
        let file = try FileFixture(bytes: index.encode())
        var view = try XCTUnwrap(try IndexFileView.open(file.handle))
        for (stream, entry) in index.streams {
            XCTAssertEqual(view.streamEntry(Array(stream.utf8), from: file.handle), .listed(entry), stream)
        }
        for stream in ["patient-40", "patient-", "office", "patient-1x"] {
            XCTAssertEqual(view.streamEntry(Array(stream.utf8), from: file.handle), .notListed, stream)
        }
        XCTAssertEqual(view.loadSparse(from: file.handle)?.entries, index.sparse)
        XCTAssertEqual(view.loadSparse(from: file.handle)?.frontier, index.frontier)
        XCTAssertEqual(view.eventFilter(from: file.handle), index.eventFilter())
        let table = try XCTUnwrap(view.eventTable(from: file.handle))
        for entry in index.eventPositions.entries { XCTAssertEqual(table.position(of: entry.id), entry.position) }
        XCTAssertNil(table.position(of: EventID(high: 1, low: 2)))
        let third = index.sparse[2]
        XCTAssertEqual(view.scanRange(for: third.position).offset, third.offset)
        XCTAssertEqual(view.scanRange(for: third.position).end, index.dataLength)
        XCTAssertEqual(view.scanRange(for: third.position - 1).end, third.offset)
    }

    func testProbingTheEventFilterInPiecesAnswersAsTheWholeFilterAndChecksTheSameBytes() throws {
        let index = makeIndex(records: 3_000)
        let original = index.encode()
        let header = try original.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        let filter = index.eventFilter()
        let file = try FileFixture(bytes: original)
        let view = try XCTUnwrap(try IndexFileView.open(file.handle))
        let stored = index.eventPositions.entries.map { BloomFilter.hash($0.id) }
        let others = (0..<1_000).map { BloomFilter.hash(EventID(high: UInt64($0), low: 0xFEED)) }
        XCTAssertTrue(others.contains { !filter.mayContain(hash: $0) }, "some ids are certainly absent")
        // Pieces that split the filter's header, its bits and its CRC every way, and the default piece size (the
        // smallest pieces take a sample of the ids: each probe reads the whole part).
        for pieceBytes in [12, 13, 64, 1_021, header.part(5).count - 1, IndexFileView.pieceBytes] {
            let sample = pieceBytes < 100 ? 40 : stored.count
            for hash in stored.prefix(sample) {
                XCTAssertEqual(view.eventFilterMayContain(hash: hash, from: file.handle, pieceBytes: pieceBytes), true)
            }
            for hash in others.prefix(sample) {
                XCTAssertEqual(
                    view.eventFilterMayContain(hash: hash, from: file.handle, pieceBytes: pieceBytes),
                    filter.mayContain(hash: hash), "piece of \(pieceBytes) bytes")
            }
        }
        // Damage anywhere in part 5 (its filter header, bits or CRC) makes it unreadable, as a whole read finds it;
        // damage elsewhere does not.
        let part5 = header.part(5)
        let damaged = [
            Int(part5.lowerBound), Int(part5.lowerBound) + 4, Int(part5.lowerBound) + 6,
            Int(part5.lowerBound) + part5.count / 2, Int(part5.upperBound) - 5, Int(part5.upperBound) - 1,
            Int(header.part(4).lowerBound), Int(header.part(6).lowerBound),
        ]
        for offset in damaged {
            var bytes = original
            bytes[offset] ^= 0x10
            let damagedFile = try FileFixture(bytes: bytes)
            let damagedView = try XCTUnwrap(try IndexFileView.open(damagedFile.handle))
            let inPart5 = part5.contains(UInt64(offset))
            XCTAssertEqual(damagedView.eventFilter(from: damagedFile.handle) == nil, inPart5, "byte \(offset)")
            for pieceBytes in [12, 100, IndexFileView.pieceBytes] {
                XCTAssertEqual(
                    damagedView.eventFilterMayContain(hash: stored[0], from: damagedFile.handle, pieceBytes: pieceBytes)
                        == nil, inPart5, "byte \(offset), piece of \(pieceBytes) bytes")
            }
        }
    }

    func testADamagedPartMakesOnlyThatPartUnreadable() throws {
        let index = makeIndex()
        let original = index.encode()
        let header = try original.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        for part in 1...6 {
            let range = header.part(part)
            guard !range.isEmpty else { continue }
            var bytes = original
            bytes[Int(range.lowerBound + UInt64(range.count) / 2)] ^= 0x04
            let file = try FileFixture(bytes: bytes)
            var view = try XCTUnwrap(try IndexFileView.open(file.handle), "the header still checks")
            let unreadable = index.streams.keys.filter {
                view.streamEntry(Array($0.utf8), from: file.handle) == .unreadable
            }
            let expected = [1, 3].contains(part) ? index.streams.count : part == 4 ? 1 : 0
            XCTAssertEqual(unreadable.count, expected, "part \(part): only the damaged entry of part 4 is unreadable")
            XCTAssertEqual(view.loadSparse(from: file.handle) == nil, part == 2, "part \(part)")
            XCTAssertEqual(view.eventFilter(from: file.handle) == nil, part == 5, "part \(part)")
            XCTAssertEqual(view.eventTable(from: file.handle) == nil, part == 6, "part \(part)")
            guard case .failure = SegmentIndex.decode(bytes) else { return XCTFail("part \(part) damage decoded") }
        }
        var header128 = original
        header128[30] ^= 0x01
        XCTAssertNil(try IndexFileView.open(FileFixture(bytes: header128).handle))
        XCTAssertNil(try IndexFileView.open(FileFixture(bytes: original + [0]).handle), "a longer file is refused")
    }

    func testAVersion1IndexIsRefusedWithAReasonThatSaysOpeningRebuildsIt() {
        var bytes = makeIndex().encode()
        bytes[8] = 1
        let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[8..<128])) }
        bytes.setLittleEndian(checksum, at: 4)
        guard case .failure(let defect) = SegmentIndex.decode(bytes) else {
            return XCTFail("a version 1 index decoded")
        }
        XCTAssertEqual(defect.offset, 8)
        XCTAssertTrue(defect.reason.contains("opening the log rebuilds it"), defect.reason)
    }
}

/// An index file's bytes in a simulated file system, open for reading.
private struct FileFixture {
    let handle: any OpenFile

    init(bytes: [UInt8]) throws {
        let fileSystem = SimulatedFileSystem(seed: 1)
        try fileSystem.createDirectory("/index")
        fileSystem.setContents(bytes, of: "/index/file")
        handle = try fileSystem.open("/index/file", mode: .readOnly)
    }
}
