/// Appends fixed-width little-endian integers and raw bytes to a growing byte array.
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ value: UInt8) { bytes.append(value) }

    mutating func append(_ value: UInt16) { appendLittleEndian(value) }

    mutating func append(_ value: UInt32) { appendLittleEndian(value) }

    mutating func append(_ value: UInt64) { appendLittleEndian(value) }

    mutating func append(_ value: Int64) { appendLittleEndian(UInt64(bitPattern: value)) }

    mutating func append(contentsOf other: some Collection<UInt8>) { bytes.append(contentsOf: other) }

    mutating func appendZeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Fills in the CRC-32C at bytes 4 ..< 8 over bytes 8 ..< end, as every ClinicLog file and batch carries it, and
    /// returns it.
    @discardableResult
    mutating func sealChecksum() -> UInt32 {
        bytes.sealChecksum()
    }
}

extension [UInt8] {
    /// Overwrites a 32-bit little-endian value at `offset`.
    mutating func setLittleEndian(_ value: UInt32, at offset: Int) {
        Swift.withUnsafeBytes(of: value.littleEndian) { raw in
            for index in 0..<4 { self[offset + index] = raw[index] }
        }
    }

    /// Fills in the CRC-32C at bytes 4 ..< 8 over bytes 8 ..< end, and returns it.
    @discardableResult
    mutating func sealChecksum() -> UInt32 {
        let checksum = withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[8...])) }
        setLittleEndian(checksum, at: 4)
        return checksum
    }

    /// Whether the CRC-32C at bytes 4 ..< 8 matches bytes 8 ..< end.
    var hasValidChecksum: Bool {
        count >= 8
            && withUnsafeBytes { raw in
                raw.littleEndian(at: 4, as: UInt32.self) == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[8...]))
            }
    }
}

/// Reads fixed-width little-endian integers from a byte buffer, failing instead of trapping at its end.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var remaining: Int { buffer.count - offset }

    mutating func readUInt8() -> UInt8? { read(UInt8.self) }

    mutating func readUInt16() -> UInt16? { read(UInt16.self) }

    mutating func readUInt32() -> UInt32? { read(UInt32.self) }

    mutating func readUInt64() -> UInt64? { read(UInt64.self) }

    mutating func readInt64() -> Int64? { read(UInt64.self).map { Int64(bitPattern: $0) } }

    mutating func readBytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= remaining else { return nil }
        let result = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]))
        offset += count
        return result
    }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= remaining else { return false }
        offset += count
        return true
    }

    private mutating func read<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { return nil }
        let value = T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }
}

extension UnsafeRawBufferPointer {
    /// The little-endian integer at `offset`; the caller has checked the bounds.
    func littleEndian<T: FixedWidthInteger>(at offset: Int, as type: T.Type) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
