import ClinicEvents
import RecordLog
import Synchronization

/// What a partial read gives: the answer, or a request to open the whole view instead.
public enum PartialRead<Value: Sendable>: Sendable {
    /// The answer, exactly what the whole view caught up to the log's end gives.
    case answered(Value)
    /// No partial answer: no usable checkpoint, a tail of at least `tailEventsMax` events, or an erasure in the tail
    /// (the whole view then rewrites its checkpoint).
    case needsWholeView
}

/// Answers one question (a day of the schedule, one patient's record or chart, the patient ids, day sheets, one
/// patient's account) from only the
/// checkpoint parts it needs, caught up with the log's tail: each part's content depends on nothing outside it and
/// the view's always-loaded part, so folding the tail into the loaded parts gives exactly those parts of the whole
/// view. Events of parts that were not loaded make throwaway entries the answer never reads; a partial view is never
/// saved.
public struct PartialViewReader: Sendable {
    /// The log reader and decoder.
    public let replayer: ProjectionReplayer
    /// The checkpoints.
    public let store: ViewCheckpointStore
    /// A tail at least this long is not folded into parts (the whole view is opened and its checkpoint written).
    public let tailEventsMax: UInt64
    /// The log's end every answer is caught up to; nil reads it for each question.
    public let logEnd: UInt64?

    /// Loading stops widening the parts it reads after this many rounds (then the whole view is opened).
    static let roundsMax = 8

    /// Reads the log's tail with every patient's data withheld, for the questions that show none of it or only one
    /// patient's (`patientIDs()`, `chart(forPatient:)`); nil decodes the tail with `replayer` for every question.
    public let withholding: ProjectionReplayer?

    /// The tail events this reader decoded, shared by its questions: a command asks several (a chart resolves the
    /// patient from the patient ids, then reads the chart part), and each used to decode the whole tail again.
    private let decodedTail = DecodedTail()
    /// The same, decoded by `withholding`.
    private let withheldTail = DecodedTail()

    /// A reader of `store`'s checkpoints caught up through `replayer` to `logEnd` (the log's end at each question
    /// when nil; a command reads it once and passes it, since finding the end reads the active segment).
    ///
    /// With `withholding` (a replayer of the same log whose decoder opens no patient data), the patient ids and one
    /// patient's chart decode the tail without opening other patients' data: a tail of registrations and notes of
    /// many patients otherwise costs a key unwrap and an AES-GCM open per event (about 20 µs each), for entries the
    /// answer never reads. The answers are the same.
    public init(
        replayer: ProjectionReplayer, store: ViewCheckpointStore, tailEventsMax: UInt64, logEnd: UInt64? = nil,
        withholding: ProjectionReplayer? = nil
    ) {
        self.replayer = replayer
        self.store = store
        self.tailEventsMax = tailEventsMax
        self.logEnd = logEnd
        self.withholding = withholding
    }

    /// What of the tail's patient data a question needs opened.
    private enum Opening: Equatable {
        /// What `replayer` opens.
        case asReplayer
        /// None: the answer shows no patient data.
        case none
        /// The patient's: the events of their patient, chart, coverage and consent streams and their vitals, with
        /// every payer definition and merge (a merge on a duplicate's stream changes the survivor's record).
        case patient(EventID)
    }

    /// The checkpoint parts `wanted` accepts with the log's tail after them, or nil when they cannot be used.
    private func load<View: Projection>(
        _ empty: View, parts wanted: (String) -> Bool, opening: Opening = .asReplayer
    ) throws(ProjectionError) -> (PartialViewCheckpoint<View>, [StoredEvent])? {
        guard case .success(let checkpoint) = store.load(empty, parts: wanted) else { return nil }
        // `ProjectionReplayer.validate`, with the log's end read once.
        let end: UInt64
        if let logEnd { end = logEnd } else { end = try replayer.endPosition() }
        guard checkpoint.nextPosition <= end, end - checkpoint.nextPosition < tailEventsMax else { return nil }
        if checkpoint.nextPosition > 0,
            try replayer.leafHash(at: checkpoint.nextPosition - 1) != checkpoint.lastLeafHash
        {
            return nil
        }
        let tail = try self.tail(from: checkpoint.nextPosition, to: end, opening: opening)
        let erased = tail.contains { if case .patientErased = $0.event { true } else { false } }
        return erased ? nil : (checkpoint, tail)
    }

    /// The events of positions `start ..< end`, with the patient data `opening` asks for opened (and, for
    /// `.asReplayer`, exactly as `replayer` decodes them).
    private func tail(from start: UInt64, to end: UInt64, opening: Opening) throws(ProjectionError) -> [StoredEvent] {
        guard let withholding, !(opening == .asReplayer) else {
            return try decodedTail.events(from: start, to: end, replayer: replayer)
        }
        var events = try withheldTail.events(from: start, to: end, replayer: withholding)
        guard case .patient(let patientID) = opening else { return events }
        for index in events.indices where Self.opens(events[index], ofPatient: patientID) {
            // Decoded again by `replayer`, exactly as a tail decoded by it holds the event.
            let position = events[index].position
            let record: LogRecord
            do { record = try replayer.reader.record(at: position) } catch { throw .log(error) }
            do {
                events[index] = try replayer.decoder.decode(record)
            } catch {
                throw .undecodableEvent(position: position, reason: String(describing: error))
            }
        }
        return events
    }

    /// Whether `event`, decoded with patient data withheld, is one whose data a view of `patientID` shows.
    private static func opens(_ event: StoredEvent, ofPatient patientID: EventID) -> Bool {
        guard event.patientDataWithheld else { return false }
        switch event.event {
        case .payerDefined, .patientsMerged: return true
        default: break
        }
        guard let (kind, owner) = StreamRouting.patientStream(event.envelope.stream), owner == patientID else {
            return false
        }
        if case .vitalsRecorded = event.event { return true }
        return kind != .account
    }

    /// The schedule with every provider's appointments starting on `day` and the records of their patients, caught
    /// up: its `day(of:daysSince1970:)` for that day is exactly the whole schedule's.
    public func schedule(forDay day: Int64) throws(ProjectionError) -> PartialRead<ScheduleView> {
        var books: Set<String> = []
        var patientParts: Set<String> = []
        var providersWhole: Set<String> = []
        var firstRound = true
        for _ in 0..<Self.roundsMax {
            guard
                let (checkpoint, tail) = try load(
                    ScheduleView(),
                    parts: { key in
                        books.contains(key) || patientParts.contains(key)
                            || providersWhole.contains { key.hasPrefix(ScheduleView.bookPartPrefix(provider: $0)) }
                            || (firstRound && key.hasPrefix("book.")
                                && Self.isBookPart(key, ofDay: day))
                            || key.hasPrefix("index.book.")
                    })
            else { return .needsWholeView }
            if firstRound {
                books.formUnion(checkpoint.loadedPartKeys.filter { $0.hasPrefix("book.") })
                firstRound = false
            }
            var view = checkpoint.view
            var wider = false
            for event in tail {
                if let provider = StreamRouting.scheduleProvider(event.envelope.stream)?.value,
                    !providersWhole.contains(provider), let id = AppointmentState.appointmentID(of: event.event),
                    view.providers[provider]?.appointments[id] == nil
                {
                    // The appointment is in a part not read (or new): read its part, or all the provider's parts
                    // when the index is missing.
                    if let index = checkpoint.indexParts[ScheduleView.appointmentIndexKey(provider: provider)] {
                        if let key = ScheduleView.bookPartKey(
                            ofAppointment: id, provider: provider, inIndexPart: index),
                            !books.contains(key)
                        {
                            books.insert(key)
                            wider = true
                        }
                    } else if checkpoint.partKeys.contains(where: {
                        $0.hasPrefix(ScheduleView.bookPartPrefix(provider: provider))
                    }) {
                        providersWhole.insert(provider)
                        wider = true
                    }
                }
                view.apply(event)
            }
            for book in view.providers.values {
                for id in book.appointmentIDsByDay[day] ?? [] {
                    guard let patientID = book.appointments[id]?.state.patientID else { continue }
                    let key = ViewParts.patientPartKey(of: patientID)
                    if !patientParts.contains(key) {
                        patientParts.insert(key)
                        wider = true
                    }
                }
            }
            if !wider { return .answered(view) }
        }
        return .needsWholeView
    }

    private static func isBookPart(_ key: String, ofDay day: Int64) -> Bool {
        guard let dot = key.lastIndex(of: ".") else { return false }
        let provider = String(key[key.index(key.startIndex, offsetBy: 5)..<dot])
        return ScheduleView.bookPartKey(provider: provider, day: day) == key
    }

    /// Every patient id the schedule knows (those with a patient stream, and merge survivors), caught up.
    public func patientIDs() throws(ProjectionError) -> PartialRead<Set<EventID>> {
        guard
            let (checkpoint, tail) = try load(
                ScheduleView(), parts: { $0 == ScheduleView.patientIndexKey }, opening: .none),
            let index = checkpoint.indexParts[ScheduleView.patientIndexKey],
            var ids = try? ScheduleView.patientIDs(inIndexPart: index)
        else { return .needsWholeView }
        var view = checkpoint.view
        for event in tail { view.apply(event) }
        ids.formUnion(view.patients.keys)
        return .answered(ids)
    }

    /// The schedule holding `patientID`'s record, caught up: its `patients[patientID]` and `patientName(_:)` for that
    /// patient are exactly the whole schedule's.
    public func schedule(forPatient patientID: EventID) throws(ProjectionError) -> PartialRead<ScheduleView> {
        let key = ViewParts.patientPartKey(of: patientID)
        guard let (checkpoint, tail) = try load(ScheduleView(), parts: { $0 == key }) else { return .needsWholeView }
        return .answered(checkpoint.view.applying(tail))
    }

    /// The charts holding `patientID`'s, caught up: its `lookUp(_:)` and `encounters(of:)` for that patient are
    /// exactly the whole chart view's.
    public func chart(forPatient patientID: EventID) throws(ProjectionError) -> PartialRead<ChartView> {
        let key = ViewParts.patientPartKey(of: patientID)
        guard let (checkpoint, tail) = try load(ChartView(), parts: { $0 == key }, opening: .patient(patientID))
        else { return .needsWholeView }
        return .answered(checkpoint.view.applying(tail))
    }

    /// The day sheets of `firstDay` through `lastDay` of the ledger on `calendar`, caught up: exactly the whole
    /// ledger's `daySheets(fromDay:throughDay:)`. Reads `core`, the `day` parts of those days and the `nets` part of
    /// the first day's period, and the parts the tail's postings need (`LedgerView.partKeys(neededToFold:)`).
    public func daySheets(
        fromDay firstDay: Int64, throughDay lastDay: Int64, calendar: ViewCalendar
    ) throws(ProjectionError) -> PartialRead<[DaySheet]> {
        guard firstDay <= lastDay else { return .answered([]) }
        let netsKey = LedgerView.netsPartKey(ofDay: firstDay)
        let read = try ledger(calendar: calendar) { key in
            if key == netsKey { return true }
            guard let day = LedgerView.day(ofDayPartKey: key) else { return false }
            return firstDay <= day && day <= lastDay
        }
        guard case .answered(let view) = read else { return .needsWholeView }
        return .answered(view.daySheets(fromDay: firstDay, throughDay: lastDay))
    }

    /// `patientID`'s account in the ledger on `calendar` (nil when it has none), caught up: exactly the whole
    /// ledger's `accounts[patientID]`. Reads `core`, the patient's `accounts` part and the parts the tail's postings
    /// need.
    public func account(
        forPatient patientID: EventID, calendar: ViewCalendar
    ) throws(ProjectionError) -> PartialRead<LedgerView.AccountLedger?> {
        let key = LedgerView.accountPartKey(of: patientID)
        guard case .answered(let view) = try ledger(calendar: calendar, parts: { $0 == key }) else {
            return .needsWholeView
        }
        return .answered(view.accounts[patientID])
    }

    /// Accounts receivable by age as of `day` in the ledger on `calendar`, caught up: exactly the whole ledger's
    /// `aging(asOfDay:)`. Reads `core` and `index.aging` (every account's aging input), and the parts the tail's
    /// postings need: the accounts those postings change are taken from the ledger caught up, every other account
    /// from the index.
    public func aging(asOfDay day: Int64, calendar: ViewCalendar) throws(ProjectionError) -> PartialRead<AgingReport> {
        guard let (checkpoint, view) = try ledgerParts(calendar: calendar, parts: { $0 == LedgerView.agingIndexKey }),
            let index = checkpoint.indexParts[LedgerView.agingIndexKey],
            var inputs = try? LedgerView.agingInputs(inIndexPart: index)
        else { return .needsWholeView }
        // The accounts read (those the tail changes, and the others of their parts) are whole: theirs replace the
        // index's.
        for patientID in view.accounts.keys { inputs[patientID] = nil }
        for input in view.agingInputs() { inputs[input.patientID] = input }
        let ordered = inputs.keys.sorted().compactMap { inputs[$0] }
        return .answered(LedgerView.agingReport(ordered, asOfDay: day, erased: view.erasedPatientIDs))
    }

    /// The office's day book as the ledger on `calendar` folds it, caught up: exactly the `DayBook` folded from the
    /// whole day book stream. Reads only the ledger's `core` (which holds it) and the tail's day book events.
    public func dayBook(calendar: ViewCalendar) throws(ProjectionError) -> PartialRead<DayBook> {
        guard let (checkpoint, tail) = try load(LedgerView(calendar: calendar), parts: { _ in false }) else {
            return .needsWholeView
        }
        var dayBook = checkpoint.view.dayBook
        for event in tail where event.envelope.stream == DayBook.streamName { dayBook.apply(event.event) }
        return .answered(dayBook)
    }

    /// The charges (or payments) of the ledger on `calendar` whose id's first hex digit is `group`, each with its
    /// patient, caught up: for every id of that group, exactly the whole ledger's (`LedgerOwners(ledger:kind:)`).
    /// Reads `core`, the group's `index.charges.<x>` or `index.payments.<x>` part (absent when the group had no
    /// record) and the parts the tail's postings need: the accounts those postings change are read whole and
    /// replace their rows of the index.
    public func owners(
        of kind: LedgerRecordKind, group: Int, calendar: ViewCalendar
    ) throws(ProjectionError) -> PartialRead<LedgerOwners> {
        let key = kind.indexPartKey(group: group)
        guard let (checkpoint, view) = try ledgerParts(calendar: calendar, parts: { $0 == key }),
            let owners = LedgerOwners(
                indexPart: checkpoint.indexParts[key] ?? [], kind: kind, replacingAccounts: view.accounts)
        else { return .needsWholeView }
        return .answered(owners)
    }

    /// The ledger holding the parts `wanted` accepts, caught up: the tail is folded once every part its postings need
    /// is read too (a second round reads those).
    private func ledger(
        calendar: ViewCalendar, parts wanted: (String) -> Bool
    ) throws(ProjectionError) -> PartialRead<LedgerView> {
        guard let (_, view) = try ledgerParts(calendar: calendar, parts: wanted) else { return .needsWholeView }
        return .answered(view)
    }

    /// The ledger checkpoint read with the parts `wanted` accepts and those the tail's postings need, and the ledger
    /// they hold caught up with the tail; nil when the checkpoint cannot be used.
    private func ledgerParts(
        calendar: ViewCalendar, parts wanted: (String) -> Bool
    ) throws(ProjectionError) -> (checkpoint: PartialViewCheckpoint<LedgerView>, view: LedgerView)? {
        var needed: Set<String> = []
        for _ in 0..<Self.roundsMax {
            guard
                let (checkpoint, tail) = try load(
                    LedgerView(calendar: calendar), parts: { wanted($0) || needed.contains($0) })
            else { return nil }
            let stored = Set(checkpoint.partKeys)
            let missing = LedgerView.partKeys(neededToFold: tail).filter {
                stored.contains($0) && !checkpoint.loadedPartKeys.contains($0)
            }
            if missing.isEmpty { return (checkpoint, checkpoint.view.applying(tail)) }
            needed.formUnion(missing)
        }
        return nil
    }
}

/// The events of positions `start ..< end` decoded once by a `PartialViewReader`, for its later questions.
private final class DecodedTail: Sendable {
    private struct Decoded {
        var start: UInt64
        var end: UInt64
        var events: [StoredEvent]
    }

    private let decoded = Mutex<Decoded?>(nil)

    /// The events of positions `start ..< end`: taken from those decoded before when they cover them (the earlier
    /// ones decoded now when they do not reach back to `start`), else decoded.
    func events(from start: UInt64, to end: UInt64, replayer: ProjectionReplayer) throws(ProjectionError)
        -> [StoredEvent]
    {
        let held = decoded.withLock { $0 }
        if let held, held.end == end, held.start <= start {
            return Array(held.events.drop { $0.position < start })
        }
        // Held events of the same log end that begin after `start` are kept; only the ones before them are decoded.
        let extended = held.flatMap { $0.end == end && start < $0.start ? $0 : nil }
        var events: [StoredEvent] = []
        _ = try replayer.forEachEvent(from: start, to: extended?.start ?? end) { events.append($0) }
        if let extended { events += extended.events }
        let all = Decoded(start: start, end: end, events: events)
        decoded.withLock { $0 = all }
        return events
    }
}
