import Foundation
import RecordLogTesting
import XCTest

@testable import RecordLog

/// Damage a disk can do to a closed log, position class by position class: one bit flipped in every field of every
/// kind of file (batch headers and payloads, index sections, the manifest, checkpoint entries) must be found by
/// `LogVerifier` and by opening or reading the log, named with its file and byte offset; and a segment cut at any
/// byte across a segment roll must either be refused as corruption (a sealed segment) or recovered to exactly the
/// whole batches before the cut (the active segment).
///
/// The suite samples: one flip (a seeded random byte and bit) per class of each structure, and the truncation
/// offsets at and next to every batch boundary plus seeded random ones. `CLINICLOG_SWEEP_FULL=1` flips one bit in
/// every byte of every file and cuts at every offset (docs/reliability.md gives the command and the result);
/// `CLINICLOG_SWEEP_SEED` changes the seed. Every failure message names the seed.
final class CorruptionSweepTests: XCTestCase {
    private static let isFull = ProcessInfo.processInfo.environment["CLINICLOG_SWEEP_FULL"] == "1"
    private static let seed = UInt64(ProcessInfo.processInfo.environment["CLINICLOG_SWEEP_SEED"] ?? "") ?? 20_251_201
    private let directory = "/clinic/log"
    private let signer = try! CheckpointSigner(privateKeyBytes: [UInt8](repeating: 6, count: 32))

    private let configuration = makeConfiguration(segmentBytesMax: 4096, clock: TestClock())

    private func open(_ fileSystem: SimulatedFileSystem) throws -> RecordLog {
        try RecordLog.open(
            directory: directory, fileSystem: fileSystem, configuration: configuration,
            randomSource: FixedRandomSource())
    }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    /// Appends `count` events, one append each over five streams, every seventh one incompressible (a raw batch).
    private func appendEvents(_ log: RecordLog, _ range: Range<Int>) throws {
        for number in range {
            let event = number % 7 == 6 ? makeIncompressibleEvent(number, payloadBytes: 300) : makeEvent(number)
            _ = try log.appendAndWait(single("stream-\(number % 5)", .any, event))
        }
    }

    // MARK: - Bit flips

    /// One class of byte positions in one file: what a flip there must be reported as.
    private struct FlipClass {
        enum Expectation {
            /// A batch of a sealed segment: found by the verifier and by a reader at the batch's offset.
            case sealedBatch(offset: Int64)
            /// A batch of the active segment, covered by the index `close()` wrote: found by the verifier (as a
            /// problem or an unfinished tail) and refused by open, at the batch's offset.
            case activeBatch(offset: Int64)
            /// The zeros after the active segment's data: garbage where a crash can leave it, a torn tail cut on open.
            case activeZeroTail(dataEnd: Int64)
            /// An index file's header (`crcAt` 4) or one of its parts or stream entries, whose CRC-32C is at `crcAt`
            /// and covers `covering`: the verifier reports it damaged at its magic or that checksum; open rebuilds a
            /// sealed segment's index when its header is damaged, and a look-up reads the segment instead of a
            /// damaged part.
            case index(crcAt: Int, covering: Range<Int>)
            /// The manifest: the verifier reports it damaged and open refuses the log.
            case manifest
            /// A checkpoint entry starting at `entry`: the verifier reports it; open cuts it if it is the last entry
            /// (a torn tail) and refuses the log otherwise.
            case checkpoint(entry: Int64, isLast: Bool)

            /// The kind of file, for counting the classes swept.
            var fileKind: String {
                switch self {
                case .sealedBatch: "sealed segment"
                case .activeBatch, .activeZeroTail: "active segment"
                case .index: "index"
                case .manifest: "manifest"
                case .checkpoint: "checkpoint"
                }
            }
        }

        var file: String
        var name: String
        var range: Range<Int>
        var expectation: Expectation
    }

    func testEveryBitFlipIsDetectedWithItsFileAndOffset() throws {
        let fileSystem = SimulatedFileSystem(seed: Self.seed)
        let log = try open(fileSystem)
        try appendEvents(log, 0..<40)
        _ = try log.checkpointAndWait(signer: signer)
        try appendEvents(log, 40..<75)
        _ = try log.checkpointAndWait(signer: signer)
        try appendEvents(log, 75..<80)
        log.close()
        XCTAssertEqual(try LogVerifier(directory: directory, fileSystem: fileSystem).verify().problems, [])

        var generator = SeededGenerator(seed: Self.seed)
        let classes = try flipClasses(fileSystem, generator: &generator)
        let classNames = Set(classes.map { "\($0.expectation.fileKind) \($0.name)" })
        XCTAssertGreaterThanOrEqual(classNames.count, 50, "every kind of field is swept: \(classNames.sorted())")
        var flips = 0
        for flipClass in classes {
            let offsets =
                Self.isFull
                ? Array(flipClass.range) : [flipClass.range.lowerBound + generator.next(below: flipClass.range.count)]
            for offset in offsets {
                let bit = generator.next(below: 8)
                try checkFlip(of: flipClass, at: offset, bit: bit, in: fileSystem)
                flips += 1
            }
        }
        print("CorruptionSweepTests: \(flips) bit flips in \(classes.count) classes, seed \(Self.seed)")
    }

    /// Classes whose flips, once their checksum is repaired, `LogVerifier` cannot see: a checksum field (repairing it
    /// undoes the flip).
    private static let unverifiedWhenResealed: Set<String> = [
        "batch checksum", "index header checksum", "index stream Bloom filter checksum", "index sparse checksum",
        "index stream directory checksum", "index stream entry checksum", "index event Bloom filter checksum",
        "index event entries checksum", "manifest checksum", "checkpoint checksum",
    ]

    func testAFlipWithItsChecksumRepairedIsStillCaughtByTheVerifiersCrossChecks() throws {
        let fileSystem = SimulatedFileSystem(seed: Self.seed)
        let log = try open(fileSystem)
        try appendEvents(log, 0..<40)
        _ = try log.checkpointAndWait(signer: signer)
        try appendEvents(log, 40..<75)
        _ = try log.checkpointAndWait(signer: signer)
        try appendEvents(log, 75..<80)
        log.close()
        var generator = SeededGenerator(seed: Self.seed &+ 1)
        let classes = try flipClasses(fileSystem, generator: &generator).filter {
            $0.name != "zero tail" && !Self.unverifiedWhenResealed.contains($0.name)
        }
        var flips = 0
        for flipClass in classes {
            let offsets =
                Self.isFull
                ? Array(flipClass.range) : [flipClass.range.lowerBound + generator.next(below: flipClass.range.count)]
            for offset in offsets {
                let bit = generator.next(below: 8)
                let context =
                    "flip of bit \(bit) at byte \(offset) of \(flipClass.file) (\(flipClass.name)) with its "
                    + "checksum repaired, seed \(Self.seed)"
                let copy = fileSystem.makeCopy()
                var bytes = try XCTUnwrap(copy.contents(of: path(flipClass.file)))
                bytes[offset] ^= 1 << UInt8(bit)
                resealChecksum(of: &bytes, after: flipClass.expectation)
                copy.setContents(bytes, of: path(flipClass.file))
                let report = try LogVerifier(directory: directory, fileSystem: copy).verify(
                    trustedPublicKeys: [signer.publicKey])
                XCTAssertTrue(!report.problems.isEmpty || report.unfinishedTail != nil, context)
                switch flipClass.name {
                case "index stream Bloom filter", "index event Bloom filter":
                    // Named by the index file and its segment; a flip in the filter's header breaks the part.
                    let segment = flipClass.file.replacingOccurrences(of: SegmentFile.indexSuffix, with: ".segment")
                    XCTAssertTrue(
                        report.problems.contains {
                            $0.location.file == flipClass.file
                                && ($0.reason.contains("its segment \(segment) in ") || $0.reason.contains("damaged"))
                        }, "\(report.problems); \(context)")
                case "manifest sealed last time":
                    XCTAssertTrue(
                        report.problems.contains {
                            $0.location.file.hasSuffix(".segment") && $0.reason.contains("in last recorded time")
                        }, "\(report.problems); \(context)")
                default:
                    break
                }
                flips += 1
            }
        }
        print(
            "CorruptionSweepTests: \(flips) bit flips with repaired checksums in \(classes.count) classes, seed \(Self.seed)"
        )
    }

    /// Writes the checksum that covers the flipped byte as a writer would have: the batch CRC, the checkpoint entry's
    /// CRC, or the file CRC of an index or the manifest.
    private func resealChecksum(of bytes: inout [UInt8], after expectation: FlipClass.Expectation) {
        switch expectation {
        case .sealedBatch(let offset), .activeBatch(let offset):
            let start = Int(offset)
            let stored = bytes.withUnsafeBytes { Int($0.littleEndian(at: start + 44, as: UInt32.self)) }
            let end = min(bytes.count, start + BatchHeader.byteCount + stored)
            let checksum = bytes.withUnsafeBytes {
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start + 8..<end]))
            }
            bytes.setLittleEndian(checksum, at: start + 4)
        case .checkpoint(let offset, _):
            let entry = Int(offset)..<Int(offset) + SignedCheckpoint.byteCount
            var checkpoint = Array(bytes[entry])
            checkpoint.sealChecksum()
            bytes.replaceSubrange(entry, with: checkpoint)
        case .index(let crcAt, let covering):
            let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[covering])) }
            bytes.setLittleEndian(checksum, at: crcAt)
        case .manifest:
            bytes.sealChecksum()
        case .activeZeroTail:
            break
        }
    }

    /// Flips `bit` of byte `offset` in a copy of the log and checks that it is found where it must be.
    private func checkFlip(of flipClass: FlipClass, at offset: Int, bit: Int, in original: SimulatedFileSystem) throws {
        let context = "flip of bit \(bit) at byte \(offset) of \(flipClass.file) (\(flipClass.name)), seed \(Self.seed)"
        let fileSystem = original.makeCopy()
        var bytes = try XCTUnwrap(fileSystem.contents(of: path(flipClass.file)), context)
        bytes[offset] ^= 1 << UInt8(bit)
        fileSystem.setContents(bytes, of: path(flipClass.file))
        let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify()
        let named = report.problems.filter { $0.location.file == flipClass.file }
        switch flipClass.expectation {
        case .sealedBatch(let batch):
            XCTAssertTrue(named.contains { $0.location.offset == batch }, "verifier: \(report.problems); \(context)")
            XCTAssertThrowsError(try LogReader(directory: directory, fileSystem: fileSystem).records(), context) {
                guard case .corruption(let location, _) = $0 as? RecordLogError else {
                    return XCTFail("reader: \($0); \(context)")
                }
                XCTAssertEqual(location.file, flipClass.file, context)
                XCTAssertEqual(location.offset, batch, context)
            }
        case .activeBatch(let batch):
            XCTAssertFalse(report.isValid, context)
            let tail = report.unfinishedTail.map { [$0] } ?? []
            XCTAssertTrue(
                (named.map(\.location) + tail).contains { $0.file == flipClass.file && $0.offset == batch },
                "verifier: \(report.problems), tail \(String(describing: report.unfinishedTail)); \(context)")
            assertOpenRefused(fileSystem, file: flipClass.file, offset: batch, context)
        case .activeZeroTail(let dataEnd):
            XCTAssertEqual(report.problems, [], context)
            XCTAssertEqual(report.unfinishedTail?.file, flipClass.file, context)
            XCTAssertEqual(report.unfinishedTail?.offset, dataEnd, context)
            let log = try open(fileSystem)
            log.close()
            XCTAssertEqual(log.recoveryReport.tailRepairs.map(\.file), [flipClass.file], context)
            XCTAssertEqual(log.recoveryReport.tailRepairs.first?.offset, dataEnd, context)
        case .index(let crcAt, _):
            XCTAssertTrue(
                named.contains { [0, Int64(crcAt)].contains($0.location.offset) }, "\(report.problems); \(context)")
            let streams = (0..<5).map { "stream-\($0)" }
            XCTAssertEqual(
                try LogReader(directory: directory, fileSystem: fileSystem).records(inStreams: streams),
                try LogReader(directory: directory, fileSystem: original).records().filter {
                    streams.contains($0.stream)
                }, "look-ups read the segment where the index is damaged; \(context)")
            let log = try open(fileSystem)
            log.close()
            if flipClass.file == SegmentFile.indexName(base: try activeBase(of: fileSystem)) {
                XCTAssertEqual(
                    log.recoveryReport.rebuiltIndexes, [], "the active segment is scanned instead; \(context)")
                XCTAssertEqual(
                    log.nextPosition, try LogReader(directory: directory, fileSystem: original).endPosition())
            } else if crcAt == 4 {
                XCTAssertEqual(log.recoveryReport.rebuiltIndexes, [flipClass.file], context)
            } else {
                XCTAssertEqual(log.recoveryReport.rebuiltIndexes, [], "parts are checked when read; \(context)")
            }
        case .manifest:
            XCTAssertTrue(named.contains { [0, 4].contains($0.location.offset) }, "\(report.problems); \(context)")
            assertOpenRefused(fileSystem, file: Manifest.fileName, offset: nil, context)
        case .checkpoint(let entry, let isLast):
            XCTAssertTrue(named.contains { $0.location.offset == entry }, "\(report.problems); \(context)")
            if isLast {
                let log = try open(fileSystem)
                log.close()
                XCTAssertEqual(
                    log.recoveryReport.tailRepairs.map { "\($0.file) \($0.offset)" }, ["\(flipClass.file) \(entry)"],
                    context)
            } else {
                assertOpenRefused(fileSystem, file: flipClass.file, offset: entry, context)
            }
        }
    }

    private func assertOpenRefused(
        _ fileSystem: SimulatedFileSystem, file: String, offset: Int64?, _ context: String, line: UInt = #line
    ) {
        XCTAssertThrowsError(try open(fileSystem), context, line: line) {
            guard case .corruption(let location, _) = $0 as? RecordLogError else {
                return XCTFail("open: \($0); \(context)", line: line)
            }
            XCTAssertEqual(location.file, file, context, line: line)
            if let offset { XCTAssertEqual(location.offset, offset, context, line: line) }
        }
    }

    private func activeBase(of fileSystem: SimulatedFileSystem) throws -> UInt64 {
        try Manifest.decode(XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))).get().activeBase
    }

    /// Every class of byte positions of every file of the log, from the files' own layouts; of each segment's batches,
    /// the first, the last and one other (all of them in a full sweep).
    private func flipClasses(_ fileSystem: SimulatedFileSystem, generator: inout SeededGenerator) throws -> [FlipClass]
    {
        let manifestBytes = try XCTUnwrap(fileSystem.contents(of: path(Manifest.fileName)))
        let manifest = try Manifest.decode(manifestBytes).get()
        var classes: [FlipClass] = []
        for name in try fileSystem.contentsOfDirectory(directory).sorted() {
            let bytes = try XCTUnwrap(fileSystem.contents(of: path(name)))
            if let base = SegmentFile.base(ofSegmentNamed: name) {
                classes += segmentClasses(
                    name: name, bytes: bytes, base: base, isActive: base == manifest.activeBase, generator: &generator)
            } else if name.hasSuffix(SegmentFile.indexSuffix) {
                classes += try indexClasses(name: name, bytes: bytes)
            } else if name == Manifest.fileName {
                classes += manifestClasses(bytes: bytes, sealedCount: manifest.sealed.count)
            } else if name == CheckpointFile.fileName {
                classes += checkpointClasses(bytes: bytes)
            }
        }
        XCTAssertGreaterThanOrEqual(manifest.sealed.count, 3, "the log has sealed segments to damage")
        return classes
    }

    private static let batchFields: [(String, Range<Int>)] = [
        ("magic", 0..<4), ("checksum", 4..<8), ("format version", 8..<10), ("flags", 10..<12),
        ("record count", 12..<16), ("base position", 16..<24), ("first recorded time", 24..<32),
        ("last recorded time", 32..<40), ("uncompressed length", 40..<44), ("stored length", 44..<48),
        ("reserved", 48..<64),
    ]

    private func segmentClasses(
        name: String, bytes: [UInt8], base: UInt64, isActive: Bool, generator: inout SeededGenerator
    ) -> [FlipClass] {
        let scan = bytes.withUnsafeBytes {
            SegmentScan.scan($0, basePosition: base, previousRecordedTime: .min) { _, _ in }
        }
        let count = scan.batches.count
        let sampled = Self.isFull ? Set(0..<count) : [0, count - 1, generator.next(below: count)]
        var classes: [FlipClass] = []
        for (offset, header) in sampled.sorted().map({ scan.batches[$0] }) {
            let batch = Int64(offset)
            let expectation: FlipClass.Expectation =
                isActive ? .activeBatch(offset: batch) : .sealedBatch(offset: batch)
            let kind = header.isCompressed ? "LZ4 payload" : "raw payload"
            for (field, range) in Self.batchFields + [(kind, BatchHeader.byteCount..<header.batchByteCount)] {
                classes.append(
                    FlipClass(
                        file: name, name: "batch \(field)",
                        range: (offset + range.lowerBound)..<(offset + range.upperBound),
                        expectation: expectation))
            }
        }
        if isActive, scan.validByteCount < bytes.count {
            classes.append(
                FlipClass(
                    file: name, name: "zero tail", range: scan.validByteCount..<bytes.count,
                    expectation: .activeZeroTail(dataEnd: Int64(scan.validByteCount))))
        }
        return classes
    }

    private func indexClasses(name: String, bytes: [UInt8]) throws -> [FlipClass] {
        let index = try SegmentIndex.decode(bytes).get()
        XCTAssertNotNil(index.frontier, "\(name) was written by the writer, with its frontier")
        let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        let headerFields: [(String, Range<Int>)] = [
            ("magic", 0..<4), ("header checksum", 4..<8), ("format version", 8..<10), ("reserved", 10..<12),
            ("flags", 12..<16), ("base position", 16..<24), ("record count", 24..<32), ("data length", 32..<40),
            ("first recorded time", 40..<48), ("last recorded time", 48..<56), ("sparse entry count", 56..<60),
            ("stream count", 60..<64), ("data checksum", 64..<68), ("reserved u32", 68..<72),
            ("part offsets", 72..<112), ("file length", 112..<120), ("reserved u64", 120..<128),
        ]
        var classes = headerFields.map {
            FlipClass(file: name, name: "index \($0.0)", range: $0.1, expectation: .index(crcAt: 4, covering: 8..<128))
        }
        func part(_ number: Int) -> Range<Int> {
            Int(header.part(number).lowerBound)..<Int(header.part(number).upperBound)
        }
        func add(_ field: String, _ range: Range<Int>, partOf whole: Range<Int>) {
            guard !range.isEmpty else { return }
            let covering = whole.lowerBound..<whole.upperBound - 4
            classes.append(
                FlipClass(
                    file: name, name: "index \(field)", range: range,
                    expectation: .index(crcAt: whole.upperBound - 4, covering: covering)))
        }
        for (number, field) in [
            (1, "stream Bloom filter"), (3, "stream directory"), (5, "event Bloom filter"),
            (6, "event entries"),
        ] {
            add(field, part(number).lowerBound..<part(number).upperBound - 4, partOf: part(number))
            add("\(field) checksum", part(number).upperBound - 4..<part(number).upperBound, partOf: part(number))
        }
        let sparseEnd = part(2).lowerBound + index.sparse.count * 24
        add("sparse entries", part(2).lowerBound..<sparseEnd, partOf: part(2))
        add("Merkle frontier", sparseEnd..<part(2).upperBound - 4, partOf: part(2))
        add("sparse checksum", part(2).upperBound - 4..<part(2).upperBound, partOf: part(2))
        let directory = try bytes.withUnsafeBytes { raw in
            try IndexFileParts.directory(
                UnsafeRawBufferPointer(rebasing: raw[part(3)]), at: UInt64(part(3).lowerBound), header: header
            ).get()
        }
        for number in directory.indices {
            let range = IndexFileParts.entryRange(number, in: directory, header: header)
            let entry = Int(range.lowerBound)..<Int(range.upperBound)
            add("stream entry", entry.lowerBound..<entry.upperBound - 4, partOf: entry)
            if number == 0 { add("stream entry checksum", entry.upperBound - 4..<entry.upperBound, partOf: entry) }
        }
        return classes
    }

    private func manifestClasses(bytes: [UInt8], sealedCount: Int) -> [FlipClass] {
        var sections: [(String, Range<Int>)] = [
            ("magic", 0..<4), ("checksum", 4..<8), ("format version", 8..<10), ("reserved", 10..<12),
            ("sealed segment count", 12..<16), ("log id", 16..<32), ("active base", 32..<40),
        ]
        for segment in 0..<sealedCount {
            let start = 40 + segment * 40
            sections += [
                ("sealed base", start..<start + 8), ("sealed record count", start + 8..<start + 16),
                ("sealed data length", start + 16..<start + 24), ("sealed last time", start + 24..<start + 32),
                ("sealed file checksum", start + 32..<start + 36), ("sealed reserved", start + 36..<start + 40),
            ]
        }
        let frontier = 40 + sealedCount * 40
        sections += [
            ("frontier size", frontier..<frontier + 8), ("frontier hash count", frontier + 8..<frontier + 12),
            ("frontier hashes", frontier + 12..<bytes.count),
        ]
        return sections.map {
            FlipClass(file: Manifest.fileName, name: "manifest \($0.0)", range: $0.1, expectation: .manifest)
        }
    }

    private func checkpointClasses(bytes: [UInt8]) -> [FlipClass] {
        let fields: [(String, Range<Int>)] = [
            ("magic", 0..<4), ("checksum", 4..<8), ("format version", 8..<10), ("reserved", 10..<16),
            ("tree size", 16..<24), ("time", 24..<32), ("root", 32..<64), ("log id", 64..<80), ("key id", 80..<88),
            ("public key", 88..<120), ("signature", 120..<184),
        ]
        let count = bytes.count / SignedCheckpoint.byteCount
        XCTAssertEqual(count, 2, "two checkpoints: an earlier and a last entry")
        return (0..<count).flatMap { number in
            let entry = number * SignedCheckpoint.byteCount
            return fields.map { field, range in
                FlipClass(
                    file: CheckpointFile.fileName, name: "checkpoint \(field)",
                    range: entry + range.lowerBound..<entry + range.upperBound,
                    expectation: .checkpoint(entry: Int64(entry), isLast: number == count - 1))
            }
        }
    }

    // MARK: - Truncation across a segment roll

    func testACutAnywhereAcrossASegmentRollKeepsExactlyTheWholeBatchesBeforeIt() throws {
        // The log as a writer that died leaves it (no index of the active segment), just before and just after the
        // append that seals a segment.
        let fileSystem = SimulatedFileSystem(seed: Self.seed)
        let log = try open(fileSystem)
        var beforeRoll: SimulatedFileSystem?
        var number = 0
        while beforeRoll == nil {
            let before = fileSystem.makeCopy()
            let segments = try segmentNames(fileSystem).count
            try appendEvents(log, number..<number + 1)
            number += 1
            if try segmentNames(fileSystem).count > segments, segments >= 2 { beforeRoll = before }
        }
        try appendEvents(log, number..<number + 6)
        let afterRoll = fileSystem.makeCopy()
        log.close()
        let rolled = try XCTUnwrap(beforeRoll)
        let names = try segmentNames(afterRoll)
        let sealed = names[names.count - 2]
        let active = names[names.count - 1]
        XCTAssertEqual(try segmentNames(rolled).last, sealed)
        var generator = SeededGenerator(seed: Self.seed)
        var cuts = 0
        // Before the roll, the segment about to be sealed is the active one: every cut is a torn tail at worst.
        cuts += try sweepActiveSegment(sealed, of: rolled, generator: &generator)
        // After the roll, a cut in the sealed segment is refused, a cut in the new active one is a torn tail at worst.
        cuts += try sweepSealedSegment(sealed, of: afterRoll, generator: &generator)
        cuts += try sweepActiveSegment(active, of: afterRoll, generator: &generator)
        print("CorruptionSweepTests: \(cuts) truncation offsets across a segment roll, seed \(Self.seed)")
    }

    private func segmentNames(_ fileSystem: SimulatedFileSystem) throws -> [String] {
        try fileSystem.contentsOfDirectory(directory).filter { SegmentFile.base(ofSegmentNamed: $0) != nil }.sorted()
    }

    /// The offsets to cut a file at: all of `0 ... dataEnd` in a full sweep, otherwise every batch boundary and the
    /// bytes on either side of it, and `extra` seeded random offsets.
    private func cutOffsets(
        boundaries: [Int], dataEnd: Int, extra: Int, generator: inout SeededGenerator
    ) -> [Int] {
        if Self.isFull { return Array(0...dataEnd) }
        var offsets = Set(boundaries.flatMap { [$0 - 1, $0, $0 + 1] }.filter { (0...dataEnd).contains($0) })
        for _ in 0..<extra { offsets.insert(generator.next(below: dataEnd + 1)) }
        return offsets.sorted()
    }

    private func sweepActiveSegment(
        _ name: String, of original: SimulatedFileSystem, generator: inout SeededGenerator
    ) throws -> Int {
        let bytes = try XCTUnwrap(original.contents(of: path(name)))
        let base = try XCTUnwrap(SegmentFile.base(ofSegmentNamed: name))
        let scan = bytes.withUnsafeBytes {
            SegmentScan.scan($0, basePosition: base, previousRecordedTime: .min) { _, _ in }
        }
        XCTAssertGreaterThanOrEqual(scan.batches.count, 3, "\(name) holds batches to cut through")
        let boundaries = scan.batches.map(\.offset) + [scan.validByteCount]
        let allRecords = try LogReader(directory: directory, fileSystem: original).records()
        let offsets = cutOffsets(boundaries: boundaries, dataEnd: scan.validByteCount, extra: 40, generator: &generator)
        for cut in offsets {
            let context = "cut of active segment \(name) at byte \(cut), seed \(Self.seed)"
            let fileSystem = original.makeCopy()
            fileSystem.setContents(Array(bytes[0..<cut]), of: path(name))
            let kept = scan.batches.filter { $0.offset + $0.header.batchByteCount <= cut }
            let keptEnd = kept.last.map { $0.offset + $0.header.batchByteCount } ?? 0
            let expectedCount = Int(base) + kept.reduce(0) { $0 + Int($1.header.recordCount) }
            let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify()
            XCTAssertEqual(report.problems, [], context)
            XCTAssertEqual(report.unfinishedTail?.offset, cut > keptEnd ? Int64(keptEnd) : nil, context)
            let log = try open(fileSystem)
            XCTAssertEqual(log.nextPosition, UInt64(expectedCount), context)
            XCTAssertEqual(try log.reader().records(), Array(allRecords.prefix(expectedCount)), context)
            let repairs = log.recoveryReport.tailRepairs.map { "\($0.file) \($0.offset)" }
            XCTAssertEqual(repairs, cut > keptEnd ? ["\(name) \(keptEnd)"] : [], context)
            let next = try log.appendAndWait(single("after-cut", .any, makeEvent(90_000)))
            XCTAssertEqual(next.positions, [UInt64(expectedCount)], context)
            log.close()
            let again = try open(fileSystem)
            XCTAssertTrue(again.recoveryReport.isClean, context)
            XCTAssertEqual(again.nextPosition, UInt64(expectedCount + 1), context)
            again.close()
        }
        return offsets.count
    }

    private func sweepSealedSegment(
        _ name: String, of original: SimulatedFileSystem, generator: inout SeededGenerator
    ) throws -> Int {
        let bytes = try XCTUnwrap(original.contents(of: path(name)))
        let base = try XCTUnwrap(SegmentFile.base(ofSegmentNamed: name))
        let scan = bytes.withUnsafeBytes {
            SegmentScan.scan($0, basePosition: base, previousRecordedTime: .min) { _, _ in }
        }
        XCTAssertEqual(scan.validByteCount, bytes.count, "a sealed segment holds no zero tail")
        let offsets = cutOffsets(
            boundaries: scan.batches.map(\.offset), dataEnd: bytes.count - 1, extra: 20, generator: &generator)
        for cut in offsets {
            let context = "cut of sealed segment \(name) at byte \(cut), seed \(Self.seed)"
            let fileSystem = original.makeCopy()
            fileSystem.setContents(Array(bytes[0..<cut]), of: path(name))
            let before = fileSystem.allPaths().map { fileSystem.contents(of: $0) }
            assertOpenRefused(fileSystem, file: name, offset: Int64(cut), context)
            XCTAssertEqual(
                fileSystem.allPaths().map { fileSystem.contents(of: $0) }, before, "open changed files; \(context)")
            let report = try LogVerifier(directory: directory, fileSystem: fileSystem).verify()
            XCTAssertTrue(report.problems.contains { $0.location.file == name }, "\(report.problems); \(context)")
        }
        return offsets.count
    }
}
