import XCTest

@testable import RecordLog

final class BatchCodecTests: XCTestCase {
    private func makeRecords(count: Int, base: UInt64 = 10, payload: (Int) -> [UInt8]) -> [LogRecord] {
        (0..<count).map { index in
            LogRecord(
                position: base + UInt64(index), recordedTimeMicroseconds: 1_000 + Int64(index / 2),
                stream: "patient-\(index % 3)", streamVersion: UInt64(index / 3 + 1),
                eventID: EventID(high: UInt64(index), low: 99), payload: payload(index))
        }
    }

    private func encode(_ records: [LogRecord]) -> [UInt8] {
        BatchCodec.encode(records)
    }

    func testCompressibleRecordsRoundTripThroughAnLZ4Block() throws {
        let records = makeRecords(count: 50) { _ in Array(repeating: 0x41, count: 100) }
        let bytes = encode(records)
        let batch = try bytes.withUnsafeBytes { try BatchCodec.decode($0).get() }
        XCTAssertTrue(batch.header.isCompressed)
        XCTAssertLessThan(bytes.count, Int(batch.header.uncompressedLength))
        XCTAssertEqual(batch.records(), records)
        XCTAssertEqual(batch.header.positions, 10..<60)
    }

    /// The leaves the writer hashes in place while it lays out the payload are SHA-256(0x00 || record bytes), for a
    /// record below 16 MiB (hashed from the zero top byte of its length in front of it) and for one above.
    func testLeafHashesAreTheRecordsMerkleLeaves() {
        var records = makeRecords(count: 7) { index in Array(repeating: UInt8(index), count: 10 + index * 37) }
        records.append(
            LogRecord(
                position: 17, recordedTimeMicroseconds: 1_004, stream: "patient-big", streamVersion: 1,
                eventID: EventID(high: 77, low: 99), payload: Array(repeating: 0x5A, count: 16 << 20)))
        let batch = BatchCodec.encodeWithLeaves(records)
        XCTAssertEqual(batch.leafHashes, records.map { MerkleHash.leaf(RecordLayout.bytes(of: $0)) })
    }

    /// A batch of `recordsHandedOverMin` records or more has its leaves hashed on a second thread while it is
    /// compressed: the same leaves, in order, and the same batch bytes as the records laid out and compressed alone.
    func testTheLeavesOfALargeBatchHashedBesideItsCompressionAreItsRecordsLeaves() throws {
        for count in [recordsHandedOverMin - 1, recordsHandedOverMin, 1_000] {
            var records = makeRecords(count: count) { index in
                Array(repeating: UInt8(truncatingIfNeeded: index), count: 1 + (index * 53) % 400)
            }
            if count == 1_000 {
                records[500].payload = Array(repeating: 0x33, count: 16 << 20)  // a length with a non-zero top byte
            }
            let batch = BatchCodec.encodeWithLeaves(records)
            XCTAssertEqual(batch.leafHashes, records.map { MerkleHash.leaf(RecordLayout.bytes(of: $0)) }, "\(count)")
            let decoded = try batch.bytes.withUnsafeBytes { try BatchCodec.decode($0).get() }
            XCTAssertEqual(decoded.records(), records, "\(count)")
        }
    }

    func testIncompressibleBytesAreNotCompressedAndRawBatchesRoundTrip() throws {
        var generator = SeededGenerator(seed: 1)
        let random = (0..<2000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        XCTAssertNil(LZ4Block.compress(random))
        let record = LogRecord(
            position: 0xFFFF_FFFF_FFFF, recordedTimeMicroseconds: -1, stream: "\u{1F600}",
            streamVersion: 0x7F7F_7F7F_7F7F, eventID: EventID(high: 1, low: 2), payload: random)
        let bytes = BatchCodec.encode([record])
        let batch = try bytes.withUnsafeBytes { try BatchCodec.decode($0).get() }
        XCTAssertEqual(batch.records(), [record])
        XCTAssertEqual(batch.header.isCompressed, Int(batch.header.storedLength) < Int(batch.header.uncompressedLength))
    }

    func testEveryChangedByteIsDetected() {
        let records = makeRecords(count: 4) { Array("payload \($0) payload payload".utf8) }
        let bytes = encode(records)
        for offset in 0..<bytes.count {
            var damaged = bytes
            damaged[offset] ^= 0x10
            let result = damaged.withUnsafeBytes { BatchCodec.decode($0) }
            if case .success = result { XCTFail("a flip at byte \(offset) went unnoticed") }
        }
    }

    func testEveryTruncationIsDetected() {
        let records = makeRecords(count: 4) { Array("payload \($0)".utf8) }
        let bytes = encode(records)
        for length in 0..<bytes.count {
            let result = bytes[0..<length].withUnsafeBytes { BatchCodec.decode($0) }
            if case .success = result { XCTFail("a batch cut to \(length) bytes was accepted") }
        }
    }

    func testAZeroHeaderMarksTheEndOfWrittenData() {
        let zeros = [UInt8](repeating: 0, count: 200)
        XCTAssertEqual(zeros.withUnsafeBytes { BatchHeader.parse($0) }, .failure(.zeroHeader))
    }

    func testRecordBytesFollowTheDocumentedLayout() {
        let record = LogRecord(
            position: 0x0102, recordedTimeMicroseconds: 0x0A0B, stream: "ab", streamVersion: 3,
            eventID: EventID(high: 0x1112_1314_1516_1718, low: 0x2122_2324_2526_2728), payload: [0xEE])
        let expected: [UInt8] =
            [0x02, 0x01, 0, 0, 0, 0, 0, 0] + [0x0B, 0x0A, 0, 0, 0, 0, 0, 0] + [3, 0, 0, 0, 0, 0, 0, 0]
            + [0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28]
            + [2, 0] + Array("ab".utf8) + [0xEE]
        XCTAssertEqual(RecordLayout.bytes(of: record), expected)
    }

    func testUTF8ValidationAgreesWithTheStandardLibrary() {
        let samples: [[UInt8]] = [
            Array("plain ascii stream".utf8), Array("patient-Zoë-\u{1F600}".utf8), [0xC3], [0xE2, 0x82], [0xFF],
            [0xED, 0xA0, 0x80], [0xC0, 0xAF], Array("12345678".utf8) + [0x80], [0xF4, 0x90, 0x80, 0x80],
        ]
        for sample in samples {
            let expected = String(validating: sample, as: UTF8.self) != nil
            XCTAssertEqual(sample.withUnsafeBytes { isValidUTF8($0) }, expected, "\(sample)")
        }
    }

    /// The all-ASCII fast path reads whole words, the last one overlapping: a byte with its high bit set at any place
    /// of any length from 0 to 40 must still reach the parser, which tells a valid sequence from an invalid one.
    func testUTF8ValidationFindsANonASCIIByteAtEveryPlaceOfEveryLength() {
        for length in 0...40 {
            let ascii = (0..<length).map { UInt8(0x21 + $0 % 90) }
            XCTAssertTrue(ascii.withUnsafeBytes { isValidUTF8($0) }, "ASCII, length \(length)")
            for place in 0..<length {
                var invalid = ascii
                invalid[place] = 0x80
                XCTAssertFalse(invalid.withUnsafeBytes { isValidUTF8($0) }, "lone 0x80 at \(place) of \(length)")
                var lead = ascii
                lead[place] = 0xC3
                let expected = place + 1 < length && ascii[place + 1] >= 0x80
                XCTAssertEqual(lead.withUnsafeBytes { isValidUTF8($0) }, expected, "0xC3 at \(place) of \(length)")
                guard place + 1 < length else { continue }
                var valid = ascii
                valid[place] = 0xC3
                valid[place + 1] = 0xA9
                XCTAssertTrue(valid.withUnsafeBytes { isValidUTF8($0) }, "é at \(place) of \(length)")
            }
        }
    }

    /// A payload buffer reused from a larger batch keeps that batch's bytes past the smaller one's end: the smaller
    /// batch must decode to exactly its own records, and a smaller batch whose last record claims more bytes than its
    /// payload holds must fail, not borrow the leftovers.
    func testABatchDecodedIntoTheBufferOfALargerOneSeesOnlyItsOwnBytes() throws {
        let large = makeRecords(count: 40) { index in (0..<200).map { UInt8(truncatingIfNeeded: $0 * 31 + index) } }
        let small = makeRecords(count: 3, base: 50) { index in Array(repeating: UInt8(index + 1), count: 10) }
        var scratch: [UInt8] = []
        let largeBatch = try encode(large).withUnsafeBytes { BatchCodec.decode($0, reusing: &scratch) }.get()
        XCTAssertEqual(largeBatch.records(), large)
        let smallBatch = try encode(small).withUnsafeBytes { BatchCodec.decode($0, reusing: &scratch) }.get()
        XCTAssertEqual(smallBatch.records(), small)
        XCTAssertGreaterThan(
            smallBatch.payload.count, Int(smallBatch.header.uncompressedLength), "the buffer was reused")
        var viewed: [[UInt8]] = []
        smallBatch.forEachRecordBytes { viewed.append(Array($0)) }
        XCTAssertEqual(viewed, small.map { RecordLayout.bytes(of: $0) })

        // The small batch with its last record's length raised by 8, and the header and checksum made to agree: the
        // 8 bytes it now claims would lie in the large batch's leftovers.
        var payload = small.flatMap { record in
            let bytes = RecordLayout.bytes(of: record)
            return [UInt8(bytes.count), 0, 0, 0] + bytes
        }
        let lastLengthAt = payload.count - RecordLayout.bytes(of: small[2]).count - 4
        let length = UInt32(payload[lastLengthAt]) + 8
        payload[lastLengthAt] = UInt8(length)
        let header = BatchHeader(
            flags: 0, recordCount: 3, basePosition: 50, firstRecordedTime: small[0].recordedTimeMicroseconds,
            lastRecordedTime: small[2].recordedTimeMicroseconds, uncompressedLength: UInt32(payload.count),
            storedLength: UInt32(payload.count), checksum: 0)
        var writer = ByteWriter(capacity: BatchHeader.byteCount)
        header.encode(into: &writer)
        var bytes = writer.bytes + payload
        _ = bytes.sealChecksum()
        _ = try encode(large).withUnsafeBytes { BatchCodec.decode($0, reusing: &scratch) }.get()
        switch bytes.withUnsafeBytes({ BatchCodec.decode($0, reusing: &scratch) }) {
        case .success: XCTFail("a record running past its payload was accepted")
        case .failure(let defect):
            XCTAssertEqual(defect, .badPayload("record 2 length \(length) is impossible"))
        }
    }

    func testRecordViewsReadTheSameFieldsAsDecodedRecords() throws {
        let records = makeRecords(count: 20) { Array("payload \($0)".utf8) }
        let bytes = encode(records)
        let batch = try bytes.withUnsafeBytes { try BatchCodec.decode($0).get() }
        var viewed: [LogRecord] = []
        XCTAssertTrue(
            batch.forEachRecordView {
                viewed.append($0.record)
                return true
            })
        XCTAssertEqual(viewed, records)
    }
}
