import RecordLog

/// Reads and writes a list of 1 to `ChartLimits.amendmentEntryCountMax` distinct entry ids.
enum EntryIDList {
    /// The wire layout of the list.
    static let fieldKind: FieldKind = .array(.eventID, countMax: ChartLimits.amendmentEntryCountMax)

    /// Whether `ids` is 1 to `ChartLimits.amendmentEntryCountMax` ids with no duplicates.
    static func isValid(_ ids: [EventID]) -> Bool {
        !ids.isEmpty && ids.count <= ChartLimits.amendmentEntryCountMax && Set(ids).count == ids.count
    }

    /// Writes the list.
    static func encode(_ ids: [EventID], into encoder: inout BinaryEncoder) {
        encoder.writeArray(ids) { $0.writeEventID($1) }
    }

    /// Reads the list (its rules are checked by the event's initializer).
    static func decode(field: String, from decoder: inout BinaryDecoder) throws -> [EventID] {
        try decoder.readArray(field: field, countMax: ChartLimits.amendmentEntryCountMax) {
            try $0.readEventID(field: field)
        }
    }
}

/// A patient asked to amend entries of their chart (HIPAA 45 CFR 164.526(b)); the office must act within 60 days.
///
/// The decision's deadline is the caller's concern: the event records when the request was received.
public struct AmendmentRequested: ClinicEventBody {
    /// The rule a request broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// No entries, more than `ChartLimits.amendmentEntryCountMax`, or one twice.
        case entryList
        /// The request text is empty or longer than `ChartLimits.amendmentTextByteCountMax` bytes.
        case requestLength
    }

    /// The amendment's own id, referenced by its acceptance or denial.
    public let amendmentID: EventID
    /// The patient whose chart it is.
    public let patientID: EventID
    /// The chart entries (allergies, medications, problems, notes, addenda) the patient asks to amend.
    public let amendedEntryIDs: [EventID]
    /// What the patient asks to change and why, as they stated it.
    public let request: String
    /// When the office received the request, in microseconds since 1970 (UTC): the 60-day clock starts here.
    public let requestedTimeMicroseconds: Int64

    /// Creates the event, refusing an empty, oversized or repeating entry list, or an empty or oversized request.
    public init(
        amendmentID: EventID, patientID: EventID, amendedEntryIDs: [EventID], request: String,
        requestedTimeMicroseconds: Int64
    ) throws(ValidationError) {
        guard EntryIDList.isValid(amendedEntryIDs) else { throw .entryList }
        guard ChartLimits.isValid(request, byteCountMax: ChartLimits.amendmentTextByteCountMax) else {
            throw .requestLength
        }
        self.amendmentID = amendmentID
        self.patientID = patientID
        self.amendedEntryIDs = amendedEntryIDs
        self.request = request
        self.requestedTimeMicroseconds = requestedTimeMicroseconds
    }

    /// `AmendmentRequested`.
    public static let eventType = "AmendmentRequested"
    /// Version 2 seals the request text.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    private static func layout(request: FieldKind) -> [FieldSpec] {
        [
            FieldSpec("amendmentID", .eventID),
            FieldSpec("patientID", .eventID),
            FieldSpec("amendedEntryIDs", EntryIDList.fieldKind),
            FieldSpec("request", request),
            FieldSpec("requestedTimeMicroseconds", .varInt),
        ]
    }

    /// Version 1 and version 2 (the same fields, the request sealed).
    public static var schemas: [EventSchema] {
        let request = FieldKind.string(byteCountMax: ChartLimits.amendmentTextByteCountMax)
        return [
            EventSchema(eventType: eventType, version: 1, layout: layout(request: request)),
            EventSchema(eventType: eventType, version: 2, layout: layout(request: .sealed(request))),
        ]
    }

    /// 1 → 2: the request is held in clear in its sealed field.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear("request")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(amendmentID)
        encoder.writeEventID(patientID)
        EntryIDList.encode(amendedEntryIDs, into: &encoder)
        encoder.writeSealedString(request, field: "request", patient: patientID)
        encoder.writeVarInt(requestedTimeMicroseconds)
    }

    /// Reads a version 2 body; withheld, the request reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AmendmentRequested {
        let amendmentID = try decoder.readEventID(field: "amendmentID")
        let patientID = try decoder.readEventID(field: "patientID")
        let start = decoder.offset
        let entries = try EntryIDList.decode(field: "amendedEntryIDs", from: &decoder)
        let request = try decoder.readSealedString(
            field: "request", byteCountMax: ChartLimits.amendmentTextByteCountMax, patient: patientID)
        let requested = try decoder.readVarInt(field: "requestedTimeMicroseconds")
        return try decoder.validated(field: "amendment", offset: start) {
            try AmendmentRequested(
                amendmentID: amendmentID, patientID: patientID, amendedEntryIDs: entries, request: request,
                requestedTimeMicroseconds: requested)
        }
    }
}

/// The office accepted an amendment (164.526(c)): the corrected entries, recorded as new events, are linked to it.
public struct AmendmentAccepted: ClinicEventBody {
    /// The rule an acceptance broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// No entries, more than `ChartLimits.amendmentEntryCountMax`, or one twice.
        case entryList
    }

    /// The amendment accepted.
    public let amendmentID: EventID
    /// The new entries that correct the amended ones (each already in the chart).
    public let correctingEntryIDs: [EventID]

    /// Creates the event, refusing an empty, oversized or repeating entry list.
    public init(amendmentID: EventID, correctingEntryIDs: [EventID]) throws(ValidationError) {
        guard EntryIDList.isValid(correctingEntryIDs) else { throw .entryList }
        self.amendmentID = amendmentID
        self.correctingEntryIDs = correctingEntryIDs
    }

    /// `AmendmentAccepted`.
    public static let eventType = "AmendmentAccepted"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only entries and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("amendmentID", .eventID),
                    FieldSpec("correctingEntryIDs", EntryIDList.fieldKind),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(amendmentID)
        EntryIDList.encode(correctingEntryIDs, into: &encoder)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AmendmentAccepted {
        let amendmentID = try decoder.readEventID(field: "amendmentID")
        let start = decoder.offset
        let entries = try EntryIDList.decode(field: "correctingEntryIDs", from: &decoder)
        return try decoder.validated(field: "correctingEntryIDs", offset: start) {
            try AmendmentAccepted(amendmentID: amendmentID, correctingEntryIDs: entries)
        }
    }
}

/// The office denied an amendment (164.526(d)): the basis, its explanation in plain language, and how the patient
/// may file a statement of disagreement (or ask that the request go with future disclosures).
public struct AmendmentDenied: ClinicEventBody {
    /// The rule a denial broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The explanation is empty or longer than `ChartLimits.amendmentTextByteCountMax` bytes.
        case explanationLength
        /// The disagreement instructions are empty or longer than `ChartLimits.amendmentTextByteCountMax` bytes.
        case disagreementInstructionsLength
    }

    /// The amendment denied.
    public let amendmentID: EventID
    /// The chart's patient, whose key seals the texts; nil only for events written at version 1.
    public let patientID: EventID?
    /// The basis for the denial that 164.526(a)(2) allows.
    public let basis: AmendmentDenialBasis
    /// The basis explained in plain language, as sent to the patient (patient data).
    public let explanation: String
    /// The statement of the patient's right to submit a statement of disagreement and how to file it.
    public let disagreementInstructions: String

    /// Creates the event, refusing an empty or oversized explanation or disagreement instructions.
    public init(
        amendmentID: EventID, patientID: EventID?, basis: AmendmentDenialBasis, explanation: String,
        disagreementInstructions: String
    ) throws(ValidationError) {
        guard ChartLimits.isValid(explanation, byteCountMax: ChartLimits.amendmentTextByteCountMax) else {
            throw .explanationLength
        }
        guard ChartLimits.isValid(disagreementInstructions, byteCountMax: ChartLimits.amendmentTextByteCountMax)
        else { throw .disagreementInstructionsLength }
        self.amendmentID = amendmentID
        self.patientID = patientID
        self.basis = basis
        self.explanation = explanation
        self.disagreementInstructions = disagreementInstructions
    }

    /// `AmendmentDenied`.
    public static let eventType = "AmendmentDenied"
    /// Version 2 adds the patient and seals both texts.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    private static let text = FieldKind.string(byteCountMax: ChartLimits.amendmentTextByteCountMax)
    /// The fields sealed together as `patientData` since version 2.
    static let patientDataKind: FieldKind = .record([
        FieldSpec("explanation", text), FieldSpec("disagreementInstructions", text),
    ])
    private static let patientDataSealedByteCountMax = patientDataKind.sealedByteCountMax

    /// Version 1 and version 2 (the patient added, both texts sealed together as `patientData`).
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("amendmentID", .eventID),
                    FieldSpec("basis", .varUInt),
                    FieldSpec("explanation", text),
                    FieldSpec("disagreementInstructions", text),
                ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("amendmentID", .eventID),
                    FieldSpec("patientID", .optional(.eventID)),
                    FieldSpec("basis", .varUInt),
                    FieldSpec("patientData", .sealed(patientDataKind)),
                ]),
        ]
    }

    /// 1 → 2: the patient is absent (version 1 did not record it); both texts move, in clear, into `patientData`.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                upcast["patientID"] = .optional(nil)
                try upcast.sealInClear(["explanation", "disagreementInstructions"], asRecord: "patientData")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(amendmentID)
        encoder.writeOptional(patientID) { $0.writeEventID($1) }
        encoder.writeVarUInt(UInt64(basis.rawValue))
        encoder.writeSealed(field: "patientData", patient: patientID) { encoder in
            encoder.writeString(explanation)
            encoder.writeString(disagreementInstructions)
        }
    }

    /// Reads a version 2 body; withheld, both texts read as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AmendmentDenied {
        let amendmentID = try decoder.readEventID(field: "amendmentID")
        let patientID = try decoder.readOptional(field: "patientID") { try $0.readEventID(field: "patientID") }
        let basis = try decoder.readCode(AmendmentDenialBasis.self, field: "basis")
        let start = decoder.offset
        let max = ChartLimits.amendmentTextByteCountMax
        let texts = try decoder.readSealed(
            field: "patientData", patient: patientID, sealedByteCountMax: patientDataSealedByteCountMax,
            placeholder: { ($0.placeholderText, $0.placeholderText) },
            read: { decoder in
                (
                    try decoder.readString(field: "explanation", byteCountMax: max),
                    try decoder.readString(field: "disagreementInstructions", byteCountMax: max)
                )
            })
        return try decoder.validated(field: "explanation", offset: start) {
            try AmendmentDenied(
                amendmentID: amendmentID, patientID: patientID, basis: basis, explanation: texts.0,
                disagreementInstructions: texts.1)
        }
    }
}
