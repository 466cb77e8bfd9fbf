import RecordLog

/// The day an availability window applies to: every week on one weekday, or one calendar date.
public enum AvailabilityDay: Hashable, Sendable {
    /// Every week on this ISO weekday, 1 (Monday) through 7 (Sunday).
    case weekday(UInt8)
    /// Only on this date, in days since 1970-01-01.
    case date(daysSince1970: Int64)

    /// Whether the window applies on the date `daysSince1970`.
    public func applies(onDaysSince1970 days: Int64) -> Bool {
        switch self {
        case .weekday(let weekday): weekday == Self.isoWeekday(ofDaysSince1970: days)
        case .date(let date): date == days
        }
    }

    /// The ISO weekday (1 Monday … 7 Sunday) of a date in days since 1970-01-01 (a Thursday).
    public static func isoWeekday(ofDaysSince1970 days: Int64) -> UInt8 {
        let fromMonday = ((days + 3) % 7 + 7) % 7
        return UInt8(fromMonday + 1)
    }
}

/// A provider's bookable hours were defined: a window of one weekday or one date, cut into slots of a fixed length.
///
/// Windows add up: a provider is available at a time when some window of theirs covers it. Times are office-local
/// wall-clock minutes.
public struct ProviderAvailabilityDefined: ClinicEventBody {
    /// The accepted slot lengths, in minutes.
    public static let slotMinutesRange: ClosedRange<UInt32> = 5...240
    /// The minutes in a day: a window ends at most at midnight.
    public static let minutesPerDay: UInt32 = 1440
    /// The accepted dates of a one-date window, in days since 1970-01-01 (the same range as birth dates).
    public static let dateDaysSince1970Range: ClosedRange<Int64> = -80_000...80_000

    /// The rule an availability window broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The weekday is not 1 through 7, or the date is outside `dateDaysSince1970Range`.
        case dayOutOfRange
        /// The window does not satisfy `0 <= start < end <= 1440`.
        case windowOutOfRange
        /// The slot length is outside `slotMinutesRange` or does not divide the window evenly.
        case slotLength
    }

    /// The provider whose hours these are.
    public let providerStaffID: StaffID
    /// The weekday or date the window applies to.
    public let day: AvailabilityDay
    /// The first minute of the window, counted from local midnight.
    public let startMinuteOfDay: UInt32
    /// The minute the window ends (exclusive), counted from local midnight.
    public let endMinuteOfDay: UInt32
    /// The length of one slot; bookings start on the slot grid.
    public let slotMinutes: UInt32

    /// Creates an availability window, validating day, window and slot length.
    public init(
        providerStaffID: StaffID, day: AvailabilityDay, startMinuteOfDay: UInt32, endMinuteOfDay: UInt32,
        slotMinutes: UInt32
    ) throws(ValidationError) {
        switch day {
        case .weekday(let weekday): guard (1...7).contains(weekday) else { throw .dayOutOfRange }
        case .date(let date): guard Self.dateDaysSince1970Range.contains(date) else { throw .dayOutOfRange }
        }
        guard startMinuteOfDay < endMinuteOfDay, endMinuteOfDay <= Self.minutesPerDay else { throw .windowOutOfRange }
        guard Self.slotMinutesRange.contains(slotMinutes), (endMinuteOfDay - startMinuteOfDay) % slotMinutes == 0 else {
            throw .slotLength
        }
        self.providerStaffID = providerStaffID
        self.day = day
        self.startMinuteOfDay = startMinuteOfDay
        self.endMinuteOfDay = endMinuteOfDay
        self.slotMinutes = slotMinutes
    }

    /// `ProviderAvailabilityDefined`.
    public static let eventType = "ProviderAvailabilityDefined"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: availability belongs to a provider, not to a patient.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("providerStaffID", .string(byteCountMax: StaffID.byteCountMax)),
                    FieldSpec("weekday", .optional(.varUInt)),
                    FieldSpec("dateDaysSince1970", .optional(.varInt)),
                    FieldSpec("startMinuteOfDay", .varUInt),
                    FieldSpec("endMinuteOfDay", .varUInt),
                    FieldSpec("slotMinutes", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(providerStaffID.value)
        switch day {
        case .weekday(let weekday):
            encoder.writeOptional(weekday) { $0.writeVarUInt(UInt64($1)) }
            encoder.writeOptional(Int64?.none) { $0.writeVarInt($1) }
        case .date(let date):
            encoder.writeOptional(UInt8?.none) { $0.writeVarUInt(UInt64($1)) }
            encoder.writeOptional(date) { $0.writeVarInt($1) }
        }
        encoder.writeVarUInt(UInt64(startMinuteOfDay))
        encoder.writeVarUInt(UInt64(endMinuteOfDay))
        encoder.writeVarUInt(UInt64(slotMinutes))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> ProviderAvailabilityDefined {
        let provider = try decoder.readStaffID(field: "providerStaffID")
        let dayOffset = decoder.offset
        let weekday = try decoder.readOptional(field: "weekday") { try $0.readVarUInt32(field: "weekday") }
        let date = try decoder.readOptional(field: "dateDaysSince1970") {
            try $0.readVarInt(field: "dateDaysSince1970")
        }
        let day: AvailabilityDay
        switch (weekday, date) {
        case (let weekday?, nil):
            guard let narrow = UInt8(exactly: weekday) else {
                throw EventDecodingError(.integerOutOfRange, field: "weekday", offset: dayOffset)
            }
            day = .weekday(narrow)
        case (nil, let date?): day = .date(daysSince1970: date)
        default: throw EventDecodingError(.ruleViolated(rule: "exactlyOneDay"), field: "weekday", offset: dayOffset)
        }
        let windowOffset = decoder.offset
        let start = try decoder.readVarUInt32(field: "startMinuteOfDay")
        let end = try decoder.readVarUInt32(field: "endMinuteOfDay")
        let slot = try decoder.readVarUInt32(field: "slotMinutes")
        return try decoder.validated(field: "ProviderAvailabilityDefined", offset: windowOffset) {
            try ProviderAvailabilityDefined(
                providerStaffID: provider, day: day, startMinuteOfDay: start, endMinuteOfDay: end, slotMinutes: slot)
        }
    }
}

extension BinaryDecoder {
    /// Reads a staff id string and validates its shape.
    mutating func readStaffID(field: String) throws -> StaffID {
        let start = offset
        let bytes = try readStringBytes(field: field, byteCountMax: StaffID.byteCountMax)
        if StaffID.isValid(bytes) { return StaffID(checkedValue: Self.makeString(ascii: bytes)) }
        let text = try Self.makeString(bytes, field: field, offset: start)
        return try validated(field: field, offset: start) { try StaffID(text) }
    }

    /// Reads a `StaffRole` code written as a varuint.
    mutating func readStaffRole(field: String) throws -> StaffRole {
        let start = offset
        let code = try readVarUInt(field: field)
        guard let narrow = UInt8(exactly: code), let role = StaffRole(rawValue: narrow) else {
            throw EventDecodingError(.unknownEnumerationCode, field: field, offset: start)
        }
        return role
    }
}
