import RecordLog

/// An allergy or intolerance was recorded in a patient's chart. FHIR `AllergyIntolerance`, clinical status active.
public struct AllergyRecorded: ClinicEventBody {
    /// The rule an allergy broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The substance is empty or longer than `ChartLimits.shortTextByteCountMax` bytes.
        case substanceLength
        /// The reaction is empty or longer than `ChartLimits.shortTextByteCountMax` bytes.
        case reactionLength
    }

    /// The allergy entry's own id, referenced by its resolution, its correction and amendments.
    public let allergyID: EventID
    /// The patient whose chart it is.
    public let patientID: EventID
    /// The substance (drug, food or environmental agent), as the clinician wrote it.
    public let substance: String
    /// The reaction observed or reported (for example `hives`).
    public let reaction: String
    /// How severe the reaction is.
    public let severity: AllergySeverity
    /// How certain the allergy is.
    public let verification: AllergyVerification

    /// Creates the event, refusing an empty or oversized substance or reaction.
    public init(
        allergyID: EventID, patientID: EventID, substance: String, reaction: String, severity: AllergySeverity,
        verification: AllergyVerification
    ) throws(ValidationError) {
        guard ChartLimits.isValid(substance, byteCountMax: ChartLimits.shortTextByteCountMax) else {
            throw .substanceLength
        }
        guard ChartLimits.isValid(reaction, byteCountMax: ChartLimits.shortTextByteCountMax) else {
            throw .reactionLength
        }
        self.allergyID = allergyID
        self.patientID = patientID
        self.substance = substance
        self.reaction = reaction
        self.severity = severity
        self.verification = verification
    }

    /// `AllergyRecorded`.
    public static let eventType = "AllergyRecorded"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("allergyID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("substance", .string(byteCountMax: ChartLimits.shortTextByteCountMax)),
                    FieldSpec("reaction", .string(byteCountMax: ChartLimits.shortTextByteCountMax)),
                    FieldSpec("severity", .varUInt),
                    FieldSpec("verification", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(allergyID)
        encoder.writeEventID(patientID)
        encoder.writeString(substance)
        encoder.writeString(reaction)
        encoder.writeVarUInt(UInt64(severity.rawValue))
        encoder.writeVarUInt(UInt64(verification.rawValue))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AllergyRecorded {
        let start = decoder.offset
        let allergyID = try decoder.readEventID(field: "allergyID")
        let patientID = try decoder.readEventID(field: "patientID")
        let substance = try decoder.readString(field: "substance", byteCountMax: ChartLimits.shortTextByteCountMax)
        let reaction = try decoder.readString(field: "reaction", byteCountMax: ChartLimits.shortTextByteCountMax)
        let severity = try decoder.readCode(AllergySeverity.self, field: "severity")
        let verification = try decoder.readCode(AllergyVerification.self, field: "verification")
        return try decoder.validated(field: "allergy", offset: start) {
            try AllergyRecorded(
                allergyID: allergyID, patientID: patientID, substance: substance, reaction: reaction,
                severity: severity, verification: verification)
        }
    }
}

/// A chart event whose body is one entry id and nothing else; its type name says what happened to the entry.
public protocol ChartEntryMark: ClinicEventBody {
    /// The name of the id field, as `docs/events.md` gives it.
    static var entryFieldName: String { get }
    /// The entry the event is about.
    var entryID: EventID { get }
    /// Creates the event for `entryID`.
    init(entryID: EventID)
}

extension ChartEntryMark {
    /// The first and only version so far.
    public static var currentSchemaVersion: UInt32 { 1 }

    /// The version 1 layout: the entry id.
    public static var schemas: [EventSchema] {
        [EventSchema(eventType: eventType, version: 1, layout: [FieldSpec(entryFieldName, .eventID)])]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(entryID)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> Self {
        Self(entryID: try decoder.readEventID(field: entryFieldName))
    }
}

/// An allergy no longer applies (FHIR clinical status `resolved`); the entry stays in the chart as past.
public struct AllergyResolved: ChartEntryMark {
    /// `AllergyResolved`.
    public static let eventType = "AllergyResolved"
    /// `allergyID`.
    public static let entryFieldName = "allergyID"
    /// The allergy resolved.
    public let allergyID: EventID
    /// The allergy resolved.
    public var entryID: EventID { allergyID }

    /// Creates the event.
    public init(allergyID: EventID) { self.allergyID = allergyID }

    /// Creates the event.
    public init(entryID: EventID) { self.allergyID = entryID }
}

/// An allergy entry was wrong (FHIR verification status `entered-in-error` or `refuted`); it stays, marked so.
public struct AllergyEnteredInError: ClinicEventBody {
    /// The rule the event broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The reason is empty or longer than `ChartLimits.shortTextByteCountMax` bytes.
        case reasonLength
    }

    /// The allergy entered in error.
    public let allergyID: EventID
    /// Why the entry is wrong, without patient details beyond what the chart already holds.
    public let reason: String

    /// Creates the event, refusing an empty or oversized reason.
    public init(allergyID: EventID, reason: String) throws(ValidationError) {
        guard ChartLimits.isValid(reason, byteCountMax: ChartLimits.shortTextByteCountMax) else {
            throw .reasonLength
        }
        self.allergyID = allergyID
        self.reason = reason
    }

    /// `AllergyEnteredInError`.
    public static let eventType = "AllergyEnteredInError"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("allergyID", .eventID),
                    FieldSpec("reason", .string(byteCountMax: ChartLimits.shortTextByteCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(allergyID)
        encoder.writeString(reason)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AllergyEnteredInError {
        let allergyID = try decoder.readEventID(field: "allergyID")
        let start = decoder.offset
        let reason = try decoder.readString(field: "reason", byteCountMax: ChartLimits.shortTextByteCountMax)
        return try decoder.validated(field: "reason", offset: start) {
            try AllergyEnteredInError(allergyID: allergyID, reason: reason)
        }
    }
}
