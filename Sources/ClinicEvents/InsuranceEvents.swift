import RecordLog

/// The kind of a payer; the wire code of each case is fixed forever.
public enum PayerType: UInt8, CaseIterable, Hashable, Sendable {
    /// A commercial health plan.
    case commercial = 1
    /// Medicare.
    case medicare = 2
    /// Medicaid.
    case medicaid = 3
    /// TRICARE or another military plan.
    case military = 4
    /// Workers' compensation.
    case workersCompensation = 5
    /// Any other payer.
    case other = 6
}

/// The order in which a coverage pays (FHIR `Coverage.order`); the wire code of each case is fixed forever.
public enum CoverageOrder: UInt8, CaseIterable, Hashable, Sendable {
    /// Billed first.
    case primary = 1
    /// Billed second.
    case secondary = 2
    /// Billed third.
    case tertiary = 3
}

/// The answer of an eligibility check (X12 271); the wire code of each case is fixed forever.
public enum EligibilityResult: UInt8, CaseIterable, Hashable, Sendable {
    /// The payer reports the coverage active.
    case active = 1
    /// The payer reports the coverage inactive.
    case inactive = 2
    /// The payer could not say.
    case unknown = 3
}

/// Limits shared by the insurance events.
public enum InsuranceLimits {
    /// The longest payer name accepted, in bytes.
    public static let payerNameByteCountMax = 256
    /// The longest member id accepted, in bytes.
    public static let memberIDByteCountMax = 64
    /// The largest copay accepted, in cents.
    public static let copayCentsMax: Int64 = 10_000_000
    /// The accepted coverage dates, in days since 1970-01-01.
    public static let dayRange: ClosedRange<Int64> = -80_000...80_000
}

/// A payer (an insurer or program) was defined for the office, on the `payers` stream.
public struct PayerDefined: ClinicEventBody {
    /// The rule a payer broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The name is empty or longer than `InsuranceLimits.payerNameByteCountMax` bytes.
        case nameLength
    }

    /// The payer's opaque id.
    public let payerID: EventID
    /// The payer's name.
    public let name: String
    /// The payer's kind.
    public let type: PayerType

    /// Creates the event, validating the name.
    public init(payerID: EventID, name: String, type: PayerType) throws(ValidationError) {
        guard !name.utf8.isEmpty, name.utf8.count <= InsuranceLimits.payerNameByteCountMax else { throw .nameLength }
        self.payerID = payerID
        self.name = name
        self.type = type
    }

    /// `PayerDefined`.
    public static let eventType = "PayerDefined"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: a payer belongs to the office.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("payerID", .eventID),
                    FieldSpec("name", .string(byteCountMax: InsuranceLimits.payerNameByteCountMax)),
                    FieldSpec("type", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(payerID)
        encoder.writeString(name)
        encoder.writeVarUInt(UInt64(type.rawValue))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PayerDefined {
        let start = decoder.offset
        let payerID = try decoder.readEventID(field: "payerID")
        let name = try decoder.readString(field: "name", byteCountMax: InsuranceLimits.payerNameByteCountMax)
        let type = try decoder.readCode(PayerType.self, field: "type")
        return try decoder.validated(field: "PayerDefined", offset: start) {
            try PayerDefined(payerID: payerID, name: name, type: type)
        }
    }
}

/// A coverage of a patient by a payer was added (FHIR `Coverage`), effective from a day, optionally to a last day.
public struct CoverageAdded: ClinicEventBody {
    /// The rule a coverage broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The member id is empty or longer than `InsuranceLimits.memberIDByteCountMax` bytes.
        case memberIDLength
        /// The copay is negative or above `InsuranceLimits.copayCentsMax`.
        case copayOutOfRange
        /// A date is outside `InsuranceLimits.dayRange`, or the termination is before the effective day.
        case datesInvalid
    }

    /// The coverage's own id.
    public let coverageID: EventID
    /// The patient covered.
    public let patientID: EventID
    /// The payer.
    public let payerID: EventID
    /// The member id on the patient's card.
    public let memberID: String
    /// The order in which it pays.
    public let order: CoverageOrder
    /// The copay per visit, in cents.
    public let copayCents: Int64
    /// The first covered day, in days since 1970-01-01.
    public let effectiveDaysSince1970: Int64
    /// The last covered day, in days since 1970-01-01; nil when open-ended.
    public let terminationDaysSince1970: Int64?

    /// Creates the event, validating every field.
    public init(
        coverageID: EventID, patientID: EventID, payerID: EventID, memberID: String, order: CoverageOrder,
        copayCents: Int64, effectiveDaysSince1970: Int64, terminationDaysSince1970: Int64?
    ) throws(ValidationError) {
        guard !memberID.utf8.isEmpty, memberID.utf8.count <= InsuranceLimits.memberIDByteCountMax else {
            throw .memberIDLength
        }
        guard (0...InsuranceLimits.copayCentsMax).contains(copayCents) else { throw .copayOutOfRange }
        guard InsuranceLimits.dayRange.contains(effectiveDaysSince1970) else { throw .datesInvalid }
        if let end = terminationDaysSince1970 {
            guard InsuranceLimits.dayRange.contains(end), end >= effectiveDaysSince1970 else { throw .datesInvalid }
        }
        self.coverageID = coverageID
        self.patientID = patientID
        self.payerID = payerID
        self.memberID = memberID
        self.order = order
        self.copayCents = copayCents
        self.effectiveDaysSince1970 = effectiveDaysSince1970
        self.terminationDaysSince1970 = terminationDaysSince1970
    }

    /// `CoverageAdded`.
    public static let eventType = "CoverageAdded"
    /// Version 2 seals the member id.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient covered.
    public var subjectPatientID: EventID? { patientID }

    private static func layout(memberID: FieldKind) -> [FieldSpec] {
        [
            FieldSpec("coverageID", .eventID),
            FieldSpec("patientID", .eventID),
            FieldSpec("payerID", .eventID),
            FieldSpec("memberID", memberID),
            FieldSpec("order", .varUInt),
            FieldSpec("copayCents", .varInt),
            FieldSpec("effectiveDaysSince1970", .varInt),
            FieldSpec("terminationDaysSince1970", .optional(.varInt)),
        ]
    }

    /// Version 1 and version 2 (the same fields, the member id sealed).
    public static var schemas: [EventSchema] {
        let memberID = FieldKind.string(byteCountMax: InsuranceLimits.memberIDByteCountMax)
        return [
            EventSchema(eventType: eventType, version: 1, layout: layout(memberID: memberID)),
            EventSchema(eventType: eventType, version: 2, layout: layout(memberID: .sealed(memberID))),
        ]
    }

    /// 1 → 2: the member id is held in clear in its sealed field.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear("memberID")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(coverageID)
        encoder.writeEventID(patientID)
        encoder.writeEventID(payerID)
        encoder.writeSealedString(memberID, field: "memberID", patient: patientID)
        encoder.writeVarUInt(UInt64(order.rawValue))
        encoder.writeVarInt(copayCents)
        encoder.writeVarInt(effectiveDaysSince1970)
        encoder.writeOptional(terminationDaysSince1970) { $0.writeVarInt($1) }
    }

    /// Reads a version 2 body; withheld, the member id reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> CoverageAdded {
        let start = decoder.offset
        let coverageID = try decoder.readEventID(field: "coverageID")
        let patientID = try decoder.readEventID(field: "patientID")
        let payerID = try decoder.readEventID(field: "payerID")
        let memberID = try decoder.readSealedString(
            field: "memberID", byteCountMax: InsuranceLimits.memberIDByteCountMax, patient: patientID)
        let order = try decoder.readCode(CoverageOrder.self, field: "order")
        let copay = try decoder.readVarInt(field: "copayCents")
        let effective = try decoder.readVarInt(field: "effectiveDaysSince1970")
        let termination = try decoder.readOptional(field: "terminationDaysSince1970") {
            try $0.readVarInt(field: "terminationDaysSince1970")
        }
        return try decoder.validated(field: "CoverageAdded", offset: start) {
            try CoverageAdded(
                coverageID: coverageID, patientID: patientID, payerID: payerID, memberID: memberID, order: order,
                copayCents: copay, effectiveDaysSince1970: effective, terminationDaysSince1970: termination)
        }
    }
}

/// A coverage ended: its last covered day is now `terminationDaysSince1970`.
public struct CoverageEnded: ClinicEventBody {
    /// The rule an ending broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The day is outside `InsuranceLimits.dayRange`.
        case dateOutOfRange
    }

    /// The coverage ended.
    public let coverageID: EventID
    /// The last covered day, in days since 1970-01-01.
    public let terminationDaysSince1970: Int64

    /// Creates the event, refusing a day out of range.
    public init(coverageID: EventID, terminationDaysSince1970: Int64) throws(ValidationError) {
        guard InsuranceLimits.dayRange.contains(terminationDaysSince1970) else { throw .dateOutOfRange }
        self.coverageID = coverageID
        self.terminationDaysSince1970 = terminationDaysSince1970
    }

    /// `CoverageEnded`.
    public static let eventType = "CoverageEnded"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only the coverage and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("coverageID", .eventID), FieldSpec("terminationDaysSince1970", .varInt)])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(coverageID)
        encoder.writeVarInt(terminationDaysSince1970)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> CoverageEnded {
        let coverageID = try decoder.readEventID(field: "coverageID")
        let start = decoder.offset
        let day = try decoder.readVarInt(field: "terminationDaysSince1970")
        return try decoder.validated(field: "terminationDaysSince1970", offset: start) {
            try CoverageEnded(coverageID: coverageID, terminationDaysSince1970: day)
        }
    }
}

/// The payer was asked whether a coverage is in force, and answered.
public struct EligibilityChecked: ClinicEventBody {
    /// The coverage checked.
    public let coverageID: EventID
    /// The payer's answer.
    public let result: EligibilityResult
    /// When the check was made, in microseconds since 1970-01-01 UTC.
    public let checkedAtMicroseconds: Int64

    /// Creates the event.
    public init(coverageID: EventID, result: EligibilityResult, checkedAtMicroseconds: Int64) {
        self.coverageID = coverageID
        self.result = result
        self.checkedAtMicroseconds = checkedAtMicroseconds
    }

    /// `EligibilityChecked`.
    public static let eventType = "EligibilityChecked"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only the coverage and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("coverageID", .eventID),
                    FieldSpec("result", .varUInt),
                    FieldSpec("checkedAtMicroseconds", .varInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(coverageID)
        encoder.writeVarUInt(UInt64(result.rawValue))
        encoder.writeVarInt(checkedAtMicroseconds)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> EligibilityChecked {
        EligibilityChecked(
            coverageID: try decoder.readEventID(field: "coverageID"),
            result: try decoder.readCode(EligibilityResult.self, field: "result"),
            checkedAtMicroseconds: try decoder.readVarInt(field: "checkedAtMicroseconds"))
    }
}
