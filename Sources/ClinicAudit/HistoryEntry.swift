import ClinicEvents
import RecordLog

/// An event named from another: its position, id and type.
public struct HistoryReference: Sendable, Equatable {
    /// The event's position in the log.
    public var position: UInt64
    /// The event's id.
    public var eventID: EventID
    /// The event's type, such as `ChargePosted`.
    public var eventType: String

    /// Creates a reference.
    public init(position: UInt64, eventID: EventID, eventType: String) {
        self.position = position
        self.eventID = eventID
        self.eventType = eventType
    }
}

/// A link from an event to what it acts on: the entry it corrects, voids, resolves, amends or otherwise names.
public struct HistoryLink: Sendable, Equatable {
    /// How an event relates to what it names.
    public enum Relation: String, Sendable, Equatable, CaseIterable {
        /// A demographics correction corrects a registration.
        case corrects
        /// A charge or payment void voids the original.
        case voids
        /// A resolution resolves an allergy or a problem.
        case resolves
        /// An entered-in-error mark withdraws an allergy or an appointment.
        case entersInError
        /// A stop ends a medication.
        case stops
        /// An addendum is signed to a note.
        case addendumTo
        /// An amendment request names an entry the patient asks to amend.
        case asksToAmend
        /// An acceptance or denial decides an amendment request.
        case decidesAmendment
        /// An acceptance links an entry that makes the amendment.
        case amendsWith
        /// A revocation revokes a consent or an authorization.
        case revokes
        /// An agreement agrees to a requested restriction.
        case agreesTo
        /// Any other reference: a payment applied to a charge, an adjustment of a charge, a disclosure under a
        /// consent, an appointment status change of a booking, an eligibility check of a coverage.
        case concerns
    }

    /// How the event relates to what it names.
    public var relation: Relation
    /// The id it names: an entry id (charge, payment, allergy, note, amendment, consent ...) or an event id.
    public var targetID: EventID
    /// The event that created the named entry (or the named event), when it is in the history read.
    public var target: HistoryReference?

    /// Creates a link.
    public init(relation: Relation, targetID: EventID, target: HistoryReference?) {
        self.relation = relation
        self.targetID = targetID
        self.target = target
    }
}

/// One event of a record's history, as the compliance officer reads it.
public struct HistoryEntry: Sendable, Equatable {
    /// The event as stored: position, stream version, recorded time, envelope and body.
    public var stored: StoredEvent
    /// One line saying what changed, in words; free text (notes, requests, explanations) is given by its length.
    public var summary: String
    /// What this event acts on.
    public var links: [HistoryLink]
    /// Later events in the history that act on this one (its corrections, voids, resolutions, addenda ...).
    public var linkedFrom: [HistoryReference]

    /// Creates an entry.
    public init(stored: StoredEvent, summary: String, links: [HistoryLink], linkedFrom: [HistoryReference]) {
        self.stored = stored
        self.summary = summary
        self.links = links
        self.linkedFrom = linkedFrom
    }

    /// The event's position in the log.
    public var position: UInt64 { stored.position }
    /// The event's stream.
    public var stream: String { stored.envelope.stream }
    /// The event's id.
    public var eventID: EventID { stored.envelope.eventID }
    /// The event's type.
    public var eventType: String { stored.envelope.eventType }
    /// When the log recorded it.
    public var recordedTimeMicroseconds: Int64 { stored.recordedTimeMicroseconds }
    /// When it happened, as staff stated it (earlier than recorded for a late entry).
    public var effectiveTimeMicroseconds: Int64 { stored.envelope.effectiveTimeMicroseconds }
    /// Who recorded it.
    public var actor: StaffID { stored.envelope.actorStaffID }
    /// The role they acted in.
    public var role: StaffRole { stored.envelope.actorRole }
    /// Why, when staff said.
    public var reason: String? { stored.envelope.reason }

    /// A reference to this entry's event.
    public var reference: HistoryReference {
        HistoryReference(position: position, eventID: eventID, eventType: eventType)
    }
}
