import Benchmark
import ClinicEvents
import ClinicProjections
import Foundation
import Logging
import OfficeHistory
import RecordLog

// The view rebuild benchmarks of ClinicProjections (see ../../README.md): all four office views (schedule, ledger,
// chart, consent) folded from position 0 over a seeded office history of 1M events, as `clinic rebuild` folds them
// (patient data opened with the keyring only where a view shows it), on two threads and on one. The history is
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
}
