import ClinicEvents
import Foundation
import Logging
import OfficeHistory
import RecordLog
import Synchronization

/// What a full pass over a store read: the events, the bytes, and a checksum of the decoded envelopes that must be
/// the same for both stores (so both decoded the same events).
struct ReadPass {
    var events = 0
    var bytes: Int64 = 0
    var checksum: Int64 = 0
    var seconds = 0.0
    /// The CPU time of the reading thread, in seconds (the same pass; less sensitive to other load on the machine).
    var cpuSeconds = 0.0
}

/// What an append measurement did: events and appends (or transactions) made, and the seconds they took.
struct AppendRun {
    var events = 0
    var appends = 0
    var seconds = 0.0
    /// ClinicLog only: the average bytes of a stored batch.
    var batchBytes = 0.0
    /// ClinicLog only: the CPU time of the whole process (the appending thread and the commit queue) meanwhile.
    var cpuSeconds = 0.0

    var eventsPerSecond: Double { Double(events) / seconds }
}

/// The ClinicLog half of every measurement: `RecordLog` with its default configuration (64 MiB preallocated
/// segments, fdatasync on every append, group commit), `LogReader` and `EventCodec`.
struct ClinicLogSide {
    let codec: EventCodec
    let logger: Logger

    /// Appends the batches in order with `appendAndWait` (one durable append each, expected versions checked) into a
    /// new log, until all are stored or `seconds` have passed; returns the events stored, the seconds, the appends
    /// made and the average bytes of a stored batch (header and compressed records).
    func append(
        _ batches: [[StreamAppend]], directory: String, seconds limit: Double
    ) throws -> AppendRun {
        let log = try RecordLog.open(directory: directory, configuration: LogConfiguration(logger: logger))
        let start = ContinuousClock.now
        let cpuStart = processCPUSeconds()
        let deadline = start + .milliseconds(Int(limit * 1_000))
        var run = AppendRun()
        for batch in batches {
            let result = try log.appendAndWait(batch)
            precondition(!result.alreadyStored, "a benchmark append was answered as already stored")
            run.events += result.positions.count
            run.appends += 1
            if ContinuousClock.now >= deadline { break }
        }
        run.seconds = secondsSince(start)
        run.cpuSeconds = processCPUSeconds() - cpuStart
        let summary = try log.reader().storageSummary()
        log.close()
        run.batchBytes = Double(summary.storedBytes) / Double(max(1, summary.batches))
        return run
    }

    /// Runs one task per lane, each awaiting `append` of its single-event appends in turn (group commit shares the
    /// fdatasyncs), until the first lane has no appends left (so that every lane appends throughout: lanes by stream
    /// differ in length) or `seconds` have passed; returns the appends made and the seconds until the last one was
    /// durable.
    func appendConcurrently(
        _ lanes: [[StreamAppend]], directory: String, seconds limit: Double
    ) async throws -> AppendRun {
        let log = try RecordLog.open(directory: directory, configuration: LogConfiguration(logger: logger))
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(limit * 1_000))
        let stop = StopFlag()
        let appends = try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in lanes {
                group.addTask {
                    var count = 0
                    for append in lane {
                        _ = try await log.append([append])
                        count += 1
                        if ContinuousClock.now >= deadline || stop.isRaised { return count }
                    }
                    stop.raise()
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        var run = AppendRun()
        run.seconds = secondsSince(start)
        run.events = appends
        run.appends = appends
        log.close()
        return run
    }

    /// Loads `events` into a new log in durable appends of `batch` events, as `tools/generate-events` does.
    func load(_ events: [HistoryEvent], batch: Int, directory: String) throws -> Double {
        let writer = try HistoryLogWriter(directory: directory, logger: logger)
        let start = ContinuousClock.now
        var index = 0
        while index < events.count {
            let end = min(index + batch, events.count)
            try writer.append(events[index..<end])
            index = end
        }
        let seconds = secondsSince(start)
        writer.close()
        return seconds
    }

    /// Reads every record in order through `forEachRecordView` (a new reader, so nothing is cached), touching each
    /// payload but decoding nothing; `bytes` counts the records as framed in the batch payloads (length + record).
    func scan(directory: String) throws -> ReadPass {
        var pass = ReadPass()
        let start = ContinuousClock.now
        let cpuStart = threadCPUSeconds()
        try LogReader(directory: directory).forEachRecordView { view in
            pass.events += 1
            pass.bytes += Int64(4 + view.bytes.count)
            pass.checksum &+= Int64(view.payload.count)
            return true
        }
        pass.seconds = secondsSince(start)
        pass.cpuSeconds = threadCPUSeconds() - cpuStart
        return pass
    }

    /// Reads and decodes every event in order: `forEachRecordView`, then `EventCodec.decode` of the payload in place
    /// with `keyring` (by default none: patient data withheld, the clear part only), on the calling thread.
    func scanAndDecode(directory: String, opening keyring: PatientKeyring? = nil) throws -> ReadPass {
        var pass = ReadPass()
        var failure: (any Error)?
        let start = ContinuousClock.now
        let cpuStart = threadCPUSeconds()
        try LogReader(directory: directory).forEachRecordView { view in
            do {
                let decoded = try codec.decode(view.payload, opening: keyring)
                pass.checksum &+= decoded.envelope.effectiveTimeMicroseconds
            } catch {
                failure = error
                return false
            }
            pass.events += 1
            return true
        }
        pass.seconds = secondsSince(start)
        pass.cpuSeconds = threadCPUSeconds() - cpuStart
        if let failure { throw failure }
        return pass
    }

    /// Reads and decodes one patient's events: `records(inStream:)` of each of the patient's streams, merged in log
    /// order, each decoded as above. Returns the events read.
    func patientHistory(_ patientID: EventID, reader: LogReader) throws -> Int {
        var records: [LogRecord] = []
        for stream in patientStreams(of: patientID) { records += try reader.records(inStream: stream) }
        records.sort { $0.position < $1.position }
        var checksum: Int64 = 0
        for record in records {
            checksum &+= try codec.decode(record.payload, opening: nil).envelope.effectiveTimeMicroseconds
        }
        precondition(checksum != 0 || records.isEmpty)
        return records.count
    }

    /// Verifies the whole log with `LogVerifier` (checksums, framing, manifest, indexes rebuilt and compared, Merkle
    /// root at each checkpoint); returns the segment bytes it checked and the seconds.
    func verify(directory: String) throws -> (bytes: Int64, seconds: Double) {
        let start = ContinuousClock.now
        let report = try LogVerifier(directory: directory).verify()
        let seconds = secondsSince(start)
        precondition(report.isValid, "the benchmark log does not verify: \(report.problems)")
        return (report.segmentBytes, seconds)
    }

    /// Writes the log's uncompressed batch payloads (each record as a u32 length and its bytes, in order) to `path`,
    /// for `lz4 -b` to measure LZ4's own speed on exactly the bytes the log decompresses. Returns the bytes written.
    func writePayloadFile(directory: String, to path: String) throws -> Int64 {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let file = FileHandle(forWritingAtPath: path)
        else {
            throw CompareError("the payload file \(path) could not be created")
        }
        defer { try? file.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8 << 20)
        var total: Int64 = 0
        try LogReader(directory: directory).forEachRecordView { view in
            withUnsafeBytes(of: UInt32(view.bytes.count).littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: view.bytes)
            if buffer.count >= 8 << 20 {
                file.write(Data(buffer))
                total += Int64(buffer.count)
                buffer.removeAll(keepingCapacity: true)
            }
            return true
        }
        file.write(Data(buffer))
        return total + Int64(buffer.count)
    }

    /// The bytes of every event as a JSON line (`EventJSONLine`, patient data opened with `keyring`), line feeds
    /// included, and the number of events; the two halves of the log are rendered on two threads.
    func jsonLineBytes(directory: String, keyring: PatientKeyring, events total: Int) throws -> (
        bytes: Int64, events: Int
    ) {
        let middle = UInt64(total / 2)
        let halves = [0..<middle, middle..<UInt64.max]
        let results = Mutex<[(bytes: Int64, events: Int, failure: String?)]>([])
        let codec = self.codec
        DispatchQueue.concurrentPerform(iterations: halves.count) { half in
            let range = halves[half]
            var bytes: Int64 = 0
            var events = 0
            var failure: String?
            do {
                try LogReader(directory: directory).forEachRecordView(from: range.lowerBound) { view in
                    guard range.contains(view.position) else { return false }
                    do {
                        let decoded = try codec.decode(view.payload, opening: keyring)
                        precondition(!decoded.patientDataWithheld, "the keyring could not open a generated event")
                        bytes += Int64(
                            EventJSONLine.line(
                                position: view.position, streamVersion: view.streamVersion, decoded: decoded
                            ).utf8.count + 1)
                    } catch {
                        failure = "\(error)"
                        return false
                    }
                    events += 1
                    return true
                }
            } catch {
                failure = "\(error)"
            }
            results.withLock { $0.append((bytes, events, failure)) }
        }
        let all = results.withLock { $0 }
        if let failure = all.compactMap(\.failure).first {
            throw CompareError("rendering JSON lines failed: \(failure)")
        }
        return (all.reduce(0) { $0 + $1.bytes }, all.reduce(0) { $0 + $1.events })
    }

    /// The log's bytes on disk: the stored batches (headers and compressed records, not the preallocated zeros past
    /// the last one), the index files, the other files (manifest, checkpoints, lock), and the blocks the directory
    /// occupies with the active segment's preallocation (`du`).
    func diskBytes(directory: String) throws -> (batches: Int64, indexes: Int64, other: Int64, allocated: Int64) {
        let summary = try LogReader(directory: directory).storageSummary()
        var indexes: Int64 = 0
        var other: Int64 = 0
        var allocated: Int64 = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            var info = stat()
            guard stat(directory + "/" + name, &info) == 0 else { continue }
            allocated += Int64(info.st_blocks) * 512
            if name.hasSuffix(".index") {
                indexes += Int64(info.st_size)
            } else if !name.hasSuffix(".segment") {
                other += Int64(info.st_size)
            }
        }
        return (summary.storedBytes, indexes, other, allocated)
    }

    /// Cuts the preallocated zeros off the log's last segment, leaving it as a log written without preallocation
    /// would be, so that a verification and `sha256sum` read the same bytes, all of them data: sealed segments are
    /// already cut to their data, so the last one's data is the stored batch bytes that the others do not hold.
    func cutPreallocation(directory: String) throws {
        let files = try segmentFiles(directory: directory)
        guard let last = files.last else { return }
        let sealedBytes = try files.dropLast().reduce(Int64(0)) { total, file in
            total + ((try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0)
        }
        let dataBytes = try LogReader(directory: directory).storageSummary().storedBytes - sealedBytes
        guard truncate(last, off_t(dataBytes)) == 0 else {
            throw CompareError("\(last) could not be cut to its \(dataBytes) data bytes (errno \(errno))")
        }
    }

    /// The segment files of the log, in order.
    func segmentFiles(directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }.sorted()
            .map { directory + "/" + $0 }
    }
}

/// Seconds from `start` to now.
func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// A failure of the comparison run, with what went wrong.
struct CompareError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A flag that concurrent lanes raise when one of them is done, so that the others stop too.
final class StopFlag: Sendable {
    private let raised = Atomic(false)

    /// Whether a lane is done.
    var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Tells the other lanes to stop.
    func raise() { raised.store(true, ordering: .relaxed) }
}

/// The CPU time of the whole process so far, in seconds (every thread, user and system).
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The CPU time the calling thread has used, in seconds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Measures `LogVerifier.verify` of the log in `directory` against `sha256sum` over its segment files, alternating,
/// `runs` times (after cutting the last segment's preallocated zeros, as the full run does); returns the lines to print.
func measureVerification(directory: String, runs: Int, logger: Logger) throws -> [String] {
    let side = ClinicLogSide(codec: try EventCodec(), logger: logger)
    try side.cutPreallocation(directory: directory)
    let segments = try side.segmentFiles(directory: directory)
    var lines: [String] = []
    var verifyRates: [Double] = []
    var shaRates: [Double] = []
    for run in 1...runs {
        let start = ContinuousClock.now
        let report = try LogVerifier(directory: directory).verify()
        let seconds = secondsSince(start)
        guard report.isValid else { throw CompareError("the log does not verify: \(report.problems)") }
        let hashed = try MachineReferences.sha256sum(files: segments)
        let verifyRate = Double(report.segmentBytes) / 1e6 / seconds
        let shaRate = Double(hashed.bytes) / 1e6 / hashed.seconds
        verifyRates.append(verifyRate)
        shaRates.append(shaRate)
        lines.append(
            String(
                format: "run %d: LogVerifier.verify %.1f MB in %.3f s = %.1f MB/s, %.0f records/s; "
                    + "sha256sum %.1f MB in %.3f s = %.1f MB/s; ratio %.0f%%",
                run, Double(report.segmentBytes) / 1e6, seconds, verifyRate, Double(report.recordCount) / seconds,
                Double(hashed.bytes) / 1e6, hashed.seconds, shaRate, 100 * verifyRate / shaRate))
    }
    let verify = medianOf(verifyRates)
    let sha = medianOf(shaRates)
    lines.append(
        String(
            format: "median: LogVerifier.verify %.1f MB/s, sha256sum %.1f MB/s, ratio %.0f%%", verify, sha,
            100 * verify / sha))
    return lines
}

/// Measures the read side of the log in `directory`, `runs` times in turn: read and decode of every event (patient
/// data withheld, as the full run does), read without decoding against `lz4 -b1` on the log's payload bytes, and
/// `LogVerifier.verify` against `sha256sum` over its segment files (after cutting the last segment's preallocated
/// zeros, as the full run does), each only when `measuring` names it (`decode`, `read`, `verify`); returns the lines
/// to print, each run then the medians.
func measureReads(directory: String, runs: Int, measuring: Set<String>, logger: Logger) throws -> [String] {
    let side = ClinicLogSide(codec: try EventCodec(), logger: logger)
    try side.cutPreallocation(directory: directory)
    let segments = try side.segmentFiles(directory: directory)
    let payloadPath = directory + ".payload.bin"
    if measuring.contains("read") { _ = try side.writePayloadFile(directory: directory, to: payloadPath) }
    defer { try? FileManager.default.removeItem(atPath: payloadPath) }
    var figures = Figures()
    var lines: [String] = []
    for run in 1...runs {
        var values: [(String, Double)] = []
        if measuring.contains("decode") {
            let decode = try side.scanAndDecode(directory: directory)
            values += [
                ("decode events/s", Double(decode.events) / decode.seconds),
                ("decode events/s of thread CPU", Double(decode.events) / decode.cpuSeconds),
            ]
        }
        if measuring.contains("read") {
            let scan = try side.scan(directory: directory)
            let lz4 = try MachineReferences.lz4Benchmark(file: payloadPath)
            values += [
                ("read events/s", Double(scan.events) / scan.seconds),
                ("read MB/s", Double(scan.bytes) / 1e6 / scan.seconds),
                ("read MB/s of thread CPU", Double(scan.bytes) / 1e6 / scan.cpuSeconds),
                ("lz4 -b1 decompression MB/s", lz4.decompressMBPerSecond),
                ("read / lz4 %", 100 * Double(scan.bytes) / 1e6 / scan.seconds / lz4.decompressMBPerSecond),
            ]
        }
        if measuring.contains("verify") {
            let start = ContinuousClock.now
            let cpuStart = processCPUSeconds()
            let report = try LogVerifier(directory: directory).verify()
            let seconds = secondsSince(start)
            let cpuSeconds = processCPUSeconds() - cpuStart
            guard report.isValid else { throw CompareError("the log does not verify: \(report.problems)") }
            let hashed = try MachineReferences.sha256sum(files: segments)
            values += [
                ("verify MB/s", Double(report.segmentBytes) / 1e6 / seconds),
                ("verify MB/s of process CPU (both threads)", Double(report.segmentBytes) / 1e6 / cpuSeconds),
                ("sha256sum MB/s", Double(hashed.bytes) / 1e6 / hashed.seconds),
                (
                    "verify / sha256sum %",
                    100 * (Double(report.segmentBytes) / seconds) / (Double(hashed.bytes) / hashed.seconds)
                ),
            ]
        }
        for (name, value) in values { figures.add(name, value) }
        lines.append("run \(run): " + values.map { "\($0.0) \(String(format: "%.0f", $0.1))" }.joined(separator: ", "))
    }
    lines.append(
        "median: " + figures.names.map { "\($0) \(String(format: "%.0f", figures.median($0)))" }.joined(separator: ", ")
    )
    return lines
}
