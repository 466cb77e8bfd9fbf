import Benchmark
import Logging
import RecordLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The performance suite of the RecordLog engine (see ../../README.md for what each benchmark measures).
//
// Every benchmark works in a fresh directory under $TMPDIR (or /tmp) on the real disk, through PosixFileSystem, with
// the default configuration: 64 MiB preallocated segments. Appends are durable (fdatasync) when they return.

/// Metrics that the benchmarks report besides package-benchmark's own, computed from the time each iteration took.
enum SuiteMetric {
    /// Events appended or read per second, per iteration.
    static let eventsPerSecond = BenchmarkMetric.custom(
        "eventsPerSecond", polarity: .prefersLarger, useScalingFactor: false)
    /// Durable appends per second, per iteration.
    static let appendsPerSecond = BenchmarkMetric.custom(
        "appendsPerSecond", polarity: .prefersLarger, useScalingFactor: false)
    /// Uncompressed record bytes (as framed in a batch payload) read per second, in units of 10^6 bytes.
    static let megabytesPerSecond = BenchmarkMetric.custom(
        "uncompressedMBPerSecond", polarity: .prefersLarger, useScalingFactor: false)
    /// The time one append took to become durable, from the call to its return, for every append.
    static let appendLatencyMicroseconds = BenchmarkMetric.custom(
        "appendLatencyMicroseconds", polarity: .prefersSmaller, useScalingFactor: false)
    /// Write system calls per 1000 appends (Linux): the engine writes each commit group with one `pwrite` followed by
    /// one `fdatasync`, so 1000 divided by this is the mean number of appends that share an fdatasync.
    static let writeCallsPerThousandAppends = BenchmarkMetric.custom(
        "writeCallsPer1000Appends", polarity: .prefersSmaller, useScalingFactor: false)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 3,
        maxDuration: .seconds(5),
        maxIterations: 100_000
    )
    registerAppendBenchmarks()
    registerReadBenchmarks()
    registerReferenceBenchmarks()
}

// MARK: - Appends

/// The sizes of the workloads.
enum RecordLogWorkload {
    static let eventsPerBulkAppend = 1_000
    static let patientsPerBulkAppend = 100
    static let concurrentAppenders = 8
    static let appendsPerAppenderPerIteration = 125
    static let readLogEventCount = 1_000_000
    static let readLogStreamCount = 20_000
}

func registerAppendBenchmarks() {
    // At most 500 appends (about 40 MB of segment): the whole run stays in the first segment, which holds about
    // 840k of these events. The next benchmark measures the same append once a segment is sealed, when idempotency
    // checks also consult the sealed segment's event ids.
    let bulk = AppendFixture(seed: 1)
    Benchmark(
        "Append: 1000 events per durable append",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal, SuiteMetric.eventsPerSecond],
            scalingFactor: .kilo,
            maxIterations: 500)
    ) { benchmark in
        try bulk.appendBulkMeasured(benchmark)
    } setup: {
        try bulk.open()
    } teardown: {
        bulk.close()
    }

    let bulkAfterRoll = AppendFixture(seed: 7)
    Benchmark(
        "Append: 1000 events per durable append, 1 sealed segment",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, SuiteMetric.eventsPerSecond],
            scalingFactor: .kilo,
            maxIterations: 300)
    ) { benchmark in
        try bulkAfterRoll.appendBulkMeasured(benchmark)
    } setup: {
        try bulkAfterRoll.open()
        try bulkAfterRoll.fillFirstSegment()
    } teardown: {
        bulkAfterRoll.close()
    }

    let single = AppendFixture(seed: 2)
    Benchmark(
        "Append: 1 event per durable append (appendAndWait)",
        configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal])
    ) { benchmark in
        let appends = single.makeSingleAppend()
        benchmark.startMeasurement()
        let result = try single.log.appendAndWait(appends)
        benchmark.stopMeasurement()
        precondition(result.positions.count == 1)
    } setup: {
        try single.open()
    } teardown: {
        single.close()
    }

    let concurrent = AppendFixture(seed: 3)
    Benchmark(
        "Append: 8 concurrent appenders, 1 event per append (group commit)",
        configuration: .init(
            metrics: [
                .throughput, .wallClock, .mallocCountTotal, SuiteMetric.appendsPerSecond,
                SuiteMetric.appendLatencyMicroseconds, SuiteMetric.writeCallsPerThousandAppends,
            ],
            scalingFactor: .kilo,
            maxDuration: .seconds(8))
    ) { benchmark in
        let log = concurrent.log!
        let events = (0..<RecordLogWorkload.concurrentAppenders).map { _ in
            (0..<RecordLogWorkload.appendsPerAppenderPerIteration).map { _ in concurrent.makeSingleAppend() }
        }
        let writeCallsBefore = writeSystemCallCount()
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for appenderEvents in events {
                group.addTask {
                    var latencies: [Duration] = []
                    latencies.reserveCapacity(appenderEvents.count)
                    for appends in appenderEvents {
                        let appendStart = ContinuousClock.now
                        _ = try await log.append(appends)
                        latencies.append(ContinuousClock.now - appendStart)
                    }
                    return latencies
                }
            }
            var all: [Duration] = []
            for try await appenderLatencies in group { all += appenderLatencies }
            return all
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        benchmark.measurement(SuiteMetric.appendsPerSecond, perSecond(latencies.count, in: elapsed))
        if let before = writeCallsBefore, let after = writeSystemCallCount() {
            benchmark.measurement(SuiteMetric.writeCallsPerThousandAppends, (after - before) * 1000 / latencies.count)
        }
        for latency in latencies {
            benchmark.measurement(SuiteMetric.appendLatencyMicroseconds, microseconds(latency))
        }
    } setup: {
        try concurrent.open()
    } teardown: {
        concurrent.close()
    }
}

/// A log opened for appends in a scratch directory, and the clinic events to append to it.
final class AppendFixture {
    private(set) var log: RecordLog!
    private var directory: ScratchDirectory?
    private var events: ClinicEventFactory

    init(seed: UInt64) {
        events = ClinicEventFactory(seed: seed)
    }

    func open() throws {
        let directory = try ScratchDirectory()
        self.directory = directory
        log = try RecordLog.open(directory: directory.path + "/log", configuration: quietConfiguration())
    }

    func close() {
        log?.close()
        log = nil
        directory?.remove()
        directory = nil
    }

    /// Appends bulk appends until the log seals its first segment (when the segment's index file appears).
    func fillFirstSegment() throws {
        let indexPath = log.directory + "/00000000000000000000.index"
        while access(indexPath, F_OK) != 0 {
            _ = try log.appendAndWait(makeBulkAppend())
        }
    }

    /// Measures one bulk append, reporting its events per second.
    func appendBulkMeasured(_ benchmark: Benchmark) throws {
        let appends = makeBulkAppend()
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let result = try log.appendAndWait(appends)
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        precondition(result.positions.count == RecordLogWorkload.eventsPerBulkAppend)
        benchmark.measurement(
            SuiteMetric.eventsPerSecond, perSecond(RecordLogWorkload.eventsPerBulkAppend, in: elapsed))
    }

    /// One event for one patient, as a front desk appends it.
    func makeSingleAppend() -> [StreamAppend] {
        [StreamAppend(stream: events.makePatientStream(), expectedVersion: .any, events: [events.makeEvent()])]
    }

    /// A day's events of a practice imported at once: 1000 events for 100 patients, 10 each.
    func makeBulkAppend() -> [StreamAppend] {
        let eventsPerPatient = RecordLogWorkload.eventsPerBulkAppend / RecordLogWorkload.patientsPerBulkAppend
        return (0..<RecordLogWorkload.patientsPerBulkAppend).map { _ in
            StreamAppend(
                stream: events.makePatientStream(), expectedVersion: .any,
                events: (0..<eventsPerPatient).map { _ in events.makeEvent() })
        }
    }
}

// MARK: - Reads

func registerReadBenchmarks() {
    for style in [SequentialReadStyle.records, .recordViews] {
        let sequential = ReadFixture(seed: 4)
        Benchmark(
            style.benchmarkName,
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal, SuiteMetric.eventsPerSecond, SuiteMetric.megabytesPerSecond],
                timeUnits: .milliseconds,
                warmupIterations: 1,
                maxDuration: .seconds(10),
                maxIterations: 8)
        ) { benchmark in
            let reader = sequential.reader!
            var recordCount = 0
            var payloadBytes = 0
            benchmark.startMeasurement()
            let start = ContinuousClock.now
            switch style {
            case .records:
                try reader.forEachRecord(from: 0) { record in
                    recordCount += 1
                    payloadBytes &+= record.payload.count
                    return true
                }
            case .recordViews:
                try reader.forEachRecordView(from: 0) { view in
                    recordCount += 1
                    payloadBytes &+= view.payload.count
                    return true
                }
            }
            let elapsed = ContinuousClock.now - start
            benchmark.stopMeasurement()
            precondition(recordCount == RecordLogWorkload.readLogEventCount, "read \(recordCount) records")
            blackHole(payloadBytes)
            benchmark.measurement(SuiteMetric.eventsPerSecond, perSecond(recordCount, in: elapsed))
            benchmark.measurement(
                SuiteMetric.megabytesPerSecond, perSecond(sequential.framedRecordBytes, in: elapsed) / 1_000_000)
        } setup: {
            try sequential.open()
            if style == .records, let dumpPath = ReadFixture.payloadDumpPath {
                try sequential.dumpFramedRecords(to: dumpPath)
            }
        } teardown: {
            sequential.close()
        }
    }

    let streams = ReadFixture(seed: 5)
    Benchmark(
        "Read: one random stream of 20k (records(inStream:))",
        configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal], maxDuration: .seconds(8))
    ) { benchmark in
        let stream = streams.makeRandomStream()
        benchmark.startMeasurement()
        let records = try streams.reader.records(inStream: stream)
        benchmark.stopMeasurement()
        precondition(!records.isEmpty, "stream \(stream) has no records")
    } setup: {
        try streams.open()
    } teardown: {
        streams.close()
    }
}

/// How the sequential-read benchmarks go through the log.
enum SequentialReadStyle {
    /// `forEachRecord`: an owned `LogRecord` per record (its payload copied into an array).
    case records
    /// `forEachRecordView`: a view of the record's bytes in the decompressed batch, nothing allocated per record.
    case recordViews

    var benchmarkName: String {
        switch self {
        case .records: "Read: all 1M events in order (forEachRecord)"
        case .recordViews: "Read: all 1M events in order (forEachRecordView)"
        }
    }
}

/// A closed log of 1M clinic events over 20k patient streams, written once before the measured iterations.
final class ReadFixture {
    /// When set, the sequential-read benchmark writes its log's records, framed as in batch payloads, to this file
    /// (for `lz4 -b1`).
    static let payloadDumpPath: String? = getenv("RECORDLOG_BENCHMARK_PAYLOAD_FILE").map { String(cString: $0) }

    /// The bytes of a record before its stream id and payload (docs/log-format.md, section 6.1).
    static let recordFixedBytes = 42

    private(set) var reader: LogReader!
    /// The records' bytes as framed in the batch payloads (length prefix and record), summed: what LZ4 expands to.
    private(set) var framedRecordBytes = 0
    private var directory: ScratchDirectory?
    private var events: ClinicEventFactory

    init(seed: UInt64) {
        events = ClinicEventFactory(seed: seed)
    }

    func open() throws {
        let directory = try ScratchDirectory()
        self.directory = directory
        let path = directory.path + "/log"
        let log = try RecordLog.open(directory: path, configuration: quietConfiguration())
        defer { log.close() }
        let appendCount = RecordLogWorkload.readLogEventCount / RecordLogWorkload.eventsPerBulkAppend
        for _ in 0..<appendCount {
            var byStream: [Int: [AppendEvent]] = [:]
            for _ in 0..<RecordLogWorkload.eventsPerBulkAppend {
                let patient = events.makePatientNumber(below: RecordLogWorkload.readLogStreamCount)
                let event = events.makeEvent()
                framedRecordBytes +=
                    4 + Self.recordFixedBytes + ClinicEventFactory.patientStream(patient).utf8.count
                    + event.payload.count
                byStream[patient, default: []].append(event)
            }
            let appends = byStream.sorted { $0.key < $1.key }.map { patient, events in
                StreamAppend(stream: ClinicEventFactory.patientStream(patient), expectedVersion: .any, events: events)
            }
            _ = try log.appendAndWait(appends)
        }
        reader = log.reader()
    }

    func close() {
        reader = nil
        directory?.remove()
        directory = nil
    }

    /// A stream chosen at random among the 20k.
    func makeRandomStream() -> String {
        ClinicEventFactory.patientStream(events.makePatientNumber(below: RecordLogWorkload.readLogStreamCount))
    }

    /// Writes every record as a batch payload frames it (u32 LE length, then the record bytes) to `path`.
    func dumpFramedRecords(to path: String) throws {
        let descriptor = SystemCall.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ScratchError.systemCall("open", errno) }
        defer { _ = SystemCall.close(descriptor) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        try reader.forEachRecordView(from: 0) { view in
            appendLittleEndian(UInt32(view.bytes.count), to: &buffer)
            buffer.append(contentsOf: view.bytes)
            return true
        }
        precondition(buffer.count == framedRecordBytes, "framed \(buffer.count) bytes, counted \(framedRecordBytes)")
        try buffer.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let written = SystemCall.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                guard written > 0 else { throw ScratchError.systemCall("write", errno) }
                done += written
            }
        }
    }
}

func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value, to buffer: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
}

// MARK: - The machine's limit

func registerReferenceBenchmarks() {
    for layout in [RawSyncFile.Layout.appending, .preallocated] {
        let file = RawSyncFile(layout: layout)
        let name =
            switch layout {
            case .appending: "Reference: pwrite 200 B at the end of a file + fdatasync"
            case .preallocated: "Reference: pwrite 200 B into a preallocated file + fdatasync"
            }
        Benchmark(name, configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal])) { _ in
            try file.writeRecordAndSync()
        } setup: {
            try file.open()
        } teardown: {
            file.close()
        }
    }
}

/// A plain file that takes 200-byte records, each made durable with fdatasync: what one durable append costs at least.
final class RawSyncFile {
    enum Layout {
        /// Each record extends the file, so fdatasync also writes the new size.
        case appending
        /// The file is zero-filled to 64 MiB and synced first, as the log preallocates a segment; records overwrite it.
        case preallocated
    }

    static let recordBytes = 200
    static let preallocatedBytes = 64 << 20

    let layout: Layout
    private var directory: ScratchDirectory?
    private var descriptor: Int32 = -1
    private var offset = 0
    private let record: [UInt8]

    init(layout: Layout) {
        self.layout = layout
        var events = ClinicEventFactory(seed: 6)
        var record: [UInt8] = []
        while record.count < Self.recordBytes { record += events.makeEvent().payload }
        self.record = Array(record.prefix(Self.recordBytes))
    }

    func open() throws {
        let directory = try ScratchDirectory()
        self.directory = directory
        let path = directory.path + "/records"
        descriptor = SystemCall.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ScratchError.systemCall("open", errno) }
        offset = 0
        if layout == .preallocated {
            let zeros = [UInt8](repeating: 0, count: 1 << 20)
            for chunk in 0..<(Self.preallocatedBytes / zeros.count) {
                try write(zeros, at: chunk * zeros.count)
            }
            guard fsync(descriptor) == 0 else { throw ScratchError.systemCall("fsync", errno) }
        }
        try directory.sync()
    }

    func writeRecordAndSync() throws {
        if layout == .preallocated, offset + Self.recordBytes > Self.preallocatedBytes { offset = 0 }
        try write(record, at: offset)
        offset += Self.recordBytes
        guard fdatasync(descriptor) == 0 else { throw ScratchError.systemCall("fdatasync", errno) }
    }

    func close() {
        if descriptor >= 0 { _ = SystemCall.close(descriptor) }
        descriptor = -1
        directory?.remove()
        directory = nil
    }

    private func write(_ bytes: [UInt8], at offset: Int) throws {
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard written == bytes.count else { throw ScratchError.systemCall("pwrite", errno) }
    }
}

// MARK: - Clinic events

/// Makes fake clinic events, about 150 bytes of JSON each with varying numbers, from a seeded generator so that every
/// run writes the same bytes.
struct ClinicEventFactory {
    private var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    static func patientStream(_ patient: Int) -> String {
        "patient-" + zeroPadded(patient, width: 6)
    }

    mutating func makePatientNumber(below count: Int) -> Int {
        Int.random(in: 0..<count, using: &generator)
    }

    mutating func makePatientStream() -> String {
        Self.patientStream(makePatientNumber(below: 1_000_000))
    }

    mutating func makeEvent() -> AppendEvent {
        AppendEvent(eventID: EventID.random(using: &generator), payload: Array(makePayloadText().utf8))
    }

    private mutating func makePayloadText() -> String {
        let patient = "P-" + zeroPadded(number(0..<1_000_000), width: 6)
        let time =
            "2026-" + zeroPadded(number(1...12), width: 2) + "-" + zeroPadded(number(1...28), width: 2) + "T"
            + zeroPadded(number(7...19), width: 2) + ":" + zeroPadded(number(0...59), width: 2) + ":"
            + zeroPadded(number(0...59), width: 2) + "Z"
        let provider = "dr-" + zeroPadded(number(1...40), width: 3)
        let recorded = #""recordedBy":"staff-\#(zeroPadded(number(1...250), width: 4))","at":"\#(time)""#
        switch number(0..<4) {
        case 0:
            let reasons = ["follow-up", "new patient", "annual physical", "lab results", "vaccination"]
            return #"{"kind":"checkIn","patient":"\#(patient)","provider":"\#(provider)","room":"B\#(number(1...24))","#
                + #""reason":"\#(reasons[number(0..<reasons.count)])",\#(recorded)}"#
        case 1:
            let codes = ["99213", "99214", "99396", "90471", "36415", "81002"]
            return #"{"kind":"postCharge","patient":"\#(patient)","code":"\#(codes[number(0..<codes.count)])","#
                + #""amountCents":\#(number(1_500...45_000)),"payer":"ins-\#(zeroPadded(number(1...300), width: 4))","#
                + #"\#(recorded)}"#
        case 2:
            return #"{"kind":"recordVitals","patient":"\#(patient)","bp":"\#(number(95...165))/\#(number(55...105))","#
                + #""pulse":\#(number(48...120)),"tempDeciC":\#(number(360...392)),"#
                + #""weightGrams":\#(number(3_000...140_000)),\#(recorded)}"#
        default:
            return #"{"kind":"closeVisit","patient":"\#(patient)","provider":"\#(provider)","#
                + #""minutes":\#(number(5...60)),"followUpDays":\#(number(0...90)),\#(recorded)}"#
        }
    }

    private mutating func number(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }

    private mutating func number(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
}

func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// SplitMix64: a small, fast, seeded generator.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

// MARK: - Support

/// The default configuration, with a logger that drops everything.
func quietConfiguration() -> LogConfiguration {
    LogConfiguration(logger: Logger(label: "cliniclog.benchmarks", factory: { _ in SwiftLogNoOpLogHandler() }))
}

func perSecond(_ count: Int, in elapsed: Duration) -> Int {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0
}

func microseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds) * 1_000_000 + Int(duration.components.attoseconds / 1_000_000_000_000)
}

/// The number of write system calls the process has made (`syscw` in /proc/self/io); nil where there is no such file.
func writeSystemCallCount() -> Int? {
    let descriptor = SystemCall.open("/proc/self/io", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { _ = SystemCall.close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 512)
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return nil }
    let text = String(decoding: buffer[..<count], as: UTF8.self)
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("syscw:") }) else { return nil }
    return Int(line.dropFirst("syscw:".count).trimmingPrefix(" "))
}

/// The C library functions whose names Swift code here shadows, on either platform.
enum SystemCall {
    static func open(_ path: String, _ flags: Int32, _ permissions: mode_t = 0) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags, permissions)
        #else
        Darwin.open(path, flags, permissions)
        #endif
    }

    static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }
}

enum ScratchError: Error {
    case systemCall(String, Int32)
}

/// A new, empty directory under $TMPDIR (or /tmp), removed with everything in it by ``remove()``.
struct ScratchDirectory {
    let path: String

    init() throws {
        let parent = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((parent + "/cliniclog-benchmark-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw ScratchError.systemCall("mkdtemp", errno) }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// fsyncs the directory, so that files created in it are durable.
    func sync() throws {
        let descriptor = SystemCall.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ScratchError.systemCall("open", errno) }
        defer { _ = SystemCall.close(descriptor) }
        guard fsync(descriptor) == 0 else { throw ScratchError.systemCall("fsync", errno) }
    }

    /// Removes the directory and everything under it.
    func remove() {
        removeTree(path)
    }

    private func removeTree(_ path: String) {
        guard let directory = opendir(path) else {
            _ = unlink(path)
            return
        }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(directory)
        for name in names {
            let child = path + "/" + name
            var status = stat()
            if lstat(child, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
                removeTree(child)
            } else {
                _ = unlink(child)
            }
        }
        _ = rmdir(path)
    }
}
