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

    /// One record's bytes as the payload frames them: the u32 length, then the fields of `RecordLayout`, with the
    /// stream id given as raw bytes (so that it can be any bytes, valid UTF-8 or not).
    private struct RawRecord {
        var position: UInt64
        var time: Int64
        var version: UInt64 = 1
        var eventID: [UInt8] = Array(repeating: 0xFF, count: 16)
        var stream: [UInt8] = Array("patient-1".utf8)
        var payload: [UInt8] = Array(repeating: 0xFF, count: 20)
        /// The stream id length as stored, when it is not `stream.count`.
        var storedStreamCount: Int?
        /// The record length as stored, when it is not the bytes' count.
        var storedLength: UInt32?

        var framed: [UInt8] {
            var writer = ByteWriter()
            writer.append(position)
            writer.append(time)
            writer.append(version)
            writer.append(contentsOf: eventID)
            writer.append(UInt16(storedStreamCount ?? stream.count))
            writer.append(contentsOf: stream)
            writer.append(contentsOf: payload)
            var length = ByteWriter()
            length.append(storedLength ?? UInt32(writer.bytes.count))
            return length.bytes + writer.bytes
        }
    }

    /// A raw (uncompressed) batch of `payload` whose header says `recordCount` records from position `base`, recorded
    /// from `first` to `last`, with a valid checksum: only the record checks can find fault with it.
    private func rawBatch(
        _ payload: [UInt8], recordCount: Int, base: UInt64 = 100, first: Int64 = 5_000, last: Int64 = 5_009
    ) -> [UInt8] {
        let header = BatchHeader(
            flags: 0, recordCount: UInt32(recordCount), basePosition: base, firstRecordedTime: first,
            lastRecordedTime: last, uncompressedLength: UInt32(payload.count), storedLength: UInt32(payload.count),
            checksum: 0)
        var writer = ByteWriter(capacity: BatchHeader.byteCount + payload.count)
        header.encode(into: &writer)
        var bytes = writer.bytes + payload
        _ = bytes.sealChecksum()
        return bytes
    }

    /// Five records at positions 100 to 104, recorded at 5 000, 5 002 ... 5 008 (the header says 5 000 to 5 008).
    private func fiveRecords() -> [RawRecord] {
        (0..<5).map { RawRecord(position: 100 + UInt64($0), time: 5_000 + 2 * Int64($0)) }
    }

    private func decodeRecords(
        _ records: [RawRecord], trailing: [UInt8] = [], recordCount: Int? = nil, first: Int64 = 5_000,
        last: Int64 = 5_008
    ) -> Result<DecodedBatch, BatchDefect> {
        let bytes = rawBatch(
            records.flatMap(\.framed) + trailing, recordCount: recordCount ?? records.count, first: first, last: last)
        return bytes.withUnsafeBytes { BatchCodec.decode($0) }
    }

    /// Every check of the records in a batch's payload, each broken in the first record and in a later one, names the
    /// record and the fault exactly; with two faults in one batch, the first record's is the one reported.
    /// The highest stream version a batch holds (2^64 − 2) is one an index entry can hold too: every batch the decoder
    /// accepts can be indexed (the BatchDecoder fuzz target found a batch at 2^64 − 1 accepted but not indexable).
    func testTheHighestStreamVersionIsIndexable() throws {
        let record = LogRecord(
            position: 15, recordedTimeMicroseconds: 1_000, stream: "patient-3", streamVersion: .max - 1,
            eventID: EventID(high: 1, low: 2), payload: [1, 2, 3])
        let encoded = BatchCodec.encode([record])
        let batch = try encoded.withUnsafeBytes { try BatchCodec.decode($0).get() }
        XCTAssertEqual(batch.records(), [record])
        var index = SegmentIndex(basePosition: 15)
        index.add(batch: batch, at: 0, intervalBytes: 4096)
        let decoded = try SegmentIndex.decode(index.encode()).get()
        XCTAssertEqual(decoded.streams["patient-3"]?.firstVersion, .max - 1)
    }

    func testEachRecordCheckNamesTheFirstRecordAtFault() {
        XCTAssertNoThrow(try decodeRecords(fiveRecords()).get())
        typealias Fault = (name: String, break: (inout RawRecord) -> Void, reason: (Int) -> String)
        let faults: [Fault] = [
            ("short length", { $0.storedLength = 42 }, { "record \($0) length 42 is impossible" }),
            ("long length", { $0.storedLength = 100_000 }, { "record \($0) length 100000 is impossible" }),
            ("position", { $0.position += 7 }, { _ in "" }),
            ("time before the previous", { $0.time = 4_999 }, { "record \($0) recorded time is out of order" }),
            ("time after the last", { $0.time = 5_009 }, { "record \($0) recorded time is out of order" }),
            ("empty stream id", { $0.stream = [] }, { "record \($0) stream is malformed" }),
            (
                "stream id past the record", { $0.storedStreamCount = $0.stream.count + $0.payload.count + 1 },
                { "record \($0) stream is malformed" }
            ),
            ("version 0", { $0.version = 0 }, { "record \($0) stream is malformed" }),
            // An index entry's last version + 1 must fit in 64 bits (found by the BatchDecoder fuzz target).
            ("version 2^64 - 1", { $0.version = .max }, { "record \($0) stream is malformed" }),
            ("lone continuation byte", { $0.stream[3] = 0x80 }, { "record \($0) stream is malformed" }),
            ("cut UTF-8 sequence", { $0.stream[$0.stream.count - 1] = 0xC3 }, { "record \($0) stream is malformed" }),
        ]
        for fault in faults {
            for index in [0, 3] {
                var records = fiveRecords()
                fault.break(&records[index])
                let reason =
                    fault.name == "position"
                    ? "record \(index) has position \(records[index].position)" : fault.reason(index)
                XCTAssertEqual(
                    decodeRecords(records).map(\.header), .failure(.badPayload(reason)), "\(fault.name) in \(index)")
                // A second fault further on is not the one reported.
                records[4].stream[0] = 0xFF
                XCTAssertEqual(
                    decodeRecords(records).map(\.header), .failure(.badPayload(reason)), "\(fault.name), then 4")
            }
        }
        let records = fiveRecords()
        XCTAssertEqual(
            decodeRecords(records, recordCount: 6).map(\.header),
            .failure(.badPayload("record 5 framing runs past the payload")))
        XCTAssertEqual(
            decodeRecords(records, trailing: [0, 0, 0]).map(\.header),
            .failure(.badPayload("bytes left after the last record")))
        XCTAssertEqual(
            decodeRecords(records, last: 5_009).map(\.header),
            .failure(.badPayload("recorded times disagree with the header")))
        XCTAssertEqual(
            decodeRecords(records, first: 4_999).map(\.header),
            .failure(.badPayload("recorded times disagree with the header")))
        var valid = fiveRecords()
        valid[2].stream = Array("patient-Zoë-\u{1F600}".utf8)
        XCTAssertNoThrow(try decodeRecords(valid).get())
    }

    /// A stream id is checked for UTF-8 through a 64-byte window that ends with it when it is at most 64 bytes long and
    /// ends at least 64 bytes into the payload, and word by word otherwise. For every length from 1 to 80, in the first
    /// record (word by word up to 17 bytes, as its id starts at payload byte 46) and in the third (the window up to 64
    /// bytes, word by word beyond): the bytes before the id, all with their high bit set, must not count, and a byte
    /// with its high bit set at any place of the id must reach the UTF-8 parser.
    func testAStreamIDOfEveryLengthIsCheckedWhereverItLies() throws {
        for length in 1...80 {
            let ascii = (0..<length).map { UInt8(0x21 + $0 % 90) }
            func records(withStream stream: [UInt8], at index: Int) -> [RawRecord] {
                var records = (0..<4).map { RawRecord(position: 100 + UInt64($0), time: 5_000) }
                for number in records.indices { records[number].stream = ascii }
                records[index].stream = stream
                return records
            }
            for index in [0, 2] {
                let context = "length \(length), record \(index)"
                let batch = try decodeRecords(records(withStream: ascii, at: index), first: 5_000, last: 5_000).get()
                var streams: [[UInt8]] = []
                _ = batch.forEachRecordView {
                    streams.append(Array($0.streamUTF8))
                    return true
                }
                XCTAssertEqual(streams, Array(repeating: ascii, count: 4), context)
                for place in 0..<length {
                    var invalid = ascii
                    invalid[place] = 0x80
                    XCTAssertEqual(
                        decodeRecords(records(withStream: invalid, at: index), first: 5_000, last: 5_000).map(\.header),
                        .failure(.badPayload("record \(index) stream is malformed")), "\(context), 0x80 at \(place)")
                    guard place + 1 < length else { continue }
                    var valid = ascii
                    valid[place] = 0xC3
                    valid[place + 1] = 0xA9
                    XCTAssertNoThrow(
                        try decodeRecords(records(withStream: valid, at: index), first: 5_000, last: 5_000).get(),
                        "\(context), é at \(place)")
                }
            }
        }
    }

    /// A batch hands out the views of its records from a position by their index: none before it, every one from it
    /// (a position before the batch gives them all, one after it none), and stops when the body says so.
    func testRecordViewsFromAPositionStartAtThatRecord() throws {
        let records = makeRecords(count: 20) { Array("payload \($0)".utf8) }
        let batch = try encode(records).withUnsafeBytes { try BatchCodec.decode($0).get() }
        for start in [UInt64(0), 9, 10, 11, 19, 29, 30, 31, .max] {
            var viewed: [LogRecord] = []
            XCTAssertTrue(
                batch.forEachRecordView(from: start) {
                    viewed.append($0.record)
                    return true
                })
            XCTAssertEqual(viewed, records.filter { $0.position >= start }, "from \(start)")
        }
        var positions: [UInt64] = []
        XCTAssertFalse(
            batch.forEachRecordView(from: 12) {
                positions.append($0.position)
                return positions.count < 3
            })
        XCTAssertEqual(positions, [12, 13, 14])
        struct Stop: Error, Equatable { var position: UInt64 }
        XCTAssertThrowsError(
            try batch.forEachRecordView(from: 15) { (view: LogRecordView) throws(Stop) -> Bool in
                throw Stop(position: view.position)
            }
        ) { XCTAssertEqual($0 as? Stop, Stop(position: 15)) }
    }
}
