import ClinicEvents
import RecordLog

/// Everything staff can ask of the store, each routed to the decision of the record it changes.
///
/// A command names the record (patient, provider) and carries the command of that record's decision; the store loads
/// the record's state, decides, and appends the events with the version it decided on.
public enum OfficeCommand: Equatable, Sendable {
    /// Register a new patient (the registration carries the new patient's id).
    case registerPatient(PatientRegistered)
    /// Correct demographics, record a death, or erase a patient.
    case patientRecord(patientID: EventID, PatientRecordCommand)
    /// Merge the duplicate patient record into the surviving one.
    case mergePatients(duplicateID: EventID, survivorID: EventID, reason: String)
    /// Change a provider's schedule: availability, bookings and the visit's status.
    case scheduling(providerStaffID: StaffID, SchedulingCommand)
    /// Change a patient's chart: allergies, medications, problems, notes, amendments.
    case chart(patientID: EventID, ChartCommand)
    /// Record vital signs taken during an open encounter.
    case recordVitals(VitalsRecorded)
    /// Post a charge, or post, apply, adjust, refund, transfer or void money on a patient's account. A charge names
    /// the provider whose schedule holds its encounter (the visit's provider): its encounter is looked up there.
    case billing(patientID: EventID, BillingCommand, encounterProviderStaffID: StaffID? = nil)
    /// Close an office day with its totals; nothing posted on it can change afterwards.
    case closeDay(daysSince1970: Int64, totals: DayTotals)
    /// Record a privacy notice, consent, authorization, restriction or disclosure.
    case consent(patientID: EventID, ConsentCommand)
    /// Add or end a coverage, or record an eligibility check.
    case coverage(patientID: EventID, CoverageCommand)
    /// Define an insurance payer.
    case definePayer(PayerDefined)
    /// Set or withdraw a fee of the office's fee schedule.
    case feeSchedule(FeeScheduleCommand)
    /// Set the office's retention policy.
    case retentionPolicy(RetentionPolicyCommand)
    /// Add a staff member with their roles.
    case addStaff(StaffMemberAdded)
    /// Grant a role to a staff member.
    case grantRole(StaffRoleGranted)
    /// Revoke a role from a staff member.
    case revokeRole(StaffRoleRevoked)

    /// The command's name, for logs and refusals.
    public var name: String {
        switch self {
        case .registerPatient: "registerPatient"
        case .patientRecord(_, let command): command.name
        case .mergePatients: "mergePatients"
        case .scheduling(_, let command): command.name
        case .chart(_, let command): command.name
        case .recordVitals: "recordVitals"
        case .billing(_, let command, _): command.name
        case .closeDay: "closeDay"
        case .consent(_, let command): command.name
        case .coverage: "coverage"
        case .definePayer: "definePayer"
        case .feeSchedule(let command): command.name
        case .retentionPolicy(let command): command.name
        case .addStaff: "addStaff"
        case .grantRole: "grantRole"
        case .revokeRole: "revokeRole"
        }
    }
}

/// What a command did: the positions and stream versions of its events, and whether it was a retry.
public struct CommandReceipt: Equatable, Sendable {
    /// The id of the command (the id of its first event).
    public let commandID: EventID
    /// The stream the events went to.
    public let stream: String
    /// The global positions of the events.
    public let positions: [UInt64]
    /// The stream versions of the events.
    public let streamVersions: [UInt64]
    /// The events appended.
    public let events: [ClinicEvent]
    /// True when nothing new was appended because the command had already been recorded (a retry with the same id),
    /// or because what it asks is already so (the same fee set again from the same day, the retention policy in force set
    /// again): then `positions`,
    /// `streamVersions` and `events` are empty.
    public let alreadyRecorded: Bool

    /// Creates a receipt.
    public init(
        commandID: EventID, stream: String, positions: [UInt64], streamVersions: [UInt64], events: [ClinicEvent],
        alreadyRecorded: Bool
    ) {
        self.commandID = commandID
        self.stream = stream
        self.positions = positions
        self.streamVersions = streamVersions
        self.events = events
        self.alreadyRecorded = alreadyRecorded
    }
}
