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
    /// Version 2 seals the substance and the reaction.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    private static let text = FieldKind.string(byteCountMax: ChartLimits.shortTextByteCountMax)
    /// The fields sealed together as `patientData` since version 2.
    static let patientDataKind: FieldKind = .record([FieldSpec("substance", text), FieldSpec("reaction", text)])
    private static let patientDataSealedByteCountMax = patientDataKind.sealedByteCountMax

    /// Version 1 and version 2 (substance and reaction sealed together as `patientData`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("allergyID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("substance", text),
                    FieldSpec("reaction", text),
                    FieldSpec("severity", .varUInt),
                    FieldSpec("verification", .varUInt),
                ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("allergyID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("patientData", .sealed(patientDataKind)),
                    FieldSpec("severity", .varUInt),
                    FieldSpec("verification", .varUInt),
                ]),
        ]
    }

    /// 1 → 2: substance and reaction move, in clear, into `patientData`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear(["substance", "reaction"], asRecord: "patientData")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(allergyID)
        encoder.writeEventID(patientID)
        encoder.writeSealed(field: "patientData", patient: patientID) { encoder in
            encoder.writeString(substance)
            encoder.writeString(reaction)
        }
        encoder.writeVarUInt(UInt64(severity.rawValue))
        encoder.writeVarUInt(UInt64(verification.rawValue))
    }

    /// Reads a version 2 body; withheld, substance and reaction read as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AllergyRecorded {
        let start = decoder.offset
        let allergyID = try decoder.readEventID(field: "allergyID")
        let patientID = try decoder.readEventID(field: "patientID")
        let max = ChartLimits.shortTextByteCountMax
        let texts = try decoder.readSealed(
            field: "patientData", patient: patientID, sealedByteCountMax: patientDataSealedByteCountMax,
            placeholder: { ($0.placeholderText, $0.placeholderText) },
            read: { decoder in
                (
                    try decoder.readString(field: "substance", byteCountMax: max),
                    try decoder.readString(field: "reaction", byteCountMax: max)
                )
            })
        let severity = try decoder.readCode(AllergySeverity.self, field: "severity")
        let verification = try decoder.readCode(AllergyVerification.self, field: "verification")
        return try decoder.validated(field: "allergy", offset: start) {
            try AllergyRecorded(
                allergyID: allergyID, patientID: patientID, substance: texts.0, reaction: texts.1,
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

    /// None: the event names only the entry and carries no patient data.
    public var subjectPatientID: EventID? { nil }

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
    /// The chart's patient, whose key seals the reason; nil only for events written at version 1.
    public let patientID: EventID?
    /// Why the entry is wrong (patient data).
    public let reason: String

    /// Creates the event, refusing an empty or oversized reason.
    public init(allergyID: EventID, patientID: EventID?, reason: String) throws(ValidationError) {
        guard ChartLimits.isValid(reason, byteCountMax: ChartLimits.shortTextByteCountMax) else {
            throw .reasonLength
        }
        self.allergyID = allergyID
        self.patientID = patientID
        self.reason = reason
    }

    /// `AllergyEnteredInError`.
    public static let eventType = "AllergyEnteredInError"
    /// Version 2 adds the patient and seals the reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    /// Version 1 and version 2 (the patient added, the reason sealed).
    public static var schemas: [EventSchema] { ChartLimits.reasonSchemas(eventType: eventType, idField: "allergyID") }

    /// 1 → 2: the patient is absent (version 1 did not record it) and the reason is held in clear.
    public static var upcasters: [Upcaster] {
        [Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2, transform: EventFields.upcastAddingPatient)]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(allergyID)
        encoder.writeOptional(patientID) { $0.writeEventID($1) }
        encoder.writeSealedString(reason, field: "reason", patient: patientID)
    }

    /// Reads a version 2 body; withheld, the reason reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AllergyEnteredInError {
        let allergyID = try decoder.readEventID(field: "allergyID")
        let patientID = try decoder.readOptional(field: "patientID") { try $0.readEventID(field: "patientID") }
        let start = decoder.offset
        let reason = try decoder.readSealedString(
            field: "reason", byteCountMax: ChartLimits.shortTextByteCountMax, patient: patientID)
        return try decoder.validated(field: "reason", offset: start) {
            try AllergyEnteredInError(allergyID: allergyID, patientID: patientID, reason: reason)
        }
    }
}
