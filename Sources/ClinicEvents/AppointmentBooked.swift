import RecordLog

/// Who approved booking an appointment over another one of the same provider.
public struct OverbookApproval: Hashable, Sendable {
    /// The roles that may approve an overbook: the clinicians whose day it stretches and the office manager.
    public static let approvingRoles: Set<StaffRole> = [
        .physician, .nursePractitioner, .physicianAssistant, .officeManager,
    ]

    /// The staff member who approved.
    public let approverStaffID: StaffID
    /// The role they approved in.
    public let approverRole: StaffRole

    /// Creates an approval; whether the role may approve is a scheduling rule, checked by `decide`.
    public init(approverStaffID: StaffID, approverRole: StaffRole) {
        self.approverStaffID = approverStaffID
        self.approverRole = approverRole
    }

    /// The wire layout of an optional approval.
    static let fieldKind: FieldKind = .optional(
        .record([
            FieldSpec("approverStaffID", .string(byteCountMax: StaffID.byteCountMax)),
            FieldSpec("approverRole", .varUInt),
        ]))

    /// Writes an optional approval.
    static func encode(_ approval: OverbookApproval?, into encoder: inout BinaryEncoder) {
        encoder.writeOptional(approval) { encoder, approval in
            encoder.writeString(approval.approverStaffID.value)
            encoder.writeVarUInt(UInt64(approval.approverRole.rawValue))
        }
    }

    /// Reads an optional approval.
    static func decode(from decoder: inout BinaryDecoder) throws -> OverbookApproval? {
        try decoder.readOptional(field: "overbookApproval") { decoder in
            OverbookApproval(
                approverStaffID: try decoder.readStaffID(field: "overbookApproval.approverStaffID"),
                approverRole: try decoder.readStaffRole(field: "overbookApproval.approverRole"))
        }
    }
}

/// The limits shared by the time fields of appointment events.
public enum AppointmentLimits {
    /// The accepted appointment starts, in office-local minutes since 1970-01-01T00:00 (through the year 2207).
    public static let startRange: ClosedRange<Int64> = 0...125_000_000
    /// The accepted durations, in minutes.
    public static let durationMinutesRange: ClosedRange<UInt32> = 5...480
    /// The longest visit reason accepted, in bytes.
    public static let reasonByteCountMax = 128
}

/// An appointment was booked: a patient with a provider at a time, for a reason, possibly as an approved overbook.
///
/// `FHIR R4 Appointment.status` `booked`; OpenEMR status `-` (none).
public struct AppointmentBooked: ClinicEventBody {
    /// The rule a booking broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The start is outside `AppointmentLimits.startRange`.
        case startOutOfRange
        /// The duration is outside `AppointmentLimits.durationMinutesRange`.
        case durationOutOfRange
        /// The reason is empty or longer than `AppointmentLimits.reasonByteCountMax` bytes.
        case reasonLength
    }

    /// The appointment's own id, referenced by every later event of the appointment.
    public let appointmentID: EventID
    /// The patient booked.
    public let patientID: EventID
    /// The provider seen.
    public let providerStaffID: StaffID
    /// The start, in office-local minutes since 1970-01-01T00:00.
    public let startLocalMinutesSince1970: Int64
    /// The length, in minutes.
    public let durationMinutes: UInt32
    /// The visit reason: a short code or phrase (`FHIR Appointment.reasonCode`); patient data.
    public let reason: String
    /// The approval when the appointment overlaps another of the provider; nil for an ordinary booking.
    public let overbookApproval: OverbookApproval?

    /// Whether the appointment was booked over another one.
    public var isOverbook: Bool { overbookApproval != nil }

    /// Creates a booking, validating start, duration and reason.
    public init(
        appointmentID: EventID, patientID: EventID, providerStaffID: StaffID, startLocalMinutesSince1970: Int64,
        durationMinutes: UInt32, reason: String, overbookApproval: OverbookApproval? = nil
    ) throws(ValidationError) {
        guard AppointmentLimits.startRange.contains(startLocalMinutesSince1970) else { throw .startOutOfRange }
        guard AppointmentLimits.durationMinutesRange.contains(durationMinutes) else { throw .durationOutOfRange }
        guard !reason.utf8.isEmpty, reason.utf8.count <= AppointmentLimits.reasonByteCountMax else {
            throw .reasonLength
        }
        self.appointmentID = appointmentID
        self.patientID = patientID
        self.providerStaffID = providerStaffID
        self.startLocalMinutesSince1970 = startLocalMinutesSince1970
        self.durationMinutes = durationMinutes
        self.reason = reason
        self.overbookApproval = overbookApproval
    }

    /// `AppointmentBooked`.
    public static let eventType = "AppointmentBooked"
    /// Version 2 seals the reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient booked.
    public var subjectPatientID: EventID? { patientID }

    private static func layout(reason: FieldKind) -> [FieldSpec] {
        [
            FieldSpec("appointmentID", .eventID),
            FieldSpec("patientID", .eventID),
            FieldSpec("providerStaffID", .string(byteCountMax: StaffID.byteCountMax)),
            FieldSpec("startLocalMinutesSince1970", .varInt),
            FieldSpec("durationMinutes", .varUInt),
            FieldSpec("reason", reason),
            FieldSpec("overbookApproval", OverbookApproval.fieldKind),
        ]
    }

    /// Version 1 and version 2, the same fields with `reason` sealed.
    public static var schemas: [EventSchema] {
        let reason = FieldKind.string(byteCountMax: AppointmentLimits.reasonByteCountMax)
        return [
            EventSchema(eventType: eventType, version: 1, layout: layout(reason: reason)),
            EventSchema(eventType: eventType, version: 2, layout: layout(reason: .sealed(reason))),
        ]
    }

    /// 1 → 2: the reason is held in clear in the sealed field.
    public static var upcasters: [Upcaster] {
        [
            Upcaster(eventType: eventType, fromVersion: 1, toVersion: 2) { fields in
                var upcast = fields
                try upcast.sealInClear("reason")
                return upcast
            }
        ]
    }

    /// Writes the version 2 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(appointmentID)
        encoder.writeEventID(patientID)
        encoder.writeString(providerStaffID.value)
        encoder.writeVarInt(startLocalMinutesSince1970)
        encoder.writeVarUInt(UInt64(durationMinutes))
        encoder.writeSealedString(reason, field: "reason", patient: patientID)
        OverbookApproval.encode(overbookApproval, into: &encoder)
    }

    /// Reads a version 2 body; withheld, the reason reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AppointmentBooked {
        let appointmentID = try decoder.readEventID(field: "appointmentID")
        let patientID = try decoder.readEventID(field: "patientID")
        let provider = try decoder.readStaffID(field: "providerStaffID")
        let timeOffset = decoder.offset
        let start = try decoder.readVarInt(field: "startLocalMinutesSince1970")
        let duration = try decoder.readVarUInt32(field: "durationMinutes")
        let reason = try decoder.readSealedString(
            field: "reason", byteCountMax: AppointmentLimits.reasonByteCountMax, patient: patientID)
        let approval = try OverbookApproval.decode(from: &decoder)
        return try decoder.validated(field: "AppointmentBooked", offset: timeOffset) {
            try AppointmentBooked(
                appointmentID: appointmentID, patientID: patientID, providerStaffID: provider,
                startLocalMinutesSince1970: start, durationMinutes: duration, reason: reason,
                overbookApproval: approval)
        }
    }
}

/// An appointment was moved to a new start and duration with the same provider; its status returns to booked.
public struct AppointmentRescheduled: ClinicEventBody {
    /// The rule a reschedule broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The start is outside `AppointmentLimits.startRange`.
        case startOutOfRange
        /// The duration is outside `AppointmentLimits.durationMinutesRange`.
        case durationOutOfRange
    }

    /// The appointment moved.
    public let appointmentID: EventID
    /// The new start, in office-local minutes since 1970-01-01T00:00.
    public let startLocalMinutesSince1970: Int64
    /// The new length, in minutes.
    public let durationMinutes: UInt32
    /// The approval when the new time overlaps another appointment of the provider; nil otherwise.
    public let overbookApproval: OverbookApproval?

    /// Creates a reschedule, validating start and duration.
    public init(
        appointmentID: EventID, startLocalMinutesSince1970: Int64, durationMinutes: UInt32,
        overbookApproval: OverbookApproval? = nil
    ) throws(ValidationError) {
        guard AppointmentLimits.startRange.contains(startLocalMinutesSince1970) else { throw .startOutOfRange }
        guard AppointmentLimits.durationMinutesRange.contains(durationMinutes) else { throw .durationOutOfRange }
        self.appointmentID = appointmentID
        self.startLocalMinutesSince1970 = startLocalMinutesSince1970
        self.durationMinutes = durationMinutes
        self.overbookApproval = overbookApproval
    }

    /// `AppointmentRescheduled`.
    public static let eventType = "AppointmentRescheduled"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the event names only the appointment and carries no patient data.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("appointmentID", .eventID),
                    FieldSpec("startLocalMinutesSince1970", .varInt),
                    FieldSpec("durationMinutes", .varUInt),
                    FieldSpec("overbookApproval", OverbookApproval.fieldKind),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(appointmentID)
        encoder.writeVarInt(startLocalMinutesSince1970)
        encoder.writeVarUInt(UInt64(durationMinutes))
        OverbookApproval.encode(overbookApproval, into: &encoder)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AppointmentRescheduled {
        let appointmentID = try decoder.readEventID(field: "appointmentID")
        let timeOffset = decoder.offset
        let start = try decoder.readVarInt(field: "startLocalMinutesSince1970")
        let duration = try decoder.readVarUInt32(field: "durationMinutes")
        let approval = try OverbookApproval.decode(from: &decoder)
        return try decoder.validated(field: "AppointmentRescheduled", offset: timeOffset) {
            try AppointmentRescheduled(
                appointmentID: appointmentID, startLocalMinutesSince1970: start, durationMinutes: duration,
                overbookApproval: approval)
        }
    }
}
