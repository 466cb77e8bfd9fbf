import Foundation
import RecordLogTesting
import XCTest

@testable import RecordLog

/// Stream look-ups of `LogReader` across many sealed segments: they must return exactly what a full scan filtered by
/// stream returns, whatever the indexes hold, and read only the index parts they need.
final class LogReaderTests: XCTestCase {
    private let directory = "/clinic/log"
    private let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())

    private func open(_ fileSystem: any FileSystem) throws -> RecordLog {
        try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedRandomSource())
    }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    /// Appends `count` events in appends of one to four events over one or two of `streams` streams, chosen by
    /// `generator`; every fifth event does not compress, so segments fill and seal quickly.
    private func appendRandomly(
        _ log: RecordLog, count: Int, streams: Int, first: Int, generator: inout SeededGenerator
    ) throws {
        var number = first
        while number < first + count {
            var appends: [StreamAppend] = []
            for _ in 0..<(generator.next(below: 4) == 0 ? 2 : 1) {
                let events = (0..<(1 + generator.next(below: 4))).map { offset -> AppendEvent in
                    let event = number + offset
                    return event % 5 == 4 ? makeIncompressibleEvent(event, payloadBytes: 200) : makeEvent(event)
                }
                number += events.count
                appends.append(
                    StreamAppend(
                        stream: "stream-\(generator.next(below: streams))", expectedVersion: .any, events: events))
            }
            _ = try log.appendAndWait(appends)
        }
    }

    private func expected(_ all: [LogRecord], _ streams: [String], fromVersion: UInt64 = 1) -> [LogRecord] {
        all.filter { streams.contains($0.stream) && $0.streamVersion >= fromVersion }
    }

    /// A look-up told where the wanted versions begin (`fromPosition`) gives the same records and does not consult
    /// the segments that end at or before that position: with those segments' files gone, it still answers.
    func testAStreamLookupFromAPositionSkipsTheSegmentsBeforeIt() throws {
        var generator = SeededGenerator(seed: 9)
        let fileSystem = SimulatedFileSystem(seed: 9)
        let log = try open(fileSystem)
        try appendRandomly(log, count: 400, streams: 6, first: 0, generator: &generator)
        log.close()
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        let all = try reader.records()
        let sealed = try Manifest.decode(XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))).get().sealed
        XCTAssertGreaterThan(sealed.count, 4)
        for stream in (0..<6).map({ "stream-\($0)" }) {
            let records = expected(all, [stream])
            for record in records {
                XCTAssertEqual(
                    try reader.records(
                        inStream: stream, fromVersion: record.streamVersion, fromPosition: record.position),
                    expected(all, [stream], fromVersion: record.streamVersion), "\(stream) v\(record.streamVersion)")
            }
        }
        // The first sealed segments are damaged and their indexes gone: a look-up from a position after them never
        // opens their files, while one from the start reads them and finds the damage.
        for segment in sealed.prefix(3) {
            let name = path(SegmentFile.name(base: segment.basePosition))
            fileSystem.setContents(Array(repeating: 0xEE, count: fileSystem.contents(of: name)?.count ?? 64), of: name)
            try fileSystem.remove(path(SegmentFile.indexName(base: segment.basePosition)))
        }
        let after = sealed[3].basePosition
        let later = try XCTUnwrap(all.first { $0.position >= after })
        XCTAssertEqual(
            try reader.records(inStream: later.stream, fromVersion: later.streamVersion, fromPosition: later.position),
            expected(all, [later.stream], fromVersion: later.streamVersion))
        XCTAssertThrowsError(try reader.records(inStream: later.stream, fromVersion: later.streamVersion))
    }

    func testStreamLookupsAcrossManySealedSegmentsEqualAFilteredFullScan() throws {
        for seed in [UInt64(1), 2, 3] {
            var generator = SeededGenerator(seed: seed)
            let fileSystem = SimulatedFileSystem(seed: seed)
            let log = try open(fileSystem)
            try appendRandomly(log, count: 400, streams: 12, first: 0, generator: &generator)
            let kept = LogReader(directory: directory, fileSystem: fileSystem)
            let all = try kept.records()
            let sealed = try Manifest.decode(XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))).get().sealed
            XCTAssertGreaterThan(sealed.count, 10, "seed \(seed): the streams are spread over many segments")
            for _ in 0..<20 {
                let streams = (0..<(1 + generator.next(below: 4))).map { _ in "stream-\(generator.next(below: 14))" }
                let fromVersion = UInt64(1 + generator.next(below: 3) * generator.next(below: 10))
                let context = "seed \(seed), streams \(streams), from version \(fromVersion)"
                XCTAssertEqual(
                    try kept.records(inStreams: streams, fromVersion: fromVersion),
                    expected(all, streams, fromVersion: fromVersion), context)
                XCTAssertEqual(
                    try LogReader(directory: directory, fileSystem: fileSystem).records(inStreams: streams),
                    expected(all, streams), context)
                XCTAssertEqual(try kept.records(inStream: streams[0]), expected(all, [streams[0]]), context)
            }
            // More appends seal more segments and grow the last one; the reader that kept sealed parts sees them all.
            try appendRandomly(log, count: 150, streams: 12, first: 10_000, generator: &generator)
            log.close()
            let longer = try kept.records()
            XCTAssertGreaterThanOrEqual(longer.count, all.count + 150)
            let streams = (0..<12).map { "stream-\($0)" }
            XCTAssertEqual(try kept.records(inStreams: streams), expected(longer, streams), "seed \(seed)")
            XCTAssertEqual(
                try kept.records(inStreams: ["stream-3", "stream-3", "stream-5"]),
                expected(longer, ["stream-3", "stream-5"]), "a stream named twice is read once; seed \(seed)")
            XCTAssertEqual(try kept.records(inStreams: []), [])
            XCTAssertEqual(try kept.records(inStream: "patient-unknown"), [])
        }
    }

    /// A log of many sealed segments, closed, and the full scan of it.
    private func makeClosedLog(_ fileSystem: SimulatedFileSystem) throws -> [LogRecord] {
        var generator = SeededGenerator(seed: 9)
        let log = try open(fileSystem)
        try appendRandomly(log, count: 300, streams: 6, first: 0, generator: &generator)
        log.close()
        return try LogReader(directory: directory, fileSystem: fileSystem).records()
    }

    /// Flips a byte of part `number` of the index file `name`, leaving its header intact.
    private func damagePart(_ number: Int, of name: String, in fileSystem: SimulatedFileSystem) throws {
        var bytes = try XCTUnwrap(fileSystem.contents(of: path(name)))
        let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        bytes[Int(header.part(number).lowerBound)] ^= 0x20
        fileSystem.setContents(bytes, of: path(name))
    }

    func testALookupReadsTheSegmentWhereTheIndexIsMissingOrAPartIsDamaged() throws {
        let fileSystem = SimulatedFileSystem(seed: 4)
        let all = try makeClosedLog(fileSystem)
        try fileSystem.remove(path(SegmentFile.indexName(base: 0)))
        let bases = try SegmentFile.bases(in: directory, fileSystem: fileSystem)
        XCTAssertGreaterThan(bases.count, 8)
        for (number, part) in [1, 2, 3, 4].enumerated() {
            try damagePart(part, of: SegmentFile.indexName(base: bases[number + 1]), in: fileSystem)
        }
        try damagePart(2, of: SegmentFile.indexName(base: bases[bases.count - 1]), in: fileSystem)
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        for stream in (0..<6).map({ "stream-\($0)" }) {
            XCTAssertEqual(try reader.records(inStream: stream), expected(all, [stream]), stream)
        }
        XCTAssertEqual(try reader.record(at: all[all.count / 2].position), all[all.count / 2])
        XCTAssertEqual(
            try reader.firstPosition(recordedAtOrAfter: all[200].recordedTimeMicroseconds),
            all.first { $0.recordedTimeMicroseconds >= all[200].recordedTimeMicroseconds }?.position)
        let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify()
        XCTAssertEqual(
            Set(report.problems.compactMap { $0.location.file.hasSuffix(".index") ? $0.location.file : nil }),
            Set([0, 1, 2, 3, 4, bases.count - 1].map { SegmentFile.indexName(base: bases[$0]) }),
            "the verifier names every damaged or missing index: \(report.problems)")
    }

    func testAnIndexThatListsAnotherRecordOfTheSegmentIsCorruption() throws {
        let fileSystem = SimulatedFileSystem(seed: 5)
        let all = try makeClosedLog(fileSystem)
        let name = SegmentFile.indexName(base: 0)
        var bytes = try XCTUnwrap(fileSystem.contents(of: path(name)))
        let index = try SegmentIndex.decode(bytes).get()
        // A stream with two records and a record of another stream before its second, chosen in name order (the
        // index's dictionary order changes from run to run, and once picked a stream this test could not use).
        let (stream, entry, other) = try XCTUnwrap(
            index.streams.sorted { $0.key < $1.key }.lazy.compactMap { stream, entry in
                all.first { $0.position < index.nextPosition && $0.stream != stream }
                    .flatMap {
                        entry.positions.count >= 2 && $0.position < entry.positions[1] ? (stream, entry, $0) : nil
                    }
            }.first)
        // The stream's first delta made to point at a record of another stream, with the entry's CRC repaired.
        let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        let directoryPart = header.part(3)
        let entries = try bytes.withUnsafeBytes { raw in
            try IndexFileParts.directory(
                UnsafeRawBufferPointer(rebasing: raw[Int(directoryPart.lowerBound)..<Int(directoryPart.upperBound)]),
                at: directoryPart.lowerBound, header: header
            ).get()
        }
        let number = try XCTUnwrap(entries.firstIndex { $0.hash == BloomFilter.hash(Array(stream.utf8)) })
        let range = IndexFileParts.entryRange(number, in: entries, header: header)
        let firstDelta = Int(range.lowerBound) + 2 + stream.utf8.count + 12
        XCTAssertEqual(
            bytes.withUnsafeBytes { $0.littleEndian(at: firstDelta, as: UInt32.self) }, UInt32(entry.positions[0]))
        bytes.setLittleEndian(UInt32(other.position - index.basePosition), at: firstDelta)
        let checksum = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[Int(range.lowerBound)..<Int(range.upperBound) - 4]))
        }
        bytes.setLittleEndian(checksum, at: Int(range.upperBound) - 4)
        fileSystem.setContents(bytes, of: path(name))
        XCTAssertThrowsError(try LogReader(directory: directory, fileSystem: fileSystem).records(inStream: stream)) {
            guard case .corruption(let location, let reason) = $0 as? RecordLogError else { return XCTFail("\($0)") }
            XCTAssertEqual(location.file, SegmentFile.name(base: 0))
            XCTAssertEqual(location.positions, other.position..<other.position + 1)
            XCTAssertEqual(reason, "the index lists a record the segment does not hold")
        }
    }

    /// An event of `payloadBytes` that do not compress, made eight bytes at a time (splitmix64).
    private static func largeIncompressibleEvent(_ number: Int, payloadBytes: Int) -> AppendEvent {
        var state = UInt64(number) &* 0x9E37_79B9_7F4A_7C15
        var payload = [UInt8](repeating: 0, count: payloadBytes)
        payload.withUnsafeMutableBytes { bytes in
            for offset in stride(from: 0, to: payloadBytes - 7, by: 8) {
                state &+= 0x9E37_79B9_7F4A_7C15
                var mixed = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
                mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
                bytes.storeBytes(of: mixed ^ (mixed >> 31), toByteOffset: offset, as: UInt64.self)
            }
        }
        return AppendEvent(
            eventID: EventID(high: 0xB16_0000_0000_0000 | UInt64(number), low: UInt64(number)), payload: payload)
    }

    /// A full read goes through the segment in chunks that start at the first batch the previous chunk did not hold
    /// whole: batches that straddle chunk boundaries, and batches larger than the largest chunk (4 MiB), must all be
    /// read, in order, from any start position, exactly as they were appended.
    func testReadsCrossChunkBoundariesAndBatchesLargerThanAChunk() throws {
        let fileSystem = SimulatedFileSystem()
        let configuration = makeConfiguration(segmentBytesMax: 64 << 20, preallocate: false)
        let log = try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedRandomSource())
        var appended: [AppendEvent] = []
        var number = 0
        func append(_ events: [AppendEvent]) throws {
            _ = try log.appendAndWait([
                StreamAppend(stream: "stream-\(number % 3)", expectedVersion: .any, events: events)
            ])
            appended += events
        }
        // Small batches first, so chunks of 64 KiB, 128 KiB ... end inside batches.
        for _ in 0..<300 {
            try append([makeIncompressibleEvent(number, payloadBytes: 700), makeEvent(number + 1)])
            number += 2
        }
        // One batch of about 6 MiB: more than the largest chunk.
        try append((0..<6).map { Self.largeIncompressibleEvent(number + $0, payloadBytes: 1 << 20) })
        number += 6
        for _ in 0..<50 {
            try append([makeIncompressibleEvent(number, payloadBytes: 3000)])
            number += 1
        }
        log.close()

        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        let all = try reader.records()
        XCTAssertEqual(all.map(\.payload), appended.map(\.payload))
        XCTAssertEqual(all.map(\.eventID), appended.map(\.eventID))
        XCTAssertEqual(all.map(\.position), Array(0..<UInt64(appended.count)))
        for start in [UInt64(0), 1, 299, 600, 603, 606, 640, UInt64(appended.count - 1)] {
            var positions: [UInt64] = []
            var viewed: [[UInt8]] = []
            try reader.forEachRecordView(from: start) { view in
                positions.append(view.position)
                viewed.append([UInt8](view.payload))
                return true
            }
            XCTAssertEqual(positions, Array(start..<UInt64(appended.count)), "from \(start)")
            XCTAssertEqual(viewed, appended[Int(start)...].map(\.payload), "from \(start)")
        }
        XCTAssertEqual(try reader.endPosition(), UInt64(appended.count))
        XCTAssertTrue(try LogVerifier(directory: directory, fileSystem: fileSystem).verify().isValid)
    }

    func testTheEndPositionReadsOnlyWhatTheActiveSegmentsIndexDoesNotCover() throws {
        let fileSystem = SimulatedFileSystem(seed: 12)
        let bigSegments = makeConfiguration(segmentBytesMax: 1 << 20, clock: TestClock())
        var generator = SeededGenerator(seed: 12)
        let log = try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: bigSegments, randomSource: FixedRandomSource())
        try appendRandomly(log, count: 2_000, streams: 6, first: 0, generator: &generator)
        log.close()  // leaves the index of the active segment
        let active = try XCTUnwrap(LogReader(directory: directory, fileSystem: fileSystem).segments().last)
        let segmentBytes = try XCTUnwrap(fileSystem.contents(of: path(active.name))).count
        let written = UInt64(try LogReader(directory: directory, fileSystem: fileSystem).records().count)
        let stored = try LogReader(directory: directory, fileSystem: fileSystem).storageSummary().storedBytes
        XCTAssertGreaterThan(stored, 200_000, "a scan of the whole segment would read far more than the bound below")

        let closed = CountingFileSystem(fileSystem)
        XCTAssertEqual(try LogReader(directory: directory, fileSystem: closed).endPosition(), written)
        XCTAssertLessThan(closed.bytesRead(of: path(active.name)), 70_000, "only the zeros after the indexed bytes")

        // Appends after the index was written are read, and only they.
        let reopened = try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: bigSegments, randomSource: FixedRandomSource())
        try appendRandomly(reopened, count: 30, streams: 6, first: Int(written), generator: &generator)
        let all = UInt64(try LogReader(directory: directory, fileSystem: fileSystem).records().count)
        XCTAssertGreaterThanOrEqual(all, written + 30)
        let counting = CountingFileSystem(fileSystem)
        XCTAssertEqual(try LogReader(directory: directory, fileSystem: counting).endPosition(), all)
        XCTAssertLessThan(counting.bytesRead(of: path(active.name)), 70_000, "only the appends after the index")
        XCTAssertGreaterThan(segmentBytes, 200_000, "the segment holds far more than was read")
        reopened.close()
    }

    func testAReaderWhoseSegmentShrankSinceItOpenedItReadsWhatIsThereAndStops() throws {
        // A reader that opens the active segment (preallocated) just before the writer seals it and cuts its tail
        // sees a size larger than the file: its reads come back short. It once read the missing bytes again
        // forever (found by RecordLogTests.testAReaderSeesAConsistentPrefixWhileTheWriterAppends hanging).
        let fileSystem = SimulatedFileSystem(seed: 14)
        let all = try makeClosedLog(fileSystem)
        let shrunk = CountingFileSystem(fileSystem, segmentSizeSurplus: 8_192)
        let reader = LogReader(directory: directory, fileSystem: shrunk)
        XCTAssertEqual(try reader.records(), all)
        XCTAssertEqual(try reader.endPosition(), UInt64(all.count))
    }

    func testAStreamLookupReadsOnlyTheIndexPartsItNeeds() throws {
        let simulated = SimulatedFileSystem(seed: 6)
        _ = try makeClosedLog(simulated)
        let counting = CountingFileSystem(simulated)
        let reader = LogReader(directory: directory, fileSystem: counting)
        _ = try reader.records(inStream: "stream-2")
        for name in try simulated.contentsOfDirectory(directory) where name.hasSuffix(SegmentFile.indexSuffix) {
            let bytes = try XCTUnwrap(simulated.contents(of: path(name)))
            let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
            let read = counting.bytesRead(of: path(name))
            XCTAssertLessThan(
                read, Int(header.part(5).lowerBound), "\(name): the event filter and table are never read")
            XCTAssertGreaterThanOrEqual(read, Int(header.part(2).lowerBound), "\(name): header and stream filter")
        }
        let before = counting.totalBytesRead()
        _ = try reader.records(inStream: "stream-2")
        let indexBytesSecondTime = counting.totalBytesRead(suffix: SegmentFile.indexSuffix) - before
        XCTAssertLessThan(indexBytesSecondTime, 1_000, "a kept reader reuses the sealed parts it read")
    }
}

/// A file system that counts the bytes read from each file, over another one.
final class CountingFileSystem: FileSystem, @unchecked Sendable {
    private let base: any FileSystem
    private let counts = NSLock()
    private var bytesByPath: [String: Int] = [:]
    /// Added to the size of every segment file: as if each had been opened before the writer cut its tail.
    let segmentSizeSurplus: Int64

    init(_ base: any FileSystem, segmentSizeSurplus: Int64 = 0) {
        self.base = base
        self.segmentSizeSurplus = segmentSizeSurplus
    }

    func bytesRead(of path: String) -> Int { counts.withLock { bytesByPath[path] ?? 0 } }

    func totalBytesRead(suffix: String = "") -> Int {
        counts.withLock { bytesByPath.filter { $0.key.hasSuffix(suffix) }.values.reduce(0, +) }
    }

    fileprivate func record(_ count: Int, of path: String) {
        counts.withLock { bytesByPath[path, default: 0] += count }
    }

    func open(_ path: String, mode: FileOpenMode) throws(FileSystemError) -> any OpenFile {
        CountingFile(try base.open(path, mode: mode), path: path, owner: self)
    }
    func exists(_ path: String) -> Bool { base.exists(path) }
    func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String] {
        try base.contentsOfDirectory(path)
    }
    func createDirectory(_ path: String) throws(FileSystemError) { try base.createDirectory(path) }
    func rename(_ source: String, to destination: String) throws(FileSystemError) {
        try base.rename(source, to: destination)
    }
    func remove(_ path: String) throws(FileSystemError) { try base.remove(path) }
    func syncDirectory(_ path: String) throws(FileSystemError) { try base.syncDirectory(path) }
    func lockExclusively(_ path: String, timeoutMilliseconds: Int) throws(FileSystemError) -> any FileLock {
        try base.lockExclusively(path, timeoutMilliseconds: timeoutMilliseconds)
    }
}

private final class CountingFile: OpenFile, @unchecked Sendable {
    private let file: any OpenFile
    private let path: String
    private let owner: CountingFileSystem

    init(_ file: any OpenFile, path: String, owner: CountingFileSystem) {
        self.file = file
        self.path = path
        self.owner = owner
    }

    func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
        let bytes = try file.read(at: offset, count: count)
        owner.record(bytes.count, of: path)
        return bytes
    }
    func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) { try file.write(bytes, at: offset) }
    func sync() throws(FileSystemError) { try file.sync() }
    func size() throws(FileSystemError) -> Int64 {
        try file.size() + (path.hasSuffix(SegmentFile.suffix) ? owner.segmentSizeSurplus : 0)
    }
    func truncate(to size: Int64) throws(FileSystemError) { try file.truncate(to: size) }
    func close() { file.close() }
}

/// The read window of `LogReader.forEachBatch(in:...)`: one buffer kept for a whole segment, refilled from the batch
/// the last read cut. Whatever the window sizes, a segment must read exactly as a scan of its whole bytes does, and a
/// read must never see the bytes an earlier read left in the buffer.
final class LogReaderWindowTests: XCTestCase {
    private let directory = "/clinic/log"
    /// Window sizes from a few bytes (a refill per batch, windows smaller than one header) to the reader's own.
    private let windows: [ClosedRange<Int>] = [
        1...1, 7...64, 100...300, 1_000...4_096, 3_000...3_000,
        LogReader.readWindowBytes,
    ]

    /// `batchCount` batches of 1 to 30 records of 1 to 2,000 bytes each, compressible or not, from position 0: sizes rise and
    /// fall from one batch to the next, and the fourth batch is larger than the largest test window but the reader's.
    private func makeBatches(seed: UInt64, count batchCount: Int = 24) -> [[UInt8]] {
        var generator = SeededGenerator(seed: seed)
        var position: UInt64 = 0
        var batches: [[UInt8]] = []
        for number in 0..<batchCount {
            let count = number == 3 ? 30 : 1 + generator.next(below: 12)
            let records = (0..<count).map { index -> LogRecord in
                let bytes = number == 3 ? 2_000 : 1 + generator.next(below: 600)
                let compressible = generator.next(below: 2) == 0
                let payload = (0..<bytes).map { byte -> UInt8 in
                    compressible ? UInt8(byte % 4) : UInt8(truncatingIfNeeded: generator.next(below: 256))
                }
                return LogRecord(
                    position: position + UInt64(index), recordedTimeMicroseconds: Int64(position) * 10 + Int64(index),
                    stream: "stream-\(index % 3)", streamVersion: UInt64(number + 1),
                    eventID: EventID(high: position, low: UInt64(index)), payload: payload)
            }
            position += UInt64(count)
            batches.append(BatchCodec.encode(records))
        }
        return batches
    }

    /// The records `forEachBatch(in:)` hands out (record bytes, in order) and the position it returns.
    private func read(
        _ fileSystem: any FileSystem, isLast: Bool, window: ClosedRange<Int>
    ) throws(RecordLogError) -> (records: [[UInt8]], end: UInt64) {
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        let segment = LogReader.SegmentView(base: 0, name: SegmentFile.name(base: 0), isLast: isLast)
        var records: [[UInt8]] = []
        let end = try reader.forEachBatch(in: segment, expectedBase: 0, windowBytes: window) { batch in
            batch.forEachRecordBytes { records.append(Array($0)) }
            return true
        }
        return (records, end)
    }

    /// The record bytes of the whole batches among `bytes`, by a scan of all of them at once.
    private func wholeScan(_ bytes: [UInt8]) -> (records: [[UInt8]], scan: SegmentScan) {
        var records: [[UInt8]] = []
        let scan = bytes.withUnsafeBytes { raw in
            SegmentScan.scan(raw, basePosition: 0, previousRecordedTime: .min) { _, batch in
                batch.forEachRecordBytes { records.append(Array($0)) }
            }
        }
        return (records, scan)
    }

    func testEveryWindowReadsTheSegmentAsAScanOfItsWholeBytes() throws {
        for seed in [UInt64(1), 2] {
            let bytes = makeBatches(seed: seed).flatMap { $0 }
            let expected = wholeScan(bytes)
            XCTAssertEqual(expected.scan.end, .endOfFile)
            for tail in [[], [UInt8](repeating: 0, count: 5_000)] {
                let fileSystem = SimulatedFileSystem(seed: seed)
                fileSystem.setContents(bytes + tail, of: joinPath(directory, SegmentFile.name(base: 0)))
                for window in windows {
                    for isLast in [false, true] {
                        let read = try read(fileSystem, isLast: isLast, window: window)
                        let context = "seed \(seed), window \(window), \(tail.count) zeros after, last: \(isLast)"
                        XCTAssertEqual(read.records, expected.records, context)
                        XCTAssertEqual(read.end, expected.scan.nextPosition, context)
                    }
                }
            }
        }
    }

    /// Every cut of a segment, read through a file system that fills each read's buffer with the uncut segment's bytes
    /// at the same offsets before reading: were any bytes past a read's end scanned, the cut batch would come back
    /// whole. The last segment must end at the last whole batch; a sealed one must name the cut batch as damaged.
    func testACutSegmentNeverReadsWhatAnEarlierReadLeftInTheBuffer() throws {
        let batches = makeBatches(seed: 3)
        let bytes = batches.flatMap { $0 }
        var cuts: Set<Int> = []
        var boundary = 0
        for batch in batches {
            for delta in [-1, 0, 1, 30, 64, 65] where boundary + delta > 0 { cuts.insert(boundary + delta) }
            cuts.insert(boundary + batch.count / 2)
            boundary += batch.count
        }
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<40 { cuts.insert(1 + generator.next(below: bytes.count - 1)) }
        for cut in cuts.sorted() where cut < bytes.count {
            let kept = Array(bytes[0..<cut])
            let expected = wholeScan(kept)
            let simulated = SimulatedFileSystem(seed: 3)
            simulated.setContents(kept, of: joinPath(directory, SegmentFile.name(base: 0)))
            let fileSystem = PoisoningFileSystem(simulated, poison: bytes)
            for window in windows {
                let context = "cut at \(cut), window \(window)"
                let last = try read(fileSystem, isLast: true, window: window)
                XCTAssertEqual(last.records, expected.records, context)
                XCTAssertEqual(last.end, expected.scan.nextPosition, context)
                do {
                    let sealed = try read(fileSystem, isLast: false, window: window)
                    XCTAssertEqual(expected.scan.end, .endOfFile, "\(context): a sealed segment read past damage")
                    XCTAssertEqual(sealed.records, expected.records, context)
                } catch {
                    guard case .corruption(let location, let reason) = error else {
                        XCTFail("\(context): \(error)")
                        continue
                    }
                    XCTAssertEqual(reason, BatchDefect.truncated.description, context)
                    XCTAssertEqual(location.offset, Int64(expected.scan.validByteCount), context)
                    XCTAssertEqual(location.positions, expected.scan.nextPosition..<expected.scan.nextPosition + 1)
                }
            }
        }
    }

    /// A file that shrinks after the reader took its size (the writer sealed the segment and cut its preallocated
    /// tail): the reads come back short and the reader ends at what was read, through the window as before.
    func testAShortReadEndsTheSegmentWhereTheFileNowEnds() throws {
        let bytes = makeBatches(seed: 4).flatMap { $0 }
        let expected = wholeScan(bytes)
        let simulated = SimulatedFileSystem(seed: 4)
        simulated.setContents(bytes, of: joinPath(directory, SegmentFile.name(base: 0)))
        let fileSystem = CountingFileSystem(simulated, segmentSizeSurplus: 70_000)
        for window in windows {
            for isLast in [false, true] {
                let read = try read(fileSystem, isLast: isLast, window: window)
                XCTAssertEqual(read.records, expected.records, "window \(window), last: \(isLast)")
                XCTAssertEqual(read.end, expected.scan.nextPosition, "window \(window), last: \(isLast)")
            }
        }
    }

    /// A point read from the start of a segment reads only the first window.
    func testAPointReadReadsOnlyTheFirstWindow() throws {
        let bytes = makeBatches(seed: 5, count: 60).flatMap { $0 }
        XCTAssertGreaterThan(bytes.count, LogReader.readWindowBytes.lowerBound)
        let simulated = SimulatedFileSystem(seed: 5)
        simulated.setContents(bytes, of: joinPath(directory, SegmentFile.name(base: 0)))
        let fileSystem = CountingFileSystem(simulated)
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        let segment = LogReader.SegmentView(base: 0, name: SegmentFile.name(base: 0), isLast: true)
        try reader.forEachBatch(in: segment, expectedBase: 0) { _ in false }
        XCTAssertEqual(fileSystem.totalBytesRead(), LogReader.readWindowBytes.lowerBound)
    }
}

/// A file system whose reads into a buffer first fill it with `poison` at the same file offsets, as if an earlier read
/// of another version of the file had left them there.
private final class PoisoningFileSystem: FileSystem, @unchecked Sendable {
    private let base: any FileSystem
    let poison: [UInt8]

    init(_ base: any FileSystem, poison: [UInt8]) {
        self.base = base
        self.poison = poison
    }

    func open(_ path: String, mode: FileOpenMode) throws(FileSystemError) -> any OpenFile {
        PoisonedFile(try base.open(path, mode: mode), poison: poison)
    }
    func exists(_ path: String) -> Bool { base.exists(path) }
    func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String] {
        try base.contentsOfDirectory(path)
    }
    func createDirectory(_ path: String) throws(FileSystemError) { try base.createDirectory(path) }
    func rename(_ source: String, to destination: String) throws(FileSystemError) {
        try base.rename(source, to: destination)
    }
    func remove(_ path: String) throws(FileSystemError) { try base.remove(path) }
    func syncDirectory(_ path: String) throws(FileSystemError) { try base.syncDirectory(path) }
    func lockExclusively(_ path: String, timeoutMilliseconds: Int) throws(FileSystemError) -> any FileLock {
        try base.lockExclusively(path, timeoutMilliseconds: timeoutMilliseconds)
    }
}

private final class PoisonedFile: OpenFile, @unchecked Sendable {
    private let file: any OpenFile
    private let poison: [UInt8]

    init(_ file: any OpenFile, poison: [UInt8]) {
        self.file = file
        self.poison = poison
    }

    func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
        try file.read(at: offset, count: count)
    }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileSystemError) -> Int {
        let start = min(Int(offset), poison.count)
        let count = min(buffer.count, poison.count - start)
        poison.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<start + count])) }
        return try file.read(into: buffer, at: offset)
    }
    func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) { try file.write(bytes, at: offset) }
    func sync() throws(FileSystemError) { try file.sync() }
    func size() throws(FileSystemError) -> Int64 { try file.size() }
    func truncate(to size: Int64) throws(FileSystemError) { try file.truncate(to: size) }
    func close() { file.close() }
}
