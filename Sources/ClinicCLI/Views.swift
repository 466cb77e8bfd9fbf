import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// Opens the office views of a store: from their encrypted checkpoints, caught up with the log's tail.
enum Views {
    /// A catch-up longer than this writes the view's checkpoint back, so the next command starts from it.
    static let checkpointAfterEvents: UInt64 = 1_000

    /// All four views of the store `reader` reads, folded in one pass from their checkpoints to the end of the log
    /// (for `clinic rebuild`, which writes the checkpoints itself), after removing the temporary files of checkpoint
    /// saves.
    static func openAll(_ reader: StoreReader, showProgress: Bool = true) throws -> OfficeViews {
        let replayer = ProjectionReplayer(reader: reader.logReader, decoder: viewsDecoder(reader))
        let store = ViewCheckpointStore(
            directory: reader.location.viewsDirectory, fileSystem: PosixFileSystem(), key: reader.viewCheckpointKey)
        let bar = showProgress ? ProgressBar("Bringing the views up to date") : nil
        defer { bar?.finish() }
        do {
            // Temporary files of saves by killed processes; a live process whose file goes writes it again.
            try store.removeTemporaryFiles()
            return try OfficeViews.open(replayer: replayer, store: store, calendar: try viewCalendar(reader.calendar)) {
                done, total in bar?.update(done: Int64(done), total: Int64(total))
            }
        } catch {
            throw StoreError(.storage, code: "views", message: "The views could not be brought up to date: \(error).")
        }
    }

    /// How the views read events: patient data opened with the keyring only in the events a view shows it of
    /// (`StoredEventDecoder.officeViews`), so billing events are not decrypted.
    static func viewsDecoder(_ reader: StoreReader) -> StoredEventDecoder {
        .officeViews(
            opening: StoredEventDecoder(
                decodeView: { try reader.decodeStored($0) }, decodeRecord: { try reader.decodeStored($0) }),
            withholding: StoredEventDecoder(codec: reader.codec))
    }

    /// The first instant after the calendar's periods: 2100-01-01T00:00Z (docs/projections.md section 3.5).
    static let calendarEndMicroseconds: Int64 = 4_102_444_800_000_000

    /// The views' calendar: the office time zone's offset at 1970-01-01T00:00Z and every change of it until 2100
    /// (daylight saving included), in whole minutes (an offset with seconds, found only before 1972, is rounded down).
    /// A zone whose offset never changes in those years is the fixed calendar `UTC±HH:MM`.
    static func viewCalendar(_ calendar: OfficeCalendar) throws(StoreError) -> ViewCalendar {
        let span = calendar.offsetChanges(fromMicroseconds: 0, beforeMicroseconds: calendarEndMicroseconds)
        func minutes(_ seconds: Int64) -> Int32 { Int32(clamping: seconds >= 0 ? seconds / 60 : (seconds - 59) / 60) }
        let initial = minutes(span.initialOffsetSeconds)
        var changes: [ViewCalendar.OffsetChange] = []
        var current = initial
        for change in span.changes where minutes(change.offsetSeconds) != current {
            current = minutes(change.offsetSeconds)
            changes.append(ViewCalendar.OffsetChange(atMicroseconds: change.atMicroseconds, offsetMinutes: current))
        }
        do {
            let identifier = changes.isEmpty ? ViewCalendar.fixedIdentifier(initial) : calendar.timeZoneIdentifier
            return try ViewCalendar(identifier: identifier, initialOffsetMinutes: initial, changes: changes)
        } catch {
            throw StoreError(
                .storage, code: "calendar",
                message: "The office time zone's offsets could not be read (\(error)); check the machine's time zone "
                    + "database or set the office time zone again.")
        }
    }
}

/// The four office views of a store, each loaded the first time a command uses it: a schedule query reads the
/// schedule's checkpoint only, not the ledger's. A question about one day of the schedule, day sheets, or one patient
/// reads only the checkpoint parts it needs, caught up with the log's tail (`PartialViewReader`); otherwise the whole
/// view is loaded from its encrypted checkpoint when that checkpoint is usable, then caught up with the log's tail, or
/// rebuilt.
final class LazyViews {
    private let reader: StoreReader
    private let showProgress: Bool
    private let replayer: ProjectionReplayer
    /// Reads events without opening patient data, for the ledger, which holds none (no AES work per event).
    private let withheldReplayer: ProjectionReplayer
    private let store: ViewCheckpointStore
    private var cachedPartialReader: PartialViewReader?
    private var cachedLedgerPartialReader: PartialViewReader?
    private var cachedLogEnd: UInt64?
    private var worthSaving: [() -> Void] = []
    private var loadedSchedule: ScheduleView?
    private var loadedLedger: LedgerView?
    private var loadedChart: ChartView?
    private var loadedConsent: ConsentView?
    private var scheduleDays: [Int64: ScheduleView] = [:]
    private var schedulePatients: [EventID: ScheduleView] = [:]
    private var patientIDs: Set<EventID>?
    private var charts: [EventID: ChartView] = [:]
    private var accounts: [EventID: LedgerView.AccountLedger?] = [:]

    init(reader: StoreReader, showProgress: Bool) {
        self.reader = reader
        self.showProgress = showProgress
        replayer = ProjectionReplayer(reader: reader.logReader, decoder: Views.viewsDecoder(reader))
        withheldReplayer = ProjectionReplayer(
            reader: reader.logReader, decoder: StoredEventDecoder(codec: reader.codec))
        store = ViewCheckpointStore(
            directory: reader.location.viewsDirectory, fileSystem: PosixFileSystem(), key: reader.viewCheckpointKey)
    }

    /// The schedule: a day or one patient is read from the checkpoint parts holding it.
    var schedule: ScheduleAccess {
        get throws { ScheduleAccess(views: self) }
    }

    /// The charts: one patient's is read from the checkpoint part holding it.
    var chart: ChartAccess {
        get throws { ChartAccess(views: self) }
    }

    /// The whole schedule.
    var wholeSchedule: ScheduleView {
        get throws {
            if let loadedSchedule { return loadedSchedule }
            let view = try load(ScheduleView())
            loadedSchedule = view
            return view
        }
    }

    /// The whole chart view.
    var wholeChart: ChartView {
        get throws {
            if let loadedChart { return loadedChart }
            let view = try load(ChartView())
            loadedChart = view
            return view
        }
    }

    /// The schedule holding every provider's appointments starting on `day` and their patients.
    func schedule(forDay day: Int64) throws -> ScheduleView {
        if let loadedSchedule { return loadedSchedule }
        if let view = scheduleDays[day] { return view }
        guard case .answered(let view) = try partial({ try partialReader.schedule(forDay: day) }) else {
            return try wholeSchedule
        }
        scheduleDays[day] = view
        return view
    }

    /// The schedule holding `patientID`'s record.
    func schedule(forPatient patientID: EventID) throws -> ScheduleView {
        if let loadedSchedule { return loadedSchedule }
        if let view = schedulePatients[patientID] { return view }
        guard case .answered(let view) = try partial({ try partialReader.schedule(forPatient: patientID) }) else {
            return try wholeSchedule
        }
        schedulePatients[patientID] = view
        return view
    }

    /// Every patient id the schedule knows.
    func knownPatientIDs() throws -> Set<EventID> {
        if let loadedSchedule { return Set(loadedSchedule.patients.keys) }
        if let patientIDs { return patientIDs }
        guard case .answered(let ids) = try partial({ try partialReader.patientIDs() }) else {
            return Set(try wholeSchedule.patients.keys)
        }
        patientIDs = ids
        return ids
    }

    /// The chart view holding `patientID`'s chart.
    func chart(forPatient patientID: EventID) throws -> ChartView {
        if let loadedChart { return loadedChart }
        if let view = charts[patientID] { return view }
        guard case .answered(let view) = try partial({ try partialReader.chart(forPatient: patientID) }) else {
            return try wholeChart
        }
        charts[patientID] = view
        return view
    }

    /// The day sheets of `firstDay` through `lastDay`, reporting each day done to `progress`.
    func daySheets(
        fromDay firstDay: Int64, throughDay lastDay: Int64, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> [DaySheet] {
        if let loadedLedger {
            return loadedLedger.daySheets(fromDay: firstDay, throughDay: lastDay, progress: progress)
        }
        let calendar = try Views.viewCalendar(reader.calendar)
        guard
            case .answered(let sheets) = try partial({
                try ledgerPartialReader.daySheets(fromDay: firstDay, throughDay: lastDay, calendar: calendar)
            })
        else { return try wholeLedger.daySheets(fromDay: firstDay, throughDay: lastDay, progress: progress) }
        if !sheets.isEmpty { progress?(sheets.count, sheets.count) }
        return sheets
    }

    /// Accounts receivable by age as of `day`: from the ledger's aging index part when it can be read, else from
    /// the whole ledger.
    func aging(asOfDay day: Int64) throws -> AgingReport {
        if let loadedLedger { return loadedLedger.aging(asOfDay: day) }
        let calendar = try Views.viewCalendar(reader.calendar)
        guard
            case .answered(let report) = try partial({
                try ledgerPartialReader.aging(asOfDay: day, calendar: calendar)
            })
        else { return try wholeLedger.aging(asOfDay: day) }
        return report
    }

    /// `patientID`'s account in the ledger, nil when it has none.
    func account(of patientID: EventID) throws -> LedgerView.AccountLedger? {
        if let loadedLedger { return loadedLedger.accounts[patientID] }
        if let account = accounts[patientID] { return account }
        let calendar = try Views.viewCalendar(reader.calendar)
        guard
            case .answered(let account) = try partial({
                try ledgerPartialReader.account(forPatient: patientID, calendar: calendar)
            })
        else { return try wholeLedger.accounts[patientID] }
        accounts[patientID] = account
        return account
    }

    /// The charges (or payments) whose id's first hex digit is `group`, each with its patient: from that group's
    /// index part of the ledger checkpoint, else from the whole ledger.
    func owners(of kind: LedgerRecordKind, group: Int) throws -> LedgerOwners {
        if let loadedLedger { return LedgerOwners(ledger: loadedLedger, kind: kind) }
        let calendar = try Views.viewCalendar(reader.calendar)
        guard
            case .answered(let owners) = try partial({
                try ledgerPartialReader.owners(of: kind, group: group, calendar: calendar)
            })
        else { return LedgerOwners(ledger: try wholeLedger, kind: kind) }
        return owners
    }

    /// The office's day book from the ledger checkpoint's `core` and the log's tail, or nil when the checkpoint cannot
    /// be used (the caller then reads the day book stream; this never opens the whole ledger).
    func dayBookFromCheckpoint() throws -> DayBook? {
        if let loadedLedger { return loadedLedger.dayBook }
        let calendar = try Views.viewCalendar(reader.calendar)
        guard case .answered(let dayBook) = try partial({ try ledgerPartialReader.dayBook(calendar: calendar) })
        else { return nil }
        return dayBook
    }

    /// `patientID`'s account from the ledger checkpoint's part holding it and the log's tail (`.some(nil)` when the
    /// patient has none), or nil when the checkpoint cannot be used (this never opens the whole ledger).
    func accountFromCheckpoint(of patientID: EventID) throws -> LedgerView.AccountLedger?? {
        if let loadedLedger { return .some(loadedLedger.accounts[patientID]) }
        if let account = accounts[patientID] { return .some(account) }
        let calendar = try Views.viewCalendar(reader.calendar)
        guard
            case .answered(let account) = try partial({
                try ledgerPartialReader.account(forPatient: patientID, calendar: calendar)
            })
        else { return nil }
        accounts[patientID] = account
        return .some(account)
    }

    /// The log's end as this command first read it: every partial read is caught up to it.
    private var logEnd: UInt64 {
        get throws(ProjectionError) {
            if let cachedLogEnd { return cachedLogEnd }
            let end = try replayer.endPosition()
            cachedLogEnd = end
            return end
        }
    }

    /// Reads checkpoint parts caught up to the log's end as this command first read it.
    private var partialReader: PartialViewReader {
        get throws(ProjectionError) {
            if let cachedPartialReader { return cachedPartialReader }
            let reader = PartialViewReader(
                replayer: replayer, store: store, tailEventsMax: Views.checkpointAfterEvents, logEnd: try logEnd,
                withholding: withheldReplayer)
            cachedPartialReader = reader
            return reader
        }
    }

    /// Reads the ledger's checkpoint parts, with events decoded without patient data (the ledger holds none).
    private var ledgerPartialReader: PartialViewReader {
        get throws(ProjectionError) {
            if let cachedLedgerPartialReader { return cachedLedgerPartialReader }
            let reader = PartialViewReader(
                replayer: withheldReplayer, store: store, tailEventsMax: Views.checkpointAfterEvents,
                logEnd: try logEnd)
            cachedLedgerPartialReader = reader
            return reader
        }
    }

    private func partial<Value>(_ read: () throws -> PartialRead<Value>) throws -> PartialRead<Value> {
        do {
            return try read()
        } catch {
            throw StoreError(.storage, code: "views", message: "The views could not be brought up to date: \(error).")
        }
    }

    /// The ledger: day sheets and one patient's account are read from the checkpoint parts holding them.
    var ledger: LedgerAccess {
        get throws { LedgerAccess(views: self) }
    }

    /// The whole ledger.
    var wholeLedger: LedgerView {
        get throws {
            if let loadedLedger { return loadedLedger }
            let view = try load(LedgerView(calendar: try Views.viewCalendar(reader.calendar)), using: withheldReplayer)
            loadedLedger = view
            return view
        }
    }

    var consent: ConsentView {
        get throws {
            if let loadedConsent { return loadedConsent }
            let view = try load(ConsentView())
            loadedConsent = view
            return view
        }
    }

    /// Writes back the checkpoints of the views that were rebuilt or caught up over many events.
    func saveIfUseful() {
        for save in worthSaving { save() }
    }

    private func load<View: Projection>(_ empty: View, using replayer: ProjectionReplayer? = nil) throws -> View {
        let replayer = replayer ?? self.replayer
        var checkpoint = ViewCheckpoint(empty: empty)
        var rejected = true
        do {
            if case .success(let loaded) = store.load(empty), try replayer.validate(loaded) == nil {
                checkpoint = loaded
                rejected = false
            }
            let start = checkpoint.nextPosition
            let bar = showProgress ? ProgressBar("Bringing the \(View.viewName) view up to date") : nil
            var view = checkpoint.view
            var sawErasure = false
            let next = try replayer.forEachEvent(from: start, to: nil) { done, total in
                bar?.update(done: Int64(done), total: Int64(total))
            } _: { event in
                view.apply(event)
                if case .patientErased = event.event { sawErasure = true }
            }
            bar?.finish()
            if next > start {
                checkpoint = ViewCheckpoint(
                    view: view, nextPosition: next, lastLeafHash: try replayer.leafHash(at: next - 1))
            }
            if sawErasure {
                // An erased patient's data must leave every checkpoint now: this view's is rewritten, the others are
                // removed (they are rebuilt, without the patient, the next time a command needs them).
                try store.save(checkpoint)
                for other in [ScheduleView.viewName, LedgerView.viewName, ChartView.viewName, ConsentView.viewName]
                where other != View.viewName {
                    try store.remove(viewNamed: other)
                }
            } else if rejected || checkpoint.nextPosition - start >= Views.checkpointAfterEvents {
                let store = self.store
                let final = checkpoint
                worthSaving.append { try? store.save(final) }
            }
        } catch {
            throw StoreError(
                .storage, code: "views", message: "The \(View.viewName) view could not be brought up to date: \(error)."
            )
        }
        return checkpoint.view
    }
}

/// The schedule as commands read it: a day or one patient from the checkpoint parts holding them, anything else from
/// the whole view.
struct ScheduleAccess {
    let views: LazyViews

    /// A provider's day: appointments, free slots, flow board, conflicts and overbooks.
    func day(of provider: StaffID, daysSince1970 day: Int64) throws -> ProviderDay {
        try views.schedule(forDay: day).day(of: provider, daysSince1970: day)
    }

    /// The patients' records.
    var patients: PatientDirectory {
        get throws { PatientDirectory(views: views) }
    }

    /// Every provider's book.
    var providers: [String: ScheduleView.ProviderBook] {
        get throws { try views.wholeSchedule.providers }
    }

    /// The display name of a patient.
    func patientName(_ patientID: EventID) throws -> PatientDisplayName {
        try views.schedule(forPatient: patientID).patientName(patientID)
    }
}

/// The patients' records as the schedule keeps them: one record or the ids from the checkpoint parts holding them,
/// every record from the whole view.
struct PatientDirectory {
    let views: LazyViews

    /// Every patient id.
    var keys: Set<EventID> {
        get throws { try views.knownPatientIDs() }
    }

    /// Every record.
    var values: Dictionary<EventID, PatientRecordState>.Values {
        get throws { try views.wholeSchedule.patients.values }
    }

    /// One patient's record.
    subscript(patientID: EventID) -> PatientRecordState? {
        get throws { try views.schedule(forPatient: patientID).patients[patientID] }
    }
}

/// The chart view as commands read it: one patient from the checkpoint part holding them, anything else from the
/// whole view.
struct ChartAccess {
    let views: LazyViews

    /// What the view knows of `patientID`: the chart, erased, or nothing.
    func lookUp(_ patientID: EventID) throws -> ChartLookUp {
        try views.chart(forPatient: patientID).lookUp(patientID)
    }

    /// The encounters of `patientID` with their notes and vitals, earliest first.
    func encounters(of patientID: EventID) throws -> [ChartView.Encounter] {
        try views.chart(forPatient: patientID).encounters(of: patientID)
    }

    /// Every patient's chart.
    var patients: [EventID: ChartView.PatientChart] {
        get throws { try views.wholeChart.patients }
    }
}

/// The ledger as commands read it: day sheets, one patient's account and aging from the checkpoint parts holding
/// them, anything else (every account) from the whole view.
struct LedgerAccess {
    let views: LazyViews

    /// The day sheets of `firstDay` through `lastDay` (a month-end run), reporting each day done to `progress`.
    func daySheets(
        fromDay firstDay: Int64, throughDay lastDay: Int64, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> [DaySheet] {
        try views.daySheets(fromDay: firstDay, throughDay: lastDay, progress: progress)
    }

    /// The day sheet of `day`.
    func daySheet(daysSince1970 day: Int64) throws -> DaySheet {
        guard let sheet = try views.daySheets(fromDay: day, throughDay: day).first else {
            return try views.wholeLedger.daySheet(daysSince1970: day)
        }
        return sheet
    }

    /// `patientID`'s account, nil when it has no postings.
    func account(of patientID: EventID) throws -> LedgerView.AccountLedger? {
        try views.account(of: patientID)
    }

    /// The charges (or payments) whose id's first hex digit is `group`, each with its patient.
    func owners(of kind: LedgerRecordKind, group: Int) throws -> LedgerOwners {
        try views.owners(of: kind, group: group)
    }

    /// Every account, by patient id.
    var accounts: [EventID: LedgerView.AccountLedger] {
        get throws { try views.wholeLedger.accounts }
    }

    /// The names of payers defined, by payer key.
    var payerNames: [String: String] {
        get throws { try views.wholeLedger.payerNames }
    }

    /// Accounts receivable by age as of `day`.
    func aging(asOfDay day: Int64) throws -> AgingReport {
        try views.aging(asOfDay: day)
    }

    /// The totals a `DayClosed` for `day` records.
    func closingTotals(forDay day: Int64) throws -> DayTotals {
        // The day's figures are its own part of the checkpoint: read as the day sheet reads them, not the whole
        // ledger (`LedgerView.closingTotals(forDay:)` takes the same figures).
        let figures = try daySheet(daysSince1970: day).office
        return try figures.dayTotals()
    }
}
