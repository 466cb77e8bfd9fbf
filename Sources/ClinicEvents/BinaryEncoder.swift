import RecordLog

/// Writes the compact binary encoding of ClinicLog events into a growing byte array.
///
/// The primitives are those of `docs/events.md`: unsigned LEB128 varints, zigzag signed varints, fixed-width
/// little-endian integers, length-prefixed UTF-8 strings and bytes, presence-byte optionals and count-prefixed arrays.
/// An encoder made with a `PatientDataSealer` seals the values written with `writeSealed` (see `SealedFields.swift`);
/// one made without writes them in clear.
public struct BinaryEncoder: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]
    /// How sealed values are sealed; nil writes them in clear.
    var sealing: SealingContext?
    /// The first failure to seal a value, if any: the bytes are then unusable and must be discarded.
    public internal(set) var sealingFailure: EventEncodingError?

    /// Creates an empty encoder with room for `capacityBytes` bytes before it grows; it writes sealed values in clear.
    public init(capacityBytes: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacityBytes)
    }

    /// Creates an empty encoder that seals the values written with `writeSealed` for the event `eventID`.
    public init(capacityBytes: Int = 128, sealingWith sealer: PatientDataSealer, eventID: EventID) {
        self.init(capacityBytes: capacityBytes)
        sealing = SealingContext(sealer: sealer, eventID: eventID)
    }

    /// Whether values written with `writeSealed` are sealed (true) or written in clear (false).
    public var isSealing: Bool { sealing != nil }

    /// Writes one byte.
    public mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    /// Writes a boolean as one byte, 0 or 1.
    public mutating func writeBool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Writes an unsigned LEB128 varint: seven bits a byte, least significant first, high bit set on all but the last.
    public mutating func writeVarUInt(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: remaining))
    }

    /// Writes a signed integer as a zigzag-mapped varint (0, -1, 1, -2, … become 0, 1, 2, 3, …).
    public mutating func writeVarInt(_ value: Int64) {
        writeVarUInt(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Writes four bytes, little-endian.
    public mutating func writeFixedUInt32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes eight bytes, little-endian.
    public mutating func writeFixedUInt64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a signed integer as eight bytes of two's complement, little-endian.
    public mutating func writeFixedInt64(_ value: Int64) {
        writeFixedUInt64(UInt64(bitPattern: value))
    }

    /// Writes an event id as its 16 bytes, big-endian (the order `EventID.bytes` gives).
    public mutating func writeEventID(_ id: EventID) {
        withUnsafeBytes(of: id.high.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: id.low.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a string as a varint byte count followed by its UTF-8 bytes.
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarUInt(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes bytes as a varint count followed by the bytes.
    public mutating func writeBytes(_ value: some Collection<UInt8>) {
        writeVarUInt(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes an optional as a presence byte (0 absent, 1 present) followed, when present, by the value.
    public mutating func writeOptional<Value>(_ value: Value?, _ writeValue: (inout BinaryEncoder, Value) -> Void) {
        if let value {
            bytes.append(1)
            writeValue(&self, value)
        } else {
            bytes.append(0)
        }
    }

    /// Writes an array as a varint element count followed by each element.
    public mutating func writeArray<Elements: Collection>(
        _ elements: Elements, _ writeElement: (inout BinaryEncoder, Elements.Element) -> Void
    ) {
        writeVarUInt(UInt64(elements.count))
        for element in elements { writeElement(&self, element) }
    }
}
