import ClinicEvents
import RecordLog

/// Everything staff can do that access control governs: each command of the store and each read of a record, with
/// the roles allowed. This is the one permission table (`docs/security.md` prints it from here).
///
/// The roles of a command that a record's decision also checks are taken from that decision's own `permittedRoles`
/// (or its named role sets), never written twice; reads and office tasks have their roles here.
public enum StoreAction: String, CaseIterable, Hashable, Sendable {
    /// Register a new patient.
    case registerPatient
    /// Correct a patient's demographics.
    case correctDemographics
    /// Record a patient's death.
    case recordDeath
    /// Erase a patient (crypto-shredding).
    case erasePatient
    /// Merge a duplicate patient record into another.
    case mergePatients
    /// Define a provider's bookable hours.
    case defineAvailability
    /// Book an appointment.
    case book
    /// Move an appointment.
    case reschedule
    /// Record a patient's confirmation.
    case confirm
    /// Record a patient's arrival.
    case markArrived
    /// Check a patient in.
    case checkIn
    /// Room a patient.
    case room
    /// Check a patient out.
    case checkOut
    /// Cancel an appointment.
    case cancel
    /// Record a no-show.
    case markNoShow
    /// Void an appointment entered in error.
    case enterAppointmentInError
    /// Record vital signs.
    case recordVitals
    /// Record an allergy.
    case recordAllergy
    /// Resolve an allergy.
    case resolveAllergy
    /// Mark an allergy entered in error.
    case enterAllergyInError
    /// Start a medication.
    case startMedication
    /// Stop a medication.
    case stopMedication
    /// Add a problem (diagnosis).
    case addProblem
    /// Resolve a problem.
    case resolveProblem
    /// Sign a note.
    case signNote
    /// Sign an addendum.
    case signAddendum
    /// Record a patient's amendment request.
    case requestAmendment
    /// Accept an amendment.
    case acceptAmendment
    /// Deny an amendment.
    case denyAmendment
    /// Post a charge.
    case postCharge
    /// Post a payment.
    case postPayment
    /// Apply a payment to a charge.
    case applyPayment
    /// Post an adjustment.
    case postAdjustment
    /// Issue a refund.
    case issueRefund
    /// Transfer responsibility for part of a charge.
    case transferResponsibility
    /// Void a charge.
    case voidCharge
    /// Void a payment.
    case voidPayment
    /// Close an office day.
    case closeDay
    /// Set or withdraw a fee of the office's fee schedule.
    case manageFeeSchedule
    /// Record the privacy notice acknowledgement.
    case acknowledgePrivacyNotice
    /// Record a consent.
    case grantConsent
    /// Revoke a consent or authorization.
    case revokeConsent
    /// Record an authorization.
    case recordAuthorization
    /// Record a restriction request.
    case requestRestriction
    /// Agree to a restriction.
    case agreeRestriction
    /// Record a disclosure.
    case recordDisclosure
    /// Add a coverage.
    case addCoverage
    /// End a coverage.
    case endCoverage
    /// Record an eligibility check.
    case recordEligibility
    /// Define a payer.
    case definePayer
    /// Add a staff member.
    case addStaff
    /// Grant a role.
    case grantRole
    /// Revoke a role.
    case revokeRole
    /// Set another staff member's passphrase (anyone may set their own).
    case setPassphrase
    /// Rotate the master key.
    case rotateKeys
    /// Set the office's retention policy (`store.settings`).
    case setRetentionPolicy
    /// Sign a checkpoint of the log.
    case signCheckpoint
    /// Rebuild the views from the log.
    case rebuildViews
    /// Read a patient's chart.
    case viewChart
    /// Read a patient's demographics.
    case viewPatient
    /// Find patients by name, birth date or id.
    case findPatients
    /// Read the schedule and free slots.
    case viewSchedule
    /// Read a patient's ledger.
    case viewPatientLedger
    /// Read the day sheet.
    case viewDaySheet
    /// Read accounts receivable aging.
    case viewAging
    /// List staff members.
    case listStaff
    /// List payers.
    case listPayers
    /// List the fee schedule.
    case viewFeeSchedule
    /// Read the history of a patient's record (every event).
    case viewHistory
    /// Read a patient's accounting of disclosures.
    case viewDisclosureAccounting
    /// Export everything held about a patient.
    case exportRecord
    /// Read the access log.
    case viewAccessLog

    /// The part of the office the action belongs to, as `docs/security.md` groups them.
    public var area: String {
        switch self {
        case .registerPatient, .correctDemographics, .recordDeath, .erasePatient, .mergePatients: "Patients"
        case .defineAvailability, .book, .reschedule, .confirm, .markArrived, .checkIn, .room, .checkOut, .cancel,
            .markNoShow, .enterAppointmentInError:
            "Scheduling"
        case .recordVitals, .recordAllergy, .resolveAllergy, .enterAllergyInError, .startMedication, .stopMedication,
            .addProblem, .resolveProblem, .signNote, .signAddendum, .requestAmendment, .acceptAmendment,
            .denyAmendment:
            "Chart"
        case .postCharge, .postPayment, .applyPayment, .postAdjustment, .issueRefund, .transferResponsibility,
            .voidCharge, .voidPayment, .closeDay, .manageFeeSchedule:
            "Billing"
        case .acknowledgePrivacyNotice, .grantConsent, .revokeConsent, .recordAuthorization, .requestRestriction,
            .agreeRestriction, .recordDisclosure:
            "Consent and disclosure"
        case .addCoverage, .endCoverage, .recordEligibility, .definePayer: "Insurance"
        case .addStaff, .grantRole, .revokeRole, .setPassphrase, .rotateKeys, .setRetentionPolicy, .signCheckpoint,
            .rebuildViews:
            "Staff, keys and the log"
        case .viewChart, .viewPatient, .findPatients, .viewSchedule, .viewPatientLedger, .viewDaySheet, .viewAging,
            .listStaff, .listPayers, .viewFeeSchedule:
            "Reading"
        case .viewHistory, .viewDisclosureAccounting, .exportRecord, .viewAccessLog: "Compliance"
        }
    }

    /// The `clinic` command that does it.
    public var commandLine: String {
        switch self {
        case .registerPatient: "clinic patient register"
        case .correctDemographics: "clinic patient update"
        case .recordDeath: "clinic patient death"
        case .erasePatient: "clinic patient erase"
        case .mergePatients: "clinic patient merge"
        case .defineAvailability: "clinic availability define"
        case .book: "clinic book"
        case .reschedule: "clinic reschedule"
        case .confirm: "clinic visit confirm"
        case .markArrived: "clinic visit arrive"
        case .checkIn: "clinic visit checkin"
        case .room: "clinic visit room"
        case .checkOut: "clinic visit checkout"
        case .cancel: "clinic cancel"
        case .markNoShow: "clinic visit noshow"
        case .enterAppointmentInError: "clinic visit error"
        case .recordVitals: "clinic vitals"
        case .recordAllergy: "clinic allergy add"
        case .resolveAllergy: "clinic allergy resolve"
        case .enterAllergyInError: "clinic allergy error"
        case .startMedication: "clinic medication start"
        case .stopMedication: "clinic medication stop"
        case .addProblem: "clinic problem add"
        case .resolveProblem: "clinic problem resolve"
        case .signNote: "clinic note sign"
        case .signAddendum: "clinic note addendum"
        case .requestAmendment: "clinic amendment request"
        case .acceptAmendment: "clinic amendment accept"
        case .denyAmendment: "clinic amendment deny"
        case .postCharge: "clinic charge"
        case .postPayment: "clinic payment"
        case .applyPayment: "clinic apply"
        case .postAdjustment: "clinic adjust"
        case .issueRefund: "clinic refund"
        case .transferResponsibility: "clinic transfer"
        case .voidCharge: "clinic void charge"
        case .voidPayment: "clinic void payment"
        case .closeDay: "clinic day close"
        case .manageFeeSchedule: "clinic fee set, clinic fee withdraw"
        case .acknowledgePrivacyNotice: "clinic consent notice"
        case .grantConsent: "clinic consent grant"
        case .revokeConsent: "clinic consent revoke"
        case .recordAuthorization: "clinic consent authorize"
        case .requestRestriction: "clinic consent restrict"
        case .agreeRestriction: "clinic consent agree"
        case .recordDisclosure: "clinic disclose"
        case .addCoverage: "clinic coverage add"
        case .endCoverage: "clinic coverage end"
        case .recordEligibility: "clinic eligibility"
        case .definePayer: "clinic payer add"
        case .addStaff: "clinic staff add"
        case .grantRole: "clinic staff grant"
        case .revokeRole: "clinic staff revoke"
        case .setPassphrase: "clinic staff passphrase"
        case .rotateKeys: "clinic keys rotate"
        case .setRetentionPolicy: "clinic retention policy"
        case .signCheckpoint: "clinic audit checkpoint"
        case .rebuildViews: "clinic rebuild"
        case .viewChart: "clinic chart"
        case .viewPatient: "clinic patient show"
        case .findPatients: "clinic patient find"
        case .viewSchedule: "clinic schedule, clinic slots"
        case .viewPatientLedger: "clinic ledger PATIENT"
        case .viewDaySheet: "clinic ledger daily"
        case .viewAging: "clinic ledger aging"
        case .listStaff: "clinic staff list"
        case .listPayers: "clinic payer list"
        case .viewFeeSchedule: "clinic fee list"
        case .viewHistory: "clinic audit history, clinic audit as-of"
        case .viewDisclosureAccounting: "clinic audit disclosures"
        case .exportRecord: "clinic audit export"
        case .viewAccessLog: "clinic audit access"
        }
    }

    /// The part of a patient's record the action reads, for the access log; nil when it reads no one patient's record.
    public var recordArea: RecordArea? {
        switch self {
        case .viewChart: .chart
        case .viewPatientLedger: .ledger
        case .viewHistory: .history
        case .exportRecord: .export
        case .viewPatient: .demographics
        case .viewDisclosureAccounting: .disclosures
        default: nil
        }
    }

    /// The roles allowed to do it.
    public var permittedRoles: Set<StaffRole> { Permissions.roles[self] ?? [] }
}

/// The permission table and its check: who may do what, and the refusal when they may not.
public enum Permissions {
    /// The clinical roles: providers, nurses and medical assistants.
    public static let clinicalRoles: Set<StaffRole> = ChartCommand.clinicalRoles
    /// The roles that may read a chart without breaking the glass: the clinical roles.
    public static let chartReadingRoles: Set<StaffRole> = clinicalRoles
    /// The roles that may read a patient's ledger and the day sheet: the front desk, billing and the office manager.
    public static let ledgerReadingRoles: Set<StaffRole> = [.frontDesk, .biller, .officeManager]
    /// The roles that may look up patients and their demographics: every role that serves patients, and the
    /// compliance officer.
    public static let patientLookupRoles: Set<StaffRole> = clinicalRoles.union([
        .frontDesk, .biller, .officeManager, .complianceOfficer,
    ])
    /// The roles that may read the schedule: the front desk, the office manager and the clinical roles.
    public static let scheduleReadingRoles: Set<StaffRole> = clinicalRoles.union([.frontDesk, .officeManager])
    /// Every role a person acts in (not `system`).
    public static let personRoles: Set<StaffRole> = Set(StaffRole.allCases).subtracting([.system])

    /// Every action's roles, computed once.
    static let roles: [StoreAction: Set<StaffRole>] = Dictionary(
        uniqueKeysWithValues: StoreAction.allCases.map { ($0, derivedRoles(of: $0)) })

    /// The roles of `action`: a decision's own roles where a decision checks it, the table's otherwise.
    private static func derivedRoles(of action: StoreAction) -> Set<StaffRole> {
        if let command = Samples.command(for: action) { return command.decisionRoles }
        switch action {
        case .registerPatient: return ClinicStore.registeringRoles
        case .recordVitals: return ClinicStore.vitalsRoles
        case .mergePatients: return PatientRecordCommand.mergingRoles
        case .closeDay: return DayBook.closingRoles
        case .manageFeeSchedule: return FeeScheduleCommand.permittedRoles
        case .addCoverage, .endCoverage, .recordEligibility: return CoverageCommand.permittedRoles
        case .definePayer: return ClinicStore.payerRoles
        case .setRetentionPolicy: return RetentionPolicyCommand.permittedRoles
        case .addStaff, .grantRole, .revokeRole, .setPassphrase, .rotateKeys:
            return ClinicStore.administeringRoles
        case .signCheckpoint: return [.complianceOfficer, .officeManager, .biller]
        case .rebuildViews: return [.officeManager, .complianceOfficer]
        case .viewChart: return chartReadingRoles
        case .viewPatient, .findPatients: return patientLookupRoles
        case .viewSchedule: return scheduleReadingRoles
        case .viewPatientLedger, .viewDaySheet: return ledgerReadingRoles
        case .viewAging: return [.biller, .officeManager]
        case .listStaff: return personRoles
        case .listPayers: return [.frontDesk, .biller, .officeManager]
        case .viewFeeSchedule: return ledgerReadingRoles
        case .viewHistory, .viewAccessLog: return [.complianceOfficer]
        case .viewDisclosureAccounting, .exportRecord: return [.complianceOfficer, .officeManager]
        default: preconditionFailure("every action has its roles: \(action)")
        }
    }

    /// The refusal of `action` by `actor`, or nil when it is allowed: an actor not on staff (`unknownStaff`), acting in
    /// a role they do not hold (`roleNotHeld`), or in a role the table does not allow (`roleNotPermitted`).
    public static func refusal(
        of action: StoreAction, by actor: StaffActor, in directory: StaffDirectory
    ) -> AccessRefusal? {
        guard let member = directory.members[actor.staffID] else {
            return AccessRefusal(action: action, actor: actor, cause: .unknownStaff)
        }
        guard member.roles.contains(actor.role) else {
            return AccessRefusal(action: action, actor: actor, cause: .roleNotHeld)
        }
        guard action.permittedRoles.contains(actor.role) else {
            return AccessRefusal(action: action, actor: actor, cause: .roleNotPermitted)
        }
        return nil
    }
}

/// Why access control refused an action: one clear sentence, and the `AccessDenied` event that records it.
public struct AccessRefusal: Equatable, Sendable {
    /// The action refused.
    public let action: StoreAction
    /// Who asked, in which role.
    public let actor: StaffActor
    /// Why.
    public let cause: AccessDenialCause

    /// Creates a refusal.
    public init(action: StoreAction, actor: StaffActor, cause: AccessDenialCause) {
        self.action = action
        self.actor = actor
        self.cause = cause
    }

    /// The error answered: `permissionDenied`, with the cause's name as its code.
    public var error: StoreError {
        switch cause {
        case .unknownStaff:
            StoreError(
                .permissionDenied, code: "unknownStaff",
                message: "Staff member \(actor.staffID) is not on staff; ask the office manager to add them.")
        case .roleNotHeld:
            StoreError(
                .permissionDenied, code: "roleNotHeld",
                message: "Staff member \(actor.staffID) does not hold the role \(actor.role); act in a role you hold.")
        case .roleNotPermitted:
            StoreError(
                .permissionDenied, code: "roleNotPermitted",
                message: "The role \(actor.role) may not do \(action.rawValue) (\(action.commandLine)); ask a staff "
                    + "member in a permitted role (see docs/security.md).")
        }
    }

    /// The event that records the refusal, naming the patient by id only.
    public func event(patientID: EventID?) -> AccessDenied {
        do {
            return try AccessDenied(
                staffID: actor.staffID, role: actor.role, action: action.rawValue, patientID: patientID, cause: cause)
        } catch {
            preconditionFailure("every action name is ASCII letters")
        }
    }
}

extension OfficeCommand {
    /// The action of the permission table this command is.
    public var action: StoreAction {
        switch self {
        case .registerPatient: .registerPatient
        case .patientRecord(_, let command):
            switch command {
            case .correctDemographics: .correctDemographics
            case .recordDeath: .recordDeath
            case .erase: .erasePatient
            }
        case .mergePatients: .mergePatients
        case .scheduling(_, let command): Self.action(of: command)
        case .chart(_, let command): Self.action(of: command)
        case .recordVitals: .recordVitals
        case .billing(_, let command, _): Self.action(of: command)
        case .closeDay: .closeDay
        case .consent(_, let command): Self.action(of: command)
        case .coverage(_, let command):
            switch command {
            case .addCoverage: .addCoverage
            case .endCoverage: .endCoverage
            case .recordEligibility: .recordEligibility
            }
        case .definePayer: .definePayer
        case .feeSchedule: .manageFeeSchedule
        case .retentionPolicy: .setRetentionPolicy
        case .addStaff: .addStaff
        case .grantRole: .grantRole
        case .revokeRole: .revokeRole
        }
    }

    /// The patient whose record the command changes, when it names one (for the access log).
    public var patientID: EventID? {
        switch self {
        case .registerPatient, .closeDay, .definePayer, .feeSchedule, .retentionPolicy, .addStaff, .grantRole,
            .revokeRole:
            nil
        case .patientRecord(let patientID, _), .chart(let patientID, _), .billing(let patientID, _, _),
            .consent(let patientID, _), .coverage(let patientID, _):
            patientID
        case .mergePatients(let duplicateID, _, _): duplicateID
        case .scheduling(_, let command):
            if case .book(_, let patientID, _, _, _, _) = command { patientID } else { nil }
        case .recordVitals(let vitals): vitals.patientID
        }
    }

    private static func action(of command: SchedulingCommand) -> StoreAction {
        switch command {
        case .defineAvailability: .defineAvailability
        case .book: .book
        case .reschedule: .reschedule
        case .confirm: .confirm
        case .markArrived: .markArrived
        case .checkIn: .checkIn
        case .room: .room
        case .checkOut: .checkOut
        case .cancel: .cancel
        case .markNoShow: .markNoShow
        case .enterInError: .enterAppointmentInError
        }
    }

    private static func action(of command: ChartCommand) -> StoreAction {
        switch command {
        case .recordAllergy: .recordAllergy
        case .resolveAllergy: .resolveAllergy
        case .enterAllergyInError: .enterAllergyInError
        case .startMedication: .startMedication
        case .stopMedication: .stopMedication
        case .addProblem: .addProblem
        case .resolveProblem: .resolveProblem
        case .signNote: .signNote
        case .signAddendum: .signAddendum
        case .requestAmendment: .requestAmendment
        case .acceptAmendment: .acceptAmendment
        case .denyAmendment: .denyAmendment
        }
    }

    private static func action(of command: BillingCommand) -> StoreAction {
        switch command {
        case .postCharge, .postScheduledCharge: .postCharge
        case .postPayment: .postPayment
        case .applyPayment: .applyPayment
        case .postAdjustment: .postAdjustment
        case .issueRefund: .issueRefund
        case .transferResponsibility: .transferResponsibility
        case .voidCharge: .voidCharge
        case .voidPayment: .voidPayment
        }
    }

    private static func action(of command: ConsentCommand) -> StoreAction {
        switch command {
        case .acknowledgePrivacyNotice: .acknowledgePrivacyNotice
        case .grantConsent: .grantConsent
        case .revokeConsent: .revokeConsent
        case .recordAuthorization: .recordAuthorization
        case .requestRestriction: .requestRestriction
        case .agreeRestriction: .agreeRestriction
        case .recordDisclosure: .recordDisclosure
        }
    }

    /// The roles the command's own decision allows, for the commands whose decision holds a role check of its own.
    var decisionRoles: Set<StaffRole> {
        switch self {
        case .patientRecord(_, let command): command.permittedRoles
        case .scheduling(_, let command): command.permittedRoles
        case .chart(_, let command): command.permittedRoles
        case .billing(_, let command, _): command.permittedRoles
        case .consent(_, let command): command.permittedRoles
        default: []
        }
    }
}

/// One command of each kind whose decision states its roles on the command value: the table asks each for its roles.
/// The values are never decided or stored; only their case matters.
private enum Samples {
    static let id = EventID(high: 0, low: 0)
    static let staff: StaffID = {
        guard let staff = try? StaffID("sample") else { preconditionFailure("a valid staff id") }
        return staff
    }()
    static let procedure: ProcedureCode = {
        guard let code = try? ProcedureCode(code: "99213") else { preconditionFailure("a valid CPT code") }
        return code
    }()
    static let reasonCode: AdjustmentReasonCode = {
        guard let code = try? AdjustmentReasonCode("CO-45") else { preconditionFailure("a valid reason code") }
        return code
    }()
    static let diagnosis: DiagnosisCode = {
        guard let code = try? DiagnosisCode("R69") else { preconditionFailure("a valid ICD-10-CM code") }
        return code
    }()
    static let recipient: DisclosureRecipient = {
        guard let recipient = try? DisclosureRecipient(name: "sample", category: .other) else {
            preconditionFailure("a valid recipient")
        }
        return recipient
    }()
    static let scope: DisclosureScope = {
        guard let scope = try? DisclosureScope(recipientCategories: [.other], purposes: [.treatment]) else {
            preconditionFailure("a valid scope")
        }
        return scope
    }()

    static func command(for action: StoreAction) -> OfficeCommand? {
        if let record = patientRecord(action) { return .patientRecord(patientID: id, record) }
        if let scheduling = scheduling(action) { return .scheduling(providerStaffID: staff, scheduling) }
        if let chart = chart(action) { return .chart(patientID: id, chart) }
        if let billing = billing(action) { return .billing(patientID: id, billing) }
        if let consent = consent(action) { return .consent(patientID: id, consent) }
        return nil
    }

    static func patientRecord(_ action: StoreAction) -> PatientRecordCommand? {
        switch action {
        case .correctDemographics:
            .correctDemographics(
                familyName: nil, givenName: nil, birthDateDaysSince1970: nil, dateOfDeathDaysSince1970: nil, reason: "")
        case .recordDeath: .recordDeath(dateOfDeathDaysSince1970: 0)
        case .erasePatient: .erase(reason: .patientRequest)
        default: nil
        }
    }

    static func scheduling(_ action: StoreAction) -> SchedulingCommand? {
        switch action {
        case .defineAvailability:
            .defineAvailability(day: .weekday(1), startMinuteOfDay: 0, endMinuteOfDay: 0, slotMinutes: 0)
        case .book:
            .book(
                appointmentID: id, patientID: id, startLocalMinutesSince1970: 0, durationMinutes: 0, reason: "",
                overbookApproval: nil)
        case .reschedule:
            .reschedule(appointmentID: id, startLocalMinutesSince1970: 0, durationMinutes: 0, overbookApproval: nil)
        case .confirm: .confirm(appointmentID: id)
        case .markArrived: .markArrived(appointmentID: id)
        case .checkIn: .checkIn(appointmentID: id, encounterID: id)
        case .room: .room(appointmentID: id, room: "")
        case .checkOut: .checkOut(appointmentID: id)
        case .cancel: .cancel(appointmentID: id, reason: "")
        case .markNoShow: .markNoShow(appointmentID: id)
        case .enterAppointmentInError: .enterInError(appointmentID: id, reason: "")
        default: nil
        }
    }

    static func chart(_ action: StoreAction) -> ChartCommand? {
        switch action {
        case .recordAllergy:
            .recordAllergy(allergyID: id, substance: "", reaction: "", severity: .mild, verification: .unconfirmed)
        case .resolveAllergy: .resolveAllergy(allergyID: id)
        case .enterAllergyInError: .enterAllergyInError(allergyID: id, reason: "")
        case .startMedication:
            .startMedication(medicationID: id, name: "", dose: "", route: .oral, frequency: "", reason: "")
        case .stopMedication: .stopMedication(medicationID: id, reason: "")
        case .addProblem: .addProblem(problemID: id, diagnosis: diagnosis, onsetDaysSince1970: nil)
        case .resolveProblem: .resolveProblem(problemID: id)
        case .signNote: .signNote(noteID: id, encounterID: id, text: "")
        case .signAddendum: .signAddendum(addendumID: id, noteID: id, text: "")
        case .requestAmendment:
            .requestAmendment(amendmentID: id, amendedEntryIDs: [], request: "", requestedTimeMicroseconds: 0)
        case .acceptAmendment: .acceptAmendment(amendmentID: id, correctingEntryIDs: [])
        case .denyAmendment:
            .denyAmendment(
                amendmentID: id, basis: .accurateAndComplete, explanation: "", disagreementInstructions: "")
        default: nil
        }
    }

    static func billing(_ action: StoreAction) -> BillingCommand? {
        switch action {
        case .postCharge:
            .postCharge(
                chargeID: id, encounterID: id, procedure: procedure, units: 1, diagnoses: [], diagnosisPointers: [],
                amount: .zero, postingDateDaysSince1970: 0)
        case .postPayment:
            .postPayment(
                paymentID: id, payer: .patient, method: .cash, reference: "", amount: .zero,
                postingDateDaysSince1970: 0)
        case .applyPayment:
            .applyPayment(paymentID: id, chargeID: id, amount: .zero, asCredit: false, postingDateDaysSince1970: 0)
        case .postAdjustment:
            .postAdjustment(
                adjustmentID: id, chargeID: id, responsibility: .patient, amount: .zero, reasonCode: reasonCode,
                postingDateDaysSince1970: 0)
        case .issueRefund: .issueRefund(paymentID: id, amount: .zero, method: .cash, postingDateDaysSince1970: 0)
        case .transferResponsibility:
            .transferResponsibility(
                chargeID: id, from: .patient, to: .insurance(level: 1), amount: .zero, postingDateDaysSince1970: 0)
        case .voidCharge: .voidCharge(chargeID: id, reason: "", postingDateDaysSince1970: 0)
        case .voidPayment: .voidPayment(paymentID: id, reason: "", postingDateDaysSince1970: 0)
        default: nil
        }
    }

    static func consent(_ action: StoreAction) -> ConsentCommand? {
        switch action {
        case .acknowledgePrivacyNotice: .acknowledgePrivacyNotice(noticeVersion: "", acknowledgedAtMicroseconds: 0)
        case .grantConsent:
            .grantConsent(consentID: id, scope: scope, effectiveFromMicroseconds: 0, expiresAtMicroseconds: nil)
        case .revokeConsent: .revokeConsent(consentID: id, effectiveFromMicroseconds: 0)
        case .recordAuthorization:
            .recordAuthorization(
                authorizationID: id, recipient: recipient, purpose: .treatment, informationDescription: "",
                expiresAtMicroseconds: nil, expiryEvent: nil, signedBy: "", signedAtMicroseconds: 0)
        case .requestRestriction:
            .requestRestriction(
                restrictionID: id, scope: scope, informationDescription: "", requestedAtMicroseconds: 0)
        case .agreeRestriction: .agreeRestriction(restrictionID: id, effectiveFromMicroseconds: 0)
        case .recordDisclosure:
            .recordDisclosure(
                disclosureID: id, recipient: recipient, purpose: .treatment, informationDescription: "",
                legalBasis: .treatment, disclosedAtMicroseconds: 0)
        default: nil
        }
    }
}
