import RecordLog

/// A chart command: what clinical staff ask of a patient's chart. `ChartState.decide` turns it into events or a
/// refusal.
public enum ChartCommand: Hashable, Sendable {
    /// Record an allergy or intolerance.
    case recordAllergy(
        allergyID: EventID, substance: String, reaction: String, severity: AllergySeverity,
        verification: AllergyVerification)
    /// Mark an active allergy as no longer applying.
    case resolveAllergy(allergyID: EventID)
    /// Mark an allergy entry as wrong; it stays in the chart, marked so.
    case enterAllergyInError(allergyID: EventID, reason: String)
    /// Record a medication the patient starts (or already takes).
    case startMedication(
        medicationID: EventID, name: String, dose: String, route: MedicationRoute, frequency: String, reason: String)
    /// Record that the patient stopped an active medication.
    case stopMedication(medicationID: EventID, reason: String)
    /// Add a diagnosis to the problem list.
    case addProblem(problemID: EventID, diagnosis: DiagnosisCode, onsetDaysSince1970: Int64?)
    /// Mark an active problem as resolved.
    case resolveProblem(problemID: EventID)
    /// Sign a note for an encounter; the acting staff member is its author.
    case signNote(noteID: EventID, encounterID: EventID, text: String)
    /// Sign an addendum to a signed note; the acting staff member is its author.
    case signAddendum(addendumID: EventID, noteID: EventID, text: String)
    /// Record a patient's request to amend entries, received at `requestedTimeMicroseconds`.
    case requestAmendment(
        amendmentID: EventID, amendedEntryIDs: [EventID], request: String, requestedTimeMicroseconds: Int64)
    /// Accept an amendment, linking the entries (already recorded) that correct the amended ones.
    case acceptAmendment(amendmentID: EventID, correctingEntryIDs: [EventID])
    /// Deny an amendment with its basis, its explanation and how to file a statement of disagreement.
    case denyAmendment(
        amendmentID: EventID, basis: AmendmentDenialBasis, explanation: String, disagreementInstructions: String)

    /// The roles that may record allergies and medications: every clinical role.
    public static let clinicalRoles: Set<StaffRole> = [
        .physician, .nursePractitioner, .physicianAssistant, .nurse, .medicalAssistant,
    ]
    /// The roles that may add and resolve diagnoses: the providers who diagnose.
    public static let diagnosingRoles: Set<StaffRole> = [.physician, .nursePractitioner, .physicianAssistant]
    /// The roles that may sign notes and addenda: providers and nurses.
    public static let noteSigningRoles: Set<StaffRole> = [
        .physician, .nursePractitioner, .physicianAssistant, .nurse,
    ]
    /// The roles that may record an amendment request as the patient made it: clinical staff, the front desk, the
    /// office manager and the privacy officer.
    public static let amendmentRecordingRoles: Set<StaffRole> = clinicalRoles.union([
        .frontDesk, .officeManager, .complianceOfficer,
    ])
    /// The roles that may accept or deny an amendment: providers and the privacy officer.
    public static let amendmentDecidingRoles: Set<StaffRole> = diagnosingRoles.union([.complianceOfficer])

    /// The staff roles that may issue the command (see `docs/events.md`).
    public var permittedRoles: Set<StaffRole> {
        switch self {
        case .recordAllergy, .resolveAllergy, .enterAllergyInError, .startMedication, .stopMedication:
            Self.clinicalRoles
        case .addProblem, .resolveProblem: Self.diagnosingRoles
        case .signNote, .signAddendum: Self.noteSigningRoles
        case .requestAmendment: Self.amendmentRecordingRoles
        case .acceptAmendment, .denyAmendment: Self.amendmentDecidingRoles
        }
    }

    /// The command's name, for refusals and logs.
    public var name: String {
        switch self {
        case .recordAllergy: "recordAllergy"
        case .resolveAllergy: "resolveAllergy"
        case .enterAllergyInError: "enterAllergyInError"
        case .startMedication: "startMedication"
        case .stopMedication: "stopMedication"
        case .addProblem: "addProblem"
        case .resolveProblem: "resolveProblem"
        case .signNote: "signNote"
        case .signAddendum: "signAddendum"
        case .requestAmendment: "requestAmendment"
        case .acceptAmendment: "acceptAmendment"
        case .denyAmendment: "denyAmendment"
        }
    }
}

/// Why a chart command was refused. Every case names the rule; none carries patient data (no text, no names).
public enum ChartRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The acting role may not issue this command.
    case roleNotPermitted(command: String, role: StaffRole)
    /// A value of the command breaks an event's field rule (named, never the value).
    case detailsInvalid(rule: String)
    /// The new entry's id is already an entry of the chart.
    case entryIDAlreadyUsed(existingKind: ChartEntryKind)
    /// The command names an entry the chart does not have.
    case entryNotFound(kind: ChartEntryKind)
    /// Resolving or stopping needs an active entry.
    case entryNotActive(kind: ChartEntryKind)
    /// The allergy is already marked entered in error.
    case alreadyEnteredInError
    /// A signed note is immutable: the note id is already signed.
    case noteAlreadySigned
    /// An amendment request names an entry the chart does not have (or another amendment).
    case amendedEntryNotFound
    /// An acceptance links a correcting entry the chart does not have, or one of the amended entries itself.
    case correctingEntryNotFound
    /// The amendment was already accepted or denied.
    case amendmentAlreadyDecided(status: AmendmentStatus)

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .roleNotPermitted(let command, let role):
            "The role \(role) may not \(command) in a chart; ask a permitted clinician to do it."
        case .detailsInvalid(let rule):
            "The request breaks the field rule '\(rule)'; correct that field and try again."
        case .entryIDAlreadyUsed(let kind):
            "This id already names a \(kind) entry of the chart; make a new id for a new entry."
        case .entryNotFound(let kind):
            "The chart has no \(kind) entry with this id; check the entry and the patient."
        case .entryNotActive(let kind):
            "Only an active \(kind) entry can be resolved or stopped; check the entry's current status."
        case .alreadyEnteredInError:
            "This allergy entry is already marked entered in error; record a new allergy if one applies."
        case .noteAlreadySigned:
            "A signed note is immutable; sign an addendum that references it instead."
        case .amendedEntryNotFound:
            "An amendment must reference existing chart entries; check the entry ids the patient asks to amend."
        case .correctingEntryNotFound:
            "An accepted amendment must link new entries already in the chart; record the corrections first."
        case .amendmentAlreadyDecided(let status):
            "This amendment was already \(status) and can be decided only once; a new request needs a new amendment."
        }
    }

    /// The message.
    public var description: String { message }
}

/// A chart decision: the events for the patient's chart stream.
public typealias ChartDecision = StreamDecision

extension ChartState {
    /// Decides `command`, issued by the staff member `actor` acting as `role`, against this chart: the events that
    /// record it, or the rule it breaks. Pure: nothing is appended here.
    public func decide(
        _ command: ChartCommand, by actor: StaffID, role: StaffRole
    ) throws(ChartRefusal) -> ChartDecision {
        guard command.permittedRoles.contains(role) else {
            throw .roleNotPermitted(command: command.name, role: role)
        }
        let event = try event(for: command, actor: actor)
        return ChartDecision(stream: streamName, decidedOnStreamVersion: streamVersion, events: [event])
    }

    private func event(for command: ChartCommand, actor: StaffID) throws(ChartRefusal) -> ClinicEvent {
        switch command {
        case .recordAllergy(let id, let substance, let reaction, let severity, let verification):
            try checkUnused(id)
            return .allergyRecorded(
                try Self.validated {
                    try AllergyRecorded(
                        allergyID: id, patientID: patientID, substance: substance, reaction: reaction,
                        severity: severity, verification: verification)
                })
        case .resolveAllergy(let id):
            guard let allergy = allergies[id] else { throw .entryNotFound(kind: .allergy) }
            guard allergy.status == .active else { throw .entryNotActive(kind: .allergy) }
            return .allergyResolved(AllergyResolved(allergyID: id))
        case .enterAllergyInError(let id, let reason):
            guard let allergy = allergies[id] else { throw .entryNotFound(kind: .allergy) }
            guard allergy.status != .enteredInError else { throw .alreadyEnteredInError }
            return .allergyEnteredInError(
                try Self.validated { try AllergyEnteredInError(allergyID: id, patientID: patientID, reason: reason) })
        case .startMedication(let id, let name, let dose, let route, let frequency, let reason):
            try checkUnused(id)
            return .medicationStarted(
                try Self.validated {
                    try MedicationStarted(
                        medicationID: id, patientID: patientID, name: name, dose: dose, route: route,
                        frequency: frequency, reason: reason)
                })
        case .stopMedication(let id, let reason):
            guard let medication = medications[id] else { throw .entryNotFound(kind: .medication) }
            guard medication.status == .active else { throw .entryNotActive(kind: .medication) }
            return .medicationStopped(
                try Self.validated { try MedicationStopped(medicationID: id, patientID: patientID, reason: reason) })
        case .addProblem(let id, let diagnosis, let onset):
            try checkUnused(id)
            return .problemAdded(
                try Self.validated {
                    try ProblemAdded(
                        problemID: id, patientID: patientID, diagnosis: diagnosis, onsetDaysSince1970: onset)
                })
        case .resolveProblem(let id):
            guard let problem = problems[id] else { throw .entryNotFound(kind: .problem) }
            guard problem.status == .active else { throw .entryNotActive(kind: .problem) }
            return .problemResolved(ProblemResolved(problemID: id))
        case .signNote(let id, let encounterID, let text):
            if notes[id] != nil { throw .noteAlreadySigned }
            try checkUnused(id)
            return .noteSigned(
                try Self.validated {
                    try NoteSigned(
                        noteID: id, patientID: patientID, encounterID: encounterID, authorStaffID: actor, text: text)
                })
        case .signAddendum(let id, let noteID, let text):
            guard notes[noteID] != nil else { throw .entryNotFound(kind: .note) }
            try checkUnused(id)
            return .noteAddendumSigned(
                try Self.validated {
                    try NoteAddendumSigned(
                        addendumID: id, noteID: noteID, patientID: patientID, authorStaffID: actor, text: text)
                })
        case .requestAmendment(let id, let entryIDs, let request, let requestedTime):
            try checkUnused(id)
            let amended = try Self.validated {
                try AmendmentRequested(
                    amendmentID: id, patientID: patientID, amendedEntryIDs: entryIDs, request: request,
                    requestedTimeMicroseconds: requestedTime)
            }
            for entryID in entryIDs {
                guard let kind = kind(of: entryID), kind != .amendment else { throw .amendedEntryNotFound }
            }
            return .amendmentRequested(amended)
        case .acceptAmendment(let id, let correctingIDs):
            let amendment = try undecidedAmendment(id)
            let accepted = try Self.validated {
                try AmendmentAccepted(amendmentID: id, correctingEntryIDs: correctingIDs)
            }
            for entryID in correctingIDs {
                guard let kind = kind(of: entryID), kind != .amendment,
                    !amendment.requested.amendedEntryIDs.contains(entryID)
                else { throw .correctingEntryNotFound }
            }
            return .amendmentAccepted(accepted)
        case .denyAmendment(let id, let basis, let explanation, let instructions):
            _ = try undecidedAmendment(id)
            return .amendmentDenied(
                try Self.validated {
                    try AmendmentDenied(
                        amendmentID: id, patientID: patientID, basis: basis, explanation: explanation,
                        disagreementInstructions: instructions)
                })
        }
    }

    /// Refuses a new entry whose id already names an entry of the chart.
    private func checkUnused(_ id: EventID) throws(ChartRefusal) {
        if let existing = kind(of: id) { throw .entryIDAlreadyUsed(existingKind: existing) }
    }

    /// The amendment `id`, refusing one the chart does not have or one already decided.
    private func undecidedAmendment(_ id: EventID) throws(ChartRefusal) -> AmendmentEntry {
        guard let amendment = amendments[id] else { throw .entryNotFound(kind: .amendment) }
        guard amendment.status == .requested else { throw .amendmentAlreadyDecided(status: amendment.status) }
        return amendment
    }

    /// Runs a validating event initializer, turning its error into `detailsInvalid` naming the rule.
    private static func validated<Value>(_ make: () throws -> Value) throws(ChartRefusal) -> Value {
        do {
            return try make()
        } catch {
            throw .detailsInvalid(rule: String(describing: error))
        }
    }
}
