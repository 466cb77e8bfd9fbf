import RecordLog

/// The fields of a record's bytes (the bytes its Merkle leaf hashes), as `docs/log-format.md` section 6.1 lays them
/// out: what a proof document states in clear next to the bytes.
public struct RecordFields: Sendable, Equatable {
    /// The record's global position.
    public var position: UInt64
    /// When the log recorded it, in microseconds since 1970-01-01T00:00:00Z.
    public var recordedTimeMicroseconds: Int64
    /// The stream id.
    public var stream: String
    /// The record's version in its stream.
    public var streamVersion: UInt64
    /// The event id.
    public var eventID: EventID
    /// The number of payload bytes (the encoded event) after the stream id.
    public var payloadByteCount: Int

    /// Reads the fields of record bytes; nil when they are shorter than 42 bytes, the stream id length is 0 or runs
    /// past the end, the stream id is not UTF-8, or the version is 0.
    public init?(recordBytes bytes: [UInt8]) {
        guard bytes.count >= 42 else { return nil }
        func little(_ offset: Int, _ count: Int) -> UInt64 {
            (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        let streamCount = Int(little(40, 2))
        guard streamCount >= 1, 42 + streamCount <= bytes.count,
            let stream = String(validating: bytes[42..<42 + streamCount], as: UTF8.self),
            let eventID = EventID(bytes: bytes[24..<40])
        else { return nil }
        position = little(0, 8)
        recordedTimeMicroseconds = Int64(bitPattern: little(8, 8))
        streamVersion = little(16, 8)
        guard streamVersion >= 1 else { return nil }
        self.stream = stream
        self.eventID = eventID
        payloadByteCount = bytes.count - 42 - streamCount
    }

    /// The fields as a proof document states them.
    var json: JSONValue {
        .object([
            JSONMember("position", .number(position)),
            JSONMember("recordedTimeMicroseconds", .integer(recordedTimeMicroseconds)),
            JSONMember("recordedTime", .string(UTCTime.iso8601(microseconds: recordedTimeMicroseconds))),
            JSONMember("stream", .string(stream)),
            JSONMember("streamVersion", .number(streamVersion)),
            JSONMember("eventId", .string(eventID.description)),
        ])
    }
}
