import ClinicEvents
import RecordLog

/// One part of a view's state: its key, and how to encode it (asked once, when the part is written).
public struct ViewPart {
    /// The part's key: 1 to 128 printable ASCII bytes.
    public let key: String
    /// Encodes the part.
    public let encode: () -> [UInt8]

    /// A part named `key` whose bytes `encode` makes.
    public init(key: String, encode: @escaping () -> [UInt8]) {
        self.key = key
        self.encode = encode
    }
}

extension Projection {
    /// One part, `state`: the whole state encoding.
    public func stateParts() -> [ViewPart] {
        [ViewPart(key: ViewParts.wholeStateKey) { stateBytes }]
    }

    /// Reads the `state` part.
    public func decodingParts(_ parts: [String: [UInt8]], complete: Bool) throws -> Self {
        guard let bytes = parts[ViewParts.wholeStateKey], parts.count == 1 else {
            throw ViewStateDecodingError.malformed(field: "parts")
        }
        return try BinaryDecoder.decode(bytes) { try decodingState(from: &$0) }
    }

    /// The `state` part is always read.
    public func isAlwaysLoadedPart(_ key: String) -> Bool {
        key == ViewParts.wholeStateKey
    }
}

/// Part keys shared by the views.
public enum ViewParts {
    /// The key of a view kept as one part.
    public static let wholeStateKey = "state"
    /// The key of a view's shared part, always read.
    public static let coreKey = "core"

    /// The key of the part holding a patient's data: `patients.` and the two hex digits of the id's first byte.
    public static func patientPartKey(of patientID: EventID) -> String {
        groupPartKey("patients", of: patientID)
    }

    /// The key of the part of group `prefix` holding `id`: the prefix, `.`, and the two lowercase hex digits of the id's
    /// first byte (256 groups).
    public static func groupPartKey(_ prefix: String, of id: EventID) -> String {
        let byte = UInt8(truncatingIfNeeded: id.high >> 56)
        return prefix + "." + (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }

    /// The key of the part of group `prefix` holding `id` among 4,096 groups: the prefix, `.`, and the three lowercase
    /// hex digits of the id's first 12 bits.
    public static func fineGroupPartKey(_ prefix: String, of id: EventID) -> String {
        let bits = Int(truncatingIfNeeded: id.high >> 52)
        let digits = String(bits, radix: 16)
        return prefix + "." + String(repeating: "0", count: 3 - digits.count) + digits
    }

    /// One part per group of `dictionary`'s entries (grouped by `partKey(key, value)`), each encoded as a sorted map
    /// when asked.
    ///
    /// Only the keys are grouped; each part looks its values up in `dictionary` (shared, not copied) when it is
    /// encoded. Grouping copies of the values held a second copy of every entry's inline storage for the whole save:
    /// about 280 MB for the views of 10M events.
    static func groupParts<Key: Comparable, Value>(
        _ dictionary: [Key: Value], partKey: (Key, Value) -> String,
        _ writeEntry: @escaping (inout BinaryEncoder, Key, Value) -> Void
    ) -> [ViewPart] {
        var groups: [String: [Key]] = [:]
        for (key, value) in dictionary { groups[partKey(key, value), default: []].append(key) }
        return groups.map { key, keys in
            ViewPart(key: key) {
                var encoder = BinaryEncoder(capacityBytes: 1024)
                encoder.writeSorted(keys: keys, of: dictionary, writeEntry)
                return encoder.bytes
            }
        }
    }

    /// `parts` in ascending key order; each key must appear once.
    static func sorted(_ parts: [ViewPart]) -> [ViewPart] {
        let sorted = parts.sorted { $0.key < $1.key }
        precondition(zip(sorted, sorted.dropFirst()).allSatisfy { $0.key != $1.key }, "a part key is used once")
        return sorted
    }

    /// Reads one part's bytes to the end.
    static func decode<Value>(_ bytes: [UInt8], _ read: (inout BinaryDecoder) throws -> Value) throws -> Value {
        try BinaryDecoder.decode(bytes, read)
    }
}

// MARK: - Schedule

extension ScheduleView {
    /// Appointments are kept in parts of this many days of their start (per provider).
    public static let bookPartDays: Int64 = 32

    /// The key of the part holding `provider`'s appointments starting on `day`: `book.<staff id>.<period>`, the
    /// period being `floor(day / 32)`.
    public static func bookPartKey(provider: String, day: Int64) -> String {
        bookPartKey(provider: provider, period: period(ofDay: day))
    }

    private static func bookPartKey(provider: String, period: Int64) -> String {
        "book." + provider + "." + String(period)
    }

    private static func period(ofDay day: Int64) -> Int64 {
        day >= 0 ? day / bookPartDays : -((-day + bookPartDays - 1) / bookPartDays)
    }

    /// The key of the index of `provider`'s appointments: `index.book.<staff id>`, 24 bytes per appointment in
    /// ascending id order (the id's 16 bytes, then its period as 8 bytes little-endian).
    public static func appointmentIndexKey(provider: String) -> String {
        "index.book." + provider
    }

    /// The key of the part holding `provider`'s appointment `appointmentID`, by a binary search of the provider's
    /// appointment index; nil when the index does not list it.
    public static func bookPartKey(
        ofAppointment appointmentID: EventID, provider: String, inIndexPart index: [UInt8]
    ) -> String? {
        func integer<Value: FixedWidthInteger>(_ type: Value.Type, at offset: Int, bigEndian: Bool) -> Value {
            let bytes = index[offset..<(offset + MemoryLayout<Value>.size)]
            return (bigEndian ? Array(bytes) : bytes.reversed()).reduce(Value(0)) { $0 << 8 | Value($1) }
        }
        var low = 0
        var high = index.count / 24
        while low < high {
            let middle = (low + high) / 2
            let id = EventID(
                high: integer(UInt64.self, at: middle * 24, bigEndian: true),
                low: integer(UInt64.self, at: middle * 24 + 8, bigEndian: true))
            if id == appointmentID {
                return bookPartKey(
                    provider: provider, period: integer(Int64.self, at: middle * 24 + 16, bigEndian: false))
            }
            if id < appointmentID { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The key prefix of every part of `provider`'s appointments.
    public static func bookPartPrefix(provider: String) -> String {
        "book." + provider + "."
    }

    /// The key of the index of every patient id.
    public static let patientIndexKey = "index.patients"

    /// The patient ids listed in the index part.
    public static func patientIDs(inIndexPart bytes: [UInt8]) throws -> Set<EventID> {
        try ViewParts.decode(bytes) { decoder in
            try decoder.readSortedSet(field: "patients") { try $0.readEventID(field: "patients") }
        }
    }

    /// `core` (every provider with its availability), `book.<staff id>.<period>` (the provider's appointments
    /// starting in that period), `patients.<xx>` (the records of the patients whose id starts with byte `xx`),
    /// `index.patients` (every patient id) and `index.book.<staff id>` (where each appointment of the provider is).
    public func stateParts() -> [ViewPart] {
        let providers = self.providers
        let patients = self.patients
        var parts = [
            ViewPart(key: ViewParts.coreKey) {
                var core = BinaryEncoder(capacityBytes: 1024)
                core.writeSorted(providers) { encoder, key, book in
                    encoder.writeString(key)
                    encoder.writeArray(book.availability) { $1.encode(into: &$0) }
                }
                return core.bytes
            }
        ]
        for (key, book) in providers {
            parts += ViewParts.groupParts(book.appointments) { _, appointment in
                Self.bookPartKey(
                    provider: key, day: ProviderSchedule.day(of: appointment.state.startLocalMinutesSince1970))
            } _: { encoder, _, appointment in
                Self.encodeAppointment(appointment, into: &encoder)
            }
            parts.append(
                ViewPart(key: Self.appointmentIndexKey(provider: key)) {
                    var index: [UInt8] = []
                    index.reserveCapacity(24 * book.appointments.count)
                    for id in book.appointments.keys.sorted() {
                        guard let appointment = book.appointments[id] else { continue }
                        withUnsafeBytes(of: id.high.bigEndian) { index += $0 }
                        withUnsafeBytes(of: id.low.bigEndian) { index += $0 }
                        let period = Self.period(
                            ofDay: ProviderSchedule.day(of: appointment.state.startLocalMinutesSince1970))
                        withUnsafeBytes(of: period.littleEndian) { index += $0 }
                    }
                    return index
                })
        }
        parts += ViewParts.groupParts(patients) { id, _ in
            ViewParts.patientPartKey(of: id)
        } _: {
            $2.encodeCanonical(into: &$0)
        }
        parts.append(
            ViewPart(key: Self.patientIndexKey) {
                var index = BinaryEncoder(capacityBytes: 16 * patients.count + 8)
                index.writeSorted(Set(patients.keys)) { $0.writeEventID($1) }
                return index.bytes
            })
        return ViewParts.sorted(parts)
    }

    /// Reads the parts given (the index is not state and is skipped).
    public func decodingParts(_ parts: [String: [UInt8]], complete: Bool) throws -> ScheduleView {
        guard let core = parts[ViewParts.coreKey] else { throw ViewStateDecodingError.malformed(field: "core") }
        var view = ScheduleView()
        view.providers = try ViewParts.decode(core) { decoder in
            try decoder.readSortedMap(field: "providers") { decoder -> (String, ProviderBook) in
                let key = try decoder.readString(field: "provider", byteCountMax: 64)
                var book = ProviderBook(providerStaffID: try FoldRestoration.make("provider") { try StaffID(key) })
                book.availability = try decoder.readList(field: "availability") {
                    try ProviderAvailabilityDefined.decode(from: &$0)
                }
                return (key, book)
            }
        }
        for (key, bytes) in parts.sorted(by: { $0.key < $1.key }) {
            if key.hasPrefix("book.") {
                let provider = try providerKey(ofBookPart: key, among: view.providers.keys)
                guard var book = view.providers[provider] else { throw ViewStateDecodingError.malformed(field: key) }
                let appointments = try ViewParts.decode(bytes) { decoder in
                    try decoder.readSortedMap(field: "appointments") { decoder -> (EventID, Appointment) in
                        let appointment = try Self.decodeAppointment(from: &decoder)
                        return (appointment.state.appointmentID, appointment)
                    }
                }
                for (id, appointment) in appointments {
                    guard
                        Self.bookPartKey(
                            provider: provider,
                            day: ProviderSchedule.day(of: appointment.state.startLocalMinutesSince1970))
                            == key, book.appointments[id] == nil
                    else { throw ViewStateDecodingError.malformed(field: key) }
                    book.appointments[id] = appointment
                    if appointment.state.status != .notBooked {
                        book.index(
                            id, from: nil, to: ProviderSchedule.day(of: appointment.state.startLocalMinutesSince1970))
                    }
                }
                view.providers[provider] = book
            } else if key.hasPrefix("patients.") {
                let records = try ViewParts.decode(bytes) { decoder in
                    try decoder.readSortedMap(field: "patients") { decoder -> (EventID, PatientRecordState) in
                        let record = try PatientRecordState.decodeCanonical(from: &decoder)
                        return (record.patientID, record)
                    }
                }
                for (id, record) in records {
                    guard ViewParts.patientPartKey(of: id) == key else {
                        throw ViewStateDecodingError.malformed(field: key)
                    }
                    view.patients[id] = record
                }
            } else if key != ViewParts.coreKey && !ViewCheckpointFormat.isIndexPart(key) {
                throw ViewStateDecodingError.malformed(field: "parts")
            }
        }
        return view
    }

    /// `core`.
    public func isAlwaysLoadedPart(_ key: String) -> Bool {
        key == ViewParts.coreKey
    }

    private func providerKey(ofBookPart key: String, among providers: some Collection<String>) throws -> String {
        guard let dot = key.lastIndex(of: "."), key.count > 5 else {
            throw ViewStateDecodingError.malformed(field: key)
        }
        let provider = String(key[key.index(key.startIndex, offsetBy: 5)..<dot])
        guard providers.contains(provider) else { throw ViewStateDecodingError.malformed(field: key) }
        return provider
    }

    static func encodeAppointment(_ appointment: Appointment, into encoder: inout BinaryEncoder) {
        appointment.state.encodeCanonical(into: &encoder)
        encoder.writeOptionalString(appointment.reason)
        let milestones = appointment.milestones
        for time in [
            milestones.arrivedMicroseconds, milestones.checkedInMicroseconds, milestones.roomedMicroseconds,
            milestones.checkedOutMicroseconds, milestones.statusChangedMicroseconds,
        ] {
            encoder.writeOptionalVarInt(time)
        }
    }

    static func decodeAppointment(from decoder: inout BinaryDecoder) throws -> Appointment {
        let state = try AppointmentState.decodeCanonical(from: &decoder)
        var appointment = Appointment(state: state)
        appointment.reason = try decoder.readOptionalString(field: "reason")
        appointment.milestones.arrivedMicroseconds = try decoder.readOptionalVarInt(field: "milestones")
        appointment.milestones.checkedInMicroseconds = try decoder.readOptionalVarInt(field: "milestones")
        appointment.milestones.roomedMicroseconds = try decoder.readOptionalVarInt(field: "milestones")
        appointment.milestones.checkedOutMicroseconds = try decoder.readOptionalVarInt(field: "milestones")
        appointment.milestones.statusChangedMicroseconds = try decoder.readOptionalVarInt(field: "milestones")
        return appointment
    }
}

// MARK: - Chart

extension ChartView {
    /// `core` (erased ids and payer names) and `patients.<xx>` (the charts of the patients whose id starts with byte
    /// `xx`).
    public func stateParts() -> [ViewPart] {
        let erasedPatientIDs = self.erasedPatientIDs
        let payerNames = self.payerNames
        var parts = ViewParts.groupParts(patients) { id, _ in
            ViewParts.patientPartKey(of: id)
        } _: {
            encoder, patientID, chart in
            Self.encodePatient(patientID, chart, into: &encoder)
        }
        parts.append(
            ViewPart(key: ViewParts.coreKey) {
                var core = BinaryEncoder(capacityBytes: 1024)
                core.writeSorted(erasedPatientIDs) { $0.writeEventID($1) }
                core.writeSorted(payerNames) { encoder, id, name in
                    encoder.writeEventID(id)
                    encoder.writeString(name)
                }
                return core.bytes
            })
        return ViewParts.sorted(parts)
    }

    /// Reads the parts given.
    public func decodingParts(_ parts: [String: [UInt8]], complete: Bool) throws -> ChartView {
        guard let core = parts[ViewParts.coreKey] else { throw ViewStateDecodingError.malformed(field: "core") }
        var view = ChartView()
        try ViewParts.decode(core) { decoder in
            view.erasedPatientIDs = try decoder.readSortedSet(field: "erased") { try $0.readEventID(field: "erased") }
            view.payerNames = try decoder.readSortedMap(field: "payerNames") { decoder -> (EventID, String) in
                (try decoder.readEventID(field: "payerNames"), try decoder.readViewString(field: "payerNames"))
            }
        }
        for (key, bytes) in parts where key != ViewParts.coreKey {
            guard key.hasPrefix("patients.") else { throw ViewStateDecodingError.malformed(field: "parts") }
            let charts = try ViewParts.decode(bytes) { decoder in
                try decoder.readSortedMap(field: "patients") { try Self.decodePatient(from: &$0) }
            }
            for (id, chart) in charts {
                guard ViewParts.patientPartKey(of: id) == key else {
                    throw ViewStateDecodingError.malformed(field: key)
                }
                view.patients[id] = chart
            }
        }
        return view
    }

    /// `core`.
    public func isAlwaysLoadedPart(_ key: String) -> Bool {
        key == ViewParts.coreKey
    }
}
