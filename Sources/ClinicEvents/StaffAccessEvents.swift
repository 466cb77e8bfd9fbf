import RecordLog

/// Limits shared by the staff and access events.
public enum StaffAccessLimits {
    /// The longest display name or break-glass reason accepted, in bytes.
    public static let textByteCountMax = 256
    /// The most roles a staff member is added with.
    public static let roleCountMax = StaffRole.allCases.count
}

/// The part of a patient's record that was accessed; the wire code of each case is fixed forever.
public enum RecordArea: UInt8, CaseIterable, Hashable, Sendable {
    /// The clinical chart.
    case chart = 1
    /// The billing ledger.
    case ledger = 2
    /// The event history.
    case history = 3
    /// An export of the record.
    case export = 4
    /// The patient's demographics (`clinic patient show`).
    case demographics = 5
    /// The accounting of the patient's disclosures.
    case disclosures = 6
}

/// Why a record was accessed; the wire code of each case is fixed forever.
public enum AccessPurpose: UInt8, CaseIterable, Hashable, Sendable {
    /// Treatment of the patient.
    case treatment = 1
    /// Payment for care.
    case payment = 2
    /// Health-care operations.
    case operations = 3
    /// The patient's own request (164.524 access).
    case patientRequest = 4
    /// Required or permitted by law (164.512).
    case requiredByLaw = 5
}

/// A staff member was added with their display name and roles, on the `staff` stream.
public struct StaffMemberAdded: ClinicEventBody {
    /// The rule a staff member broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The display name is empty or longer than `StaffAccessLimits.textByteCountMax` bytes.
        case displayNameLength
        /// The roles are empty or repeat a role.
        case rolesInvalid
    }

    /// The staff member's id.
    public let staffID: StaffID
    /// The name shown to colleagues.
    public let displayName: String
    /// The roles the staff member acts in, without repeats.
    public let roles: [StaffRole]

    /// Creates the event, validating every field.
    public init(staffID: StaffID, displayName: String, roles: [StaffRole]) throws(ValidationError) {
        guard !displayName.utf8.isEmpty, displayName.utf8.count <= StaffAccessLimits.textByteCountMax else {
            throw .displayNameLength
        }
        guard !roles.isEmpty, Set(roles).count == roles.count else { throw .rolesInvalid }
        self.staffID = staffID
        self.displayName = displayName
        self.roles = roles
    }

    /// `StaffMemberAdded`.
    public static let eventType = "StaffMemberAdded"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: staff events are about staff, not patients.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax)),
                    FieldSpec("displayName", .string(byteCountMax: StaffAccessLimits.textByteCountMax)),
                    FieldSpec("roles", .array(.varUInt, countMax: StaffAccessLimits.roleCountMax)),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(staffID.value)
        encoder.writeString(displayName)
        encoder.writeArray(roles) { $0.writeVarUInt(UInt64($1.rawValue)) }
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> StaffMemberAdded {
        let start = decoder.offset
        let staffID = try decoder.readStaffID(field: "staffID")
        let name = try decoder.readString(field: "displayName", byteCountMax: StaffAccessLimits.textByteCountMax)
        let roles = try decoder.readArray(field: "roles", countMax: StaffAccessLimits.roleCountMax) {
            try $0.readStaffRole(field: "roles")
        }
        return try decoder.validated(field: "StaffMemberAdded", offset: start) {
            try StaffMemberAdded(staffID: staffID, displayName: name, roles: roles)
        }
    }
}

/// A role was granted to, or revoked from, a staff member: the shared shape of `StaffRoleGranted` and
/// `StaffRoleRevoked`.
public protocol StaffRoleChange: ClinicEventBody {
    /// The staff member.
    var staffID: StaffID { get }
    /// The role granted or revoked.
    var role: StaffRole { get }
    /// Creates the event.
    init(staffID: StaffID, role: StaffRole)
}

extension StaffRoleChange {
    /// The first and only version so far.
    public static var currentSchemaVersion: UInt32 { 1 }

    /// None: staff events are about staff, not patients.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax)), FieldSpec("role", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(staffID.value)
        encoder.writeVarUInt(UInt64(role.rawValue))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> Self {
        Self(staffID: try decoder.readStaffID(field: "staffID"), role: try decoder.readStaffRole(field: "role"))
    }
}

/// A role was granted to a staff member.
public struct StaffRoleGranted: StaffRoleChange {
    /// `StaffRoleGranted`.
    public static let eventType = "StaffRoleGranted"
    /// The staff member.
    public let staffID: StaffID
    /// The role granted.
    public let role: StaffRole

    /// Creates the event.
    public init(staffID: StaffID, role: StaffRole) {
        self.staffID = staffID
        self.role = role
    }
}

/// A role was revoked from a staff member.
public struct StaffRoleRevoked: StaffRoleChange {
    /// `StaffRoleRevoked`.
    public static let eventType = "StaffRoleRevoked"
    /// The staff member.
    public let staffID: StaffID
    /// The role revoked.
    public let role: StaffRole

    /// Creates the event.
    public init(staffID: StaffID, role: StaffRole) {
        self.staffID = staffID
        self.role = role
    }
}

/// A staff member accessed part of a patient's record: a record of fact for the access log, no rule beyond shape.
public struct RecordAccessed: ClinicEventBody {
    /// The staff member who accessed it.
    public let staffID: StaffID
    /// The patient whose record it is.
    public let patientID: EventID
    /// What was accessed.
    public let area: RecordArea
    /// Why.
    public let purpose: AccessPurpose

    /// Creates the event.
    public init(staffID: StaffID, patientID: EventID, area: RecordArea, purpose: AccessPurpose) {
        self.staffID = staffID
        self.patientID = patientID
        self.area = area
        self.purpose = purpose
    }

    /// `RecordAccessed`.
    public static let eventType = "RecordAccessed"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The patient whose record was accessed; the event holds codes only and seals nothing.
    public var subjectPatientID: EventID? { patientID }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax)),
                    FieldSpec("patientID", .eventID),
                    FieldSpec("area", .varUInt),
                    FieldSpec("purpose", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(staffID.value)
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(UInt64(area.rawValue))
        encoder.writeVarUInt(UInt64(purpose.rawValue))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> RecordAccessed {
        RecordAccessed(
            staffID: try decoder.readStaffID(field: "staffID"), patientID: try decoder.readEventID(field: "patientID"),
            area: try decoder.readCode(RecordArea.self, field: "area"),
            purpose: try decoder.readCode(AccessPurpose.self, field: "purpose"))
    }
}

/// A staff member used emergency ("break the glass") access to a patient's record, with the reason given.
public struct BreakGlassUsed: ClinicEventBody {
    /// The rule a break-glass record broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The reason is empty or longer than `StaffAccessLimits.textByteCountMax` bytes.
        case reasonLength
    }

    /// The staff member who broke the glass.
    public let staffID: StaffID
    /// The patient whose record was opened.
    public let patientID: EventID
    /// The reason given.
    public let reason: String

    /// Creates the event, validating the reason.
    public init(staffID: StaffID, patientID: EventID, reason: String) throws(ValidationError) {
        guard !reason.utf8.isEmpty, reason.utf8.count <= StaffAccessLimits.textByteCountMax else {
            throw .reasonLength
        }
        self.staffID = staffID
        self.patientID = patientID
        self.reason = reason
    }

    /// `BreakGlassUsed`.
    public static let eventType = "BreakGlassUsed"
    /// Version 2 seals the reason.
    public static let currentSchemaVersion: UInt32 = 2

    /// The patient whose record was opened.
    public var subjectPatientID: EventID? { patientID }

    /// Version 1 and version 2 (the same fields, the reason sealed).
    public static var schemas: [EventSchema] {
        let reason = FieldKind.string(byteCountMax: StaffAccessLimits.textByteCountMax)
        let ids = [FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax)), FieldSpec("patientID", .eventID)]
        return [
            EventSchema(eventType: eventType, version: 1, layout: ids + [FieldSpec("reason", reason)]),
            EventSchema(eventType: eventType, version: 2, layout: ids + [FieldSpec("reason", .sealed(reason))]),
        ]
    }

    /// 1 → 2: the reason is held in clear in its sealed field.
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
        encoder.writeString(staffID.value)
        encoder.writeEventID(patientID)
        encoder.writeSealedString(reason, field: "reason", patient: patientID)
    }

    /// Reads a version 2 body; withheld, the reason reads as the placeholder text.
    public static func decode(from decoder: inout BinaryDecoder) throws -> BreakGlassUsed {
        let start = decoder.offset
        let staffID = try decoder.readStaffID(field: "staffID")
        let patientID = try decoder.readEventID(field: "patientID")
        let reason = try decoder.readSealedString(
            field: "reason", byteCountMax: StaffAccessLimits.textByteCountMax, patient: patientID)
        return try decoder.validated(field: "BreakGlassUsed", offset: start) {
            try BreakGlassUsed(staffID: staffID, patientID: patientID, reason: reason)
        }
    }
}
