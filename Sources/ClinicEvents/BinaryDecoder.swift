import RecordLog

/// Reads the compact binary encoding of ClinicLog events from borrowed bytes, refusing anything malformed.
///
/// A decoder reads in place from an `UnsafeRawBufferPointer`; strings are the only fields that allocate. Every read
/// checks the bytes left first, so truncated, overlong or hostile input ends in an `EventDecodingError` naming the
/// field and offset, never a trap. Use `decode(_:_:)` to read a whole buffer: it refuses trailing bytes.
///
/// Sealed values (`readSealed`, see `SealedFields.swift`) are opened with a keyring when one is given, and otherwise
/// replaced by placeholders without any decryption work ("withheld"); `patientDataWithholding` says which happened.
public struct BinaryDecoder {
    /// The bytes being read; valid only inside the closure given to `decode(_:_:)`.
    private let buffer: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public private(set) var offset: Int
    /// How sealed values are opened; nil withholds them.
    var opening: OpeningContext?
    /// Why sealed values were replaced by placeholders, if any was: `erased` when any was because the patient was
    /// erased, else `withheld`; nil when every sealed value was opened or written in clear.
    public internal(set) var patientDataWithholding: PatientDataWithholding?

    /// The number of bytes not yet read.
    public var remainingByteCount: Int { buffer.count - offset }

    init(buffer: UnsafeRawBufferPointer, opening: OpeningContext? = nil) {
        self.buffer = buffer
        self.offset = 0
        self.opening = opening
    }

    /// A decoder of `buffer` whose next byte to read is at `offset` (at most `buffer.count`).
    init(buffer: UnsafeRawBufferPointer, offset: Int, opening: OpeningContext? = nil) {
        self.buffer = buffer
        self.offset = offset
        self.opening = opening
    }

    /// Decodes all of `buffer` with `body`, refusing any bytes `body` leaves unread; sealed values are withheld.
    public static func decode<Value>(
        _ buffer: UnsafeRawBufferPointer, _ body: (inout BinaryDecoder) throws -> Value
    ) throws -> Value {
        var decoder = BinaryDecoder(buffer: buffer)
        let value = try body(&decoder)
        try decoder.finish()
        return value
    }

    /// Decodes all of `buffer`, the body of the event `eventID`, with `body`, refusing any bytes left unread.
    ///
    /// Sealed values are opened with `keyring`, or withheld (placeholders, no decryption) when it is nil; the result
    /// says whether any value was replaced by a placeholder, and why.
    public static func decode<Value>(
        _ buffer: UnsafeRawBufferPointer, opening keyring: PatientKeyring?, eventID: EventID,
        _ body: (inout BinaryDecoder) throws -> Value
    ) throws -> (value: Value, withholding: PatientDataWithholding?) {
        var decoder = BinaryDecoder(
            buffer: buffer, opening: keyring.map { OpeningContext(keyring: $0, eventID: eventID) })
        let value = try body(&decoder)
        try decoder.finish()
        return (value, decoder.patientDataWithholding)
    }

    /// Decodes all of `bytes` with `body`, refusing any bytes `body` leaves unread.
    public static func decode<Value>(
        _ bytes: [UInt8], _ body: (inout BinaryDecoder) throws -> Value
    ) throws -> Value {
        try bytes.withUnsafeBytes { try decode($0, body) }
    }

    /// Decodes the start of `buffer` with `body`, returning the value and the number of bytes `body` read.
    public static func decodePrefix<Value>(
        _ buffer: UnsafeRawBufferPointer, _ body: (inout BinaryDecoder) throws -> Value
    ) throws -> (value: Value, byteCount: Int) {
        var decoder = BinaryDecoder(buffer: buffer)
        let value = try body(&decoder)
        return (value, decoder.offset)
    }

    /// Throws `trailingBytes` unless every byte has been read.
    @inline(__always)
    public func finish() throws {
        if remainingByteCount != 0 {
            throw EventDecodingError(.trailingBytes(count: remainingByteCount), field: "end", offset: offset)
        }
    }

    /// Makes an error of `kind` for `field` at the current offset.
    public func error(_ kind: EventDecodingError.Kind, field: String) -> EventDecodingError {
        EventDecodingError(kind, field: field, offset: offset)
    }

    @inline(__always)
    mutating func take(_ count: Int, field: String) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remainingByteCount else { throw error(.truncated, field: field) }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// Reads one byte.
    @inline(__always)
    public mutating func readUInt8(field: String) throws -> UInt8 {
        guard remainingByteCount >= 1 else { throw error(.truncated, field: field) }
        let byte = buffer[offset]
        offset += 1
        return byte
    }

    /// Reads a boolean byte, refusing anything but 0 and 1.
    @inline(__always)
    public mutating func readBool(field: String) throws -> Bool {
        let start = offset
        switch try readUInt8(field: field) {
        case 0: return false
        case 1: return true
        default: throw EventDecodingError(.invalidFlagByte, field: field, offset: start)
        }
    }

    /// Reads an unsigned LEB128 varint in its shortest form, of at most ten bytes.
    @inline(__always)
    public mutating func readVarUInt(field: String) throws -> UInt64 {
        // One byte below 0x80 is the whole varint (counts, lengths, small numbers): the common case.
        if offset < buffer.count, buffer[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(buffer[offset])
        }
        return try readLongVarUInt(field: field)
    }

    /// Reads a varint that is not a single byte below 0x80 (or is truncated): `readVarUInt`'s rare case.
    @inline(never)
    mutating func readLongVarUInt(field: String) throws -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            guard offset < buffer.count else { throw EventDecodingError(.truncated, field: field, offset: start) }
            let byte = buffer[offset]
            offset += 1
            if index == 9 && byte > 1 {
                throw EventDecodingError(.overlongVarint, field: field, offset: start)
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && index > 0 {
                    throw EventDecodingError(.overlongVarint, field: field, offset: start)
                }
                return value
            }
            shift += 7
        }
        throw EventDecodingError(.overlongVarint, field: field, offset: start)
    }

    /// Reads a zigzag-mapped signed varint.
    @inline(__always)
    public mutating func readVarInt(field: String) throws -> Int64 {
        let raw = try readVarUInt(field: field)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads an unsigned varint that must fit 32 bits.
    public mutating func readVarUInt32(field: String) throws -> UInt32 {
        let start = offset
        let value = try readVarUInt(field: field)
        guard let narrow = UInt32(exactly: value) else {
            throw EventDecodingError(.integerOutOfRange, field: field, offset: start)
        }
        return narrow
    }

    /// Reads four bytes, little-endian.
    @inline(__always)
    public mutating func readFixedUInt32(field: String) throws -> UInt32 {
        let bytes = try take(4, field: field)
        return UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))
    }

    /// Reads eight bytes, little-endian.
    @inline(__always)
    public mutating func readFixedUInt64(field: String) throws -> UInt64 {
        let bytes = try take(8, field: field)
        return UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
    }

    /// Reads eight bytes of two's complement, little-endian.
    @inline(__always)
    public mutating func readFixedInt64(field: String) throws -> Int64 {
        Int64(bitPattern: try readFixedUInt64(field: field))
    }

    /// Reads an event id from its 16 big-endian bytes.
    @inline(__always)
    public mutating func readEventID(field: String) throws -> EventID {
        let bytes = try take(16, field: field)
        let high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        return EventID(high: high, low: low)
    }

    /// Reads a varint count, refusing one above `limit` or one larger than the bytes left could hold.
    ///
    /// Every element is at least `minimumElementBytes` long, so a count that cannot fit the remaining bytes is refused
    /// as truncated before anything is allocated for it.
    @inline(__always)
    public mutating func readCount(field: String, limit: Int, minimumElementBytes: Int = 1) throws -> Int {
        let start = offset
        let raw = try readVarUInt(field: field)
        guard raw <= UInt64(limit) else {
            throw EventDecodingError(.countAboveLimit(limit: limit), field: field, offset: start)
        }
        let count = Int(raw)
        if minimumElementBytes > 0 && count > remainingByteCount / minimumElementBytes {
            throw EventDecodingError(.truncated, field: field, offset: start)
        }
        return count
    }

    /// Reads a length-prefixed UTF-8 string of at most `byteCountMax` bytes, refusing invalid UTF-8.
    public mutating func readString(field: String, byteCountMax: Int) throws -> String {
        let start = offset
        return try Self.makeString(
            readStringBytes(field: field, byteCountMax: byteCountMax), field: field, offset: start)
    }

    /// Reads the length prefix and borrows the bytes of a string of at most `byteCountMax` bytes, not yet checking
    /// them: `makeString(_:field:offset:)` does, for the rare string that cannot be looked up instead.
    @inline(__always)
    mutating func readStringBytes(field: String, byteCountMax: Int) throws -> UnsafeRawBufferPointer {
        let count = try readCount(field: field, limit: byteCountMax)
        return try take(count, field: field)
    }

    /// Makes a string of `bytes` read for `field` at `offset`, refusing invalid UTF-8.
    static func makeString(_ bytes: UnsafeRawBufferPointer, field: String, offset: Int) throws -> String {
        guard let text = makeStringIfValid(bytes) else {
            throw EventDecodingError(.invalidUTF8, field: field, offset: offset)
        }
        return text
    }

    /// Makes a string of `bytes`; nil when they are not valid UTF-8.
    @inline(__always)
    static func makeStringIfValid(_ bytes: UnsafeRawBufferPointer) -> String? {
        if isASCII(bytes) {
            // ASCII is valid UTF-8: skip the general validation, the costliest step of decoding an event.
            return makeString(ascii: bytes)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The most bytes a string holds inline, without a heap allocation (on 64-bit platforms).
    private static let inlineStringByteCountMax = 15

    /// Makes a string of `bytes`, which must all be ASCII (below 0x80).
    ///
    /// A string that fits inline is made by copying the bytes into it (`String(unsafeUninitializedCapacity:)` then
    /// checks them with one mask); `String(decoding:as:)` would pack them byte by byte after checking them again. A
    /// longer one is made by `String(decoding:as:)`. Both give the same string.
    @inline(__always)
    static func makeString(ascii bytes: UnsafeRawBufferPointer) -> String {
        let count = bytes.count
        guard count <= inlineStringByteCountMax else { return String(decoding: bytes, as: UTF8.self) }
        guard count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: count) { buffer in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
            return count
        }
    }

    /// Whether every byte is below 0x80, checked eight bytes at a time: the last (or, below eight bytes, the only)
    /// word is loaded overlapping the ones before, so no byte is checked alone but a string of one byte.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        if count >= 8 {
            var bits = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            var index = 0
            while index + 8 <= count {
                bits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                index += 8
            }
            return bits & 0x8080_8080_8080_8080 == 0
        }
        if count >= 4 {
            let bits =
                bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                | bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            return bits & 0x8080_8080 == 0
        }
        if count >= 2 {
            let bits =
                bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
                | bytes.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self)
            return bits & 0x8080 == 0
        }
        return count == 0 || bytes[0] < 0x80
    }

    /// Reads length-prefixed bytes, at most `byteCountMax` of them, borrowing them from the buffer.
    public mutating func readBytes(field: String, byteCountMax: Int) throws -> UnsafeRawBufferPointer {
        let count = try readCount(field: field, limit: byteCountMax)
        return try take(count, field: field)
    }

    /// Reads a presence byte and, when it is 1, the value.
    public mutating func readOptional<Value>(
        field: String, _ readValue: (inout BinaryDecoder) throws -> Value
    ) throws -> Value? {
        try readBool(field: field) ? try readValue(&self) : nil
    }

    /// Reads a count-prefixed array of at most `countMax` elements, allocated once at its count (an empty one not at
    /// all).
    public mutating func readArray<Element>(
        field: String, countMax: Int, _ readElement: (inout BinaryDecoder) throws -> Element
    ) throws -> [Element] {
        let count = try readCount(field: field, limit: countMax)
        guard count > 0 else { return [] }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try readElement(&self)) }
        return elements
    }
}
