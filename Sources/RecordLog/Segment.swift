/// Names and scanning of segment files: `<20-digit base position>.segment`, a sequence of batches from byte 0.
enum SegmentFile {
    static let suffix = ".segment"
    static let indexSuffix = ".index"

    /// The file name of the segment whose first record has position `base`.
    static func name(base: UInt64) -> String { paddedPosition(base) + suffix }

    /// The file name of the index of the segment whose first record has position `base`.
    static func indexName(base: UInt64) -> String { paddedPosition(base) + indexSuffix }

    static func paddedPosition(_ position: UInt64) -> String {
        let digits = String(position)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The base position named by a segment file name, or nil for any other file.
    static func base(ofSegmentNamed name: String) -> UInt64? {
        guard name.hasSuffix(suffix) else { return nil }
        let stem = name.dropLast(suffix.count)
        guard stem.count == 20, stem.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(stem)
    }

    /// The base positions of the segments in `directory`, in ascending order.
    static func bases(in directory: String, fileSystem: any FileSystem) throws(FileSystemError) -> [UInt64] {
        try fileSystem.contentsOfDirectory(directory).compactMap(base(ofSegmentNamed:)).sorted()
    }
}

/// How a scan of a segment's bytes ended.
enum SegmentScanEnd: Equatable, Sendable {
    /// The bytes ran out exactly at a batch boundary.
    case endOfFile
    /// A zero-filled header: the rest of a preallocated segment (whether it is all zero is checked separately).
    case zeroFilled(offset: Int)
    /// Bytes that are not a valid batch, at `offset`.
    case defect(offset: Int, BatchDefect)
}

/// What a scan of a segment found: its whole batches, in order, and how it ended.
struct SegmentScan: Sendable {
    var batches: [(offset: Int, header: BatchHeader)] = []
    var end: SegmentScanEnd = .endOfFile
    /// The byte offset just after the last whole batch.
    var validByteCount: Int = 0
    /// The position after the last whole batch.
    var nextPosition: UInt64
    /// The recorded time of the last record, or the time before the segment.
    var lastRecordedTime: Int64

    /// Scans `bytes` from offset 0, expecting the first batch at `basePosition`, calling `visit` for each valid
    /// batch. Stops at the first zero header, defect or end of the bytes.
    static func scan(
        _ bytes: UnsafeRawBufferPointer, basePosition: UInt64, previousRecordedTime: Int64,
        visit: (Int, DecodedBatch) throws -> Void = { _, _ in }
    ) rethrows -> SegmentScan {
        var scratch: [UInt8] = []
        return try scan(
            bytes, basePosition: basePosition, previousRecordedTime: previousRecordedTime, reusing: &scratch,
            visit: visit)
    }

    /// Scans as ``scan(_:basePosition:previousRecordedTime:visit:)`` does, expanding every batch's payload into
    /// `scratch`, whose storage a reader keeps from one scan to the next (a batch handed to `visit` is valid as long
    /// as the caller keeps it, but it then holds the storage and the next batch gets a fresh one).
    static func scan(
        _ bytes: UnsafeRawBufferPointer, basePosition: UInt64, previousRecordedTime: Int64,
        reusing scratch: inout [UInt8], visit: (Int, DecodedBatch) throws -> Void
    ) rethrows -> SegmentScan {
        var scan = SegmentScan(nextPosition: basePosition, lastRecordedTime: previousRecordedTime)
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch BatchCodec.decode(rest, reusing: &scratch) {
            case .failure(.zeroHeader):
                scan.end = .zeroFilled(offset: offset)
                return scan
            case .failure(let defect):
                scan.end = .defect(offset: offset, defect)
                return scan
            case .success(let batch):
                guard batch.header.basePosition == scan.nextPosition else {
                    scan.end = .defect(
                        offset: offset,
                        .wrongPosition(expected: scan.nextPosition, found: batch.header.basePosition))
                    return scan
                }
                guard batch.header.firstRecordedTime >= scan.lastRecordedTime else {
                    scan.end = .defect(offset: offset, .timeWentBackwards)
                    return scan
                }
                try visit(offset, batch)
                scan.batches.append((offset, batch.header))
                offset += batch.header.batchByteCount
                scan.validByteCount = offset
                scan.nextPosition = batch.header.positions.upperBound
                scan.lastRecordedTime = batch.header.lastRecordedTime
            }
        }
        scan.end = .endOfFile
        return scan
    }

    /// Whether a valid batch (any position) starts anywhere in `bytes` after `offset`: tells damage in the middle of
    /// the log from a torn tail.
    static func containsValidBatch(_ bytes: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        let magic = BatchHeader.magic
        var candidate = offset + 1
        while candidate + BatchHeader.byteCount <= bytes.count {
            if candidate + 8 <= bytes.count, bytes.loadUnaligned(fromByteOffset: candidate, as: UInt64.self) == 0 {
                candidate += 8
                continue
            }
            if bytes[candidate] == magic[0], bytes[candidate + 1] == magic[1], bytes[candidate + 2] == magic[2],
                bytes[candidate + 3] == magic[3],
                case .success = BatchCodec.decode(UnsafeRawBufferPointer(rebasing: bytes[candidate...]))
            {
                return candidate
            }
            candidate += 1
        }
        return nil
    }
}
