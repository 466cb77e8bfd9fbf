import ClinicEvents
import ClinicProjections
import ClinicStore
import Foundation
import RecordLog

/// Opens the office views of a store: from their encrypted checkpoints, caught up with the log's tail.
enum Views {
    /// A catch-up longer than this writes the view's checkpoint back, so the next command starts from it.
    static let checkpointAfterEvents: UInt64 = 1_000

    /// All four views of the store `reader` reads, folded in one pass from their checkpoints to the end of the log
    /// (for `clinic rebuild`, which writes the checkpoints itself).
    static func openAll(_ reader: StoreReader, showProgress: Bool = true) throws -> OfficeViews {
        let decoder = StoredEventDecoder(
            decodeView: { try reader.decodeStored($0) }, decodeRecord: { try reader.decodeStored($0) })
        let replayer = ProjectionReplayer(reader: reader.logReader, decoder: decoder)
        let store = ViewCheckpointStore(
            directory: reader.location.viewsDirectory, fileSystem: PosixFileSystem(), key: reader.viewCheckpointKey)
        let bar = showProgress ? ProgressBar("Bringing the views up to date") : nil
        defer { bar?.finish() }
        do {
            return try OfficeViews.open(replayer: replayer, store: store, calendar: viewCalendar(reader.calendar)) {
                done, total in bar?.update(done: Int64(done), total: Int64(total))
            }
        } catch {
            throw StoreError(.storage, code: "views", message: "The views could not be brought up to date: \(error).")
        }
    }

    /// The views' calendar: the office time zone's standard offset now.
    static func viewCalendar(_ calendar: OfficeCalendar) -> ViewCalendar {
        ViewCalendar(
            utcOffsetMinutes: Int32(calendar.standardOffsetMinutes(atMicroseconds: SystemClockNow.microseconds())))
    }
}

/// The four office views of a store, each loaded the first time a command uses it: a schedule query reads the
/// schedule's checkpoint only, not the ledger's. Each is loaded from its encrypted checkpoint when that checkpoint is
/// usable, then caught up with the log's tail; otherwise it is rebuilt.
final class LazyViews {
    private let reader: StoreReader
    private let showProgress: Bool
    private let replayer: ProjectionReplayer
    /// Reads events without opening patient data, for the ledger, which holds none (no AES work per event).
    private let withheldReplayer: ProjectionReplayer
    private let store: ViewCheckpointStore
    private var worthSaving: [() -> Void] = []
    private var loadedSchedule: ScheduleView?
    private var loadedLedger: LedgerView?
    private var loadedChart: ChartView?
    private var loadedConsent: ConsentView?

    init(reader: StoreReader, showProgress: Bool) {
        self.reader = reader
        self.showProgress = showProgress
        let decoder = StoredEventDecoder(
            decodeView: { try reader.decodeStored($0) }, decodeRecord: { try reader.decodeStored($0) })
        replayer = ProjectionReplayer(reader: reader.logReader, decoder: decoder)
        withheldReplayer = ProjectionReplayer(
            reader: reader.logReader, decoder: StoredEventDecoder(codec: reader.codec))
        store = ViewCheckpointStore(
            directory: reader.location.viewsDirectory, fileSystem: PosixFileSystem(), key: reader.viewCheckpointKey)
    }

    var schedule: ScheduleView {
        get throws {
            if let loadedSchedule { return loadedSchedule }
            let view = try load(ScheduleView())
            loadedSchedule = view
            return view
        }
    }

    var ledger: LedgerView {
        get throws {
            if let loadedLedger { return loadedLedger }
            let view = try load(LedgerView(calendar: Views.viewCalendar(reader.calendar)), using: withheldReplayer)
            loadedLedger = view
            return view
        }
    }

    var chart: ChartView {
        get throws {
            if let loadedChart { return loadedChart }
            let view = try load(ChartView())
            loadedChart = view
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
