/// A batch read back from disk and checked: its header, its uncompressed payload and where each record lies in it.
struct DecodedBatch: Sendable {
    var header: BatchHeader
    /// The uncompressed payload: `recordCount` records, each a u32 LE length and that many record bytes.
    var payload: [UInt8]
    /// Where each record's bytes (after its length prefix) lie in `payload`.
    var recordRanges: [Range<Int>]

    /// Calls `body` with the bytes of each record in order: what its Merkle leaf hashes.
    func forEachRecordBytes(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try payload.withUnsafeBytes { all in
            for range in recordRanges {
                try body(UnsafeRawBufferPointer(rebasing: all[range]))
            }
        }
    }

    /// The decoded records.
    func records() -> [LogRecord] {
        var records: [LogRecord] = []
        records.reserveCapacity(recordRanges.count)
        payload.withUnsafeBytes { all in
            for range in recordRanges {
                // Ranges were validated by `BatchCodec.decode`.
                if let record = RecordLayout.decode(UnsafeRawBufferPointer(rebasing: all[range])) {
                    records.append(record)
                }
            }
        }
        return records
    }
}

/// A batch ready to write: its bytes, its header, and the Merkle leaf hash of each record.
struct EncodedBatch: Sendable {
    var bytes: [UInt8]
    var header: BatchHeader
    var leafHashes: [MerkleDigest]
}

/// Builds batches from records and checks batches read from disk.
enum BatchCodec {
    /// Encodes `records` (consecutive positions, non-decreasing recorded times) as one batch.
    static func encode(_ records: [LogRecord], streamUTF8: [[UInt8]]) -> [UInt8] {
        encodeWithLeaves(records, streamUTF8: streamUTF8).bytes
    }

    /// Encodes `records` as one batch and hashes each record's bytes as a Merkle leaf.
    static func encodeWithLeaves(_ records: [LogRecord], streamUTF8: [[UInt8]]) -> EncodedBatch {
        precondition(!records.isEmpty && records.count == streamUTF8.count, "a batch holds at least one record")
        var payloadWriter = ByteWriter(
            capacity: records.reduce(0) { $0 + 4 + RecordLayout.fixedBytes + $1.stream.utf8.count + $1.payload.count })
        var recordRanges: [Range<Int>] = []
        recordRanges.reserveCapacity(records.count)
        for (record, stream) in zip(records, streamUTF8) {
            let start = payloadWriter.bytes.count + 4
            RecordLayout.appendFramed(record, streamUTF8: stream, to: &payloadWriter)
            recordRanges.append(start..<payloadWriter.bytes.count)
        }
        let payload = payloadWriter.bytes
        let leafHashes = payload.withUnsafeBytes { raw in
            recordRanges.map { MerkleHash.leaf(UnsafeRawBufferPointer(rebasing: raw[$0])) }
        }
        let compressed = LZ4Block.compress(payload)
        let stored = compressed ?? payload
        var header = BatchHeader(
            flags: compressed == nil ? 0 : BatchHeader.flagLZ4,
            recordCount: UInt32(records.count),
            basePosition: records[0].position,
            firstRecordedTime: records[0].recordedTimeMicroseconds,
            lastRecordedTime: records[records.count - 1].recordedTimeMicroseconds,
            uncompressedLength: UInt32(payload.count),
            storedLength: UInt32(stored.count),
            checksum: 0)
        var writer = ByteWriter(capacity: BatchHeader.byteCount + stored.count)
        header.encode(into: &writer)
        writer.append(contentsOf: stored)
        header.checksum = writer.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[8...])) }
        writer.set(header.checksum, at: 4)
        return EncodedBatch(bytes: writer.bytes, header: header, leafHashes: leafHashes)
    }

    /// Checks the batch that starts at the beginning of `bytes` (which may hold more after it) and decodes it.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<DecodedBatch, BatchDefect> {
        let header: BatchHeader
        switch BatchHeader.parse(bytes) {
        case .failure(let defect): return .failure(defect)
        case .success(let parsed): header = parsed
        }
        guard bytes.count >= header.batchByteCount else { return .failure(.truncated) }
        let covered = UnsafeRawBufferPointer(rebasing: bytes[8..<header.batchByteCount])
        guard CRC32C.checksum(covered) == header.checksum else { return .failure(.badChecksum) }
        let stored = UnsafeRawBufferPointer(rebasing: bytes[BatchHeader.byteCount..<header.batchByteCount])
        let payload: [UInt8]
        if header.isCompressed {
            guard let expanded = LZ4Block.decompress(stored, decompressedCount: Int(header.uncompressedLength)) else {
                return .failure(.badPayload("LZ4 block does not expand to the stated length"))
            }
            payload = expanded
        } else {
            payload = [UInt8](stored)
        }
        return validateRecords(header: header, payload: payload)
    }

    private static func validateRecords(header: BatchHeader, payload: [UInt8]) -> Result<DecodedBatch, BatchDefect> {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(Int(header.recordCount))
        let defect: BatchDefect? = payload.withUnsafeBytes { all in
            var offset = 0
            var previousTime = header.firstRecordedTime
            for index in 0..<Int(header.recordCount) {
                guard all.count - offset >= 4 else { return .badPayload("record \(index) framing runs past the payload") }
                let length = Int(all.littleEndian(at: offset, as: UInt32.self))
                offset += 4
                guard length >= RecordLayout.fixedBytes + 1, length <= all.count - offset else {
                    return .badPayload("record \(index) length \(length) is impossible")
                }
                let record = UnsafeRawBufferPointer(rebasing: all[offset..<offset + length])
                let position = record.littleEndian(at: 0, as: UInt64.self)
                guard position == header.basePosition + UInt64(index) else {
                    return .badPayload("record \(index) has position \(position)")
                }
                let time = Int64(bitPattern: record.littleEndian(at: 8, as: UInt64.self))
                guard time >= previousTime, time <= header.lastRecordedTime else {
                    return .badPayload("record \(index) recorded time is out of order")
                }
                previousTime = time
                let streamCount = Int(record.littleEndian(at: 40, as: UInt16.self))
                guard streamCount >= 1, RecordLayout.fixedBytes + streamCount <= length,
                    record.littleEndian(at: 16, as: UInt64.self) >= 1,
                    String(
                        validating: UnsafeRawBufferPointer(
                            rebasing: record[RecordLayout.fixedBytes..<RecordLayout.fixedBytes + streamCount]),
                        as: UTF8.self) != nil
                else { return .badPayload("record \(index) stream is malformed") }
                ranges.append(offset..<offset + length)
                offset += length
            }
            guard offset == all.count else { return .badPayload("bytes left after the last record") }
            guard previousTime == header.lastRecordedTime,
                all.littleEndian(at: 4 + 8, as: UInt64.self) == UInt64(bitPattern: header.firstRecordedTime)
            else { return .badPayload("recorded times disagree with the header") }
            return nil
        }
        if let defect { return .failure(defect) }
        return .success(DecodedBatch(header: header, payload: payload, recordRanges: ranges))
    }
}
