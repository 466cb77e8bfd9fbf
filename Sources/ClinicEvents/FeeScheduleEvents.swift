import RecordLog

/// Limits shared by the fee schedule's events.
public enum FeeScheduleLimits {
    /// The largest fee accepted for one unit of a procedure, in cents ($10,000,000.00, the most one entry may be).
    public static let amountCentsMax: Int64 = 1_000_000_000
    /// The longest description accepted, in bytes.
    public static let descriptionByteCountMax = 128
    /// The accepted effective days, in days since 1970-01-01.
    public static let dayRange: ClosedRange<Int64> = -80_000...80_000
}

/// The office's standard fee for one unit of a procedure (with exactly these modifiers, or none for the code's
/// default fee), in force from a day on until a later entry for the same procedure and modifiers; on the `fees`
/// stream. It carries no patient data.
public struct FeeScheduled: ClinicEventBody {
    /// The rule a fee broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The amount is not above zero, or above `FeeScheduleLimits.amountCentsMax`.
        case amountOutOfRange
        /// The effective day is outside `FeeScheduleLimits.dayRange`.
        case dateOutOfRange
        /// The description is empty or longer than `FeeScheduleLimits.descriptionByteCountMax` bytes.
        case descriptionLength
    }

    /// The procedure and the modifiers the fee is for (none: the code's default fee).
    public let procedure: ProcedureCode
    /// The fee for one unit.
    public let amount: MoneyCents
    /// The first day of service the fee applies to, in days since 1970-01-01.
    public let effectiveDaysSince1970: Int64
    /// How the office names the procedure in its fee list (never patient data), when given.
    public let procedureDescription: String?

    /// Creates the event, validating the amount, the day and the description.
    public init(
        procedure: ProcedureCode, amount: MoneyCents, effectiveDaysSince1970: Int64, procedureDescription: String?
    ) throws(ValidationError) {
        guard amount.cents > 0, amount.cents <= FeeScheduleLimits.amountCentsMax else { throw .amountOutOfRange }
        guard FeeScheduleLimits.dayRange.contains(effectiveDaysSince1970) else { throw .dateOutOfRange }
        if let procedureDescription {
            guard !procedureDescription.utf8.isEmpty,
                procedureDescription.utf8.count <= FeeScheduleLimits.descriptionByteCountMax
            else { throw .descriptionLength }
        }
        self.procedure = procedure
        self.amount = amount
        self.effectiveDaysSince1970 = effectiveDaysSince1970
        self.procedureDescription = procedureDescription
    }

    /// `FeeScheduled`.
    public static let eventType = "FeeScheduled"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: a fee belongs to the office.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("procedureCode", .string(byteCountMax: 5)),
                    FieldSpec("modifiers", .array(.string(byteCountMax: 2), countMax: ProcedureCode.modifierCountMax)),
                    FieldSpec("amountCents", .varInt),
                    FieldSpec("effectiveDaysSince1970", .varInt),
                    FieldSpec(
                        "description", .optional(.string(byteCountMax: FeeScheduleLimits.descriptionByteCountMax))),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeProcedure(procedure)
        encoder.writeVarInt(amount.cents)
        encoder.writeVarInt(effectiveDaysSince1970)
        encoder.writeOptional(procedureDescription) { $0.writeString($1) }
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> FeeScheduled {
        let procedure = try decoder.readProcedure()
        let amountOffset = decoder.offset
        let cents = try decoder.readVarInt(field: "amountCents")
        let amount = try decoder.validated(field: "amountCents", offset: amountOffset) { try MoneyCents(cents: cents) }
        let day = try decoder.readVarInt(field: "effectiveDaysSince1970")
        let description = try decoder.readOptional(field: "description") {
            try $0.readString(field: "description", byteCountMax: FeeScheduleLimits.descriptionByteCountMax)
        }
        return try decoder.validated(field: "FeeScheduled", offset: amountOffset) {
            try FeeScheduled(
                procedure: procedure, amount: amount, effectiveDaysSince1970: day, procedureDescription: description)
        }
    }
}

/// The office's fee for a procedure with exactly these modifiers stops applying from a day on (until a later
/// `FeeScheduled` for them); on the `fees` stream. A withdrawn modifier fee falls back to the code's default fee.
public struct FeeWithdrawn: ClinicEventBody {
    /// The rule a withdrawal broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The effective day is outside `FeeScheduleLimits.dayRange`.
        case dateOutOfRange
    }

    /// The procedure and the modifiers whose fee is withdrawn (none: the code's default fee).
    public let procedure: ProcedureCode
    /// The first day of service the fee no longer applies to, in days since 1970-01-01.
    public let effectiveDaysSince1970: Int64

    /// Creates the event, validating the day.
    public init(procedure: ProcedureCode, effectiveDaysSince1970: Int64) throws(ValidationError) {
        guard FeeScheduleLimits.dayRange.contains(effectiveDaysSince1970) else { throw .dateOutOfRange }
        self.procedure = procedure
        self.effectiveDaysSince1970 = effectiveDaysSince1970
    }

    /// `FeeWithdrawn`.
    public static let eventType = "FeeWithdrawn"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: a fee belongs to the office.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("procedureCode", .string(byteCountMax: 5)),
                    FieldSpec("modifiers", .array(.string(byteCountMax: 2), countMax: ProcedureCode.modifierCountMax)),
                    FieldSpec("effectiveDaysSince1970", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeProcedure(procedure)
        encoder.writeVarInt(effectiveDaysSince1970)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> FeeWithdrawn {
        let procedure = try decoder.readProcedure()
        let dayOffset = decoder.offset
        let day = try decoder.readVarInt(field: "effectiveDaysSince1970")
        return try decoder.validated(field: "effectiveDaysSince1970", offset: dayOffset) {
            try FeeWithdrawn(procedure: procedure, effectiveDaysSince1970: day)
        }
    }
}

extension BinaryEncoder {
    /// Writes a procedure code as `procedureCode` `string(5)` then `modifiers` `array(string(2), 4)`.
    mutating func writeProcedure(_ procedure: ProcedureCode) {
        writeString(procedure.code)
        writeArray(procedure.modifiers) { $0.writeString($1) }
    }
}

extension BinaryDecoder {
    /// Reads `procedureCode` and `modifiers`, validating them together as a `ProcedureCode` (CPT or HCPCS, up to
    /// four two-character modifiers, none twice).
    mutating func readProcedure() throws -> ProcedureCode {
        let offset = self.offset
        let code = try readString(field: "procedureCode", byteCountMax: 5)
        let modifiers = try readArray(field: "modifiers", countMax: ProcedureCode.modifierCountMax) {
            try $0.readString(field: "modifiers", byteCountMax: 2)
        }
        return try validated(field: "procedureCode", offset: offset) {
            try ProcedureCode(code: code, modifiers: modifiers)
        }
    }
}
