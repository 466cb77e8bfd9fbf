import ClinicEvents
import ClinicProjections
import ClinicStore
import Foundation
import RecordLog

/// Opens the office views of a store: from their encrypted checkpoints, caught up with the log's tail.
enum Views {
    /// The views of the store `reader` reads, current to the end of the log. Call `saveIfUseful()` on the result
    /// once the command succeeded: when a view had to be rebuilt, or the catch-up folded many events, it writes the
    /// checkpoints back so the next command starts from them (a refused command leaves every file as it was).
    static func open(_ reader: StoreReader, showProgress: Bool = true) throws -> OpenedViews {
        let decoder = StoredEventDecoder(
            decodeView: { try reader.decodeStored($0) }, decodeRecord: { try reader.decodeStored($0) })
        let replayer = ProjectionReplayer(reader: reader.logReader, decoder: decoder)
        let store = ViewCheckpointStore(
            directory: reader.location.viewsDirectory, fileSystem: PosixFileSystem(), key: reader.viewCheckpointKey)
        let bar = showProgress ? ProgressBar("Bringing the views up to date") : nil
        let folded = FoldCounter()
        let views: OfficeViews
        do {
            views = try OfficeViews.open(replayer: replayer, store: store, calendar: viewCalendar(reader.calendar)) {
                done, total in
                folded.record(done)
                bar?.update(done: Int64(done), total: Int64(total))
            }
        } catch {
            throw StoreError(.storage, code: "views", message: "The views could not be brought up to date: \(error).")
        }
        bar?.finish()
        return OpenedViews(views: views, shouldSave: !views.openReport.isEmpty || folded.value > 0)
    }

    /// The views' calendar: the office time zone's standard offset now.
    static func viewCalendar(_ calendar: OfficeCalendar) -> ViewCalendar {
        ViewCalendar(
            utcOffsetMinutes: Int32(calendar.standardOffsetMinutes(atMicroseconds: SystemClockNow.microseconds())))
    }
}

/// Counts what a progress callback reported (it is called only every few thousand events).
final class FoldCounter: @unchecked Sendable {
    private(set) var value: UInt64 = 0

    func record(_ done: UInt64) { value = max(value, done) }
}

/// Views just opened, and whether their checkpoints are worth writing back.
struct OpenedViews {
    let views: OfficeViews
    let shouldSave: Bool

    /// Writes the checkpoints when a view was rebuilt or the catch-up was long; a failure only costs speed later.
    func saveIfUseful() {
        guard shouldSave else { return }
        try? views.saveCheckpoints()
    }
}
