/// A client-made, globally unique event id (16 bytes, typically a random UUID).
///
/// Appending an event whose id is already stored is answered with the stored position, never a second copy.
public struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first eight bytes, big-endian.
    public var high: UInt64
    /// The last eight bytes, big-endian.
    public var low: UInt64

    /// Creates an id from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates an id from exactly 16 bytes; nil otherwise.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// Parses the 32 hex digits of an id, with or without the dashes of a UUID.
    public init?(_ text: String) {
        let digits = text.filter { $0 != "-" }
        guard digits.count == 32, let high = UInt64(digits.prefix(16), radix: 16),
            let low = UInt64(digits.suffix(16), radix: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    /// Makes a random (version 4) id from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> EventID {
        let high = (generator.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return EventID(high: high, low: low)
    }

    /// The 16 bytes, big-endian: the order in which they are stored.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    /// The id as a lowercase UUID string.
    public var description: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var count = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[count] = UInt8(ascii: "-")
                    count += 1
                }
                let word = nibble < 16 ? high : low
                let value = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * (nibble % 16))) & 0xF
                buffer[count] = value < 10 ? 0x30 + value : 0x57 + value
                count += 1
            }
            return count
        }
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// The version a stream must be at for an append to it to go ahead.
///
/// A stream's first event has version 1; a stream with no events is at version 0.
public enum ExpectedVersion: Sendable, Equatable, CustomStringConvertible {
    /// Append whatever the stream's version.
    case any
    /// The stream must have no events yet.
    case noStream
    /// The stream's last event must have exactly this version.
    case exactly(UInt64)

    func admits(_ version: UInt64) -> Bool {
        switch self {
        case .any: return true
        case .noStream: return version == 0
        case .exactly(let expected): return version == expected
        }
    }

    public var description: String {
        switch self {
        case .any: return "any version"
        case .noStream: return "no stream"
        case .exactly(let version): return "version \(version)"
        }
    }
}

/// One stored record: an event's place in the log and its opaque payload.
public struct LogRecord: Sendable, Equatable {
    /// The gapless global position, from 0; also the record's leaf index in the Merkle tree.
    public var position: UInt64
    /// When the log stored it, in microseconds since the Unix epoch; never decreases along the log.
    public var recordedTimeMicroseconds: Int64
    /// The stream (a patient, an appointment, an account ...) the record belongs to.
    public var stream: String
    /// The record's gapless version within its stream, from 1.
    public var streamVersion: UInt64
    /// The client-made event id.
    public var eventID: EventID
    /// The payload, opaque to the log.
    public var payload: [UInt8]

    /// Creates a record.
    public init(
        position: UInt64, recordedTimeMicroseconds: Int64, stream: String, streamVersion: UInt64,
        eventID: EventID, payload: [UInt8]
    ) {
        self.position = position
        self.recordedTimeMicroseconds = recordedTimeMicroseconds
        self.stream = stream
        self.streamVersion = streamVersion
        self.eventID = eventID
        self.payload = payload
    }
}

/// A record read in place from a decoded batch: valid only inside the call that hands it out, so reading every
/// event of a log allocates nothing per record.
///
/// Its fields are read straight from the bytes, in the caller's code (the accessors are inlinable): a sequential read
/// of the log calls them once per record.
public struct LogRecordView {
    /// The record bytes (what its Merkle leaf hashes), laid out as ``RecordLayout`` describes; already validated.
    public let bytes: UnsafeRawBufferPointer

    /// The record's global position.
    @inlinable public var position: UInt64 { UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)) }
    /// When the log stored it, in microseconds since the Unix epoch.
    @inlinable public var recordedTimeMicroseconds: Int64 {
        Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: Int64.self))
    }
    /// The record's version within its stream.
    @inlinable public var streamVersion: UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
    }
    /// The client-made event id.
    @inlinable public var eventID: EventID {
        EventID(
            high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
            low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self)))
    }
    /// The stream id's UTF-8 bytes.
    @inlinable @inline(__always) public var streamUTF8: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[RecordLayout.fixedBytes..<RecordLayout.fixedBytes + streamCount])
    }
    /// The stream id.
    public var stream: String { String(decoding: streamUTF8, as: UTF8.self) }
    /// The payload bytes.
    @inlinable @inline(__always) public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[(RecordLayout.fixedBytes + streamCount)...])
    }
    /// The length of the stream id in bytes.
    @inlinable var streamCount: Int {
        Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 40, as: UInt16.self)))
    }
    /// An owned copy of the record.
    public var record: LogRecord {
        LogRecord(
            position: position, recordedTimeMicroseconds: recordedTimeMicroseconds, stream: stream,
            streamVersion: streamVersion, eventID: eventID, payload: [UInt8](payload))
    }
}

/// The byte layout of a record, as hashed into the Merkle tree (see docs/log-format.md).
///
/// ```
/// offset size field
///      0    8 position, u64 LE
///      8    8 recorded time, i64 LE, microseconds since the Unix epoch
///     16    8 stream version, u64 LE
///     24   16 event id, big-endian bytes
///     40    2 stream id length S, u16 LE
///     42    S stream id, UTF-8
///   42+S    * payload, to the end of the record
/// ```
@usableFromInline
enum RecordLayout {
    /// The bytes before the stream id: position, recorded time, stream version, event id, stream id length.
    @inlinable static var fixedBytes: Int { 42 }

    static func encodedCount(streamUTF8Count: Int, payloadCount: Int) -> Int {
        fixedBytes + streamUTF8Count + payloadCount
    }

    /// Writes the record's length prefix (u32 LE) and bytes at `offset` of `buffer`, which has room; returns the offset
    /// after them.
    static func write(_ record: LogRecord, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        var offset = offset
        func store<T: FixedWidthInteger>(_ value: T) {
            buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
            offset += MemoryLayout<T>.size
        }
        let streamCount = record.stream.utf8.count
        store(UInt32(fixedBytes + streamCount + record.payload.count))
        store(record.position)
        store(UInt64(bitPattern: record.recordedTimeMicroseconds))
        store(record.streamVersion)
        buffer.storeBytes(of: record.eventID.high.bigEndian, toByteOffset: offset, as: UInt64.self)
        buffer.storeBytes(of: record.eventID.low.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
        offset += 16
        store(UInt16(streamCount))
        var stream = record.stream
        stream.withUTF8 { utf8 in
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + streamCount]).copyMemory(
                from: UnsafeRawBufferPointer(utf8))
        }
        offset += streamCount
        record.payload.withUnsafeBytes { payload in
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + payload.count]).copyMemory(from: payload)
        }
        return offset + record.payload.count
    }

    /// The record bytes of `record` (without length prefix): what its Merkle leaf hashes.
    static func bytes(of record: LogRecord) -> [UInt8] {
        let count = 4 + encodedCount(streamUTF8Count: record.stream.utf8.count, payloadCount: record.payload.count)
        let framed = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = write(record, into: UnsafeMutableRawBufferPointer(buffer), at: 0)
        }
        return Array(framed.dropFirst(4))
    }

    /// Decodes record bytes (without length prefix); nil if they are malformed.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> LogRecord? {
        guard bytes.count >= fixedBytes else { return nil }
        let position: UInt64 = bytes.littleEndian(at: 0, as: UInt64.self)
        let time: UInt64 = bytes.littleEndian(at: 8, as: UInt64.self)
        let version: UInt64 = bytes.littleEndian(at: 16, as: UInt64.self)
        let high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        let low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self))
        let streamCount = Int(bytes.littleEndian(at: 40, as: UInt16.self))
        guard streamCount > 0, fixedBytes + streamCount <= bytes.count, version > 0 else { return nil }
        let streamBytes = UnsafeRawBufferPointer(rebasing: bytes[fixedBytes..<fixedBytes + streamCount])
        guard let stream = String(validating: streamBytes, as: UTF8.self) else { return nil }
        let payload = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[(fixedBytes + streamCount)...]))
        return LogRecord(
            position: position, recordedTimeMicroseconds: Int64(bitPattern: time), stream: stream,
            streamVersion: version, eventID: EventID(high: high, low: low), payload: payload)
    }
}
