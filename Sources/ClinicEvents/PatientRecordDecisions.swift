import RecordLog

/// A patient record command: what staff ask of a patient's record. `PatientRecordState.decide` turns it into events
/// or a refusal; a merge, which needs two records, is decided by `PatientRecordState.decideMerge`.
public enum PatientRecordCommand: Hashable, Sendable {
    /// Correct the registration's demographics (or a recorded date of death): only the fields given change.
    case correctDemographics(
        familyName: String?, givenName: String?, birthDateDaysSince1970: Int64?, dateOfDeathDaysSince1970: Int64?,
        reason: String)
    /// Record the patient's death, once.
    case recordDeath(dateOfDeathDaysSince1970: Int64)
    /// Erase the patient (crypto-shredding): the caller destroys the data key once the marker is appended.
    case erase(reason: ErasureReason)

    /// The roles that may correct demographics: the front desk, the office manager and the compliance officer.
    public static let correctingRoles: Set<StaffRole> = [.frontDesk, .officeManager, .complianceOfficer]
    /// The roles that may record a death: providers and the office manager.
    public static let deathRecordingRoles: Set<StaffRole> = [
        .physician, .nursePractitioner, .physicianAssistant, .officeManager,
    ]
    /// The roles that may merge two records: the office manager and the compliance officer.
    public static let mergingRoles: Set<StaffRole> = [.officeManager, .complianceOfficer]
    /// The roles that may erase a patient: the office manager and the compliance officer.
    public static let erasingRoles: Set<StaffRole> = [.officeManager, .complianceOfficer]

    /// The staff roles that may issue the command (see `docs/events.md`).
    public var permittedRoles: Set<StaffRole> {
        switch self {
        case .correctDemographics: Self.correctingRoles
        case .recordDeath: Self.deathRecordingRoles
        case .erase: Self.erasingRoles
        }
    }

    /// The command's name, for refusals and logs.
    public var name: String {
        switch self {
        case .correctDemographics: "correctDemographics"
        case .recordDeath: "recordDeath"
        case .erase: "erase"
        }
    }
}

/// Why a patient record command was refused. Every case names the rule; none carries patient data.
public enum PatientRecordRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The acting role may not issue this command.
    case roleNotPermitted(command: String, role: StaffRole)
    /// A value of the command breaks an event's field rule (named, never the value).
    case detailsInvalid(rule: String)
    /// The patient stream holds no registration.
    case patientNotRegistered
    /// The registration's event id is unknown: fold the stream with its envelopes (`applying(_:eventID:)`).
    case registrationNotIdentified
    /// The patient is erased: nothing more is recorded about them.
    case patientErased
    /// The patient was merged away: record it on the surviving patient.
    case patientMergedAway
    /// A patient cannot be merged into itself.
    case mergeIntoItself
    /// The surviving patient is unregistered, erased or merged away itself.
    case survivorNotActive
    /// The death is already recorded; correct its date instead.
    case deathAlreadyRecorded
    /// A date of death can be corrected only once a death is recorded.
    case deathNotRecorded

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .roleNotPermitted(let command, let role):
            "The role \(role) may not \(command) a patient record; ask a permitted staff member to do it."
        case .detailsInvalid(let rule):
            "The request breaks the field rule '\(rule)'; correct that field and try again."
        case .patientNotRegistered:
            "The patient is not registered; register the patient first."
        case .registrationNotIdentified:
            "The registration's event id is unknown; load the patient record with its envelopes and try again."
        case .patientErased:
            "The patient was erased; nothing more can be recorded about them."
        case .patientMergedAway:
            "The patient was merged into another record; act on the surviving patient instead."
        case .mergeIntoItself:
            "A patient cannot be merged into itself; choose the duplicate record to merge."
        case .survivorNotActive:
            "The surviving patient must be registered, not erased and not merged away; choose an active record."
        case .deathAlreadyRecorded:
            "The death is already recorded; correct its date with a demographics correction instead."
        case .deathNotRecorded:
            "No death is recorded for this patient; record the death before correcting its date."
        }
    }

    /// The message.
    public var description: String { message }
}

extension PatientRecordState {
    /// Decides `command`, issued by the staff member `actor` acting as `role`, against this record: the events that
    /// record it, or the rule it breaks. Pure: nothing is appended here.
    public func decide(
        _ command: PatientRecordCommand, by actor: StaffID, role: StaffRole
    ) throws(PatientRecordRefusal) -> StreamDecision {
        guard command.permittedRoles.contains(role) else {
            throw .roleNotPermitted(command: command.name, role: role)
        }
        let event = try event(for: command, actor: actor)
        return StreamDecision(stream: streamName, decidedOnStreamVersion: streamVersion, events: [event])
    }

    /// Decides merging this (duplicate) patient into `survivor`: the `PatientsMerged` event for this patient's stream,
    /// decided on its version, or the rule it breaks. The survivor's state is checked as given; its stream is not
    /// appended to (its fold learns of the merge when the event is copied or read across streams).
    public func decideMerge(
        into survivor: PatientRecordState, reason: String, by actor: StaffID, role: StaffRole
    ) throws(PatientRecordRefusal) -> StreamDecision {
        guard PatientRecordCommand.mergingRoles.contains(role) else {
            throw .roleNotPermitted(command: "merge", role: role)
        }
        try checkActive()
        guard survivor.patientID != patientID else { throw .mergeIntoItself }
        guard survivor.status == .active else { throw .survivorNotActive }
        let merged = try Self.validated {
            try PatientsMerged(survivingPatientID: survivor.patientID, mergedPatientID: patientID, reason: reason)
        }
        return StreamDecision(
            stream: streamName, decidedOnStreamVersion: streamVersion, events: [.patientsMerged(merged)])
    }

    private func event(for command: PatientRecordCommand, actor: StaffID) throws(PatientRecordRefusal) -> ClinicEvent {
        switch command {
        case .correctDemographics(let family, let given, let birth, let death, let reason):
            try checkActive()
            guard let registrationEventID else { throw .registrationNotIdentified }
            if death != nil, !isDeceased { throw .deathNotRecorded }
            return .demographicsCorrected(
                try Self.validated {
                    try DemographicsCorrected(
                        patientID: patientID, registrationEventID: registrationEventID, familyName: family,
                        givenName: given, birthDateDaysSince1970: birth, dateOfDeathDaysSince1970: death,
                        reason: reason)
                })
        case .recordDeath(let date):
            try checkActive()
            guard !isDeceased else { throw .deathAlreadyRecorded }
            return .patientDeathRecorded(
                try Self.validated { try PatientDeathRecorded(patientID: patientID, dateOfDeathDaysSince1970: date) })
        case .erase(let reason):
            switch status {
            case .unregistered: throw .patientNotRegistered
            case .erased: throw .patientErased
            case .active, .mergedInto: break
            }
            return .patientErased(PatientErased(patientID: patientID, reason: reason, authorizingStaffID: actor))
        }
    }

    /// Refuses a record that is not active: unregistered, erased or merged away.
    private func checkActive() throws(PatientRecordRefusal) {
        switch status {
        case .unregistered: throw .patientNotRegistered
        case .erased: throw .patientErased
        case .mergedInto: throw .patientMergedAway
        case .active: break
        }
    }

    /// Runs a validating event initializer, turning its error into `detailsInvalid` naming the rule.
    private static func validated<Value>(_ make: () throws -> Value) throws(PatientRecordRefusal) -> Value {
        do {
            return try make()
        } catch {
            throw .detailsInvalid(rule: String(describing: error))
        }
    }
}
