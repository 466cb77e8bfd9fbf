import RecordLog

/// The kinds of entry a chart holds, each with its own id.
public enum ChartEntryKind: String, CaseIterable, Hashable, Sendable {
    /// An allergy or intolerance.
    case allergy
    /// A medication.
    case medication
    /// A problem-list diagnosis.
    case problem
    /// A signed note.
    case note
    /// An addendum to a signed note.
    case addendum
    /// A patient's request to amend entries.
    case amendment
}

/// Where an allergy stands.
public enum AllergyStatus: Hashable, Sendable {
    /// It applies now.
    case active
    /// It no longer applies.
    case resolved
    /// It was wrong and must be disregarded (it stays in the chart, marked so).
    case enteredInError
}

/// Where a medication or a problem stands.
public enum ChartItemStatus: Hashable, Sendable {
    /// Current: an active medication or problem.
    case active
    /// Past: a stopped medication or a resolved problem.
    case past
}

/// Where an amendment request stands.
public enum AmendmentStatus: Hashable, Sendable {
    /// Received and not yet decided.
    case requested
    /// Accepted, with the correcting entries linked.
    case accepted
    /// Denied, with the basis and the right to a statement of disagreement.
    case denied
}

/// An allergy in the chart, as recorded, with its status.
public struct AllergyEntry: Equatable, Sendable {
    /// The event that recorded it.
    public let recorded: AllergyRecorded
    /// The chart stream version that recorded it: entries sort by it.
    public let sequence: UInt64
    /// Where it stands.
    public internal(set) var status: AllergyStatus = .active
}

/// A medication in the chart, as started, with its status.
public struct MedicationEntry: Equatable, Sendable {
    /// The event that started it.
    public let started: MedicationStarted
    /// The chart stream version that started it: entries sort by it.
    public let sequence: UInt64
    /// Active or past.
    public internal(set) var status: ChartItemStatus = .active
    /// The event that stopped it, once stopped.
    public internal(set) var stopped: MedicationStopped?
}

/// A problem in the chart, as added, with its status.
public struct ProblemEntry: Equatable, Sendable {
    /// The event that added it.
    public let added: ProblemAdded
    /// The chart stream version that added it: entries sort by it.
    public let sequence: UInt64
    /// Active or past.
    public internal(set) var status: ChartItemStatus = .active
}

/// A signed note with its addenda, in signing order.
public struct NoteEntry: Equatable, Sendable {
    /// The signed note, unchanged forever.
    public let signed: NoteSigned
    /// The chart stream version that signed it: entries sort by it.
    public let sequence: UInt64
    /// The addenda signed since, oldest first.
    public internal(set) var addenda: [NoteAddendumSigned] = []
}

/// An amendment request with its decision, once made.
public struct AmendmentEntry: Equatable, Sendable {
    /// The request.
    public let requested: AmendmentRequested
    /// The chart stream version that recorded the request: entries sort by it.
    public let sequence: UInt64
    /// Where it stands.
    public internal(set) var status: AmendmentStatus = .requested
    /// The acceptance, when accepted.
    public internal(set) var accepted: AmendmentAccepted?
    /// The denial, when denied.
    public internal(set) var denied: AmendmentDenied?
}

/// One patient's chart: allergies, medications, problems, notes with addenda and amendment requests, a pure fold over
/// the patient's chart stream. Nothing in it is edited in place: every change is a new event that references the entry.
///
/// The chart stream version is the concurrency guard of every chart rule: decisions state the version they were made
/// on, so two clinicians resolving the same entry at once yield one event and one conflict.
public struct ChartState: Equatable, Sendable {
    /// The patient whose chart it is.
    public let patientID: EventID
    /// The version of the chart stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0
    /// The allergies, by id.
    public private(set) var allergies: [EventID: AllergyEntry] = [:]
    /// The medications, by id.
    public private(set) var medications: [EventID: MedicationEntry] = [:]
    /// The problems, by id.
    public private(set) var problems: [EventID: ProblemEntry] = [:]
    /// The signed notes, by id.
    public private(set) var notes: [EventID: NoteEntry] = [:]
    /// The amendment requests, by id.
    public private(set) var amendments: [EventID: AmendmentEntry] = [:]
    /// The note of every addendum, by addendum id.
    public private(set) var noteOfAddendum: [EventID: EventID] = [:]

    /// The empty chart of `patientID`.
    public init(patientID: EventID) {
        self.patientID = patientID
    }

    /// The name of the stream that holds every chart event of `patientID`.
    public static func streamName(for patientID: EventID) -> String {
        "chart-\(patientID)"
    }

    /// The name of this patient's chart stream.
    public var streamName: String { Self.streamName(for: patientID) }

    /// The kind of the entry with `id`, or nil when the chart has no such entry.
    public func kind(of id: EventID) -> ChartEntryKind? {
        if allergies[id] != nil { return .allergy }
        if medications[id] != nil { return .medication }
        if problems[id] != nil { return .problem }
        if notes[id] != nil { return .note }
        if noteOfAddendum[id] != nil { return .addendum }
        if amendments[id] != nil { return .amendment }
        return nil
    }

    /// The allergies that apply now, oldest first.
    public var activeAllergies: [AllergyEntry] {
        allergies.values.filter { $0.status == .active }.sorted { $0.sequence < $1.sequence }
    }

    /// The medications taken now, oldest first.
    public var activeMedications: [MedicationEntry] { medications(.active) }

    /// The medications stopped, oldest first.
    public var pastMedications: [MedicationEntry] { medications(.past) }

    /// The problems that are active, oldest first.
    public var activeProblems: [ProblemEntry] { problems(.active) }

    /// The problems resolved, oldest first.
    public var pastProblems: [ProblemEntry] { problems(.past) }

    /// The signed notes, oldest first, each with its addenda.
    public var notesInSigningOrder: [NoteEntry] {
        notes.values.sorted { $0.sequence < $1.sequence }
    }

    /// The amendment requests, oldest first.
    public var amendmentsInRequestOrder: [AmendmentEntry] {
        amendments.values.sorted { $0.sequence < $1.sequence }
    }

    /// The entries linked as corrections of `entryID` by accepted amendments, in acceptance order.
    public func corrections(of entryID: EventID) -> [EventID] {
        amendmentsInRequestOrder.filter { $0.status == .accepted && $0.requested.amendedEntryIDs.contains(entryID) }
            .flatMap { $0.accepted?.correctingEntryIDs ?? [] }
    }

    private func medications(_ status: ChartItemStatus) -> [MedicationEntry] {
        medications.values.filter { $0.status == status }.sorted { $0.sequence < $1.sequence }
    }

    private func problems(_ status: ChartItemStatus) -> [ProblemEntry] {
        problems.values.filter { $0.status == status }.sorted { $0.sequence < $1.sequence }
    }

    /// The state after one more event of the chart stream; every event counts towards `streamVersion`.
    ///
    /// The fold is total: an event of another patient, or one about an entry the chart does not have, changes nothing
    /// but the version; a second signature of a note or a second decision on an amendment is ignored (the first
    /// stands). Decisions never produce such events.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        let sequence = streamVersion
        switch event {
        case .allergyRecorded(let body) where body.patientID == patientID && kind(of: body.allergyID) == nil:
            allergies[body.allergyID] = AllergyEntry(recorded: body, sequence: sequence)
        case .allergyResolved(let body) where allergies[body.allergyID]?.status == .active:
            allergies[body.allergyID]?.status = .resolved
        case .allergyEnteredInError(let body) where allergies[body.allergyID] != nil:
            allergies[body.allergyID]?.status = .enteredInError
        case .medicationStarted(let body) where body.patientID == patientID && kind(of: body.medicationID) == nil:
            medications[body.medicationID] = MedicationEntry(started: body, sequence: sequence)
        case .medicationStopped(let body) where medications[body.medicationID]?.status == .active:
            medications[body.medicationID]?.status = .past
            medications[body.medicationID]?.stopped = body
        case .problemAdded(let body) where body.patientID == patientID && kind(of: body.problemID) == nil:
            problems[body.problemID] = ProblemEntry(added: body, sequence: sequence)
        case .problemResolved(let body) where problems[body.problemID]?.status == .active:
            problems[body.problemID]?.status = .past
        case .noteSigned(let body) where body.patientID == patientID && kind(of: body.noteID) == nil:
            notes[body.noteID] = NoteEntry(signed: body, sequence: sequence)
        case .noteAddendumSigned(let body) where notes[body.noteID] != nil && kind(of: body.addendumID) == nil:
            notes[body.noteID]?.addenda.append(body)
            noteOfAddendum[body.addendumID] = body.noteID
        case .amendmentRequested(let body) where body.patientID == patientID && kind(of: body.amendmentID) == nil:
            amendments[body.amendmentID] = AmendmentEntry(requested: body, sequence: sequence)
        case .amendmentAccepted(let body) where amendments[body.amendmentID]?.status == .requested:
            amendments[body.amendmentID]?.status = .accepted
            amendments[body.amendmentID]?.accepted = body
        case .amendmentDenied(let body) where amendments[body.amendmentID]?.status == .requested:
            amendments[body.amendmentID]?.status = .denied
            amendments[body.amendmentID]?.denied = body
        default:
            break
        }
        return
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent) -> ChartState {
        var next = self
        next.apply(event)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> ChartState {
        var next = self
        for event in events { next.apply(event) }
        return next
    }
}
