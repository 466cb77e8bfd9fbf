import ClinicEvents
import ClinicProjections
import RecordLog

extension AuditReader {
    /// What changed in `view` between two moments: the events between them that changed the view's rows, and the
    /// rows added, removed and changed (``ViewDiff``).
    ///
    /// A patient's chart, consent view and ledger are folded from that patient's streams only, read through the stream
    /// index (the chart from ``patientStreams(for:)``, the consent view from `patient-` and `consent-`, the ledger from
    /// `patient-`, `account-` and the office's `daybook`); a day sheet and a schedule from the whole log.
    ///
    /// With recorded moments each fold holds the events recorded at or before its moment, and the events between are
    /// those recorded after the first and at or before the second. With effective moments each fold holds every event
    /// known now whose effective day (`EffectiveDate`) is on or before its day, and the events between are those whose
    /// effective day is after the first day and on or before the second, late entries included. An event between is
    /// listed when folding it changed the view's rows. Throws ``AuditError/momentsOutOfOrder`` when the second moment
    /// is before the first, before reading anything.
    public func diff(
        _ view: AuditedView, between moments: DiffMoments, calendar: ViewCalendar = .utc
    ) throws(AuditError) -> ViewDiff {
        guard moments.isOrdered else { throw .momentsOutOfOrder }
        switch view {
        case .chart(let patientID):
            let streams = Self.patientStreams(for: patientID)
            return try patientDiff(
                view, moments, calendar, streams: streams, empty: ChartView(), snapshot: { $0.lookUp(patientID) },
                isErased: { $0 == .erased },
                rows: { lookUp in
                    guard case .chart(let chart) = lookUp else { return [] }
                    return ViewRows.chart(chart, calendar: calendar)
                })
        case .consent(let patientID):
            let streams = [PatientRecordState.streamName(for: patientID), ConsentState.streamName(for: patientID)]
            return try patientDiff(
                view, moments, calendar, streams: streams, empty: ConsentView(),
                snapshot: { ConsentSnapshot(erased: $0.isErased(patientID), state: $0.patients[patientID]) },
                isErased: { $0.erased },
                rows: { snapshot in
                    guard !snapshot.erased, let state = snapshot.state else { return [] }
                    return ViewRows.consent(state, calendar: calendar)
                })
        case .patientLedger(let patientID):
            let streams = [
                PatientRecordState.streamName(for: patientID), PatientAccount.streamName(for: patientID),
                DayBook.streamName,
            ]
            return try patientDiff(
                view, moments, calendar, streams: streams, empty: LedgerView(calendar: calendar),
                snapshot: {
                    LedgerSnapshot(erased: $0.erasedPatientIDs.contains(patientID), ledger: $0.accounts[patientID])
                },
                isErased: { $0.erased }, hidesRowsWhenErased: false,
                rows: { snapshot in snapshot.ledger.map(ViewRows.patientLedger) ?? [] })
        case .daySheet(let day):
            return try officeDiff(
                view, moments, calendar, empty: LedgerView(calendar: calendar),
                snapshot: { $0.daySheet(daysSince1970: day) }, rows: ViewRows.daySheet)
        case .schedule(let day):
            return try officeDiff(
                view, moments, calendar, empty: ScheduleView(),
                snapshot: { schedule in schedule.providerStaffIDs.map { schedule.day(of: $0, daysSince1970: day) } },
                rows: ViewRows.schedule)
        }
    }

    /// A per-patient diff: the patient's `streams` read through the stream index and folded twice.
    private func patientDiff<View: Projection, Snapshot: Equatable>(
        _ view: AuditedView, _ moments: DiffMoments, _ calendar: ViewCalendar, streams: [String], empty: View,
        snapshot: @escaping (View) -> Snapshot, isErased: (Snapshot) -> Bool, hidesRowsWhenErased: Bool = true,
        rows: @escaping (Snapshot) -> [ViewRow]
    ) throws(AuditError) -> ViewDiff {
        let events = try events(inStreams: streams)
        var fold = DiffFold(empty: empty, moments: moments, calendar: calendar, snapshot: snapshot, rows: rows)
        for event in events {
            guard fold.fold(event) else { break }
        }
        let (before, after) = fold.finish()
        let erased = isErased(before) || isErased(after)
        let history = Self.makeHistory(events, registry: codec.registry)
        let listed: [HistoryEntry]
        if erased && hidesRowsWhenErased {
            // Nothing of an erased patient's view is shown: list every event between the moments instead.
            listed = history.filter { fold.isBetween($0.stored) }
        } else {
            let touched = Set(fold.touchedPositions)
            listed = history.filter { touched.contains($0.position) }
        }
        let hidden = erased && hidesRowsWhenErased
        return ViewDiff(
            view: view, moments: moments, calendar: calendar, positions: try recordedPositions(moments),
            patientErased: erased, events: listed, before: hidden ? [] : rows(before), after: hidden ? [] : rows(after))
    }

    /// An office diff: the whole log folded, to the second moment's position for recorded moments.
    private func officeDiff<View: Projection, Snapshot: Equatable>(
        _ view: AuditedView, _ moments: DiffMoments, _ calendar: ViewCalendar, empty: View,
        snapshot: @escaping (View) -> Snapshot, rows: @escaping (Snapshot) -> [ViewRow]
    ) throws(AuditError) -> ViewDiff {
        let positions = try recordedPositions(moments)
        let end: UInt64
        if let positions {
            end = positions.upperBound
        } else {
            do { end = try reader.endPosition() } catch { throw .log(error) }
        }
        var fold = DiffFold(empty: empty, moments: moments, calendar: calendar, snapshot: snapshot, rows: rows)
        var touched: [StoredEvent] = []
        var failure: AuditError?
        do {
            try reader.forEachRecordView(from: 0) { (record: LogRecordView) throws(RecordLogError) -> Bool in
                guard record.position < end else { return false }
                let event: StoredEvent
                do { event = try codec.decodeStored(record, opening: keyring) } catch {
                    failure = .undecodableEvent(position: record.position, stream: record.stream, reason: "\(error)")
                    return false
                }
                let count = fold.touchedPositions.count
                let going = fold.fold(event)
                if fold.touchedPositions.count > count { touched.append(event) }
                return going
            }
        } catch { throw .log(error) }
        if let failure { throw failure }
        let (before, after) = fold.finish()
        return ViewDiff(
            view: view, moments: moments, calendar: calendar, positions: positions, patientErased: false,
            events: Self.makeHistory(touched, registry: codec.registry), before: rows(before), after: rows(after))
    }

    /// For recorded moments, the positions of the first events recorded after each moment.
    private func recordedPositions(_ moments: DiffMoments) throws(AuditError) -> Range<UInt64>? {
        guard case .recorded(let from, let to) = moments else { return nil }
        func position(after time: Int64) throws(AuditError) -> UInt64 {
            do {
                return time == .max ? try reader.endPosition() : try reader.firstPosition(recordedAtOrAfter: time + 1)
            } catch { throw .log(error) }
        }
        return try position(after: from)..<position(after: to)
    }
}

/// What a patient's consent view shows of them at a moment.
private struct ConsentSnapshot: Equatable {
    var erased: Bool
    var state: ConsentState?
}

/// What the ledger holds of a patient's account at a moment.
private struct LedgerSnapshot: Equatable {
    var erased: Bool
    var ledger: LedgerView.AccountLedger?
}

/// Folds events in log order into a view at two moments at once, noting the events between the moments that
/// change the view's rows.
///
/// A snapshot (cheap to compare) is taken before and after each event between the moments; rows are rendered only
/// when it changed, and the event is noted when the rows changed too.
private struct DiffFold<View: Projection, Snapshot: Equatable> {
    let moments: DiffMoments
    let calendar: ViewCalendar
    let snapshot: (View) -> Snapshot
    let rows: (Snapshot) -> [ViewRow]
    /// The fold at the first moment (effective moments only; recorded moments snapshot `second` instead).
    var first: View
    /// The fold at the second moment.
    var second: View
    /// The first moment's snapshot, taken when the first event between the moments arrives (recorded moments).
    var firstSnapshot: Snapshot?
    /// The second fold's latest snapshot and its rows, when still current.
    var current: (snapshot: Snapshot, rows: [ViewRow]?)?
    /// The positions of the events between the moments that changed the rows.
    var touchedPositions: [UInt64] = []

    init(
        empty: View, moments: DiffMoments, calendar: ViewCalendar, snapshot: @escaping (View) -> Snapshot,
        rows: @escaping (Snapshot) -> [ViewRow]
    ) {
        self.moments = moments
        self.calendar = calendar
        self.snapshot = snapshot
        self.rows = rows
        first = empty
        second = empty
    }

    /// Whether `event` lies between the two moments.
    func isBetween(_ event: StoredEvent) -> Bool {
        switch moments {
        case .recorded(let from, let to):
            return event.recordedTimeMicroseconds > from && event.recordedTimeMicroseconds <= to
        case .effective(let from, let to):
            let day = EffectiveDate.day(of: event, calendar: calendar)
            return day > from && day <= to
        }
    }

    /// Folds one more event; false once no later event can matter (recorded past the second moment).
    mutating func fold(_ event: StoredEvent) -> Bool {
        switch moments {
        case .recorded(let from, let to):
            if event.recordedTimeMicroseconds > to { return false }
            if event.recordedTimeMicroseconds <= from {
                second.apply(event)
                return true
            }
            if firstSnapshot == nil {
                let taken = snapshot(second)
                firstSnapshot = taken
                current = (taken, nil)
            }
            applyBetween(event)
        case .effective(let from, let to):
            let day = EffectiveDate.day(of: event, calendar: calendar)
            if day <= from {
                first.apply(event)
                second.apply(event)
                current = nil
            } else if day <= to {
                applyBetween(event)
            }
        }
        return true
    }

    /// Folds an event between the moments into the second fold, noting it when it changed the rows.
    private mutating func applyBetween(_ event: StoredEvent) {
        let old = current ?? (snapshot(second), nil)
        second.apply(event)
        let new = snapshot(second)
        guard new != old.snapshot else {
            current = old
            return
        }
        let newRows = rows(new)
        if (old.rows ?? rows(old.snapshot)) != newRows { touchedPositions.append(event.position) }
        current = (new, newRows)
    }

    /// The snapshots at the two moments.
    func finish() -> (before: Snapshot, after: Snapshot) {
        let after = snapshot(second)
        switch moments {
        case .recorded: return (firstSnapshot ?? after, after)
        case .effective: return (snapshot(first), after)
        }
    }
}
