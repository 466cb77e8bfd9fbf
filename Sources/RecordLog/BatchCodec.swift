/// A batch read back from disk and checked: its header, its uncompressed payload and where each record lies in it.
struct DecodedBatch: Sendable {
    var header: BatchHeader
    /// The uncompressed payload: `recordCount` records, each a u32 LE length and that many record bytes (the array
    /// may be longer: it is a reused buffer; `recordRanges` say where the records are).
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

    /// Calls `body` with a view of each record, in order, valid only during the call.
    func forEachRecordView(_ body: (LogRecordView) throws -> Bool) rethrows -> Bool {
        try payload.withUnsafeBytes { all in
            for range in recordRanges {
                if try !body(LogRecordView(bytes: UnsafeRawBufferPointer(rebasing: all[range]))) { return false }
            }
            return true
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
    static func encode(_ records: [LogRecord]) -> [UInt8] {
        encodeWithLeaves(records).bytes
    }

    /// Encodes `records` as one batch and hashes each record's bytes as a Merkle leaf. The hot path of every append:
    /// the payload is written in one pass with each leaf hashed while its bytes are in cache, then compressed straight
    /// into the batch buffer behind the header.
    static func encodeWithLeaves(_ records: [LogRecord]) -> EncodedBatch {
        precondition(!records.isEmpty, "a batch holds at least one record")
        var payloadCount = 0
        for record in records {
            payloadCount += 4 + RecordLayout.fixedBytes + record.stream.utf8.count + record.payload.count
        }
        // A large batch hashes its leaves on a second thread while this one compresses it (`runAlongside`).
        let alongside = records.count >= recordsHandedOverMin
        var leafHashes: [MerkleDigest] = []
        var recordStarts: [Int] = []
        if alongside {
            recordStarts.reserveCapacity(records.count + 1)
        } else {
            leafHashes.reserveCapacity(records.count)
        }
        let payload = [UInt8](unsafeUninitializedCapacity: payloadCount) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            for record in records {
                let start = offset
                offset = RecordLayout.write(record, into: raw, at: offset)
                if alongside {
                    recordStarts.append(start)
                } else {
                    leafHashes.append(
                        Self.leafHash(ofFramedRecord: UnsafeRawBufferPointer(rebasing: raw[start..<offset])))
                }
            }
            precondition(offset == payloadCount, "record sizes were computed before writing")
            recordStarts.append(offset)
            initialized = payloadCount
        }
        let header = BatchHeader.byteCount
        let bound = LZ4Block.compressBound(payloadCount)
        var storedCount = 0
        var isCompressed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: header + max(bound, payloadCount)) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            let destination = UnsafeMutableRawBufferPointer(rebasing: raw[header...])
            let compressed = payload.withUnsafeBytes { source -> Int? in
                guard alongside else { return LZ4Block.compress(source, into: destination) }
                var compressed: Int?
                leafHashes = [MerkleDigest](unsafeUninitializedCapacity: records.count) { hashes, count in
                    let handed = HandedOver(value: (source: source, hashes: hashes, starts: recordStarts))
                    runAlongside(
                        {
                            let (source, hashes, starts) = handed.value
                            for index in 0..<(starts.count - 1) {
                                let framed = UnsafeRawBufferPointer(rebasing: source[starts[index]..<starts[index + 1]])
                                (hashes.baseAddress! + index).initialize(to: Self.leafHash(ofFramedRecord: framed))
                            }
                        },
                        { compressed = LZ4Block.compress(source, into: destination) })
                    count = records.count
                }
                return compressed
            }
            if let compressed, compressed < payloadCount {
                storedCount = compressed
                isCompressed = true
            } else {
                payload.withUnsafeBytes { destination.copyMemory(from: $0) }
                storedCount = payloadCount
            }
            raw.baseAddress?.initializeMemory(as: UInt8.self, repeating: 0, count: header)
            initialized = header + storedCount
        }
        var batchHeader = BatchHeader(
            flags: isCompressed ? BatchHeader.flagLZ4 : 0,
            recordCount: UInt32(records.count),
            basePosition: records[0].position,
            firstRecordedTime: records[0].recordedTimeMicroseconds,
            lastRecordedTime: records[records.count - 1].recordedTimeMicroseconds,
            uncompressedLength: UInt32(payloadCount),
            storedLength: UInt32(storedCount),
            checksum: 0)
        var headerWriter = ByteWriter(capacity: header)
        batchHeader.encode(into: &headerWriter)
        bytes.replaceSubrange(0..<header, with: headerWriter.bytes)
        batchHeader.checksum = bytes.sealChecksum()
        return EncodedBatch(bytes: bytes, header: batchHeader, leafHashes: leafHashes)
    }

    /// The Merkle leaf of one record as the payload frames it (its u32 length, then its bytes). Below 16 MiB the
    /// length's last byte is zero: with it in front, the record bytes are exactly what the leaf hashes,
    /// SHA-256(0x00 || record), in one update.
    private static func leafHash(ofFramedRecord framed: UnsafeRawBufferPointer) -> MerkleDigest {
        if framed[3] == 0 {
            return MerkleHash.leaf(zeroPrefixedRecord: UnsafeRawBufferPointer(rebasing: framed[3...]))
        }
        return MerkleHash.leaf(UnsafeRawBufferPointer(rebasing: framed[4...]))
    }

    /// Checks the batch that starts at the beginning of `bytes` (which may hold more after it) and decodes it.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<DecodedBatch, BatchDefect> {
        var scratch: [UInt8] = []
        return decode(bytes, reusing: &scratch)
    }

    /// Checks and decodes the batch at the start of `bytes`, expanding its payload into `scratch`, whose storage is
    /// reused from one batch to the next as long as no earlier ``DecodedBatch`` still holds it.
    static func decode(_ bytes: UnsafeRawBufferPointer, reusing scratch: inout [UInt8]) -> Result<
        DecodedBatch, BatchDefect
    > {
        let header: BatchHeader
        switch BatchHeader.parse(bytes) {
        case .failure(let defect): return .failure(defect)
        case .success(let parsed): header = parsed
        }
        guard bytes.count >= header.batchByteCount else { return .failure(.truncated) }
        let covered = UnsafeRawBufferPointer(rebasing: bytes[8..<header.batchByteCount])
        guard CRC32C.checksum(covered) == header.checksum else { return .failure(.badChecksum) }
        let stored = UnsafeRawBufferPointer(rebasing: bytes[BatchHeader.byteCount..<header.batchByteCount])
        let payloadCount = Int(header.uncompressedLength)
        if scratch.count < payloadCount {
            // Grown with headroom, so that batches of varying sizes do not each allocate (and zero) a new buffer.
            // Not zeroed: the records are read only from a payload expanded (or copied) whole over it below.
            let capacity = max(payloadCount, min(2 * scratch.count, 16 << 20))
            scratch = [UInt8](unsafeUninitializedCapacity: capacity) { _, initialized in initialized = capacity }
        }
        let expanded = scratch.withUnsafeMutableBytes { destination -> Bool in
            let target = UnsafeMutableRawBufferPointer(rebasing: destination[0..<payloadCount])
            if header.isCompressed {
                return LZ4Block.decompress(stored, into: target)
            }
            target.copyMemory(from: stored)
            return true
        }
        guard expanded else { return .failure(.badPayload("LZ4 block does not expand to the stated length")) }
        return validateRecords(header: header, payload: scratch, payloadCount: payloadCount)
    }

    /// Checks the framing and fixed fields of every record of the expanded payload against `header` and notes where
    /// each record lies. Ranges are written straight into an array sized for `recordCount`: this runs once per record
    /// on every read of the log.
    private static func validateRecords(
        header: BatchHeader, payload: [UInt8], payloadCount: Int
    ) -> Result<DecodedBatch, BatchDefect> {
        let recordCount = Int(header.recordCount)
        var defect: BatchDefect?
        let ranges = [Range<Int>](unsafeUninitializedCapacity: recordCount) { ranges, initialized in
            defect = payload.withUnsafeBytes { whole in
                let all = UnsafeRawBufferPointer(rebasing: whole[0..<payloadCount])
                var offset = 0
                var previousTime = header.firstRecordedTime
                for index in 0..<recordCount {
                    guard all.count - offset >= 4 else {
                        return .badPayload("record \(index) framing runs past the payload")
                    }
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
                        isValidUTF8(
                            UnsafeRawBufferPointer(
                                rebasing: record[RecordLayout.fixedBytes..<RecordLayout.fixedBytes + streamCount]))
                    else { return .badPayload("record \(index) stream is malformed") }
                    (ranges.baseAddress! + index).initialize(to: offset..<offset + length)
                    initialized = index + 1
                    offset += length
                }
                guard offset == all.count else { return .badPayload("bytes left after the last record") }
                guard previousTime == header.lastRecordedTime,
                    all.littleEndian(at: 4 + 8, as: UInt64.self) == UInt64(bitPattern: header.firstRecordedTime)
                else { return .badPayload("recorded times disagree with the header") }
                return nil
            }
        }
        if let defect { return .failure(defect) }
        return .success(DecodedBatch(header: header, payload: payload, recordRanges: ranges))
    }
}

/// Whether `bytes` are valid UTF-8, without allocating: all-ASCII bytes (stream ids nearly always are) are found by
/// OR-ing them eight at a time, the last eight overlapping; anything else goes through the UTF-8 parser.
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let count = bytes.count
    var highBits: UInt64 = 0
    if count >= 8 {
        var index = 0
        while index + 8 <= count {
            highBits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        highBits |= bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    } else {
        for byte in bytes { highBits |= UInt64(byte) }
    }
    if highBits & 0x8080_8080_8080_8080 == 0 { return true }
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}
