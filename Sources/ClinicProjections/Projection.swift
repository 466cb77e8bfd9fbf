import ClinicEvents
import Crypto
import RecordLog

/// A view of the office kept by folding stored events in log order: a pure fold `(state, event) -> state`.
///
/// A view holds what it shows, never the events themselves. Its complete state has one canonical binary encoding
/// (`encodeState(into:)`): the bytes a checkpoint stores and the bytes `stateHash` digests, so two views are equal
/// exactly when their encodings are. Reading an encoding back (`decodingState(from:)`) must give a view whose encoding
/// is the same bytes; the checkpoint store checks this on every load and rebuilds otherwise.
public protocol Projection: Sendable, Equatable {
    /// The view's name: 1 to 32 ASCII lowercase letters, used as its checkpoint file name and in reports.
    static var viewName: String { get }
    /// The version of the state encoding; a checkpoint written under another version is not used.
    static var stateFormatVersion: UInt32 { get }

    /// Folds one more event; events arrive in log order, each exactly once.
    mutating func apply(_ event: StoredEvent)

    /// Writes the complete state in its canonical encoding (maps in ascending key order, nothing left out).
    func encodeState(into encoder: inout BinaryEncoder)

    /// Reads a state written by `encodeState(into:)`; `self` is the empty view whose configuration the state must
    /// match (a mismatch throws `ViewStateDecodingError.configurationMismatch`).
    func decodingState(from decoder: inout BinaryDecoder) throws -> Self

    /// The state cut into the parts a checkpoint seals one by one, by key (1 to 128 printable ASCII bytes); parts
    /// whose key starts with `index.` are indexes derived from the others. The default is one part, `state`.
    func encodeParts() -> [String: [UInt8]]

    /// Reads a state back from parts written by `encodeParts()`: all of them (`complete`), or some of them with every
    /// always-loaded part, giving a view that holds only what those parts hold.
    func decodingParts(_ parts: [String: [UInt8]], complete: Bool) throws -> Self

    /// Whether a partial load always reads the part `key` (the view's shared state).
    func isAlwaysLoadedPart(_ key: String) -> Bool
}

extension Projection {
    /// The view after one more event: the pure form of `apply(_:)`.
    public func applying(_ event: StoredEvent) -> Self {
        var next = self
        next.apply(event)
        return next
    }

    /// The view after `events`, in order.
    public func applying(_ events: some Sequence<StoredEvent>) -> Self {
        var next = self
        for event in events { next.apply(event) }
        return next
    }

    /// The canonical encoding of the complete state.
    public var stateBytes: [UInt8] {
        var encoder = BinaryEncoder(capacityBytes: 4096)
        encodeState(into: &encoder)
        return encoder.bytes
    }

    /// SHA-256 over the canonical encoding of the state: equal exactly when two states are equal.
    public var stateHash: [UInt8] { Array(SHA256.hash(data: stateBytes)) }

    /// The state hash as 64 lowercase hex digits.
    public var stateHashHex: String {
        stateHash.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }

    /// Reads a complete state encoding, refusing trailing bytes and any encoding that does not re-encode to itself.
    public func decodingState(fromBytes bytes: [UInt8]) throws -> Self {
        let view = try BinaryDecoder.decode(bytes) { try decodingState(from: &$0) }
        guard view.stateBytes == bytes else { throw ViewStateDecodingError.notCanonical }
        return view
    }
}

/// Why a stored view state could not be read back.
public enum ViewStateDecodingError: Error, Equatable, Sendable {
    /// The state was written for another configuration (another office calendar).
    case configurationMismatch
    /// A value is outside what the view ever writes.
    case malformed(field: String)
    /// The state read back does not re-encode to the same bytes: it would not be the view that was saved.
    case notCanonical
}

/// How the office's days relate to UTC: a fixed offset, so every office day is exactly 24 hours.
///
/// Day sheets, aging and effective dates use it to turn an event's time (UTC microseconds) into an office day. An
/// office that changes its offset (daylight saving) configures the standard offset; events within the shifted hour
/// near midnight then fall on the neighbouring day.
public struct ViewCalendar: Hashable, Sendable {
    /// Minutes to add to UTC to get office-local time (e.g. -300 for UTC-5).
    public let utcOffsetMinutes: Int32

    /// A calendar `utcOffsetMinutes` from UTC (between -1080 and 1080, i.e. ±18 hours).
    public init(utcOffsetMinutes: Int32) {
        precondition((-1080...1080).contains(utcOffsetMinutes), "a UTC offset is within ±18 hours")
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// UTC.
    public static let utc = ViewCalendar(utcOffsetMinutes: 0)

    private static let microsecondsPerMinute: Int64 = 60_000_000
    private static let microsecondsPerDay: Int64 = 86_400_000_000

    /// The office day (days since 1970-01-01, office-local) of a UTC time in microseconds.
    public func day(ofMicroseconds time: Int64) -> Int64 {
        let local = time + Int64(utcOffsetMinutes) * Self.microsecondsPerMinute
        let quotient = local / Self.microsecondsPerDay
        return local % Self.microsecondsPerDay < 0 ? quotient - 1 : quotient
    }

    /// The first UTC microsecond of an office day.
    public func startMicroseconds(ofDay day: Int64) -> Int64 {
        day * Self.microsecondsPerDay - Int64(utcOffsetMinutes) * Self.microsecondsPerMinute
    }
}

/// Decodes the records a `LogReader` hands out into stored events.
///
/// The default decodes with an `EventCodec`. A store that opens patient data passes its own closures (for example
/// the codec's decoding with the patient keyring), so views see clear or withheld patient data as the caller chooses.
public struct StoredEventDecoder: Sendable {
    private let decodeView: @Sendable (LogRecordView) throws -> StoredEvent
    private let decodeRecord: @Sendable (LogRecord) throws -> StoredEvent

    /// A decoder from two closures: one for borrowed record views, one for copied records.
    public init(
        decodeView: @escaping @Sendable (LogRecordView) throws -> StoredEvent,
        decodeRecord: @escaping @Sendable (LogRecord) throws -> StoredEvent
    ) {
        self.decodeView = decodeView
        self.decodeRecord = decodeRecord
    }

    /// A decoder that reads every record with `codec`.
    public init(codec: EventCodec) {
        self.init(
            decodeView: { try codec.decodeStored($0) }, decodeRecord: { try codec.decodeStored($0) })
    }

    /// Decodes a borrowed record view.
    public func decode(_ view: LogRecordView) throws -> StoredEvent { try decodeView(view) }

    /// Decodes a copied record.
    public func decode(_ record: LogRecord) throws -> StoredEvent { try decodeRecord(record) }
}
