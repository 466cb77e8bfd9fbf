/// The 64-byte uncompressed header in front of every batch (all integers little-endian).
///
/// ```
/// offset size field
///      0    4 magic 0x43 0x4C 0x42 0x31 ("CLB1")
///      4    4 CRC-32C of bytes 8 ..< 64 + stored payload length (the rest of the header and the payload)
///      8    2 format version (1)
///     10    2 flags: bit 0 = payload is one LZ4 block; all other bits 0
///     12    4 record count (at least 1)
///     16    8 base position: position of the first record
///     24    8 first recorded time, i64 microseconds since the Unix epoch
///     32    8 last recorded time, i64 microseconds
///     40    4 uncompressed payload length
///     44    4 stored payload length (compressed length when bit 0 is set, else equal to the uncompressed length)
///     48   16 reserved, zero
/// ```
struct BatchHeader: Equatable, Sendable {
    static let byteCount = 64
    static let magic: [UInt8] = [0x43, 0x4C, 0x42, 0x31]
    static let formatVersion: UInt16 = 1
    static let flagLZ4: UInt16 = 1

    var flags: UInt16
    var recordCount: UInt32
    var basePosition: UInt64
    var firstRecordedTime: Int64
    var lastRecordedTime: Int64
    var uncompressedLength: UInt32
    var storedLength: UInt32
    var checksum: UInt32

    /// The bytes the whole batch occupies: header and stored payload.
    var batchByteCount: Int { Self.byteCount + Int(storedLength) }

    /// The positions of the batch's records.
    var positions: Range<UInt64> { basePosition..<basePosition + UInt64(recordCount) }

    var isCompressed: Bool { flags & Self.flagLZ4 != 0 }

    /// Writes the header; `checksum` is written as stored in the value (fill it in with ``sealChecksum``).
    func encode(into writer: inout ByteWriter) {
        writer.append(contentsOf: Self.magic)
        writer.append(checksum)
        writer.append(Self.formatVersion)
        writer.append(flags)
        writer.append(recordCount)
        writer.append(basePosition)
        writer.append(firstRecordedTime)
        writer.append(lastRecordedTime)
        writer.append(uncompressedLength)
        writer.append(storedLength)
        writer.appendZeros(16)
    }

    /// Parses and checks the fields of a header that need no payload to check; the checksum is checked by
    /// ``BatchCodec``.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<BatchHeader, BatchDefect> {
        guard bytes.count >= byteCount else {
            return bytes.allSatisfy({ $0 == 0 }) ? .failure(.zeroHeader) : .failure(.truncated)
        }
        let header = UnsafeRawBufferPointer(rebasing: bytes[0..<byteCount])
        if header.allSatisfy({ $0 == 0 }) { return .failure(.zeroHeader) }
        guard header[0] == magic[0], header[1] == magic[1], header[2] == magic[2], header[3] == magic[3] else {
            return .failure(.badMagic)
        }
        guard header.littleEndian(at: 8, as: UInt16.self) == formatVersion else { return .failure(.unknownVersion) }
        let flags = header.littleEndian(at: 10, as: UInt16.self)
        guard flags & ~flagLZ4 == 0 else { return .failure(.badField("flags")) }
        guard header[48..<64].allSatisfy({ $0 == 0 }) else { return .failure(.badField("reserved bytes")) }
        let parsed = BatchHeader(
            flags: flags,
            recordCount: header.littleEndian(at: 12, as: UInt32.self),
            basePosition: header.littleEndian(at: 16, as: UInt64.self),
            firstRecordedTime: Int64(bitPattern: header.littleEndian(at: 24, as: UInt64.self)),
            lastRecordedTime: Int64(bitPattern: header.littleEndian(at: 32, as: UInt64.self)),
            uncompressedLength: header.littleEndian(at: 40, as: UInt32.self),
            storedLength: header.littleEndian(at: 44, as: UInt32.self),
            checksum: header.littleEndian(at: 4, as: UInt32.self))
        let maximum = LogLimits.formatMaximum
        guard parsed.recordCount >= 1, Int(parsed.recordCount) <= maximum.recordsPerBatchMax else {
            return .failure(.badField("record count"))
        }
        guard Int(parsed.uncompressedLength) <= maximum.batchBytesMax,
            parsed.uncompressedLength >= parsed.recordCount * UInt32(4 + RecordLayout.fixedBytes + 1)
        else { return .failure(.badField("uncompressed length")) }
        guard parsed.storedLength >= 1,
            parsed.isCompressed
                ? parsed.storedLength < parsed.uncompressedLength : parsed.storedLength == parsed.uncompressedLength
        else { return .failure(.badField("stored length")) }
        guard parsed.firstRecordedTime <= parsed.lastRecordedTime else { return .failure(.badField("recorded times")) }
        guard parsed.basePosition <= UInt64.max - UInt64(parsed.recordCount) else {
            return .failure(.badField("base position"))
        }
        return .success(parsed)
    }
}

/// Why bytes at a place where a batch should start are not a valid batch.
enum BatchDefect: Error, Equatable, Sendable, CustomStringConvertible {
    /// All 64 header bytes are zero: the end of the written part of a preallocated segment.
    case zeroHeader
    /// Fewer bytes remain than the header or the payload needs.
    case truncated
    case badMagic
    case unknownVersion
    case badField(String)
    case badChecksum
    case badPayload(String)
    /// A valid batch whose base position is not the one the log expects there.
    case wrongPosition(expected: UInt64, found: UInt64)
    /// A valid batch whose recorded times go backwards from the previous batch.
    case timeWentBackwards

    var description: String {
        switch self {
        case .zeroHeader: return "zero-filled header"
        case .truncated: return "batch truncated"
        case .badMagic: return "bad batch magic"
        case .unknownVersion: return "unknown batch format version"
        case .badField(let field): return "invalid batch header field: \(field)"
        case .badChecksum: return "batch checksum mismatch"
        case .badPayload(let reason): return "invalid batch payload: \(reason)"
        case .wrongPosition(let expected, let found):
            return "batch at the wrong place: expected position \(expected), found \(found)"
        case .timeWentBackwards: return "recorded time goes backwards"
        }
    }
}
