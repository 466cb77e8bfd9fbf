/// The log's manifest: its identity, its sealed segments and the Merkle frontier where they end.
///
/// Rewritten atomically (write a temporary file, fsync, rename, fsync the directory) whenever a segment is sealed.
/// Layout (little-endian; see docs/log-format.md):
/// ```
///      0    4 magic "CLM1" (0x43 0x4C 0x4D 0x31)
///      4    4 CRC-32C of bytes 8 ..< end of file
///      8    2 format version (1)
///     10    2 reserved, zero
///     12    4 sealed segment count S
///     16   16 log id (random, fixed at creation)
///     32    8 base position of the active segment
///     40 S × 40 sealed segments, ascending: base u64, record count u64, data length u64,
///           last recorded time i64, CRC-32C of the whole segment file u32, reserved u32 (zero)
///      …    8 Merkle frontier size (the active segment's base position)
///      …    4 frontier hash count H (the number of one bits in the size)
///      … H × 32 frontier hashes, largest subtree first
/// ```
struct Manifest: Equatable, Sendable {
    static let fileName = "manifest"
    static let magic: [UInt8] = [0x43, 0x4C, 0x4D, 0x31]
    static let formatVersion: UInt16 = 1

    struct SealedSegment: Equatable, Sendable {
        var basePosition: UInt64
        var recordCount: UInt64
        var dataLength: UInt64
        var lastRecordedTime: Int64
        var fileChecksum: UInt32

        var nextPosition: UInt64 { basePosition + recordCount }
    }

    var logID: [UInt8]
    var sealed: [SealedSegment]
    var activeBase: UInt64
    var frontier: MerkleFrontier

    func encode() -> [UInt8] {
        var writer = ByteWriter(capacity: 64 + sealed.count * 40 + frontier.hashes.count * 32)
        writer.append(contentsOf: Self.magic)
        writer.append(UInt32(0))
        writer.append(Self.formatVersion)
        writer.append(UInt16(0))
        writer.append(UInt32(sealed.count))
        writer.append(contentsOf: logID)
        writer.append(activeBase)
        for segment in sealed {
            writer.append(segment.basePosition)
            writer.append(segment.recordCount)
            writer.append(segment.dataLength)
            writer.append(segment.lastRecordedTime)
            writer.append(segment.fileChecksum)
            writer.append(UInt32(0))
        }
        writer.append(frontier.size)
        writer.append(UInt32(frontier.hashes.count))
        for hash in frontier.hashes { writer.append(contentsOf: hash.bytes) }
        writer.sealChecksum()
        return writer.bytes
    }

    /// Decodes and checks a manifest; nil with a reason when it is damaged.
    static func decode(_ bytes: [UInt8]) -> Result<Manifest, IndexDefect> {
        bytes.withUnsafeBytes { raw -> Result<Manifest, IndexDefect> in
            guard raw.count >= 52, Array(raw[0..<4]) == magic else {
                return .failure(IndexDefect(offset: 0, reason: "bad magic or too short"))
            }
            guard bytes.hasValidChecksum else { return .failure(IndexDefect(offset: 4, reason: "checksum mismatch")) }
            var reader = ByteReader(raw, offset: 8)
            guard reader.readUInt16() == formatVersion, reader.readUInt16() == 0, let count = reader.readUInt32(),
                let logID = reader.readBytes(16), let activeBase = reader.readUInt64(),
                Int(count) <= reader.remaining / 40
            else { return .failure(IndexDefect(offset: 8, reason: "invalid header")) }
            var sealed: [SealedSegment] = []
            var expectedBase: UInt64 = 0
            for _ in 0..<count {
                guard let base = reader.readUInt64(), let records = reader.readUInt64(),
                    let length = reader.readUInt64(), let time = reader.readInt64(), let crc = reader.readUInt32(),
                    reader.readUInt32() == 0, base == expectedBase, records > 0, base <= UInt64.max - records
                else { return .failure(IndexDefect(offset: reader.offset, reason: "invalid sealed segment entry")) }
                sealed.append(
                    SealedSegment(
                        basePosition: base, recordCount: records, dataLength: length, lastRecordedTime: time,
                        fileChecksum: crc))
                expectedBase = base + records
            }
            guard activeBase == expectedBase, let size = reader.readUInt64(), size == activeBase,
                let hashCount = reader.readUInt32(), Int(hashCount) == size.nonzeroBitCount,
                reader.remaining == Int(hashCount) * 32
            else { return .failure(IndexDefect(offset: reader.offset, reason: "invalid active base or frontier")) }
            var hashes: [MerkleDigest] = []
            for _ in 0..<hashCount {
                guard let bytes = reader.readBytes(32), let digest = MerkleDigest(bytes: bytes) else {
                    return .failure(IndexDefect(offset: reader.offset, reason: "invalid frontier hash"))
                }
                hashes.append(digest)
            }
            guard let frontier = MerkleFrontier(size: size, hashes: hashes) else {
                return .failure(IndexDefect(offset: reader.offset, reason: "invalid frontier"))
            }
            return .success(Manifest(logID: logID, sealed: sealed, activeBase: activeBase, frontier: frontier))
        }
    }
}
