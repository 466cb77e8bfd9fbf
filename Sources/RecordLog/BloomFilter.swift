/// A Bloom filter over byte strings, as stored in index files (see docs/log-format.md).
///
/// Key hash: FNV-1a 64-bit over the key bytes; `h1` = low 32 bits, `h2` = high 32 bits with the lowest bit set.
/// Probe `i` (0 ..< hashCount) sets bit `(h1 &+ i &* h2) mod bitCount` (32-bit wrapping arithmetic), bit `j` being
/// bit `j % 8` (least significant first) of byte `j / 8`.
struct BloomFilter: Equatable, Sendable {
    static let hashCount: UInt8 = 7
    static let bitsPerKey = 10

    private(set) var bitCount: UInt32
    private(set) var hashCount: UInt8
    private(set) var bits: [UInt8]

    /// An empty filter sized for `expectedKeys` keys (about 1% false positives).
    init(expectedKeys: Int) {
        let wanted = max(64, expectedKeys * Self.bitsPerKey)
        let rounded = (wanted + 7) / 8 * 8
        bitCount = UInt32(min(rounded, Int(UInt32.max) - 7))
        hashCount = Self.hashCount
        bits = [UInt8](repeating: 0, count: Int(bitCount) / 8)
    }

    init?(bitCount: UInt32, hashCount: UInt8, bits: [UInt8]) {
        guard bitCount >= 64, bitCount % 8 == 0, hashCount >= 1, hashCount <= 32, bits.count == Int(bitCount) / 8 else {
            return nil
        }
        self.bitCount = bitCount
        self.hashCount = hashCount
        self.bits = bits
    }

    static func hash(_ key: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The FNV-1a hash of an event id's 16 bytes (big-endian halves), without building the bytes.
    static func hash(_ id: EventID) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for shift in stride(from: 56, through: 0, by: -8) {
            hash = (hash ^ ((id.high >> UInt64(shift)) & 0xFF)) &* 0x0000_0100_0000_01B3
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            hash = (hash ^ ((id.low >> UInt64(shift)) & 0xFF)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    mutating func insert(_ key: some Sequence<UInt8>) {
        insert(hash: Self.hash(key))
    }

    mutating func insert(hash: UInt64) {
        let h1 = UInt32(truncatingIfNeeded: hash)
        let h2 = UInt32(truncatingIfNeeded: hash >> 32) | 1
        for probe in 0..<UInt32(hashCount) {
            let bit = (h1 &+ probe &* h2) % bitCount
            bits[Int(bit / 8)] |= 1 << (bit % 8)
        }
    }

    /// False when the key was certainly never inserted.
    func mayContain(_ key: some Sequence<UInt8>) -> Bool {
        mayContain(hash: Self.hash(key))
    }

    /// False when the key whose ``hash(_:)`` is given was certainly never inserted.
    func mayContain(hash: UInt64) -> Bool {
        let h1 = UInt32(truncatingIfNeeded: hash)
        let h2 = UInt32(truncatingIfNeeded: hash >> 32) | 1
        for probe in 0..<UInt32(hashCount) {
            let bit = (h1 &+ probe &* h2) % bitCount
            if bits[Int(bit / 8)] & (1 << (bit % 8)) == 0 { return false }
        }
        return true
    }

    func encode(into writer: inout ByteWriter) {
        writer.append(bitCount)
        writer.append(hashCount)
        writer.appendZeros(3)
        writer.append(contentsOf: bits)
    }

    static func decode(from reader: inout ByteReader) -> BloomFilter? {
        guard let bitCount = reader.readUInt32(), let hashCount = reader.readUInt8(), let padding = reader.readBytes(3),
            padding == [0, 0, 0], bitCount % 8 == 0, Int(bitCount / 8) <= reader.remaining,
            let bits = reader.readBytes(Int(bitCount / 8))
        else { return nil }
        return BloomFilter(bitCount: bitCount, hashCount: hashCount, bits: bits)
    }
}
