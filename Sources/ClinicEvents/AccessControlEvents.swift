import RecordLog

/// Why access control refused a request; the wire code of each case is fixed forever.
public enum AccessDenialCause: UInt8, CaseIterable, Hashable, Sendable {
    /// The role acted in may not do this (the permission table, or a rule's own role check).
    case roleNotPermitted = 1
    /// The staff member does not hold the role they acted in.
    case roleNotHeld = 2
    /// No staff member has the id given.
    case unknownStaff = 3
}

/// Why a sign-in failed; the wire code of each case is fixed forever.
public enum SignInFailureCause: UInt8, CaseIterable, Hashable, Sendable {
    /// The passphrase did not match.
    case wrongPassphrase = 1
    /// The staff member has no passphrase set yet.
    case noPassphrase = 2
    /// No staff member has the id given.
    case unknownStaff = 3
    /// Too many failures in a row: the attempt came before the waiting time ended and was not checked.
    case throttled = 4
}

/// Why a session ended; the wire code of each case is fixed forever.
public enum SessionEndCause: UInt8, CaseIterable, Hashable, Sendable {
    /// The staff member signed out.
    case signedOut = 1
    /// The session expired after the configured time without activity (automatic logoff).
    case inactivity = 2
}

/// A request refused by access control: who, in which role, what they asked for and, when it named one, of which
/// patient (by opaque id only; nothing of the request's content is kept).
public struct AccessDenied: ClinicEventBody {
    /// The rule an access denial broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The action name is empty, longer than `actionByteCountMax` bytes, or not ASCII letters.
        case actionShape
    }

    /// The longest action name accepted, in bytes.
    public static let actionByteCountMax = 64

    /// The staff id given (it may name no staff member, for `unknownStaff`).
    public let staffID: StaffID
    /// The role acted in.
    public let role: StaffRole
    /// The action asked for, as the permission table names it (such as `book`, `viewChart`).
    public let action: String
    /// The patient whose record the request named, when it named one.
    public let patientID: EventID?
    /// Why it was refused.
    public let cause: AccessDenialCause

    /// Creates the event, validating the action name.
    public init(
        staffID: StaffID, role: StaffRole, action: String, patientID: EventID?, cause: AccessDenialCause
    ) throws(ValidationError) {
        let bytes = action.utf8
        guard !bytes.isEmpty, bytes.count <= Self.actionByteCountMax,
            bytes.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) })
        else { throw .actionShape }
        self.staffID = staffID
        self.role = role
        self.action = action
        self.patientID = patientID
        self.cause = cause
    }

    /// `AccessDenied`.
    public static let eventType = "AccessDenied"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// The patient the request named, if any; the event holds ids and codes only and seals nothing.
    public var subjectPatientID: EventID? { patientID }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax)),
                    FieldSpec("role", .varUInt),
                    FieldSpec("action", .string(byteCountMax: actionByteCountMax)),
                    FieldSpec("patientID", .optional(.eventID)),
                    FieldSpec("cause", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(staffID.value)
        encoder.writeVarUInt(UInt64(role.rawValue))
        encoder.writeString(action)
        encoder.writeOptional(patientID) { $0.writeEventID($1) }
        encoder.writeVarUInt(UInt64(cause.rawValue))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> AccessDenied {
        let start = decoder.offset
        let staffID = try decoder.readStaffID(field: "staffID")
        let role = try decoder.readStaffRole(field: "role")
        let action = try decoder.readString(field: "action", byteCountMax: actionByteCountMax)
        let patientID = try decoder.readOptional(field: "patientID") { try $0.readEventID(field: "patientID") }
        let cause = try decoder.readCode(AccessDenialCause.self, field: "cause")
        return try decoder.validated(field: "AccessDenied", offset: start) {
            try AccessDenied(staffID: staffID, role: role, action: action, patientID: patientID, cause: cause)
        }
    }
}

/// A staff member signed in with their passphrase and got a session.
public struct StaffSignedIn: ClinicEventBody {
    /// The staff member.
    public let staffID: StaffID
    /// The new session's random id, which the session's end names too.
    public let sessionID: EventID

    /// Creates the event.
    public init(staffID: StaffID, sessionID: EventID) {
        self.staffID = staffID
        self.sessionID = sessionID
    }

    /// `StaffSignedIn`.
    public static let eventType = "StaffSignedIn"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: sign-in events are about staff, not patients.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax)), FieldSpec("sessionID", .eventID),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(staffID.value)
        encoder.writeEventID(sessionID)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> StaffSignedIn {
        StaffSignedIn(
            staffID: try decoder.readStaffID(field: "staffID"), sessionID: try decoder.readEventID(field: "sessionID"))
    }
}

/// A sign-in failed: never the passphrase tried, only who, why, and how many failures in a row it makes.
public struct SignInFailed: ClinicEventBody {
    /// The staff id given.
    public let staffID: StaffID
    /// Why it failed.
    public let cause: SignInFailureCause
    /// The failures in a row for this staff id, this one included.
    public let consecutiveFailures: UInt32

    /// Creates the event.
    public init(staffID: StaffID, cause: SignInFailureCause, consecutiveFailures: UInt32) {
        self.staffID = staffID
        self.cause = cause
        self.consecutiveFailures = consecutiveFailures
    }

    /// `SignInFailed`.
    public static let eventType = "SignInFailed"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: sign-in events are about staff, not patients.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax)), FieldSpec("cause", .varUInt),
                    FieldSpec("consecutiveFailures", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(staffID.value)
        encoder.writeVarUInt(UInt64(cause.rawValue))
        encoder.writeVarUInt(UInt64(consecutiveFailures))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> SignInFailed {
        SignInFailed(
            staffID: try decoder.readStaffID(field: "staffID"),
            cause: try decoder.readCode(SignInFailureCause.self, field: "cause"),
            consecutiveFailures: try decoder.readVarUInt32(field: "consecutiveFailures"))
    }
}

/// A staff member's session ended: they signed out, or it expired without activity (automatic logoff).
public struct StaffSignedOut: ClinicEventBody {
    /// The staff member.
    public let staffID: StaffID
    /// The id of the session that ended.
    public let sessionID: EventID
    /// Why it ended.
    public let cause: SessionEndCause

    /// Creates the event.
    public init(staffID: StaffID, sessionID: EventID, cause: SessionEndCause) {
        self.staffID = staffID
        self.sessionID = sessionID
        self.cause = cause
    }

    /// `StaffSignedOut`.
    public static let eventType = "StaffSignedOut"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: sign-in events are about staff, not patients.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax)), FieldSpec("sessionID", .eventID),
                    FieldSpec("cause", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(staffID.value)
        encoder.writeEventID(sessionID)
        encoder.writeVarUInt(UInt64(cause.rawValue))
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> StaffSignedOut {
        StaffSignedOut(
            staffID: try decoder.readStaffID(field: "staffID"), sessionID: try decoder.readEventID(field: "sessionID"),
            cause: try decoder.readCode(SessionEndCause.self, field: "cause"))
    }
}

/// A staff member's passphrase was set or changed (the envelope's actor says by whom); the hash never enters the log.
public struct PassphraseSet: ClinicEventBody {
    /// The staff member whose passphrase it is.
    public let staffID: StaffID

    /// Creates the event.
    public init(staffID: StaffID) {
        self.staffID = staffID
    }

    /// `PassphraseSet`.
    public static let eventType = "PassphraseSet"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: credentials are about staff, not patients.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [FieldSpec("staffID", .string(byteCountMax: StaffID.byteCountMax))])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(staffID.value)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> PassphraseSet {
        PassphraseSet(staffID: try decoder.readStaffID(field: "staffID"))
    }
}

/// The master key was replaced and every patient data key rewrapped with the new one; the log itself is unchanged.
///
/// The keys are named by their public ids only: the master key ids (eight bytes) and the Ed25519 public keys that
/// sign checkpoints before and after, so a verifier can trust the checkpoints signed before the rotation.
public struct MasterKeyRotated: ClinicEventBody {
    /// The rule a rotation record broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// A key id is not 16 lowercase hex digits, or a public key not 64.
        case keyShape
    }

    /// The id of the master key replaced, as 16 lowercase hex digits.
    public let previousMasterKeyID: String
    /// The id of the new master key, as 16 lowercase hex digits.
    public let newMasterKeyID: String
    /// The public key that signed checkpoints before, as 64 lowercase hex digits.
    public let previousCheckpointPublicKey: String
    /// The public key that signs checkpoints from now on, as 64 lowercase hex digits.
    public let newCheckpointPublicKey: String
    /// How many patient data keys were rewrapped.
    public let rewrappedKeyCount: UInt64

    /// Creates the event, validating the shape of each key text.
    public init(
        previousMasterKeyID: String, newMasterKeyID: String, previousCheckpointPublicKey: String,
        newCheckpointPublicKey: String, rewrappedKeyCount: UInt64
    ) throws(ValidationError) {
        func isHex(_ text: String, count: Int) -> Bool {
            text.utf8.count == count
                && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        }
        guard isHex(previousMasterKeyID, count: 16), isHex(newMasterKeyID, count: 16),
            isHex(previousCheckpointPublicKey, count: 64), isHex(newCheckpointPublicKey, count: 64)
        else { throw .keyShape }
        self.previousMasterKeyID = previousMasterKeyID
        self.newMasterKeyID = newMasterKeyID
        self.previousCheckpointPublicKey = previousCheckpointPublicKey
        self.newCheckpointPublicKey = newCheckpointPublicKey
        self.rewrappedKeyCount = rewrappedKeyCount
    }

    /// `MasterKeyRotated`.
    public static let eventType = "MasterKeyRotated"
    /// The first and only version so far.
    public static let currentSchemaVersion: UInt32 = 1

    /// None: the office's keys are about no one patient.
    public var subjectPatientID: EventID? { nil }

    /// The version 1 layout.
    public static var schemas: [EventSchema] {
        [
            EventSchema(
                eventType: eventType, version: 1,
                layout: [
                    FieldSpec("previousMasterKeyID", .string(byteCountMax: 16)),
                    FieldSpec("newMasterKeyID", .string(byteCountMax: 16)),
                    FieldSpec("previousCheckpointPublicKey", .string(byteCountMax: 64)),
                    FieldSpec("newCheckpointPublicKey", .string(byteCountMax: 64)),
                    FieldSpec("rewrappedKeyCount", .varUInt),
                ])
        ]
    }

    /// Writes the version 1 body.
    public func encode(into encoder: inout BinaryEncoder) {
        encoder.writeString(previousMasterKeyID)
        encoder.writeString(newMasterKeyID)
        encoder.writeString(previousCheckpointPublicKey)
        encoder.writeString(newCheckpointPublicKey)
        encoder.writeVarUInt(rewrappedKeyCount)
    }

    /// Reads a version 1 body.
    public static func decode(from decoder: inout BinaryDecoder) throws -> MasterKeyRotated {
        let start = decoder.offset
        let previousID = try decoder.readString(field: "previousMasterKeyID", byteCountMax: 16)
        let newID = try decoder.readString(field: "newMasterKeyID", byteCountMax: 16)
        let previousKey = try decoder.readString(field: "previousCheckpointPublicKey", byteCountMax: 64)
        let newKey = try decoder.readString(field: "newCheckpointPublicKey", byteCountMax: 64)
        let count = try decoder.readVarUInt(field: "rewrappedKeyCount")
        return try decoder.validated(field: "MasterKeyRotated", offset: start) {
            try MasterKeyRotated(
                previousMasterKeyID: previousID, newMasterKeyID: newID, previousCheckpointPublicKey: previousKey,
                newCheckpointPublicKey: newKey, rewrappedKeyCount: count)
        }
    }
}
