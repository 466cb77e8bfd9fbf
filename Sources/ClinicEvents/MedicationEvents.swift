import RecordLog

/// A patient started taking a medication, or a medication they take was added to the chart. FHIR
/// `MedicationStatement`, status active.
public struct MedicationStarted: ClinicEventBody {
    /// The rule a medication broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The name is empty or longer than `ChartLimits.shortTextByteCountMax` bytes.
        case nameLength
        /// The dose is empty or longer than `ChartLimits.doseByteCountMax` bytes.
        case doseLength
        /// The frequency is empty or longer than `ChartLimits.doseByteCountMax` bytes.
        case frequencyLength
        /// The reason is empty or longer than `ChartLimits.shortTextByteCountMax` bytes.
        case reasonLength
    }

    /// The medication entry's own id, referenced by its stop and by amendments.
    public let medicationID: EventID
    /// The patient whose chart it is.
    public let patientID: EventID
    /// The medication's name (generic or brand, with strength if the clinician wrote it).
    public let name: String
    /// The dose per administration (for example `500 mg`).
    public let dose: String
    /// How it is taken.
    public let route: MedicationRoute
    /// How often (for example `twice daily`).
    public let frequency: String
    /// Why it is taken (the indication).
    public let reason: String

    /// Creates the event, refusing an empty or oversized text field.
    public init(
        medicationID: EventID, patientID: EventID, name: String, dose: String, route: MedicationRoute,
        frequency: String, reason: String
    ) throws(ValidationError) {
        guard ChartLimits.isValid(name, byteCountMax: ChartLimits.shortTextByteCountMax) else { throw .nameLength }
        guard ChartLimits.isValid(dose, byteCountMax: ChartLimits.doseByteCountMax) else { throw .doseLength }
        guard ChartLimits.isValid(frequency, byteCountMax: ChartLimits.doseByteCountMax) else {
            throw .frequencyLength
        }
        guard ChartLimits.isValid(reason, byteCountMax: ChartLimits.shortTextByteCountMax) else {
            throw .reasonLength
        }
        self.medicationID = medicationID
        self.patientID = patientID
        self.name = name
        self.dose = dose
        self.route = route
        self.frequency = frequency
        self.reason = reason
    }

    /// `MedicationStarted`.
    public static let eventType = "MedicationStarted"
    /// Version 2 seals the name, dose, frequency and reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    private static let text = FieldKind.string(byteCountMax: ChartLimits.shortTextByteCountMax)
    private static let dose = FieldKind.string(byteCountMax: ChartLimits.doseByteCountMax)
    /// The fields sealed together as `patientData` since version 2.
    static let patientDataKind: FieldKind = .record([
        FieldSpec("name", text), FieldSpec("dose", dose), FieldSpec("frequency", dose), FieldSpec("reason", text),
    ])
    private static let patientDataSealedByteCountMax = patientDataKind.sealedByteCountMax

    /// Version 1 and version 2 (the route in clear, then name, dose, frequency and reason sealed as `patientData`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("medicationID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("name", text),
                    FieldSpec("dose", dose),
                    FieldSpec("route", .varUInt),
                    FieldSpec("frequency", dose),
                    FieldSpec("reason", text),
                ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("medicationID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("route", .varUInt),
                    FieldSpec("patientData", .sealed(patientDataKind)),
                ]),
        ]
    }

    /// 1 → 2: name, dose, frequency and reason move, in clear, into `patientData`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear(["name", "dose", "frequency", "reason"], asRecord: "patientData")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(medicationID)
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(UInt64(route.rawValue))
        encoder.writeSealed(field: "patientData", patient: patientID) { encoder in
            encoder.writeString(name)
            encoder.writeString(dose)
            encoder.writeString(frequency)
            encoder.writeString(reason)
        }
    }

    /// Reads a version 2 body; withheld, every text reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> MedicationStarted {
        let start = decoder.offset
        let medicationID = try decoder.readEventID(field: "medicationID")
        let patientID = try decoder.readEventID(field: "patientID")
        let route = try decoder.readCode(MedicationRoute.self, field: "route")
        let texts = try decoder.readSealed(
            field: "patientData", patient: patientID, sealedByteCountMax: patientDataSealedByteCountMax,
            placeholder: { ($0.placeholderText, $0.placeholderText, $0.placeholderText, $0.placeholderText) },
            read: { decoder in
                (
                    try decoder.readString(field: "name", byteCountMax: ChartLimits.shortTextByteCountMax),
                    try decoder.readString(field: "dose", byteCountMax: ChartLimits.doseByteCountMax),
                    try decoder.readString(field: "frequency", byteCountMax: ChartLimits.doseByteCountMax),
                    try decoder.readString(field: "reason", byteCountMax: ChartLimits.shortTextByteCountMax)
                )
            })
        return try decoder.validated(field: "medication", offset: start) {
            try MedicationStarted(
                medicationID: medicationID, patientID: patientID, name: texts.0, dose: texts.1, route: route,
                frequency: texts.2, reason: texts.3)
        }
    }
}

/// A patient stopped taking a medication; the entry stays in the chart as a past medication.
public struct MedicationStopped: ClinicEventBody {
    /// The rule the event broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The reason is empty or longer than `ChartLimits.shortTextByteCountMax` bytes.
        case reasonLength
    }

    /// The medication stopped.
    public let medicationID: EventID
    /// The chart's patient, whose key seals the reason; nil only for events written at version 1.
    public let patientID: EventID?
    /// Why it was stopped (for example `course completed`; patient data).
    public let reason: String

    /// Creates the event, refusing an empty or oversized reason.
    public init(medicationID: EventID, patientID: EventID?, reason: String) throws(ValidationError) {
        guard ChartLimits.isValid(reason, byteCountMax: ChartLimits.shortTextByteCountMax) else {
            throw .reasonLength
        }
        self.medicationID = medicationID
        self.patientID = patientID
        self.reason = reason
    }

    /// `MedicationStopped`.
    public static let eventType = "MedicationStopped"
    /// Version 2 adds the patient and seals the reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    /// Version 1 and version 2 (the patient added, the reason sealed).
    public static var schemas: [EventSchema] {
        ChartLimits.reasonSchemas(eventType: eventType, idField: "medicationID")
    }

    /// 1 → 2: the patient is absent (version 1 did not record it) and the reason is held in clear.
    public static var upcasters: [Upcaster] {
        [Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2, transform: EventFields.upcastAddingPatient)]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(medicationID)
        encoder.writeOptional(patientID) { $0.writeEventID($1) }
        encoder.writeSealedString(reason, field: "reason", patient: patientID)
    }

    /// Reads a version 2 body; withheld, the reason reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> MedicationStopped {
        let medicationID = try decoder.readEventID(field: "medicationID")
        let patientID = try decoder.readOptional(field: "patientID") { try $0.readEventID(field: "patientID") }
        let start = decoder.offset
        let reason = try decoder.readSealedString(
            field: "reason", byteCountMax: ChartLimits.shortTextByteCountMax, patient: patientID)
        return try decoder.validated(field: "reason", offset: start) {
            try MedicationStopped(medicationID: medicationID, patientID: patientID, reason: reason)
        }
    }
}
