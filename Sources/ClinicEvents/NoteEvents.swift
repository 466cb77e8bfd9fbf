import RecordLog

/// A clinical note was signed: from then on it is immutable, and later additions are addenda.
public struct NoteSigned: ClinicEventBody {
    /// The rule a note broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The text is empty or longer than `ChartLimits.noteTextByteCountMax` bytes.
        case textLength
    }

    /// The note's own id, referenced by its addenda and by amendments.
    public let noteID: EventID
    /// The patient whose chart it is.
    public let patientID: EventID
    /// The encounter (visit) the note documents.
    public let encounterID: EventID
    /// The clinician who wrote and signed the note.
    public let authorStaffID: StaffID
    /// The note's text.
    public let text: String

    /// Creates the event, refusing empty or oversized text.
    public init(
        noteID: EventID, patientID: EventID, encounterID: EventID, authorStaffID: StaffID, text: String
    ) throws(ValidationError) {
        guard ChartLimits.isValid(text, byteCountMax: ChartLimits.noteTextByteCountMax) else { throw .textLength }
        self.noteID = noteID
        self.patientID = patientID
        self.encounterID = encounterID
        self.authorStaffID = authorStaffID
        self.text = text
    }

    /// `NoteSigned`.
    public static let eventType = "NoteSigned"
    /// Version 2 seals the text.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    private static func layout(text: FieldKind) -> [FieldSpec] {
        [
            FieldSpec("noteID", .eventID),
            FieldSpec("patientID", .eventID),
            FieldSpec("encounterID", .eventID),
            FieldSpec("authorStaffID", .string(byteCountMax: StaffID.byteCountMax)),
            FieldSpec("text", text),
        ]
    }

    /// Version 1 and version 2 (the same fields, the text sealed).
    public static var schemas: [EventSchema] {
        let text = FieldKind.string(byteCountMax: ChartLimits.noteTextByteCountMax)
        return [
            EventSchema(eventType: eventType, version: 1, layout: layout(text: text)),
            EventSchema(eventType: eventType, version: 2, layout: layout(text: .sealed(text))),
        ]
    }

    /// 1 → 2: the text is held in clear in its sealed field.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear("text")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(noteID)
        encoder.writeEventID(patientID)
        encoder.writeEventID(encounterID)
        encoder.writeString(authorStaffID.value)
        encoder.writeSealedString(text, field: "text", patient: patientID)
    }

    /// Reads a version 2 body; withheld, the text reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> NoteSigned {
        let noteID = try decoder.readEventID(field: "noteID")
        let patientID = try decoder.readEventID(field: "patientID")
        let encounterID = try decoder.readEventID(field: "encounterID")
        let author = try decoder.readStaffID(field: "authorStaffID")
        let start = decoder.offset
        let text = try decoder.readSealedString(
            field: "text", byteCountMax: ChartLimits.noteTextByteCountMax, patient: patientID)
        return try decoder.validated(field: "text", offset: start) {
            try NoteSigned(
                noteID: noteID, patientID: patientID, encounterID: encounterID, authorStaffID: author, text: text)
        }
    }
}

/// An addendum to a signed note was signed: new text that references the note and leaves it unchanged.
public struct NoteAddendumSigned: ClinicEventBody {
    /// The rule an addendum broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The text is empty or longer than `ChartLimits.noteTextByteCountMax` bytes.
        case textLength
        /// The addendum's id is the note's id.
        case addendumIsItsOwnNote
    }

    /// The addendum's own id, referenced by amendments.
    public let addendumID: EventID
    /// The signed note it adds to.
    public let noteID: EventID
    /// The chart's patient, whose key seals the text; nil only for events written at version 1.
    public let patientID: EventID?
    /// The clinician who wrote and signed the addendum.
    public let authorStaffID: StaffID
    /// The addendum's text (patient data).
    public let text: String

    /// Creates the event, refusing empty or oversized text or an addendum id equal to the note id.
    public init(
        addendumID: EventID, noteID: EventID, patientID: EventID?, authorStaffID: StaffID, text: String
    ) throws(ValidationError) {
        guard ChartLimits.isValid(text, byteCountMax: ChartLimits.noteTextByteCountMax) else { throw .textLength }
        guard addendumID != noteID else { throw .addendumIsItsOwnNote }
        self.addendumID = addendumID
        self.noteID = noteID
        self.patientID = patientID
        self.authorStaffID = authorStaffID
        self.text = text
    }

    /// `NoteAddendumSigned`.
    public static let eventType = "NoteAddendumSigned"
    /// Version 2 adds the patient and seals the text.
    public static let currentSchemaVersion: UInt32 = 2

    /// The chart's patient.
    public var subjectPatientID: EventID? { patientID }

    /// Version 1 and version 2 (the patient added after the note, the text sealed).
    public static var schemas: [EventSchema] {
        let text = FieldKind.string(byteCountMax: ChartLimits.noteTextByteCountMax)
        let author = FieldKind.string(byteCountMax: StaffID.byteCountMax)
        return [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("addendumID", .eventID), FieldSpec("noteID", .eventID),
                    FieldSpec("authorStaffID", author), FieldSpec("text", text),
                ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("addendumID", .eventID), FieldSpec("noteID", .eventID),
                    FieldSpec("patientID", .optional(.eventID)), FieldSpec("authorStaffID", author),
                    FieldSpec("text", .sealed(text)),
                ]),
        ]
    }

    /// 1 → 2: the patient is absent (version 1 did not record it) and the text is held in clear.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                upcast["patientID"] = .optional(nil)
                try upcast.sealInClear("text")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(addendumID)
        encoder.writeEventID(noteID)
        encoder.writeOptional(patientID) { $0.writeEventID($1) }
        encoder.writeString(authorStaffID.value)
        encoder.writeSealedString(text, field: "text", patient: patientID)
    }

    /// Reads a version 2 body; withheld, the text reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> NoteAddendumSigned {
        let start = decoder.offset
        let addendumID = try decoder.readEventID(field: "addendumID")
        let noteID = try decoder.readEventID(field: "noteID")
        let patientID = try decoder.readOptional(field: "patientID") { try $0.readEventID(field: "patientID") }
        let author = try decoder.readStaffID(field: "authorStaffID")
        let text = try decoder.readSealedString(
            field: "text", byteCountMax: ChartLimits.noteTextByteCountMax, patient: patientID)
        return try decoder.validated(field: "addendum", offset: start) {
            try NoteAddendumSigned(
                addendumID: addendumID, noteID: noteID, patientID: patientID, authorStaffID: author, text: text)
        }
    }
}
