import ClinicEvents
import ClinicProjections
import Foundation
import GRDB
import RecordLog

/// The four office views (schedule, ledger, chart, consent) folded in one pass: the fold both stores feed when the
/// views are rebuilt, so the comparison measures what each store costs to feed it.
struct FourViews {
    var schedule = ScheduleView()
    var ledger = LedgerView(calendar: .utc)
    var chart = ChartView()
    var consent = ConsentView()

    /// Folds one more event into the four views.
    mutating func apply(_ event: StoredEvent) {
        schedule.apply(event)
        ledger.apply(event)
        chart.apply(event)
        consent.apply(event)
    }

    /// The four state hashes in the order schedule, ledger, chart, consent: equal exactly when the folds are.
    var hashes: [UInt8] { schedule.stateHash + ledger.stateHash + chart.stateHash + consent.stateHash }
}

/// What a rebuild of the four views did: the events folded, the seconds, and the views' state hashes (which must be
/// the same whatever fed the fold).
struct RebuildPass {
    var events = 0
    var seconds = 0.0
    var hashes: [UInt8] = []
}

extension ClinicLogSide {
    /// Reads every record with `LogReader`, decodes it with patient data opened with `keyring` and folds the four
    /// views, all on the calling thread; the seconds exclude the state hashes.
    func rebuildOnOneThread(directory: String, keyring: PatientKeyring) throws -> RebuildPass {
        var views = FourViews()
        var pass = RebuildPass()
        var failure: (any Error)?
        let start = ContinuousClock.now
        try LogReader(directory: directory).forEachRecordView { record in
            do {
                views.apply(try codec.decodeStored(record, opening: keyring))
            } catch {
                failure = error
                return false
            }
            pass.events += 1
            return true
        }
        pass.seconds = secondsSince(start)
        if let failure { throw failure }
        pass.hashes = views.hashes
        return pass
    }

    /// Folds the four views as `clinic rebuild` does (`OfficeViews.open` without checkpoints): the ledger on a second
    /// thread, patient data opened only in the events a view shows it of; the seconds exclude the state hashes.
    func rebuildAsClinicDoes(directory: String, keyring: PatientKeyring) throws -> RebuildPass {
        let codec = codec
        let decoder = StoredEventDecoder.officeViews(
            opening: StoredEventDecoder(
                decodeView: { try codec.decodeStored($0, opening: keyring) },
                decodeRecord: { try codec.decodeStored($0, opening: keyring) }),
            withholding: StoredEventDecoder(codec: codec))
        let replayer = ProjectionReplayer(reader: LogReader(directory: directory), decoder: decoder)
        let start = ContinuousClock.now
        let views = try OfficeViews.open(replayer: replayer, store: nil, calendar: .utc)
        var pass = RebuildPass(events: Int(views.nextPosition), seconds: secondsSince(start))
        let hashes = views.stateHashes
        pass.hashes = [ScheduleView.viewName, LedgerView.viewName, ChartView.viewName, ConsentView.viewName]
            .flatMap { hashes[$0] ?? [] }
        return pass
    }
}

extension SQLiteSide {
    /// Reads every row in position order (`SELECT position, stream_version, recorded_time, payload`), decodes the
    /// payload with patient data opened with `keyring` into the same stored event the log gives (positions from 0),
    /// and folds the four views, all on the calling thread; the seconds exclude the state hashes.
    func rebuild(path: String, keyring: PatientKeyring) throws -> RebuildPass {
        let queue = try DatabaseQueue(path: path, configuration: readOnly)
        var views = FourViews()
        var pass = RebuildPass()
        let start = ContinuousClock.now
        try queue.read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT position, stream_version, recorded_time, payload FROM events ORDER BY position")
            while let row = try rows.next() {
                let position: Int64 = row[0]
                let streamVersion: Int64 = row[1]
                let recordedTime: Int64 = row[2]
                let decoded = try row.withUnsafeData(atIndex: 3) { data in
                    guard let data else { throw CompareError("an event has no payload") }
                    return try data.withUnsafeBytes { try codec.decode($0, opening: keyring) }
                }
                views.apply(
                    StoredEvent(
                        position: UInt64(position - 1), streamVersion: UInt64(streamVersion),
                        recordedTimeMicroseconds: recordedTime, decoded: decoded))
                pass.events += 1
            }
        }
        pass.seconds = secondsSince(start)
        try queue.close()
        pass.hashes = views.hashes
        return pass
    }
}
