import ClinicEvents
import RecordLog

/// Why folding the log into views failed.
public enum ProjectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The log could not be read.
    case log(RecordLogError)
    /// The record at `position` could not be decoded; the views stop before it rather than skip it.
    case undecodableEvent(position: UInt64, reason: String)
    /// A checkpoint could not be written.
    case checkpoint(ViewCheckpointError)

    /// One sentence naming what failed and what to do.
    public var description: String {
        switch self {
        case .log(let error): "Reading the log failed: \(error)"
        case .undecodableEvent(let position, let reason):
            "The event at position \(position) could not be decoded (\(reason)); update the software or repair the log."
        case .checkpoint(let error): error.description
        }
    }
}

/// Reports progress of a long fold: events folded so far and the events to fold in all.
public typealias FoldProgress = (_ folded: UInt64, _ total: UInt64) -> Void

/// Reads a log and folds its events into views: catch-up from a checkpoint, full rebuild, a view as of a position, a
/// recorded time or an effective date, and one patient's view from that patient's streams only.
public struct ProjectionReplayer: Sendable {
    /// How often, in events, a fold reports progress.
    public static let progressIntervalEvents: UInt64 = 4096

    /// The fewest events a catch-up or rebuild folds on two threads (`parallelFoldEventsMin`'s default).
    public static let defaultParallelFoldEventsMin: UInt64 = 16_384

    /// The log.
    public let reader: LogReader
    /// How records become stored events.
    public let decoder: StoredEventDecoder
    /// From how many events on a fold uses a second thread: one view's catch-up folds on it while the calling thread
    /// reads and decodes; `OfficeViews` folds the ledger on it and the other views on the calling thread. Shorter
    /// folds stay on the calling thread (`UInt64.max`: never a second thread). Either way the views end the same.
    public let parallelFoldEventsMin: UInt64

    /// A replayer of the log `reader` reads, decoding with `decoder`, folding on two threads from
    /// `parallelFoldEventsMin` events on.
    public init(
        reader: LogReader, decoder: StoredEventDecoder,
        parallelFoldEventsMin: UInt64 = ProjectionReplayer.defaultParallelFoldEventsMin
    ) {
        self.reader = reader
        self.decoder = decoder
        self.parallelFoldEventsMin = parallelFoldEventsMin
    }

    /// The log's readable end: the position the next event will get.
    public func endPosition() throws(ProjectionError) -> UInt64 {
        do { return try reader.endPosition() } catch { throw .log(error) }
    }

    /// Calls `body` with every event in `[from, to)` (to the log's end when `to` is nil), in order; returns the
    /// position after the last event visited.
    @discardableResult
    public func forEachEvent(
        from start: UInt64, to end: UInt64? = nil, progress: FoldProgress? = nil,
        _ body: (StoredEvent) -> Void
    ) throws(ProjectionError) -> UInt64 {
        let total: UInt64
        if let end { total = end } else { total = try endPosition() }
        guard start < total else { return start }
        var failure: ProjectionError?
        var next = start
        do {
            try reader.forEachRecordView(from: start) { view in
                let position = view.position
                guard position < total else { return false }
                do {
                    body(try decoder.decode(view))
                } catch {
                    failure = .undecodableEvent(position: position, reason: String(describing: error))
                    return false
                }
                next = position + 1
                if let progress, (next - start) % Self.progressIntervalEvents == 0 {
                    progress(next - start, total - start)
                }
                return true
            }
        } catch {
            throw .log(error)
        }
        if let failure { throw failure }
        progress?(next - start, total - start)
        return next
    }

    /// Calls `body` with every event in `[from, to)` (to the log's end when `to` is nil), in order, on the calling
    /// thread, while a second thread folds the same events from `laneStart` on into `laneView` (only those `handing`
    /// accepts: every event whose fold can change the view); returns the position after the last event visited and
    /// the lane's view. On a failure the lane is stopped and its view dropped.
    func forEachEvent<Lane: Projection>(
        from start: UInt64, to end: UInt64?, progress: FoldProgress?, foldingOnSecondLane laneView: Lane,
        from laneStart: UInt64, handing: (StoredEvent) -> Bool = { _ in true }, _ body: (StoredEvent) -> Void
    ) throws(ProjectionError) -> (next: UInt64, lane: Lane) {
        let lane = SecondLane(view: laneView, from: laneStart)
        let chunkEventCount = SecondLane<Lane>.chunkEventCount
        var chunk: [StoredEvent] = []
        chunk.reserveCapacity(chunkEventCount)
        let next: UInt64
        do {
            next = try forEachEvent(from: start, to: end, progress: progress) { event in
                body(event)
                guard handing(event) else { return }
                chunk.append(event)
                if chunk.count == chunkEventCount {
                    lane.push(chunk)
                    chunk = []
                    chunk.reserveCapacity(chunkEventCount)
                }
            }
        } catch {
            _ = lane.finish()
            throw error
        }
        if !chunk.isEmpty { lane.push(chunk) }
        return (next, lane.finish())
    }

    /// The Merkle leaf hash of the record at `position`.
    public func leafHash(at position: UInt64) throws(ProjectionError) -> MerkleDigest {
        let hashes: [MerkleDigest]
        do { hashes = try reader.leafHashes(position..<(position + 1)) } catch { throw .log(error) }
        guard let hash = hashes.first else { throw .log(.notFound(what: "position \(position)")) }
        return hash
    }

    /// Folds the events after `checkpoint` into it, to the log's end (or up to `end`, exclusive).
    public func catchUp<View: Projection>(
        _ checkpoint: inout ViewCheckpoint<View>, upTo end: UInt64? = nil, progress: FoldProgress? = nil
    ) throws(ProjectionError) {
        var view = checkpoint.view
        let next: UInt64
        let stop: UInt64
        if let end { stop = end } else { stop = try endPosition() }
        if stop > checkpoint.nextPosition, stop - checkpoint.nextPosition >= parallelFoldEventsMin {
            // The calling thread reads and decodes, a second one folds.
            (next, view) = try forEachEvent(
                from: checkpoint.nextPosition, to: stop, progress: progress, foldingOnSecondLane: view,
                from: checkpoint.nextPosition
            ) { _ in }
        } else {
            next = try forEachEvent(from: checkpoint.nextPosition, to: stop, progress: progress) {
                view.apply($0)
            }
        }
        if next > checkpoint.nextPosition {
            checkpoint = ViewCheckpoint(view: view, nextPosition: next, lastLeafHash: try leafHash(at: next - 1))
        }
    }

    /// The view folded from position 0 to the log's end (or up to `end`, exclusive).
    public func rebuild<View: Projection>(
        _ empty: View, upTo end: UInt64? = nil, progress: FoldProgress? = nil
    ) throws(ProjectionError) -> ViewCheckpoint<View> {
        var checkpoint = ViewCheckpoint(empty: empty)
        try catchUp(&checkpoint, upTo: end, progress: progress)
        return checkpoint
    }

    /// Checks a loaded checkpoint against the log: not beyond its end, and the record before its position is exactly
    /// the one it was folded from (same Merkle leaf hash). Nil when it can be used.
    public func validate<View: Projection>(_ checkpoint: ViewCheckpoint<View>) throws(ProjectionError)
        -> CheckpointRejection?
    {
        guard checkpoint.nextPosition > 0 else { return nil }
        guard checkpoint.nextPosition <= (try endPosition()) else { return .beyondLogEnd }
        return try leafHash(at: checkpoint.nextPosition - 1) == checkpoint.lastLeafHash ? nil : .logMismatch
    }

    /// The view as of a log position: every event before `position` folded, starting from `checkpoint` when it is
    /// not past that position (it is then cheaper than a fold from 0).
    public func view<View: Projection>(
        _ empty: View, asOfPosition position: UInt64, from checkpoint: ViewCheckpoint<View>? = nil
    ) throws(ProjectionError) -> View {
        var start = ViewCheckpoint(empty: empty)
        if let checkpoint, checkpoint.nextPosition <= position { start = checkpoint }
        try catchUp(&start, upTo: position)
        return start.view
    }

    /// The position an as-of-recorded-time view folds to: the first event recorded after `time`, so that every event
    /// recorded at or before `time` (UTC microseconds) is included.
    public func position(asOfRecordedTime time: Int64) throws(ProjectionError) -> UInt64 {
        guard time < .max else { return try endPosition() }
        do { return try reader.firstPosition(recordedAtOrAfter: time + 1) } catch { throw .log(error) }
    }

    /// The view as the office knew it at a recorded time: every event recorded at or before `time`.
    public func view<View: Projection>(
        _ empty: View, asOfRecordedTime time: Int64, from checkpoint: ViewCheckpoint<View>? = nil
    ) throws(ProjectionError) -> View {
        try view(empty, asOfPosition: try position(asOfRecordedTime: time), from: checkpoint)
    }

    /// The view as it was true on an office day: every event known by `knownBefore` (the log's end when nil) whose
    /// effective day (`EffectiveDate.day(of:calendar:)`) is on or before `day`, folded in log order, late entries
    /// recorded afterwards included.
    public func view<View: Projection>(
        _ empty: View, asOfEffectiveDay day: Int64, calendar: ViewCalendar, knownBefore: UInt64? = nil
    ) throws(ProjectionError) -> View {
        var view = empty
        try forEachEvent(from: 0, to: knownBefore) { event in
            if EffectiveDate.day(of: event, calendar: calendar) <= day { view.apply(event) }
        }
        return view
    }

    /// One patient's view from that patient's streams only (patient, chart, account, consent, coverage) and, for a
    /// view that folds it (`foldsDayBook`: the ledger), the office's day book, read through the stream index, merged
    /// in log order. Events at or after `knownBefore` are
    /// left out; with `effectiveDay`, so are events whose effective day is after it.
    ///
    /// Facts held in other streams are missing from such a view: encounter providers (schedule streams), payer
    /// names (the payers stream) and merges recorded on a duplicate's stream.
    public func patientView<View: Projection>(
        _ empty: View, patientID: EventID, knownBefore: UInt64? = nil, effectiveDay: Int64? = nil,
        calendar: ViewCalendar = .utc
    ) throws(ProjectionError) -> View {
        var records: [LogRecord] = []
        do {
            let dayBook = View.foldsDayBook ? [DayBook.streamName] : []
            for stream in PatientStreamKind.streamNames(for: patientID) + dayBook {
                records += try reader.records(inStream: stream)
            }
        } catch {
            throw .log(error)
        }
        records.sort { $0.position < $1.position }
        var view = empty
        for record in records {
            if let knownBefore, record.position >= knownBefore { break }
            let stored: StoredEvent
            do { stored = try decoder.decode(record) } catch {
                throw .undecodableEvent(position: record.position, reason: String(describing: error))
            }
            if let effectiveDay, EffectiveDate.day(of: stored, calendar: calendar) > effectiveDay { continue }
            view.apply(stored)
        }
        return view
    }
}

/// The office day an event is about, for views as of an effective date.
public enum EffectiveDate {
    /// The posting date of a billing event that has one, else the office day of the envelope's effective time.
    public static func day(of event: StoredEvent, calendar: ViewCalendar) -> Int64 {
        switch event.event {
        case .paymentPosted(let body): body.postingDateDaysSince1970
        case .paymentApplied(let body): body.postingDateDaysSince1970
        case .adjustmentPosted(let body): body.postingDateDaysSince1970
        case .refundIssued(let body): body.postingDateDaysSince1970
        case .responsibilityTransferred(let body): body.postingDateDaysSince1970
        case .chargeVoided(let body): body.postingDateDaysSince1970
        case .paymentVoided(let body): body.postingDateDaysSince1970
        case .dayClosed(let body): body.dateDaysSince1970
        default: calendar.day(ofMicroseconds: event.envelope.effectiveTimeMicroseconds)
        }
    }
}
