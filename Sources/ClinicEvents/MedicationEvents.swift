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
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("medicationID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("name", .string(byteCountMax: ChartLimits.shortTextByteCountMax)),
                    FieldSpec("dose", .string(byteCountMax: ChartLimits.doseByteCountMax)),
                    FieldSpec("route", .varUInt),
                    FieldSpec("frequency", .string(byteCountMax: ChartLimits.doseByteCountMax)),
                    FieldSpec("reason", .string(byteCountMax: ChartLimits.shortTextByteCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(medicationID)
        encoder.writeEventID(patientID)
        encoder.writeString(name)
        encoder.writeString(dose)
        encoder.writeVarUInt(UInt64(route.rawValue))
        encoder.writeString(frequency)
        encoder.writeString(reason)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> MedicationStarted {
        let start = decoder.offset
        let medicationID = try decoder.readEventID(field: "medicationID")
        let patientID = try decoder.readEventID(field: "patientID")
        let name = try decoder.readString(field: "name", byteCountMax: ChartLimits.shortTextByteCountMax)
        let dose = try decoder.readString(field: "dose", byteCountMax: ChartLimits.doseByteCountMax)
        let route = try decoder.readCode(MedicationRoute.self, field: "route")
        let frequency = try decoder.readString(field: "frequency", byteCountMax: ChartLimits.doseByteCountMax)
        let reason = try decoder.readString(field: "reason", byteCountMax: ChartLimits.shortTextByteCountMax)
        return try decoder.validated(field: "medication", offset: start) {
            try MedicationStarted(
                medicationID: medicationID, patientID: patientID, name: name, dose: dose, route: route,
                frequency: frequency, reason: reason)
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
    /// Why it was stopped (for example `course completed`).
    public let reason: String

    /// Creates the event, refusing an empty or oversized reason.
    public init(medicationID: EventID, reason: String) throws(ValidationError) {
        guard ChartLimits.isValid(reason, byteCountMax: ChartLimits.shortTextByteCountMax) else {
            throw .reasonLength
        }
        self.medicationID = medicationID
        self.reason = reason
    }

    /// `MedicationStopped`.
    public static let eventType = "MedicationStopped"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("medicationID", .eventID),
                    FieldSpec("reason", .string(byteCountMax: ChartLimits.shortTextByteCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(medicationID)
        encoder.writeString(reason)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> MedicationStopped {
        let medicationID = try decoder.readEventID(field: "medicationID")
        let start = decoder.offset
        let reason = try decoder.readString(field: "reason", byteCountMax: ChartLimits.shortTextByteCountMax)
        return try decoder.validated(field: "reason", offset: start) {
            try MedicationStopped(medicationID: medicationID, reason: reason)
        }
    }
}
