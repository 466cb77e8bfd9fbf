import Benchmark
import ClinicEvents
import ClinicProjections
import Foundation
import Logging
import OfficeHistory
import RecordLog

// The view benchmarks of ClinicProjections (see ../../README.md), over a seeded office history of 1M events: all four
// office views (schedule, ledger, chart, consent) rebuilt from position 0, as `clinic rebuild` folds them (patient
// data opened with the keyring only where a view shows it), on two threads and on one; the four views caught up over
// a 1,000-event tail from checkpoints in memory; and one patient's chart and ledger as of mid-history, read through
// the stream index. The history is
// written once per process, before the first measurement, under $TMPDIR; one iteration is one whole rebuild.

/// Metrics computed from each iteration's own clock.
enum RebuildMetric {
    /// Events folded into the four views per second, per iteration.
    static let eventsPerSecond = BenchmarkMetric.custom(
        "eventsPerSecond", polarity: .prefersLarger, useScalingFactor: false)
}

/// The seeded history every benchmark folds, written once per process.
final class RebuildHistory: Sendable {
    static let eventCount = 1_000_000
    static let seed: UInt64 = 20_261_129
    static let shared = RebuildHistory()

    let directory: String
    let keyring: PatientKeyring
    let codec: EventCodec
    let calendar = ViewCalendar.utc

    private init() {
        do {
            (directory, keyring, codec) = try Self.write()
        } catch {
            fatalError("could not write the benchmark's history: \(error)")
        }
    }

    /// Writes the history's log under $TMPDIR; returns its directory, the patients' keys and the codec.
    private static func write() throws -> (String, PatientKeyring, EventCodec) {
        let directory = NSTemporaryDirectory() + "cliniclog-rebuild-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: directory)
        var logger = Logger(label: "rebuild-benchmark")
        logger.logLevel = .warning
        var history = try OfficeHistory(
            options: .standard(eventCount: Self.eventCount, seed: Self.seed))
        let writer = try HistoryLogWriter(directory: directory + "/log", logger: logger, logIDSeed: Self.seed)
        var written = 0
        while written < Self.eventCount {
            let events = try history.next(min(1_000, Self.eventCount - written))
            try writer.append(events)
            written += events.count
        }
        writer.close()
        return (directory, history.keyring, history.codec)
    }

    /// A replayer of the history as `clinic rebuild` reads it, folding on two threads from `parallelFoldEventsMin`
    /// events on.
    func replayer(parallelFoldEventsMin: UInt64) -> ProjectionReplayer {
        let codec = codec
        let keyring = keyring
        let decoder = StoredEventDecoder.officeViews(
            opening: StoredEventDecoder(
                decodeView: { try codec.decodeStored($0, opening: keyring) },
                decodeRecord: { try codec.decodeStored($0, opening: keyring) }),
            withholding: StoredEventDecoder(codec: codec))
        return ProjectionReplayer(
            reader: LogReader(directory: directory + "/log", fileSystem: PosixFileSystem()), decoder: decoder,
            parallelFoldEventsMin: parallelFoldEventsMin)
    }

    /// The tail the catch-up benchmark folds: the last events of the history.
    static let tailEventCount: UInt64 = 1_000

    /// The four views folded up to `tailEventCount` events before the end, and the patient with the most events in
    /// the chart view there: made once per process (a whole fold), for the catch-up and as-of benchmarks.
    struct Prepared: Sendable {
        let schedule: ViewCheckpoint<ScheduleView>
        let ledger: ViewCheckpoint<LedgerView>
        let chart: ViewCheckpoint<ChartView>
        let consent: ViewCheckpoint<ConsentView>
        let patientID: EventID
    }

    /// The views before the tail, folded on first use.
    static let prepared: Prepared = {
        do {
            let history = RebuildHistory.shared
            let replayer = history.replayer(parallelFoldEventsMin: ProjectionReplayer.defaultParallelFoldEventsMin)
            let end = UInt64(eventCount) - tailEventCount
            let chart = try replayer.rebuild(ChartView(), upTo: end)
            // The patient with the most vitals: a long history, as a chronic patient's is.
            guard
                let patientID = chart.view.patients.max(by: { $0.value.vitals.count < $1.value.vitals.count })?.key
            else { fatalError("the history has patients") }
            return Prepared(
                schedule: try replayer.rebuild(ScheduleView(), upTo: end),
                ledger: try replayer.rebuild(LedgerView(calendar: history.calendar), upTo: end), chart: chart,
                consent: try replayer.rebuild(ConsentView(), upTo: end), patientID: patientID)
        } catch {
            fatalError("could not fold the benchmark's views: \(error)")
        }
    }()

    func removeFiles() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

func perSecond(_ count: Int, in duration: Duration) -> Int {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return seconds > 0 ? Int(Double(count) / seconds) : 0
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal, RebuildMetric.eventsPerSecond],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(60),
        maxIterations: 3,
        teardown: { RebuildHistory.shared.removeFiles() }
    )

    for (name, threshold) in [("two threads", ProjectionReplayer.defaultParallelFoldEventsMin), ("one thread", .max)] {
        Benchmark("Rebuild: the four views from 1M events (\(name))") { benchmark in
            let history = RebuildHistory.shared
            let replayer = history.replayer(parallelFoldEventsMin: threshold)
            benchmark.startMeasurement()
            let start = ContinuousClock.now
            let views = try OfficeViews.open(replayer: replayer, store: nil, calendar: history.calendar)
            let elapsed = ContinuousClock.now - start
            benchmark.stopMeasurement()
            precondition(views.nextPosition == UInt64(RebuildHistory.eventCount), "every event folded")
            benchmark.measurement(RebuildMetric.eventsPerSecond, perSecond(RebuildHistory.eventCount, in: elapsed))
            blackHole(views)
        }
    }

    // A small tail after checkpoints: what a command does when the views' checkpoints are a little behind the log.
    Benchmark(
        "Catch-up: the four views over a \(RebuildHistory.tailEventCount)-event tail (checkpoints in memory)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal], timeUnits: .microseconds,
            warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 50,
            teardown: { RebuildHistory.shared.removeFiles() })
    ) { benchmark in
        let prepared = RebuildHistory.prepared
        let replayer = RebuildHistory.shared.replayer(parallelFoldEventsMin: .max)
        var schedule = prepared.schedule
        var ledger = prepared.ledger
        var chart = prepared.chart
        var consent = prepared.consent
        benchmark.startMeasurement()
        try replayer.catchUp(&schedule)
        try replayer.catchUp(&ledger)
        try replayer.catchUp(&chart)
        try replayer.catchUp(&consent)
        benchmark.stopMeasurement()
        precondition(chart.nextPosition == UInt64(RebuildHistory.eventCount), "the tail folded")
        blackHole((schedule, ledger, chart, consent))
    }

    // As-of for one patient among 1M events: that patient's streams only, through the stream index (and, for the
    // ledger, the office's day book, one DayClosed per office day).
    for (name, ledger) in [("chart", false), ("ledger", true)] {
        Benchmark(
            "As-of: one patient's \(name) at mid-history, among 1M events (stream index)",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal], timeUnits: .microseconds,
                warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 200,
                teardown: { RebuildHistory.shared.removeFiles() })
        ) { benchmark in
            let history = RebuildHistory.shared
            let patientID = RebuildHistory.prepared.patientID
            let replayer = history.replayer(parallelFoldEventsMin: .max)
            let middle = UInt64(RebuildHistory.eventCount / 2)
            benchmark.startMeasurement()
            if ledger {
                blackHole(
                    try replayer.patientView(
                        LedgerView(calendar: history.calendar), patientID: patientID, knownBefore: middle,
                        calendar: history.calendar))
            } else {
                blackHole(try replayer.patientView(ChartView(), patientID: patientID, knownBefore: middle))
            }
            benchmark.stopMeasurement()
        }
    }
}
