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
    /// Whether the view folds the office's day book (`daybook` stream): a one-patient view reads it beside the
    /// patient's streams only then (the ledger, for closed days). The default is false.
    static var foldsDayBook: Bool { get }

    /// Folds one more event; events arrive in log order, each exactly once.
    mutating func apply(_ event: StoredEvent)

    /// Writes the complete state in its canonical encoding (maps in ascending key order, nothing left out).
    func encodeState(into encoder: inout BinaryEncoder)

    /// Writes the same bytes as `encodeState(into:)`, calling `flush` between entries of the large maps: `flush` may
    /// take the bytes written so far and leave an empty encoder, so the whole encoding never needs to be in memory
    /// (`stateHash` hashes it piece by piece). The default writes everything, then flushes once.
    func encodeState(into encoder: inout BinaryEncoder, flushing flush: (inout BinaryEncoder) -> Void)

    /// Reads a state written by `encodeState(into:)`; `self` is the empty view whose configuration the state must
    /// match (a mismatch throws `ViewStateDecodingError.configurationMismatch`).
    func decodingState(from decoder: inout BinaryDecoder) throws -> Self

    /// The state cut into the parts a checkpoint seals one by one, each encoded only when asked, in ascending key
    /// order (keys of 1 to 128 printable ASCII bytes, each once); parts whose key starts with `index.` are indexes
    /// derived from the others. The default is one part, `state`. A save encodes, seals and writes one part at a time.
    func stateParts() -> [ViewPart]

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

    /// Writes the state, then flushes once.
    public func encodeState(into encoder: inout BinaryEncoder, flushing flush: (inout BinaryEncoder) -> Void) {
        encodeState(into: &encoder)
        flush(&encoder)
    }

    /// The bytes held before a flush hands them to the hash (`stateHash`).
    static var stateHashChunkBytes: Int { 1 << 20 }

    /// No day book: the view leaves the day book's events as they are.
    public static var foldsDayBook: Bool { false }

    /// SHA-256 over the canonical encoding of the state: equal exactly when two states are equal. The encoding is
    /// hashed piece by piece as it is written (about a megabyte at a time), never held whole.
    public var stateHash: [UInt8] {
        var hasher = SHA256()
        var encoder = BinaryEncoder(capacityBytes: Self.stateHashChunkBytes)
        encodeState(into: &encoder) { encoder in
            guard encoder.bytes.count >= Self.stateHashChunkBytes else { return }
            hasher.update(data: encoder.bytes)
            encoder = BinaryEncoder(capacityBytes: Self.stateHashChunkBytes)
        }
        hasher.update(data: encoder.bytes)
        return Array(hasher.finalize())
    }

    /// The state cut into parts, every part encoded: `stateParts()` by key.
    public func encodeParts() -> [String: [UInt8]] {
        var parts: [String: [UInt8]] = [:]
        for part in stateParts() { parts[part.key] = part.encode() }
        return parts
    }

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

/// How the office's days relate to UTC: the office's UTC offset over time, daylight saving included.
///
/// Day sheets, aging and effective dates use it to turn an event's time (UTC microseconds) into an office day, so a
/// posting at 00:30 on a summer night falls on the day the office's clocks showed. The calendar is a list of periods,
/// each with one offset: the first reaches back without limit, each next one starts at a UTC instant, the last
/// reaches forward without limit. A fixed offset is one period. Office days are 24 hours long except on the days the
/// offset changes (23 or 25 hours for daylight saving).
public struct ViewCalendar: Hashable, Sendable {
    /// What the calendar is of: a time zone identifier such as `America/New_York`, or `UTC+HH:MM` for a fixed offset.
    public let identifier: String
    /// The offset (minutes to add to UTC to get office-local time) of the first period.
    public let initialOffsetMinutes: Int32
    /// Where each later period starts (UTC microseconds, ascending) and its offset in minutes.
    public let changes: [OffsetChange]

    /// One change of the office's UTC offset.
    public struct OffsetChange: Hashable, Sendable {
        /// The first UTC microsecond at the new offset.
        public let atMicroseconds: Int64
        /// The new offset in minutes (local = UTC + offset).
        public let offsetMinutes: Int32

        /// A change to `offsetMinutes` at `atMicroseconds`.
        public init(atMicroseconds: Int64, offsetMinutes: Int32) {
            self.atMicroseconds = atMicroseconds
            self.offsetMinutes = offsetMinutes
        }
    }

    /// The rule a calendar's periods broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// An offset is beyond ±18 hours (minutes given).
        case offsetOutOfRange(Int32)
        /// A change does not come after the one before it, or does not change the offset (its index).
        case changeOutOfOrder(index: Int)
    }

    /// A calendar `utcOffsetMinutes` from UTC all the time (between -1080 and 1080, i.e. ±18 hours).
    public init(utcOffsetMinutes: Int32) {
        precondition((-1080...1080).contains(utcOffsetMinutes), "a UTC offset is within ±18 hours")
        identifier = Self.fixedIdentifier(utcOffsetMinutes)
        initialOffsetMinutes = utcOffsetMinutes
        changes = []
    }

    /// A calendar whose offset is `initialOffsetMinutes` until the first of `changes`, then each change's in turn.
    public init(
        identifier: String, initialOffsetMinutes: Int32, changes: [OffsetChange]
    ) throws(ValidationError) {
        guard Self.offsetRange.contains(initialOffsetMinutes) else { throw .offsetOutOfRange(initialOffsetMinutes) }
        var previous = (time: Int64.min, offset: initialOffsetMinutes)
        for (index, change) in changes.enumerated() {
            guard Self.offsetRange.contains(change.offsetMinutes) else { throw .offsetOutOfRange(change.offsetMinutes) }
            guard change.atMicroseconds > previous.time, change.offsetMinutes != previous.offset else {
                throw .changeOutOfOrder(index: index)
            }
            previous = (change.atMicroseconds, change.offsetMinutes)
        }
        self.identifier = identifier
        self.initialOffsetMinutes = initialOffsetMinutes
        self.changes = changes
    }

    /// UTC.
    public static let utc = ViewCalendar(utcOffsetMinutes: 0)

    private static let offsetRange: ClosedRange<Int32> = -1080...1080
    private static let microsecondsPerMinute: Int64 = 60_000_000
    private static let microsecondsPerDay: Int64 = 86_400_000_000
    /// More than the largest offset, in microseconds: a local midnight is within this of its UTC midnight.
    private static let widestOffsetMicroseconds: Int64 = 1081 * 60_000_000

    /// The identifier of a fixed calendar: `UTC+HH:MM` or `UTC-HH:MM` for an offset in minutes.
    public static func fixedIdentifier(_ minutes: Int32) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let magnitude = Int(minutes.magnitude)
        let hours = magnitude / 60 < 10 ? "0\(magnitude / 60)" : "\(magnitude / 60)"
        let rest = magnitude % 60 < 10 ? "0\(magnitude % 60)" : "\(magnitude % 60)"
        return "UTC\(sign)\(hours):\(rest)"
    }

    /// The index of the period holding `time`: 0 for the first period, i for the one started by `changes[i - 1]`.
    private func period(containing time: Int64) -> Int {
        var low = 0
        var high = changes.count
        while low < high {
            let middle = (low + high) / 2
            if changes[middle].atMicroseconds <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func offset(ofPeriod index: Int) -> Int32 {
        index == 0 ? initialOffsetMinutes : changes[index - 1].offsetMinutes
    }

    /// The office's offset from UTC in minutes at the UTC time `time` (microseconds).
    public func offsetMinutes(atMicroseconds time: Int64) -> Int32 {
        offset(ofPeriod: period(containing: time))
    }

    /// The office-local time (microseconds since 1970-01-01T00:00 on office clocks) at the UTC time `time`.
    public func localMicroseconds(atMicroseconds time: Int64) -> Int64 {
        time + Int64(offsetMinutes(atMicroseconds: time)) * Self.microsecondsPerMinute
    }

    /// The office day (days since 1970-01-01, office-local) of a UTC time in microseconds.
    public func day(ofMicroseconds time: Int64) -> Int64 {
        let local = localMicroseconds(atMicroseconds: time)
        let quotient = local / Self.microsecondsPerDay
        return local % Self.microsecondsPerDay < 0 ? quotient - 1 : quotient
    }

    /// The first UTC microsecond of an office day: the earliest instant whose office day is `day` or later (the
    /// instant the offset changes when office clocks skip that midnight).
    public func startMicroseconds(ofDay day: Int64) -> Int64 {
        let localMidnight = day * Self.microsecondsPerDay
        var index = period(containing: localMidnight - Self.widestOffsetMicroseconds)
        while true {
            let offset = Int64(offset(ofPeriod: index)) * Self.microsecondsPerMinute
            let periodStart = index == 0 ? Int64.min : changes[index - 1].atMicroseconds
            let candidate = max(periodStart, localMidnight - offset)
            if index == changes.count || candidate < changes[index].atMicroseconds { return candidate }
            index += 1
        }
    }

    /// Writes the identifier and every period: what a checkpoint compares to know it was folded on this calendar.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(identifier)
        encoder.writeVarInt(Int64(initialOffsetMinutes))
        encoder.writeArray(changes) { encoder, change in
            encoder.writeVarInt(change.atMicroseconds)
            encoder.writeVarInt(Int64(change.offsetMinutes))
        }
    }

    /// Whether `decoder` holds this calendar as `encode(into:)` writes it (reading it either way).
    public func matchesEncoded(in decoder: inout BinaryDecoder) throws -> Bool {
        let name = try decoder.readViewString(field: "calendar")
        let initial = try decoder.readVarInt(field: "calendar")
        var matches = name == identifier && initial == Int64(initialOffsetMinutes)
        let count = try decoder.readCount(field: "calendar", limit: 1 << 20, minimumElementBytes: 2)
        matches = matches && count == changes.count
        for index in 0..<count {
            let time = try decoder.readVarInt(field: "calendar")
            let offset = try decoder.readVarInt(field: "calendar")
            if matches, time != changes[index].atMicroseconds || offset != Int64(changes[index].offsetMinutes) {
                matches = false
            }
        }
        return matches
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

    /// A decoder for the office views that opens patient data only where a view shows it: events of the patient,
    /// chart, coverage, consent and schedule streams are decoded with `opening`; every other event (account streams,
    /// the day book, staff and access streams) with `withholding` (no decryption), and again with `opening` only
    /// when it is one whose patient data a view shows elsewhere too (vitals, payer definitions). The schedule,
    /// ledger, chart and consent views folded from it equal those folded from `opening` alone; the ledger holds no
    /// patient data, so most billing events are never decrypted. A sealed value left unopened is not
    /// authenticated, as with `withholding` alone.
    public static func officeViews(
        opening: StoredEventDecoder, withholding: StoredEventDecoder
    ) -> StoredEventDecoder {
        StoredEventDecoder(
            decodeView: { view in
                let stream = view.streamUTF8.assumingMemoryBound(to: UInt8.self)
                if StreamRouting.viewsShowPatientData(inStream: stream) { return try opening.decode(view) }
                let withheld = try withholding.decode(view)
                guard withheld.patientDataWithheld, StreamRouting.viewsShowPatientData(of: withheld.event) else {
                    return withheld
                }
                return try opening.decode(view)
            },
            decodeRecord: { record in
                var stream = record.stream
                if stream.withUTF8({ StreamRouting.viewsShowPatientData(inStream: $0) }) {
                    return try opening.decode(record)
                }
                let withheld = try withholding.decode(record)
                guard withheld.patientDataWithheld, StreamRouting.viewsShowPatientData(of: withheld.event) else {
                    return withheld
                }
                return try opening.decode(record)
            })
    }

    /// Decodes a borrowed record view.
    public func decode(_ view: LogRecordView) throws -> StoredEvent { try decodeView(view) }

    /// Decodes a copied record.
    public func decode(_ record: LogRecord) throws -> StoredEvent { try decodeRecord(record) }
}
