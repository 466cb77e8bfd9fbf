import RecordLog

/// An appointment event whose body is the appointment id alone; its type name says what happened.
public protocol AppointmentStatusMark: ClinicEventBody {
    /// The appointment the event is about.
    var appointmentID: EventID { get }
    /// Creates the event for `appointmentID`.
    init(appointmentID: EventID)
}

extension AppointmentStatusMark {
    /// The first and only version so far.
    public static var currentSchemaVersion: UInt32 { 1 }

    /// None: the event names only the appointment and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout: the appointment id.
    public static var schemas: [EventSchema] {
        [EventSchema(eventType: eventType, version: 1, layout: [FieldSpec("appointmentID", .eventID)])]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(appointmentID)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> Self {
        Self(appointmentID: try decoder.readEventID(field: "appointmentID"))
    }
}

/// The patient confirmed they will come. FHIR `booked` (confirmed); OpenEMR `*` (reminder done).
public struct AppointmentConfirmed: AppointmentStatusMark {
    /// `AppointmentConfirmed`.
    public static let eventType = "AppointmentConfirmed"
    /// The appointment confirmed.
    public let appointmentID: EventID

    /// Creates the event.
    public init(appointmentID: EventID) { self.appointmentID = appointmentID }
}

/// The patient arrived at the office. FHIR `arrived`; OpenEMR `@`.
public struct PatientArrived: AppointmentStatusMark {
    /// `PatientArrived`.
    public static let eventType = "PatientArrived"
    /// The appointment the patient arrived for.
    public let appointmentID: EventID

    /// Creates the event.
    public init(appointmentID: EventID) { self.appointmentID = appointmentID }
}

/// The patient left after the visit. FHIR `fulfilled`; OpenEMR `>`.
public struct PatientCheckedOut: AppointmentStatusMark {
    /// `PatientCheckedOut`.
    public static let eventType = "PatientCheckedOut"
    /// The appointment checked out.
    public let appointmentID: EventID

    /// Creates the event.
    public init(appointmentID: EventID) { self.appointmentID = appointmentID }
}

/// The patient did not come. FHIR `noshow`; OpenEMR `?`.
public struct AppointmentNoShow: AppointmentStatusMark {
    /// `AppointmentNoShow`.
    public static let eventType = "AppointmentNoShow"
    /// The appointment missed.
    public let appointmentID: EventID

    /// Creates the event.
    public init(appointmentID: EventID) { self.appointmentID = appointmentID }
}

/// The patient was checked in and a visit (encounter) opened. FHIR `checked-in`; OpenEMR `@` then encounter.
public struct PatientCheckedIn: ClinicEventBody {
    /// The appointment checked in.
    public let appointmentID: EventID
    /// The encounter opened for the visit, referenced by vitals and charges.
    public let encounterID: EventID

    /// Creates the event.
    public init(appointmentID: EventID, encounterID: EventID) {
        self.appointmentID = appointmentID
        self.encounterID = encounterID
    }

    /// `PatientCheckedIn`.
    public static let eventType = "PatientCheckedIn"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only the appointment and its encounter.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("appointmentID", .eventID), FieldSpec("encounterID", .eventID)])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(appointmentID)
        encoder.writeEventID(encounterID)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PatientCheckedIn {
        PatientCheckedIn(
            appointmentID: try decoder.readEventID(field: "appointmentID"),
            encounterID: try decoder.readEventID(field: "encounterID"))
    }
}

/// The patient was put in an exam room. FHIR `checked-in`; OpenEMR `<` (in exam room).
public struct PatientRoomed: ClinicEventBody {
    /// The longest room name accepted, in bytes.
    public static let roomByteCountMax = 32

    /// The rule a rooming broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The room name is empty or longer than `roomByteCountMax` bytes.
        case roomLength
    }

    /// The appointment roomed.
    public let appointmentID: EventID
    /// The room's name, e.g. `Exam 3`.
    public let room: String

    /// Creates the event, validating the room name.
    public init(appointmentID: EventID, room: String) throws(ValidationError) {
        guard !room.utf8.isEmpty, room.utf8.count <= Self.roomByteCountMax else { throw .roomLength }
        self.appointmentID = appointmentID
        self.room = room
    }

    /// `PatientRoomed`.
    public static let eventType = "PatientRoomed"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only the appointment (the room is a place in the office, not patient data).
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("appointmentID", .eventID), FieldSpec("room", .string(byteCountMax: roomByteCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(appointmentID)
        encoder.writeString(room)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PatientRoomed {
        let appointmentID = try decoder.readEventID(field: "appointmentID")
        let offset = decoder.offset
        let room = try decoder.readString(field: "room", byteCountMax: roomByteCountMax)
        return try decoder.validated(field: "room", offset: offset) {
            try PatientRoomed(appointmentID: appointmentID, room: room)
        }
    }
}

/// The longest cancellation or entered-in-error reason accepted, in bytes.
public enum AppointmentReasonLimits {
    /// 256 bytes.
    public static let byteCountMax = 256
}

/// The rule a cancellation or entered-in-error event broke.
public enum AppointmentReasonError: Error, Equatable, Sendable {
    /// The reason is empty or longer than `AppointmentReasonLimits.byteCountMax` bytes.
    case reasonLength
}

/// An appointment was cancelled before check-in. FHIR `cancelled`; OpenEMR `x`, or `%` when late.
public struct AppointmentCancelled: ClinicEventBody {
    /// The appointment cancelled.
    public let appointmentID: EventID
    /// The appointment's patient, whose key seals the reason; nil only for events written at version 1.
    public let patientID: EventID?
    /// Why, as staff wrote it (patient data).
    public let reason: String
    /// Whether it was cancelled less than 24 hours before its start (OpenEMR `%`, "canceled < 24h").
    public let isLate: Bool

    /// Creates the event, validating the reason.
    public init(appointmentID: EventID, patientID: EventID?, reason: String, isLate: Bool)
        throws(AppointmentReasonError)
    {
        guard !reason.utf8.isEmpty, reason.utf8.count <= AppointmentReasonLimits.byteCountMax else {
            throw .reasonLength
        }
        self.appointmentID = appointmentID
        self.patientID = patientID
        self.reason = reason
        self.isLate = isLate
    }

    /// `AppointmentCancelled`.
    public static let eventType = "AppointmentCancelled"
    /// Version 2 adds the patient and seals the reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The appointment's patient.
    public var subjectPatientID: EventID? { patientID }

    /// Version 1 and version 2 (the patient added, the reason sealed).
    public static var schemas: [EventSchema] {
        let reason = FieldKind.string(byteCountMax: AppointmentReasonLimits.byteCountMax)
        return [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("appointmentID", .eventID), FieldSpec("reason", reason), FieldSpec("isLate", .bool),
                ]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("appointmentID", .eventID), FieldSpec("patientID", .optional(.eventID)),
                    FieldSpec("reason", .sealed(reason)), FieldSpec("isLate", .bool),
                ]),
        ]
    }

    /// 1 → 2: the patient is absent (version 1 did not record it) and the reason is held in clear.
    public static var upcasters: [Upcaster] {
        [Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2, transform: EventFields.upcastAddingPatient)]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(appointmentID)
        encoder.writeOptional(patientID) { $0.writeEventID($1) }
        encoder.writeSealedString(reason, field: "reason", patient: patientID)
        encoder.writeBool(isLate)
    }

    /// Reads a version 2 body; withheld, the reason reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AppointmentCancelled {
        let appointmentID = try decoder.readEventID(field: "appointmentID")
        let patientID = try decoder.readOptional(field: "patientID") { try $0.readEventID(field: "patientID") }
        let offset = decoder.offset
        let reason = try decoder.readSealedString(
            field: "reason", byteCountMax: AppointmentReasonLimits.byteCountMax, patient: patientID)
        let isLate = try decoder.readBool(field: "isLate")
        return try decoder.validated(field: "reason", offset: offset) {
            try AppointmentCancelled(appointmentID: appointmentID, patientID: patientID, reason: reason, isLate: isLate)
        }
    }
}

/// An appointment should never have existed (a booking mistake): it leaves every view. FHIR `entered-in-error`.
public struct AppointmentEnteredInError: ClinicEventBody {
    /// The appointment voided.
    public let appointmentID: EventID
    /// The appointment's patient, whose key seals the reason; nil only for events written at version 1.
    public let patientID: EventID?
    /// Why, as staff wrote it (patient data).
    public let reason: String

    /// Creates the event, validating the reason.
    public init(appointmentID: EventID, patientID: EventID?, reason: String) throws(AppointmentReasonError) {
        guard !reason.utf8.isEmpty, reason.utf8.count <= AppointmentReasonLimits.byteCountMax else {
            throw .reasonLength
        }
        self.appointmentID = appointmentID
        self.patientID = patientID
        self.reason = reason
    }

    /// `AppointmentEnteredInError`.
    public static let eventType = "AppointmentEnteredInError"
    /// Version 2 adds the patient and seals the reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The appointment's patient.
    public var subjectPatientID: EventID? { patientID }

    /// Version 1 and version 2 (the patient added, the reason sealed).
    public static var schemas: [EventSchema] {
        let reason = FieldKind.string(byteCountMax: AppointmentReasonLimits.byteCountMax)
        return [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("appointmentID", .eventID), FieldSpec("reason", reason)]),
            EventSchema(
                eventType: eventType, version: 2,
                layout: [
                    FieldSpec("appointmentID", .eventID), FieldSpec("patientID", .optional(.eventID)),
                    FieldSpec("reason", .sealed(reason)),
                ]),
        ]
    }

    /// 1 → 2: the patient is absent (version 1 did not record it) and the reason is held in clear.
    public static var upcasters: [Upcaster] {
        [Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2, transform: EventFields.upcastAddingPatient)]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(appointmentID)
        encoder.writeOptional(patientID) { $0.writeEventID($1) }
        encoder.writeSealedString(reason, field: "reason", patient: patientID)
    }

    /// Reads a version 2 body; withheld, the reason reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AppointmentEnteredInError {
        let appointmentID = try decoder.readEventID(field: "appointmentID")
        let patientID = try decoder.readOptional(field: "patientID") { try $0.readEventID(field: "patientID") }
        let offset = decoder.offset
        let reason = try decoder.readSealedString(
            field: "reason", byteCountMax: AppointmentReasonLimits.byteCountMax, patient: patientID)
        return try decoder.validated(field: "reason", offset: offset) {
            try AppointmentEnteredInError(appointmentID: appointmentID, patientID: patientID, reason: reason)
        }
    }
}
