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
    /// Version 2 seals the diagnosis and the onset.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    /// The diagnosis a withheld problem reads as: ICD-10-CM R69, "illness, unspecified".
    public static let placeholderDiagnosisCode = "R69"

    /// The fields sealed together as `patientData` since version 2.
    static let patientDataKind: FieldKind = .record([
        FieldSpec("diagnosisCode", .string(byteCountMax: 8)), FieldSpec("onsetDaysSince1970", .optional(.varInt)),
    ])
    private static let patientDataSealedByteCountMax = patientDataKind.sealedByteCountMax

    /// Version 1 and version 2 (diagnosis and onset sealed together as `patientData`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("problemID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("diagnosisCode", .string(byteCountMax: 8)),
                    FieldSpec("onsetDaysSince1970", .optional(.varInt)),
                ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("problemID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("patientData", .sealed(patientDataKind)),
                ]),
        ]
    }

    /// 1 → 2: diagnosis and onset move, in clear, into `patientData`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear(["diagnosisCode", "onsetDaysSince1970"], asRecord: "patientData")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(problemID)
        encoder.writeEventID(patientID)
        encoder.writeSealed(field: "patientData", patient: patientID) { encoder in
            encoder.writeString(diagnosis.code)
            encoder.writeOptional(onsetDaysSince1970) { $0.writeVarInt($1) }
        }
    }

    /// Reads a version 2 body; withheld, the diagnosis reads as `placeholderDiagnosisCode` and the onset as absent.
    public static func decode(from decoder: inout BinaryDecoder) throws -> ProblemAdded {
        let problemID = try decoder.readEventID(field: "problemID")
        let patientID = try decoder.readEventID(field: "patientID")
        let start = decoder.offset
        let data = try decoder.readSealed(
            field: "patientData", patient: patientID, sealedByteCountMax: patientDataSealedByteCountMax,
            placeholder: { _ in (placeholderDiagnosisCode, Int64?.none) },
            read: { decoder in
                (
                    try decoder.readString(field: "diagnosisCode", byteCountMax: 8),
                    try decoder.readOptional(field: "onsetDaysSince1970") {
                        try $0.readVarInt(field: "onsetDaysSince1970")
                    }
                )
            })
        let diagnosis = try decoder.validated(field: "diagnosisCode", offset: start) { try DiagnosisCode(data.0) }
        return try decoder.validated(field: "onsetDaysSince1970", offset: start) {
            try ProblemAdded(
                problemID: problemID, patientID: patientID, diagnosis: diagnosis, onsetDaysSince1970: data.1)
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
