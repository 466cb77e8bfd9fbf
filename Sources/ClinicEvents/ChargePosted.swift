import RecordLog

/// A charge was posted for a procedure performed in an encounter: one line of a claim.
public struct ChargePosted: ClinicEventBody {
    /// The most diagnoses a charge may list (as on the CMS-1500 claim form, A to L).
    public static let diagnosisCountMax = 12
    /// The most diagnosis pointers a charge line may carry.
    public static let diagnosisPointerCountMax = 4
    /// The accepted units of service.
    public static let unitsRange: ClosedRange<UInt32> = 1...999

    /// The rule a charge broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// Units outside `unitsRange`.
        case unitsOutOfRange
        /// No diagnoses, or more than `diagnosisCountMax`.
        case diagnosisCount
        /// No diagnosis pointers, or more than `diagnosisPointerCountMax`.
        case diagnosisPointerCount
        /// A pointer is not between 1 and the number of diagnoses.
        case diagnosisPointerOutOfRange
        /// The same pointer appears twice.
        case duplicateDiagnosisPointer
        /// The amount is negative; a charge is reduced by an adjustment or a void, never by a negative charge.
        case negativeAmount
    }

    /// The charge's own id, referenced by payments, adjustments and voids.
    public let chargeID: EventID
    /// The patient charged.
    public let patientID: EventID
    /// The encounter the procedure was performed in.
    public let encounterID: EventID
    /// The procedure and its modifiers.
    public let procedure: ProcedureCode
    /// Units of service.
    public let units: UInt32
    /// The diagnoses of the claim, in order (pointer 1 is the first).
    public let diagnoses: [DiagnosisCode]
    /// One-based pointers into `diagnoses`, most important first.
    public let diagnosisPointers: [UInt8]
    /// The charged amount for the whole line (all units).
    public let amount: MoneyCents
    /// The office day the charge is posted on, in days since 1970-01-01; nil only for charges written at version 1,
    /// before the field existed (a ledger places those on the office day of their effective time).
    public let postingDateDaysSince1970: Int64?

    /// Creates a charge, validating units, diagnoses, pointers and amount.
    public init(
        chargeID: EventID, patientID: EventID, encounterID: EventID, procedure: ProcedureCode, units: UInt32,
        diagnoses: [DiagnosisCode], diagnosisPointers: [UInt8], amount: MoneyCents, postingDateDaysSince1970: Int64?
    ) throws(ValidationError) {
        guard Self.unitsRange.contains(units) else { throw .unitsOutOfRange }
        guard !diagnoses.isEmpty, diagnoses.count <= Self.diagnosisCountMax else { throw .diagnosisCount }
        guard !diagnosisPointers.isEmpty, diagnosisPointers.count <= Self.diagnosisPointerCountMax else {
            throw .diagnosisPointerCount
        }
        guard diagnosisPointers.allSatisfy({ $0 >= 1 && Int($0) <= diagnoses.count }) else {
            throw .diagnosisPointerOutOfRange
        }
        // At most four pointers: compared pairwise, allocating nothing.
        for index in diagnosisPointers.indices.dropFirst()
        where diagnosisPointers[..<index].contains(diagnosisPointers[index]) {
            throw .duplicateDiagnosisPointer
        }
        guard amount.cents >= 0 else { throw .negativeAmount }
        self.chargeID = chargeID
        self.patientID = patientID
        self.encounterID = encounterID
        self.procedure = procedure
        self.units = units
        self.diagnoses = diagnoses
        self.diagnosisPointers = diagnosisPointers
        self.amount = amount
        self.postingDateDaysSince1970 = postingDateDaysSince1970
    }

    /// `ChargePosted`.
    public static let eventType = "ChargePosted"
    /// Version 2 added the posting date.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient charged. A charge carries no sealed field: its codes and amount are what the ledgers add up.
    public var subjectPatientID: EventID? { patientID }

    private static let layoutVersion1: [FieldSpec] = [
        FieldSpec("chargeID", .eventID),
        FieldSpec("patientID", .eventID),
        FieldSpec("encounterID", .eventID),
        FieldSpec("procedureCode", .string(byteCountMax: 5)),
        FieldSpec("modifiers", .array(.string(byteCountMax: 2), countMax: ProcedureCode.modifierCountMax)),
        FieldSpec("units", .varUInt),
        FieldSpec("diagnoses", .array(.string(byteCountMax: 8), countMax: diagnosisCountMax)),
        FieldSpec("diagnosisPointers", .array(.varUInt, countMax: diagnosisPointerCountMax)),
        FieldSpec("amountCents", .varInt),
    ]

    /// Version 1 and version 2 (the same fields, then `postingDateDaysSince1970`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(eventType: eventType, version: 1, layout: layoutVersion1),
            EventSchema(
                eventType: eventType, version: 2,
                layout: layoutVersion1 + [FieldSpec("postingDateDaysSince1970", .optional(.varInt))]),
        ]
    }

    /// 1 → 2: a version 1 charge recorded no posting date, so it becomes absent.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                upcast["postingDateDaysSince1970"] = .optional(nil)
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(chargeID)
        encoder.writeEventID(patientID)
        encoder.writeEventID(encounterID)
        encoder.writeString(procedure.code)
        encoder.writeArray(procedure.modifiers) { $0.writeString($1) }
        encoder.writeVarUInt(UInt64(units))
        encoder.writeArray(diagnoses) { $0.writeString($1.code) }
        encoder.writeArray(diagnosisPointers) { $0.writeVarUInt(UInt64($1)) }
        encoder.writeVarInt(amount.cents)
        encoder.writeOptional(postingDateDaysSince1970) { $0.writeVarInt($1) }
    }

    /// Reads a version 2 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> ChargePosted {
        let chargeID = try decoder.readEventID(field: "chargeID")
        let patientID = try decoder.readEventID(field: "patientID")
        let encounterID = try decoder.readEventID(field: "encounterID")
        let procedureOffset = decoder.offset
        let code = try decoder.readString(field: "procedureCode", byteCountMax: 5)
        let modifiers = try decoder.readArray(field: "modifiers", countMax: ProcedureCode.modifierCountMax) {
            try $0.readString(field: "modifiers", byteCountMax: 2)
        }
        let procedure = try decoder.validated(field: "procedureCode", offset: procedureOffset) {
            try ProcedureCode(code: code, modifiers: modifiers)
        }
        let unitsOffset = decoder.offset
        let units = try decoder.readVarUInt32(field: "units")
        let diagnoses = try decoder.readArray(field: "diagnoses", countMax: diagnosisCountMax) { decoder in
            let offset = decoder.offset
            let text = try decoder.readString(field: "diagnoses", byteCountMax: 8)
            return try decoder.validated(field: "diagnoses", offset: offset) { try DiagnosisCode(text) }
        }
        let pointers = try decoder.readArray(field: "diagnosisPointers", countMax: diagnosisPointerCountMax) {
            decoder in
            let offset = decoder.offset
            guard let pointer = UInt8(exactly: try decoder.readVarUInt(field: "diagnosisPointers")) else {
                throw EventDecodingError(.integerOutOfRange, field: "diagnosisPointers", offset: offset)
            }
            return pointer
        }
        let amountOffset = decoder.offset
        let cents = try decoder.readVarInt(field: "amountCents")
        let amount = try decoder.validated(field: "amountCents", offset: amountOffset) { try MoneyCents(cents: cents) }
        let postingDate = try decoder.readOptional(field: "postingDateDaysSince1970") {
            try $0.readVarInt(field: "postingDateDaysSince1970")
        }
        return try decoder.validated(field: "ChargePosted", offset: unitsOffset) {
            try ChargePosted(
                chargeID: chargeID, patientID: patientID, encounterID: encounterID, procedure: procedure, units: units,
                diagnoses: diagnoses, diagnosisPointers: pointers, amount: amount,
                postingDateDaysSince1970: postingDate)
        }
    }
}
