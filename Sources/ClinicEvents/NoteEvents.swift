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
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("noteID", .eventID),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("encounterID", .eventID),
                    FieldSpec("authorStaffID", .string(byteCountMax: StaffID.byteCountMax)),
                    FieldSpec("text", .string(byteCountMax: ChartLimits.noteTextByteCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(noteID)
        encoder.writeEventID(patientID)
        encoder.writeEventID(encounterID)
        encoder.writeString(authorStaffID.value)
        encoder.writeString(text)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> NoteSigned {
        let noteID = try decoder.readEventID(field: "noteID")
        let patientID = try decoder.readEventID(field: "patientID")
        let encounterID = try decoder.readEventID(field: "encounterID")
        let author = try decoder.readStaffID(field: "authorStaffID")
        let start = decoder.offset
        let text = try decoder.readString(field: "text", byteCountMax: ChartLimits.noteTextByteCountMax)
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
    /// The clinician who wrote and signed the addendum.
    public let authorStaffID: StaffID
    /// The addendum's text.
    public let text: String

    /// Creates the event, refusing empty or oversized text or an addendum id equal to the note id.
    public init(addendumID: EventID, noteID: EventID, authorStaffID: StaffID, text: String) throws(ValidationError) {
        guard ChartLimits.isValid(text, byteCountMax: ChartLimits.noteTextByteCountMax) else { throw .textLength }
        guard addendumID != noteID else { throw .addendumIsItsOwnNote }
        self.addendumID = addendumID
        self.noteID = noteID
        self.authorStaffID = authorStaffID
        self.text = text
    }

    /// `NoteAddendumSigned`.
    public static let eventType = "NoteAddendumSigned"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("addendumID", .eventID),
                    FieldSpec("noteID", .eventID),
                    FieldSpec("authorStaffID", .string(byteCountMax: StaffID.byteCountMax)),
                    FieldSpec("text", .string(byteCountMax: ChartLimits.noteTextByteCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(addendumID)
        encoder.writeEventID(noteID)
        encoder.writeString(authorStaffID.value)
        encoder.writeString(text)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> NoteAddendumSigned {
        let start = decoder.offset
        let addendumID = try decoder.readEventID(field: "addendumID")
        let noteID = try decoder.readEventID(field: "noteID")
        let author = try decoder.readStaffID(field: "authorStaffID")
        let text = try decoder.readString(field: "text", byteCountMax: ChartLimits.noteTextByteCountMax)
        return try decoder.validated(field: "addendum", offset: start) {
            try NoteAddendumSigned(addendumID: addendumID, noteID: noteID, authorStaffID: author, text: text)
        }
    }
}
