import ClinicEvents
import RecordLog

/// The office's four views (schedule, ledger, chart, consent), opened from their checkpoints and kept up to date with
/// one pass over the log tail.
///
/// Opening loads each view's checkpoint and checks it against the log; a missing, damaged, foreign or stale-format
/// checkpoint is set aside (the reason is in `openReport`) and that view is rebuilt from position 0 in the same pass.
/// When a pass folds a `PatientErased`, every view's checkpoint is rewritten at once, so no checkpoint on disk still
/// holds the erased patient's data (see `docs/projections.md` for older copies).
public struct OfficeViews: Sendable {
    /// The schedule and where it stands.
    public private(set) var schedule: ViewCheckpoint<ScheduleView>
    /// The ledger and where it stands.
    public private(set) var ledger: ViewCheckpoint<LedgerView>
    /// The charts and where they stand.
    public private(set) var chart: ViewCheckpoint<ChartView>
    /// The consent views and where they stand.
    public private(set) var consent: ViewCheckpoint<ConsentView>
    /// Why each view's checkpoint was not used, by view name (views whose checkpoint was used are absent).
    public private(set) var openReport: [String: CheckpointRejection] = [:]

    /// The log reader and decoder.
    public let replayer: ProjectionReplayer
    /// Where checkpoints are kept; nil keeps the views in memory only.
    public let store: ViewCheckpointStore?

    /// What one catch-up did.
    public struct CatchUpReport: Equatable, Sendable {
        /// The events read from the log.
        public var eventsRead: UInt64 = 0
        /// The patients erased by the events folded.
        public var erasedPatientIDs: [EventID] = []
        /// Whether every checkpoint was rewritten because of an erasure.
        public var checkpointsRewritten = false
    }

    /// Opens the views: loads and checks each checkpoint (from `store`, when given), then folds the log tail into all
    /// of them in one pass.
    public static func open(
        replayer: ProjectionReplayer, store: ViewCheckpointStore?, calendar: ViewCalendar,
        progress: FoldProgress? = nil
    ) throws(ProjectionError) -> OfficeViews {
        var views = OfficeViews(replayer: replayer, store: store, calendar: calendar)
        if let store {
            views.schedule = try views.loaded(ScheduleView(), from: store)
            views.ledger = try views.loaded(LedgerView(calendar: calendar), from: store)
            views.chart = try views.loaded(ChartView(), from: store)
            views.consent = try views.loaded(ConsentView(), from: store)
        }
        try views.catchUp(progress: progress)
        return views
    }

    private init(replayer: ProjectionReplayer, store: ViewCheckpointStore?, calendar: ViewCalendar) {
        self.replayer = replayer
        self.store = store
        schedule = ViewCheckpoint(empty: ScheduleView())
        ledger = ViewCheckpoint(empty: LedgerView(calendar: calendar))
        chart = ViewCheckpoint(empty: ChartView())
        consent = ViewCheckpoint(empty: ConsentView())
    }

    private mutating func loaded<View: Projection>(_ empty: View, from store: ViewCheckpointStore)
        throws(ProjectionError)
        -> ViewCheckpoint<View>
    {
        switch store.load(empty) {
        case .success(let checkpoint):
            if let rejection = try replayer.validate(checkpoint) {
                openReport[View.viewName] = rejection
                return ViewCheckpoint(empty: empty)
            }
            return checkpoint
        case .failure(let rejection):
            openReport[View.viewName] = rejection
            return ViewCheckpoint(empty: empty)
        }
    }

    /// The position every view has reached (the lowest of the four).
    public var nextPosition: UInt64 {
        min(schedule.nextPosition, ledger.nextPosition, chart.nextPosition, consent.nextPosition)
    }

    /// Folds the log tail into every view in one pass; when a `PatientErased` is folded, rewrites every checkpoint.
    @discardableResult
    public mutating func catchUp(progress: FoldProgress? = nil) throws(ProjectionError) -> CatchUpReport {
        var report = CatchUpReport()
        let start = nextPosition
        var schedule = self.schedule
        var ledger = self.ledger
        var chart = self.chart
        var consent = self.consent
        let end = try replayer.endPosition()
        let next: UInt64
        if end > ledger.nextPosition, end - start >= replayer.parallelFoldEventsMin {
            // The ledger (the costliest fold) on a second thread; reading, decoding and the other views on this one.
            // Only the events that can change the ledger are handed over.
            (next, ledger.view) = try replayer.forEachEvent(
                from: start, to: end, progress: progress, foldingOnSecondLane: ledger.view, from: ledger.nextPosition,
                handing: LedgerView.mayChange(with:)
            ) { event in
                report.eventsRead += 1
                if event.position >= schedule.nextPosition { schedule.view.apply(event) }
                if event.position >= chart.nextPosition { chart.view.apply(event) }
                if event.position >= consent.nextPosition { consent.view.apply(event) }
                if case .patientErased(let erased) = event.event { report.erasedPatientIDs.append(erased.patientID) }
            }
        } else {
            next = try replayer.forEachEvent(from: start, to: end, progress: progress) { event in
                report.eventsRead += 1
                if event.position >= schedule.nextPosition { schedule.view.apply(event) }
                if event.position >= ledger.nextPosition { ledger.view.apply(event) }
                if event.position >= chart.nextPosition { chart.view.apply(event) }
                if event.position >= consent.nextPosition { consent.view.apply(event) }
                if case .patientErased(let erased) = event.event { report.erasedPatientIDs.append(erased.patientID) }
            }
        }
        if next > start {
            let last = try replayer.leafHash(at: next - 1)
            schedule.nextPosition = max(schedule.nextPosition, next)
            ledger.nextPosition = max(ledger.nextPosition, next)
            chart.nextPosition = max(chart.nextPosition, next)
            consent.nextPosition = max(consent.nextPosition, next)
            schedule.lastLeafHash = last
            ledger.lastLeafHash = last
            chart.lastLeafHash = last
            consent.lastLeafHash = last
        }
        self.schedule = schedule
        self.ledger = ledger
        self.chart = chart
        self.consent = consent
        if !report.erasedPatientIDs.isEmpty, store != nil {
            try saveCheckpoints()
            report.checkpointsRewritten = true
        }
        return report
    }

    /// Writes every view's checkpoint (each atomically): the ledger's on a second thread while this one writes the
    /// other three.
    public func saveCheckpoints() throws(ProjectionError) {
        guard let store else { return }
        let ledger = self.ledger
        let ledgerSave = ConcurrentWork { () -> Result<Void, ViewCheckpointError> in
            do throws(ViewCheckpointError) {
                try store.save(ledger)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        var failure: ViewCheckpointError?
        do {
            try store.save(schedule)
            try store.save(chart)
            try store.save(consent)
        } catch {
            failure = error
        }
        // The ledger's save is waited for even when another failed, so no save runs on after this returns.
        if case .failure(let error) = ledgerSave.wait(), failure == nil { failure = error }
        if let failure { throw .checkpoint(failure) }
    }

    /// Every view's state hash, by view name (the ledger's computed on a second thread).
    public var stateHashes: [String: [UInt8]] {
        let ledger = self.ledger.view
        let ledgerHash = ConcurrentWork { ledger.stateHash }
        var hashes = [
            ScheduleView.viewName: schedule.view.stateHash, ChartView.viewName: chart.view.stateHash,
            ConsentView.viewName: consent.view.stateHash,
        ]
        hashes[LedgerView.viewName] = ledgerHash.wait()
        return hashes
    }
}
