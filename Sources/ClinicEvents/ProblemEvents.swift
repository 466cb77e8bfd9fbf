import RecordLog

/// A diagnosis was added to a patient's problem list. FHIR `Condition` (category problem-list-item), active.
public struct ProblemAdded: ClinicEventBody {
    /// The rule a problem broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The onset date is outside `ChartLimits.onsetDaysRange`.
        case onsetOutOfRange
    }

    /// The problem entry's own id, referenced by its resolution and by amendments.
    public let problemID: EventID
    /// The patient whose chart it is.
    public let patientID: EventID
    /// The diagnosis, in ICD-10-CM.
    public let diagnosis: DiagnosisCode
    /// The date the problem began, in days since 1970-01-01, when known.
    public let onsetDaysSince1970: Int64?

    /// Creates the event, refusing an onset date out of range.
    public init(
        problemID: EventID, patientID: EventID, diagnosis: DiagnosisCode, onsetDaysSince1970: Int64?
    ) throws(ValidationError) {
        if let onset = onsetDaysSince1970, !ChartLimits.onsetDaysRange.contains(onset) { throw .onsetOutOfRange }
        self.problemID = problemID
        self.patientID = patientID
        self.diagnosis = diagnosis
        self.onsetDaysSince1970 = onsetDaysSince1970
    }

    /// `ProblemAdded`.
    public static let eventType = "ProblemAdded"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("problemID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("diagnosisCode", .string(byteCountMax: 8)),
                    FieldSpec("onsetDaysSince1970", .optional(.varInt)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(problemID)
        encoder.writeEventID(patientID)
        encoder.writeString(diagnosis.code)
        encoder.writeOptional(onsetDaysSince1970) { $0.writeVarInt($1) }
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> ProblemAdded {
        let problemID = try decoder.readEventID(field: "problemID")
        let patientID = try decoder.readEventID(field: "patientID")
        let codeStart = decoder.offset
        let code = try decoder.readString(field: "diagnosisCode", byteCountMax: 8)
        let diagnosis = try decoder.validated(field: "diagnosisCode", offset: codeStart) { try DiagnosisCode(code) }
        let onsetStart = decoder.offset
        let onset = try decoder.readOptional(field: "onsetDaysSince1970") {
            try $0.readVarInt(field: "onsetDaysSince1970")
        }
        return try decoder.validated(field: "onsetDaysSince1970", offset: onsetStart) {
            try ProblemAdded(
                problemID: problemID, patientID: patientID, diagnosis: diagnosis, onsetDaysSince1970: onset)
        }
    }
}

/// A problem no longer applies (FHIR `Condition.clinicalStatus` `resolved`); it stays in the chart as past.
public struct ProblemResolved: ChartEntryMark {
    /// `ProblemResolved`.
    public static let eventType = "ProblemResolved"
    /// `problemID`.
    public static let entryFieldName = "problemID"
    /// The problem resolved.
    public let problemID: EventID
    /// The problem resolved.
    public var entryID: EventID { problemID }

    /// Creates the event.
    public init(problemID: EventID) { self.problemID = problemID }

    /// Creates the event.
    public init(entryID: EventID) { self.problemID = entryID }
}
