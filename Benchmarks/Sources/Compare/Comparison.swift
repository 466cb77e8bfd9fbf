import ClinicEvents
import Foundation
import GRDB
import Logging
import OfficeHistory
import RecordLog
import RecordLogTesting

/// Sizes measured once (they do not vary between runs).
struct Sizes {
    var events = 0
    var clinicLogBatches: Int64 = 0
    var clinicLogIndexes: Int64 = 0
    var clinicLogOther: Int64 = 0
    var clinicLogAllocated: Int64 = 0
    var sqliteFile: Int64 = 0
    var jsonLines: Int64 = 0
    var payloadFile: Int64 = 0
    var clinicLogLoadSeconds = 0.0
    var sqliteLoadSeconds = 0.0
    var historySeconds = 0.0
    var patientsRegistered = 0
    var meanEventsPerPatientQuery = 0.0

    var clinicLogTotal: Int64 { clinicLogBatches + clinicLogIndexes + clinicLogOther }
}

/// One comparison run: the history, then every measurement with ClinicLog and SQLite in turn, then the references.
final class Comparison {
    let options: CompareOptions
    let logger: Logger
    let clinicLog: ClinicLogSide
    let sqlite: SQLiteSide
    var figures = Figures()
    var sizes = Sizes()
    var machine: MachineDescription
    let loadAtStart: String
    var loadAtEnd = ""
    let startedAt = Date()
    private var history: [HistoryEvent] = []
    private var keyring: PatientKeyring?
    private var patients: [EventID] = []

    init(options: CompareOptions) throws {
        self.options = options
        var logger = Logger(label: "compare")
        logger.logLevel = .warning
        self.logger = logger
        let codec = try EventCodec()
        clinicLog = ClinicLogSide(codec: codec, logger: logger)
        sqlite = SQLiteSide(codec: codec)
        loadAtStart = loadAverage()
        try? FileManager.default.removeItem(atPath: options.work)
        try FileManager.default.createDirectory(atPath: options.work, withIntermediateDirectories: true)
        machine = MachineDescription.current(workDirectory: options.work)
    }

    private var work: String { options.work }

    private func progress(_ text: String) {
        FileHandle.standardError.write(
            Data("[\(String(format: "%6.1f", Date().timeIntervalSince(startedAt))) s] \(text)\n".utf8))
    }

    private func path(_ name: String) -> String { work + "/" + name }

    private func remove(_ name: String) {
        try? FileManager.default.removeItem(atPath: path(name))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path(name) + suffix) }
    }

    /// Runs everything.
    func run() async throws {
        try makeHistory()
        try measureAppends()
        try await measureConcurrentAppends()
        try loadStores()
        try measureReads()
        try measureRebuilds()
        try measurePatientHistories()
        try measureSizes()
        try measureVerification()
        loadAtEnd = loadAverage()
        if !options.keepWork { try? FileManager.default.removeItem(atPath: work) }
    }

    /// Runs only the measurements named in `only` (`append`, `concurrent`); returns every run of their figures, with
    /// the load average at the start and at the end, as text.
    func runOnly(_ only: Set<String>) async throws -> String {
        try makeHistory(storeEvents: false)
        if only.contains("append") { try measureAppends() }
        if only.contains("concurrent") { try await measureConcurrentAppends() }
        if !options.keepWork { try? FileManager.default.removeItem(atPath: work) }
        let lines = figures.names.map { name in
            let runs = figures.values(name).map { String(format: "%.0f", $0) }.joined(separator: ", ")
            return "\(name): median \(String(format: "%.0f", figures.median(name))) (runs: \(runs))"
        }
        return (["Load average at the start: \(loadAtStart); at the end: \(loadAverage())"] + lines)
            .joined(separator: "\n")
    }

    /// Loads the stores and measures only one patient's history; returns its figures as text.
    func runPatientHistoryOnly() throws -> String {
        try makeHistory()
        try loadStores()
        try measurePatientHistories()
        let openings = try measureOpenAppendClose(directory: path("store-log"), runs: 10, logger: logger)
        if !options.keepWork { try? FileManager.default.removeItem(atPath: work) }
        let opening = openings.map { String(format: "%.2f", $0) }.joined(separator: ", ")
        let lines = [
            ("patient.cold.cliniclog", "ClinicLog, new reader"), ("patient.cold.sqlite", "SQLite, new connection"),
            ("patient.warm.cliniclog", "ClinicLog, reader kept"), ("patient.warm.sqlite", "SQLite, connection kept"),
        ].map { name, label in
            let runs = figures.values(name).map { String(format: "%.2f", $0) }.joined(separator: ", ")
            return "\(label): median \(String(format: "%.2f", figures.median(name))) ms (runs: \(runs))"
        }
        let openingMedian = String(format: "%.2f", medianOf(openings))
        let perQuery = String(format: "%.1f", sizes.meanEventsPerPatientQuery)
        let header = [
            "Open the log, read a stream's version, append one event durably, close: median \(openingMedian) ms "
                + "(runs: \(opening))",
            "One patient's history among \(options.events) events, \(perQuery) events per query:",
        ]
        return (header + lines).joined(separator: "\n")
    }

    /// Loads the ClinicLog store and measures only reading and decoding every event, with patient data withheld and
    /// then opened with the keyring; returns its figures (wall and CPU time) as text.
    func runDecodeOnly() throws -> String {
        try makeHistory()
        let events = storeEvents
        progress("loading \(events.count) events into the ClinicLog store (1000 per durable append)")
        sizes.clinicLogLoadSeconds = try clinicLog.load(events, batch: 1_000, directory: path("store-log"))
        history = []
        var lines: [String] = []
        for (label, keyring) in [("withheld", nil), ("opened with the keyring", keyring)] {
            var wall: [Double] = []
            var cpu: [Double] = []
            for repetition in 1...options.repetitions {
                progress("read and decode \(options.events) events, patient data \(label): run \(repetition)")
                let pass = try clinicLog.scanAndDecode(directory: path("store-log"), opening: keyring)
                guard pass.events == options.events else {
                    throw CompareError("decoded \(pass.events) events of \(options.events)")
                }
                wall.append(Double(pass.events) / pass.seconds)
                cpu.append(Double(pass.events) / pass.cpuSeconds)
            }
            let runs = zip(wall, cpu).map { String(format: "%.0f/%.0f", $0, $1) }.joined(separator: ", ")
            lines.append(
                "Read and decode of \(options.events) events, patient data \(label): median "
                    + String(format: "%.0f", medianOf(wall)) + " events/s wall, "
                    + String(format: "%.0f", medianOf(cpu)) + " events/s of thread CPU (runs, wall/CPU: \(runs))")
        }
        if !options.keepWork { try? FileManager.default.removeItem(atPath: work) }
        return lines.joined(separator: "\n")
    }

    // MARK: - The events

    /// Generates the history: enough events for the appends and, with `storeEvents`, for the stores.
    private func makeHistory(storeEvents: Bool = true) throws {
        let count = max(
            storeEvents ? options.events : 0, options.appendEvents.map(\.events).max() ?? 0,
            options.appenders * options.appendsPerAppender)
        progress("generating a history of \(count) events (seed \(options.seed))")
        let start = ContinuousClock.now
        var generator = try OfficeHistory(options: .standard(eventCount: options.events, seed: options.seed))
        history = try generator.next(count)
        sizes.historySeconds = secondsSince(start)
        keyring = generator.keyring
        sizes.patientsRegistered = generator.registeredPatients.count
        guard storeEvents else { return }
        var random = SeededRandomNumberGenerator(seed: options.seed ^ 0x5EED)
        let registeredInStores = Set(history.prefix(options.events).compactMap(\.patientID))
        let candidates = generator.registeredPatients.filter { registeredInStores.contains($0) }
        patients = (0..<options.patientQueries).map { _ in
            candidates[Int.random(in: 0..<candidates.count, using: &random)]
        }
    }

    // MARK: - 1. Batched durable appends

    private func measureAppends() throws {
        for (batchSize, count) in options.appendEvents {
            let events = Array(history.prefix(count))
            let logBatches = stride(from: 0, to: events.count, by: batchSize).map {
                events[$0..<min($0 + batchSize, events.count)].streamAppends()
            }
            let sqlBatches = stride(from: 0, to: events.count, by: batchSize).map {
                events[$0..<min($0 + batchSize, events.count)].map { SQLiteEventTable.arguments(of: $0) }
            }
            for repetition in 1...options.repetitions {
                progress("append, \(batchSize) per append, \(events.count) events: run \(repetition)")
                remove("append-log")
                let logRun = try clinicLog.append(
                    logBatches, directory: path("append-log"), seconds: options.appendSeconds)
                remove("append-log")
                figures.add("append.\(batchSize).cliniclog", logRun.eventsPerSecond)
                figures.add("append.\(batchSize).cliniclog.events", Double(logRun.events))
                figures.add(
                    "append.\(batchSize).cliniclog.cpuNanosecondsPerEvent",
                    logRun.cpuSeconds * 1e9 / Double(logRun.events))
                remove("append.sqlite")
                let sqlRun = try sqlite.append(sqlBatches, path: path("append.sqlite"), seconds: options.appendSeconds)
                remove("append.sqlite")
                figures.add("append.\(batchSize).sqlite", sqlRun.eventsPerSecond)
                figures.add("append.\(batchSize).sqlite.events", Double(sqlRun.events))
                let blockBytes = Int(logRun.batchBytes.rounded())
                for preallocated in [true, false] {
                    let syncs = try MachineReferences.syncLoop(
                        path: path("raw-sync"), blockBytes: blockBytes, count: logRun.appends,
                        preallocated: preallocated)
                    figures.add(
                        "append.\(batchSize).raw.\(preallocated ? "preallocated" : "extending")",
                        syncs * Double(batchSize))
                }
                figures.add("append.\(batchSize).blockBytes", Double(blockBytes))
            }
        }
    }

    // MARK: - 2. Concurrent appenders

    private func measureConcurrentAppends() async throws {
        let events = Array(history.prefix(options.appenders * options.appendsPerAppender))
        var logLanes = Array(repeating: [StreamAppend](), count: options.appenders)
        var sqlLanes = Array(repeating: [StatementArguments](), count: options.appenders)
        for event in events {
            let lane = Int(stableHash(event.stream) % UInt64(options.appenders))
            logLanes[lane].append(contentsOf: [event].streamAppends())
            sqlLanes[lane].append(SQLiteEventTable.arguments(of: event))
        }
        let oneLane = [events.map { [$0].streamAppends()[0] }]
        let laneSizes = logLanes.map(\.count)
        progress("lanes of \(laneSizes.min() ?? 0) to \(laneSizes.max() ?? 0) appends: \(laneSizes)")
        for repetition in 1...options.repetitions {
            progress(
                "\(options.appenders) concurrent appenders, \(events.count) single-event appends: run \(repetition)")
            remove("concurrent-log")
            let oneRun = try await clinicLog.appendConcurrently(
                oneLane, directory: path("concurrent-log"), seconds: options.appendSeconds)
            figures.add("concurrent.cliniclog.one", oneRun.eventsPerSecond)
            remove("concurrent-log")
            let logRun = try await clinicLog.appendConcurrently(
                logLanes, directory: path("concurrent-log"), seconds: options.appendSeconds)
            remove("concurrent-log")
            figures.add("concurrent.cliniclog", logRun.eventsPerSecond)
            figures.add("concurrent.cliniclog.events", Double(logRun.events))
            remove("concurrent.sqlite")
            let sqlRun = try sqlite.appendConcurrently(
                sqlLanes, path: path("concurrent.sqlite"), seconds: options.appendSeconds)
            remove("concurrent.sqlite")
            figures.add("concurrent.sqlite", sqlRun.eventsPerSecond)
            figures.add("concurrent.sqlite.events", Double(sqlRun.events))
        }
    }

    // MARK: - 3. Reads

    private var storeEvents: [HistoryEvent] { Array(history.prefix(options.events)) }

    private func loadStores() throws {
        let events = storeEvents
        progress("loading \(events.count) events into both stores (1000 per durable append / transaction)")
        sizes.clinicLogLoadSeconds = try clinicLog.load(events, batch: 1_000, directory: path("store-log"))
        sizes.sqliteLoadSeconds = try sqlite.load(events, batch: 1_000, path: path("store.sqlite"))
        machine.sqlite = (try? sqlite.version(path: path("store.sqlite"))) ?? "unknown"
        history = []
    }

    private func measureReads() throws {
        sizes.payloadFile = try clinicLog.writePayloadFile(directory: path("store-log"), to: path("payload.bin"))
        for repetition in 1...options.repetitions {
            progress("read and decode \(options.events) events: run \(repetition)")
            let logDecode = try clinicLog.scanAndDecode(directory: path("store-log"))
            let sqlDecode = try sqlite.scanAndDecode(path: path("store.sqlite"))
            guard logDecode.events == options.events, sqlDecode.events == options.events,
                logDecode.checksum == sqlDecode.checksum
            else {
                throw CompareError(
                    "the stores decoded different events: \(logDecode.events) and \(sqlDecode.events) events")
            }
            figures.add("decode.cliniclog", Double(logDecode.events) / logDecode.seconds)
            figures.add("decode.sqlite", Double(sqlDecode.events) / sqlDecode.seconds)
            let logScan = try clinicLog.scan(directory: path("store-log"))
            let sqlScan = try sqlite.scan(path: path("store.sqlite"))
            figures.add("scan.cliniclog", Double(logScan.events) / logScan.seconds)
            figures.add("scan.cliniclog.megabytes", Double(logScan.bytes) / 1e6 / logScan.seconds)
            figures.add("scan.sqlite", Double(sqlScan.events) / sqlScan.seconds)
            progress("lz4 -b1 on the \(sizes.payloadFile) payload bytes: run \(repetition)")
            let lz4 = try MachineReferences.lz4Benchmark(file: path("payload.bin"))
            figures.add("lz4.decompress", lz4.decompressMBPerSecond)
            figures.add("lz4.compress", lz4.compressMBPerSecond)
        }
        remove("payload.bin")
    }

    /// The four office views rebuilt from every event: the same fold on one thread fed by each store, and the fold as
    /// `clinic rebuild` runs it; all three must end with the same state hashes.
    private func measureRebuilds() throws {
        guard let keyring else { throw CompareError("the history has no keyring") }
        for repetition in 1...options.repetitions {
            progress("rebuild of the four views from \(options.events) events: run \(repetition)")
            let log = try clinicLog.rebuildOnOneThread(directory: path("store-log"), keyring: keyring)
            let sql = try sqlite.rebuild(path: path("store.sqlite"), keyring: keyring)
            let product = try clinicLog.rebuildAsClinicDoes(directory: path("store-log"), keyring: keyring)
            guard log.events == options.events, sql.events == options.events, product.events == options.events,
                log.hashes == sql.hashes, product.hashes == log.hashes
            else {
                throw CompareError(
                    "the rebuilds differ: \(log.events), \(sql.events) and \(product.events) events, same views: "
                        + "\(log.hashes == sql.hashes) and \(product.hashes == log.hashes)")
            }
            figures.add("rebuild.cliniclog", Double(log.events) / log.seconds)
            figures.add("rebuild.sqlite", Double(sql.events) / sql.seconds)
            figures.add("rebuild.cliniclog.product", Double(product.events) / product.seconds)
        }
    }

    // MARK: - 4. One patient's history

    private func measurePatientHistories() throws {
        var counts: [Int] = []
        for repetition in 1...options.repetitions {
            progress(
                "one patient's history among \(options.events) events, \(patients.count) patients: run \(repetition)")
            var logCold: [Double] = []
            var sqlCold: [Double] = []
            var logWarm: [Double] = []
            var sqlWarm: [Double] = []
            let warmReader = LogReader(directory: path("store-log"))
            let warmQueue = try sqlite.openReader(path: path("store.sqlite"))
            for patient in patients {
                var start = ContinuousClock.now
                let logCount = try clinicLog.patientHistory(patient, reader: LogReader(directory: path("store-log")))
                logCold.append(secondsSince(start) * 1_000)
                start = ContinuousClock.now
                let queue = try sqlite.openReader(path: path("store.sqlite"))
                let sqlCount = try sqlite.patientHistory(patient, queue: queue)
                try queue.close()
                sqlCold.append(secondsSince(start) * 1_000)
                guard logCount == sqlCount else {
                    throw CompareError("the stores hold \(logCount) and \(sqlCount) events of one patient")
                }
                counts.append(logCount)
                start = ContinuousClock.now
                _ = try clinicLog.patientHistory(patient, reader: warmReader)
                logWarm.append(secondsSince(start) * 1_000)
                start = ContinuousClock.now
                _ = try sqlite.patientHistory(patient, queue: warmQueue)
                sqlWarm.append(secondsSince(start) * 1_000)
            }
            try warmQueue.close()
            figures.add("patient.cold.cliniclog", medianOf(logCold))
            figures.add("patient.cold.sqlite", medianOf(sqlCold))
            figures.add("patient.warm.cliniclog", medianOf(logWarm))
            figures.add("patient.warm.sqlite", medianOf(sqlWarm))
        }
        sizes.meanEventsPerPatientQuery = Double(counts.reduce(0, +)) / Double(max(1, counts.count))
    }

    // MARK: - 5. Sizes

    private func measureSizes() throws {
        progress("sizes on disk, and the same events as JSON lines")
        let disk = try clinicLog.diskBytes(directory: path("store-log"))
        sizes.clinicLogBatches = disk.batches
        sizes.clinicLogIndexes = disk.indexes
        sizes.clinicLogOther = disk.other
        sizes.clinicLogAllocated = disk.allocated
        sizes.sqliteFile = try SQLiteEventTable.open(path: path("store.sqlite")).fileBytes()
        guard let keyring else { throw CompareError("the history's keyring is missing") }
        let json = try clinicLog.jsonLineBytes(directory: path("store-log"), keyring: keyring, events: options.events)
        sizes.jsonLines = json.bytes
        sizes.events = json.events
    }

    // MARK: - 6. Verification against sha256sum

    private func measureVerification() throws {
        let segments = try clinicLog.segmentFiles(directory: path("store-log"))
        try clinicLog.cutPreallocation(directory: path("store-log"))
        for repetition in 1...options.repetitions {
            progress("LogVerifier and sha256sum over the segment files: run \(repetition)")
            let verified = try clinicLog.verify(directory: path("store-log"))
            figures.add("verify.cliniclog", Double(verified.bytes) / 1e6 / verified.seconds)
            let hashed = try MachineReferences.sha256sum(files: segments)
            figures.add("verify.sha256sum", Double(hashed.bytes) / 1e6 / hashed.seconds)
        }
    }
}

/// FNV-1a of the string's UTF-8: the same lane for a stream in every run (Swift's `hashValue` is seeded per process).
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return hash
}

/// Opens the log in `directory`, reads a stream's version, appends one event durably and closes, `runs` times (each
/// with a new event id); returns the milliseconds of each run.
func measureOpenAppendClose(directory: String, runs: Int, logger: Logger) throws -> [Double] {
    var milliseconds: [Double] = []
    let first = UInt64(Date().timeIntervalSince1970 * 1_000)
    for number in 0..<runs {
        let start = ContinuousClock.now
        let log = try RecordLog.open(directory: directory, configuration: LogConfiguration(logger: logger))
        _ = log.version(of: "office")
        _ = try log.appendAndWait([
            StreamAppend(
                stream: "bench-open", expectedVersion: .any,
                events: [
                    AppendEvent(eventID: EventID(high: 0xB0_0000, low: first + UInt64(number)), payload: [1, 2, 3])
                ])
        ])
        log.close()
        milliseconds.append(secondsSince(start) * 1_000)
    }
    return milliseconds
}
