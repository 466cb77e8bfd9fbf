import ClinicEvents
import ClinicProjections
import RecordLog

/// A view the compliance officer can compare between two moments.
public enum AuditedView: Sendable, Equatable {
    /// One patient's chart, folded from that patient's streams.
    case chart(patientID: EventID)
    /// One patient's consents, authorizations, restrictions and disclosures, folded from that patient's streams.
    case consent(patientID: EventID)
    /// One patient's account ledger, folded from that patient's streams and the day book.
    case patientLedger(patientID: EventID)
    /// The office's day sheet of one office day, folded from the whole log.
    case daySheet(daysSince1970: Int64)
    /// Every provider's schedule of one office day, folded from the whole log.
    case schedule(daysSince1970: Int64)

    /// The view's name: `chart`, `consent`, `ledger` or `schedule`.
    public var name: String {
        switch self {
        case .chart: "chart"
        case .consent: "consent"
        case .patientLedger, .daySheet: "ledger"
        case .schedule: "schedule"
        }
    }

    /// The patient whose view it is, for the per-patient views.
    public var patientID: EventID? {
        switch self {
        case .chart(let id), .consent(let id), .patientLedger(let id): id
        case .daySheet, .schedule: nil
        }
    }

    /// The office day shown, for the day views.
    public var daysSince1970: Int64? {
        switch self {
        case .daySheet(let day), .schedule(let day): day
        case .chart, .consent, .patientLedger: nil
        }
    }

    /// The sections of the view's rows, in display order.
    public var sections: [String] {
        switch self {
        case .chart: ViewRows.chartSections
        case .consent: ViewRows.consentSections
        case .patientLedger: ViewRows.patientLedgerSections
        case .daySheet: ViewRows.daySheetSections
        case .schedule: ViewRows.scheduleSections
        }
    }
}

/// The two moments a diff compares.
public enum DiffMoments: Sendable, Equatable {
    /// As the office knew it at two recorded times (UTC microseconds): every event recorded at or before each.
    case recorded(fromMicroseconds: Int64, toMicroseconds: Int64)
    /// As it was true on two office days: every event known now whose effective day is on or before each, late
    /// entries recorded afterwards included.
    case effective(fromDay: Int64, toDay: Int64)

    /// `recorded` or `effective`.
    public var mode: String {
        switch self {
        case .recorded: "recorded"
        case .effective: "effective"
        }
    }

    /// Whether the second moment is not before the first.
    public var isOrdered: Bool {
        switch self {
        case .recorded(let from, let to): from <= to
        case .effective(let from, let to): from <= to
        }
    }
}

/// One row that differs between the two moments.
public struct ViewRowChange: Sendable, Equatable {
    /// How the row differs.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Only the second moment shows the row.
        case added
        /// Only the first moment shows the row.
        case removed
        /// Both show the row, with different values.
        case changed
    }

    /// How the row differs.
    public var kind: Kind
    /// The row's section.
    public var section: String
    /// The row's key.
    public var key: String
    /// The row at the first moment (nil when added).
    public var before: ViewRow?
    /// The row at the second moment (nil when removed).
    public var after: ViewRow?

    /// Creates a change.
    public init(kind: Kind, section: String, key: String, before: ViewRow?, after: ViewRow?) {
        self.kind = kind
        self.section = section
        self.key = key
        self.before = before
        self.after = after
    }

    /// The names of the fields whose values differ, in the row's order (every field of an added or removed row).
    public var changedFields: [String] {
        let beforeFields = before?.fields ?? []
        let afterFields = after?.fields ?? []
        var names: [String] = []
        for field in afterFields + beforeFields where !names.contains(field.name) {
            let old = before?.value(field.name)
            let new = after?.value(field.name)
            if old != new { names.append(field.name) }
        }
        return names
    }

    /// The changes that turn `before` into `after`, section by section in `sections` order (sections not named come
    /// last, in order of appearance); within a section, the rows of `after` in order, then the rows only `before`
    /// has, in their order.
    public static func changes(from before: [ViewRow], to after: [ViewRow], sections: [String] = []) -> [ViewRowChange]
    {
        var order = sections
        for row in before + after where !order.contains(row.section) { order.append(row.section) }
        var beforeByKey: [String: [String: ViewRow]] = [:]
        for row in before { beforeByKey[row.section, default: [:]][row.key] = row }
        var afterKeys: [String: Set<String>] = [:]
        for row in after { afterKeys[row.section, default: []].insert(row.key) }
        var changes: [ViewRowChange] = []
        for section in order {
            for row in after where row.section == section {
                if let old = beforeByKey[section]?[row.key] {
                    if old != row {
                        changes.append(
                            ViewRowChange(kind: .changed, section: section, key: row.key, before: old, after: row))
                    }
                } else {
                    changes.append(ViewRowChange(kind: .added, section: section, key: row.key, before: nil, after: row))
                }
            }
            for row in before where row.section == section && !(afterKeys[section]?.contains(row.key) ?? false) {
                changes.append(ViewRowChange(kind: .removed, section: section, key: row.key, before: row, after: nil))
            }
        }
        return changes
    }
}

/// What changed in a view between two moments: the events that changed it, and the rows added, removed and changed
/// (`AuditReader.diff`).
public struct ViewDiff: Sendable, Equatable {
    /// The document's `format` value.
    public static let format = "cliniclog.view-diff.v1"

    /// The view compared.
    public var view: AuditedView
    /// The two moments.
    public var moments: DiffMoments
    /// The calendar the moments' days and the rows' times use.
    public var calendar: ViewCalendar
    /// For recorded moments, the log positions of the events recorded between them: the first fold ends before
    /// `lowerBound`, the second before `upperBound`; nil for effective moments.
    public var positions: Range<UInt64>?
    /// Whether the patient of a chart or consent view was erased by the second moment or reads as erased: no rows
    /// are shown then.
    public var patientErased: Bool
    /// The events between the moments that changed the view's rows, in log order, summarized as in a history.
    public var events: [HistoryEntry]
    /// The view's rows at the first moment.
    public var before: [ViewRow]
    /// The view's rows at the second moment.
    public var after: [ViewRow]

    /// Creates a diff.
    public init(
        view: AuditedView, moments: DiffMoments, calendar: ViewCalendar, positions: Range<UInt64>?,
        patientErased: Bool, events: [HistoryEntry], before: [ViewRow], after: [ViewRow]
    ) {
        self.view = view
        self.moments = moments
        self.calendar = calendar
        self.positions = positions
        self.patientErased = patientErased
        self.events = events
        self.before = before
        self.after = after
    }

    /// The rows added, removed and changed, section by section.
    public var changes: [ViewRowChange] { ViewRowChange.changes(from: before, to: after, sections: view.sections) }

    /// The diff as JSON, its members in the documented order (`docs/audit.md` section 10).
    public var json: JSONValue {
        var members = [
            JSONMember("format", .string(Self.format)),
            JSONMember("view", .string(view.name)),
            JSONMember("patientId", view.patientID.map { .string($0.description) } ?? .null),
            JSONMember("date", view.daysSince1970.map { .string(UTCTime.date(daysSince1970: $0)) } ?? .null),
            JSONMember("mode", .string(moments.mode)),
        ]
        switch moments {
        case .recorded(let from, let to):
            members += [
                JSONMember("from", .string(UTCTime.iso8601(microseconds: from))),
                JSONMember("to", .string(UTCTime.iso8601(microseconds: to))),
                JSONMember("fromMicroseconds", .integer(from)), JSONMember("toMicroseconds", .integer(to)),
                JSONMember("fromPosition", positions.map { .number($0.lowerBound) } ?? .null),
                JSONMember("toPosition", positions.map { .number($0.upperBound) } ?? .null),
            ]
        case .effective(let from, let to):
            members += [
                JSONMember("from", .string(UTCTime.date(daysSince1970: from))),
                JSONMember("to", .string(UTCTime.date(daysSince1970: to))),
                JSONMember("fromMicroseconds", .null), JSONMember("toMicroseconds", .null),
                JSONMember("fromPosition", .null), JSONMember("toPosition", .null),
            ]
        }
        members += [
            JSONMember("timeZone", .string(calendar.identifier)),
            JSONMember("patientErased", .bool(patientErased)),
            JSONMember("events", .array(events.map(Self.eventJSON))),
            JSONMember("changes", .array(changes.map(Self.changeJSON))),
        ]
        return .object(members)
    }

    private static func eventJSON(_ entry: HistoryEntry) -> JSONValue {
        .object([
            JSONMember("position", .number(entry.position)),
            JSONMember("stream", .string(entry.stream)),
            JSONMember("eventId", .string(entry.eventID.description)),
            JSONMember("eventType", .string(entry.eventType)),
            JSONMember("recordedTime", .string(UTCTime.iso8601(microseconds: entry.recordedTimeMicroseconds))),
            JSONMember("effectiveTime", .string(UTCTime.iso8601(microseconds: entry.effectiveTimeMicroseconds))),
            JSONMember("actorStaffId", .string(entry.actor.value)),
            JSONMember("actorRole", .string(EventDescription.words(StaffRole.self, UInt64(entry.role.rawValue)))),
            JSONMember("reason", entry.reason.map { .string($0) } ?? .null),
            JSONMember("summary", .string(entry.summary)),
        ])
    }

    private static func changeJSON(_ change: ViewRowChange) -> JSONValue {
        func fields(_ row: ViewRow?) -> JSONValue {
            row.map { .object($0.fields.map { JSONMember($0.name, .string($0.value)) }) } ?? .null
        }
        return .object([
            JSONMember("change", .string(change.kind.rawValue)),
            JSONMember("section", .string(change.section)),
            JSONMember("key", .string(change.key)),
            JSONMember("changedFields", .array(change.changedFields.map { .string($0) })),
            JSONMember("before", fields(change.before)),
            JSONMember("after", fields(change.after)),
        ])
    }
}
