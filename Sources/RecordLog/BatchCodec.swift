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

    /// Calls `body` with a view of each record at or after `position`, in order, valid only during the call, until it
    /// returns false; returns false when it did. The records before `position` are skipped by their index, as
    /// ``BatchCodec/decode(_:reusing:)`` checked that record `i` has position `basePosition + i`.
    func forEachRecordView<Failure: Error>(
        from position: UInt64 = 0, _ body: (LogRecordView) throws(Failure) -> Bool
    ) throws(Failure) -> Bool {
        let skipped =
            position > header.basePosition
            ? Int(min(position - header.basePosition, UInt64(recordRanges.count))) : 0
        // `withUnsafeBytes` rethrows untyped errors: the typed one is carried out in a `Result`.
        let outcome = payload.withUnsafeBytes { all -> Result<Bool, Failure> in
            for range in recordRanges[skipped...] {
                do throws(Failure) {
                    if try !body(LogRecordView(bytes: UnsafeRawBufferPointer(rebasing: all[range]))) {
                        return .success(false)
                    }
                } catch {
                    return .failure(error)
                }
            }
            return .success(true)
        }
        return try outcome.get()
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
    /// on every read of the log, so it reads through one raw pointer and checks a stream id's bytes for ASCII in line
    /// (only an id with a byte above 0x7F goes through the UTF-8 parser).
    private static func validateRecords(
        header: BatchHeader, payload: [UInt8], payloadCount: Int
    ) -> Result<DecodedBatch, BatchDefect> {
        let recordCount = Int(header.recordCount)
        var defect: BatchDefect?
        let ranges = [Range<Int>](unsafeUninitializedCapacity: recordCount) { ranges, initialized in
            guard let rangeBase = ranges.baseAddress else { return }
            defect = payload.withUnsafeBytes { whole -> BatchDefect? in
                // `parse` checked `payloadCount >= recordCount * 47 >= 47`, and `decode` sized the buffer for it.
                precondition(payloadCount >= 1 && payloadCount <= whole.count, "the payload buffer holds the payload")
                let all = whole.baseAddress!
                let fixedBytes = RecordLayout.fixedBytes
                var offset = 0
                var previousTime = header.firstRecordedTime
                var expectedPosition = header.basePosition
                for index in 0..<recordCount {
                    guard payloadCount - offset >= 4 else {
                        return .badPayload("record \(index) framing runs past the payload")
                    }
                    let length = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    let start = offset + 4
                    guard length >= fixedBytes + 1, length <= payloadCount - start else {
                        return .badPayload("record \(index) length \(length) is impossible")
                    }
                    let record = all + start
                    let position = UInt64(littleEndian: record.loadUnaligned(as: UInt64.self))
                    guard position == expectedPosition else {
                        return .badPayload("record \(index) has position \(position)")
                    }
                    let time = Int64(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: Int64.self))
                    guard time >= previousTime, time <= header.lastRecordedTime else {
                        return .badPayload("record \(index) recorded time is out of order")
                    }
                    previousTime = time
                    let streamCount = Int(
                        UInt16(littleEndian: record.loadUnaligned(fromByteOffset: 40, as: UInt16.self)))
                    guard streamCount >= 1, fixedBytes + streamCount <= length,
                        // Versions run 1 ... 2^64 − 2: an index entry's last version + 1 must fit in 64 bits.
                        (1..<UInt64.max).contains(
                            UInt64(littleEndian: record.loadUnaligned(fromByteOffset: 16, as: UInt64.self))),
                        isASCII(all, at: start + fixedBytes, count: streamCount)
                            || isValidUTF8(UnsafeRawBufferPointer(start: record + fixedBytes, count: streamCount))
                    else { return .badPayload("record \(index) stream is malformed") }
                    (rangeBase + index).initialize(to: start..<start + length)
                    initialized = index + 1
                    offset = start + length
                    expectedPosition &+= 1
                }
                guard offset == payloadCount else { return .badPayload("bytes left after the last record") }
                guard previousTime == header.lastRecordedTime,
                    UInt64(littleEndian: all.loadUnaligned(fromByteOffset: 4 + 8, as: UInt64.self))
                        == UInt64(bitPattern: header.firstRecordedTime)
                else { return .badPayload("recorded times disagree with the header") }
                return nil
            }
        }
        if let defect { return .failure(defect) }
        return .success(DecodedBatch(header: header, payload: payload, recordRanges: ranges))
    }

    /// Whether the `count` (at least 1) bytes of `payload` at `offset` (a stream id) are all ASCII. An id of at most
    /// 64 bytes that ends at least 64 bytes into the payload (nearly every one) is checked without a branch on its
    /// length: the 64 bytes that end with it are read as four vectors and the bytes before the id masked off. Any
    /// other id is ORed eight bytes at a time, the last eight overlapping.
    @inline(__always)
    private static func isASCII(_ payload: UnsafeRawPointer, at offset: Int, count: Int) -> Bool {
        let end = offset + count
        if count <= 64, end >= 64 {
            let window = payload + (end - 64)
            // Byte `k` of the window is in the id when `k >= 64 - count`; a mask's lanes are all ones where it holds.
            let dropped = SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: 64 - count))
            let highBits =
                idBytes(window, lanes: SIMD16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), dropped: dropped)
                | idBytes(
                    window + 16, lanes: SIMD16(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31),
                    dropped: dropped)
                | idBytes(
                    window + 32, lanes: SIMD16(32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47),
                    dropped: dropped)
                | idBytes(
                    window + 48, lanes: SIMD16(48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63),
                    dropped: dropped)
            let words = unsafeBitCast(highBits, to: SIMD2<UInt64>.self)
            return (words[0] | words[1]) & 0x8080_8080_8080_8080 == 0
        }
        let stream = payload + offset
        var highBits: UInt64 = 0
        var index = 0
        while index + 8 <= count {
            highBits |= stream.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        if count < 8 {
            for index in 0..<count { highBits |= UInt64(stream.load(fromByteOffset: index, as: UInt8.self)) }
        } else {
            highBits |= stream.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        return highBits & 0x8080_8080_8080_8080 == 0
    }

    /// The 16 bytes at `bytes`, each set to zero where its lane in `lanes` (the window byte it is) is below `dropped`.
    @inline(__always)
    private static func idBytes(
        _ bytes: UnsafeRawPointer, lanes: SIMD16<UInt8>, dropped: SIMD16<UInt8>
    ) -> SIMD16<UInt8> {
        bytes.loadUnaligned(as: SIMD16<UInt8>.self).replacing(with: 0, where: lanes .< dropped)
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
