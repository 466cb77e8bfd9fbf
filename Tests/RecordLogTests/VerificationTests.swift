import Foundation
import XCTest

@testable import RecordLog

final class VerificationTests: XCTestCase {
    private let signer = try! CheckpointSigner(privateKeyBytes: [UInt8](repeating: 9, count: 32))

    @discardableResult
    private func makeLog(_ directory: String, count: Int = 300) throws -> [SignedCheckpoint] {
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration(segmentBytesMax: 4096))
        defer { log.close() }
        var checkpoints: [SignedCheckpoint] = []
        for round in 0..<3 {
            try appendMany(log, count: count / 3, startingAt: round * 1_000)
            checkpoints.append(try log.checkpointAndWait(signer: signer))
        }
        return checkpoints
    }

    func testAnUntouchedLogVerifiesAgainstEveryCheckpoint() throws {
        let directory = makeTemporaryDirectory(self)
        let checkpoints = try makeLog(directory)
        let report = try LogVerifier(directory: directory).verify(trustedPublicKeys: [signer.publicKey])
        XCTAssertEqual(report.problems, [])
        XCTAssertEqual(report.checkpointsVerified, 3)
        XCTAssertEqual(report.recordCount, 300)
        XCTAssertEqual(report.root, checkpoints.last?.root)
        XCTAssertTrue(checkpoints.allSatisfy { $0.hasValidSignature(trusting: signer.publicKey) })
    }

    func testAnotherSignersCheckpointIsNotTrusted() throws {
        let directory = makeTemporaryDirectory(self)
        try makeLog(directory)
        let stranger = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 1, count: 32))
        let report = try LogVerifier(directory: directory).verify(trustedPublicKeys: [stranger.publicKey])
        XCTAssertEqual(report.problems.count, 3)
    }

    func testARecordChangedWithItsChecksumRepairedIsCaughtByTheCheckpointRoot() throws {
        let directory = makeTemporaryDirectory(self)
        try makeLog(directory)
        let name = SegmentFile.name(base: 0)
        let path = joinPath(directory, name)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var batch = try bytes.withUnsafeBytes { try BatchCodec.decode($0).get() }
        var records = batch.records()
        records[0].payload[0] ^= 0x01
        let forged = BatchCodec.encode(records)
        batch.header = try forged.withUnsafeBytes { try BatchCodec.decode($0).get() }.header
        XCTAssertEqual(forged.count, Int(batch.header.batchByteCount))
        let originalLength = try bytes.withUnsafeBytes { try BatchCodec.decode($0).get() }.header.batchByteCount
        bytes.replaceSubrange(0..<originalLength, with: forged)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let report = try LogVerifier(directory: directory).verify(trustedPublicKeys: [signer.publicKey])
        XCTAssertFalse(report.isValid)
        XCTAssertTrue(
            report.problems.contains { $0.reason.contains("does not match the signed checkpoint") },
            "\(report.problems)")
        XCTAssertTrue(report.problems.contains { $0.location.file == name })
    }

    func testInclusionAndConsistencyProofsVerifyAgainstCheckpoints() throws {
        let directory = makeTemporaryDirectory(self)
        let checkpoints = try makeLog(directory)
        let reader = LogReader(directory: directory)
        let last = try XCTUnwrap(checkpoints.last)
        for position: UInt64 in [0, 1, 99, 150, 299] {
            let proof = try reader.inclusionProof(position: position, treeSize: last.treeSize)
            XCTAssertEqual(proof.root, last.root)
            XCTAssertTrue(proof.verify())
            let record = try reader.record(at: position)
            XCTAssertEqual(proof.leafHash, MerkleHash.leaf(RecordLayout.bytes(of: record)))
        }
        let consistency = try reader.consistencyProof(from: checkpoints[0].treeSize, to: last.treeSize)
        XCTAssertEqual(consistency.oldRoot, checkpoints[0].root)
        XCTAssertEqual(consistency.newRoot, last.root)
        XCTAssertTrue(consistency.verify())
        XCTAssertEqual(try reader.root(treeSize: checkpoints[1].treeSize), checkpoints[1].root)
    }

    func testCheckpointsRoundTripThroughTheirStoredBytes() throws {
        let directory = makeTemporaryDirectory(self)
        let checkpoints = try makeLog(directory)
        let stored = try LogReader(directory: directory).checkpoints()
        XCTAssertEqual(stored, checkpoints)
        let bytes = checkpoints[0].encode()
        XCTAssertEqual(bytes.count, SignedCheckpoint.byteCount)
        XCTAssertEqual(SignedCheckpoint.decode(bytes), checkpoints[0])
        for offset in 0..<bytes.count {
            var damaged = bytes
            damaged[offset] ^= 0x80
            if let decoded = SignedCheckpoint.decode(damaged) {
                XCTAssertFalse(
                    decoded.hasValidSignature(trusting: signer.publicKey), "flip at \(offset) went unnoticed")
            }
        }
    }

    // MARK: - Stream versions and event ids along the log

    /// Writes whole, valid batches of `records` after the active segment's data (which its index covers), one batch
    /// per element of `batches`; returns the active segment's name and each batch's offset.
    private func appendForgedBatches(_ batches: [[LogRecord]], in directory: String) throws -> (String, [Int64]) {
        let manifest = try Manifest.decode(
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: joinPath(directory, Manifest.fileName))))
        ).get()
        let active = SegmentFile.name(base: manifest.activeBase)
        let url = URL(fileURLWithPath: joinPath(directory, active))
        var bytes = [UInt8](try Data(contentsOf: url))
        var offset = bytes.withUnsafeBytes {
            SegmentScan.scan($0, basePosition: manifest.activeBase, previousRecordedTime: .min) { _, _ in }
                .validByteCount
        }
        var offsets: [Int64] = []
        for records in batches {
            let batch = BatchCodec.encode(records)
            if bytes.count < offset + batch.count { bytes += [UInt8](repeating: 0, count: offset + batch.count) }
            bytes.replaceSubrange(offset..<offset + batch.count, with: batch)
            offsets.append(Int64(offset))
            offset += batch.count
        }
        try Data(bytes).write(to: url)
        return (active, offsets)
    }

    func testAGapInAStreamsVersionsAndAnEventIDStoredTwiceAreReportedWhereTheyAre() throws {
        let directory = makeTemporaryDirectory(self)
        try makeLog(directory)
        let records = try LogReader(directory: directory).records()
        let next = UInt64(records.count)
        let time = try XCTUnwrap(records.last).recordedTimeMicroseconds
        let last2 = try XCTUnwrap(records.last { $0.stream == "stream-2" }).streamVersion
        let last5 = try XCTUnwrap(records.last { $0.stream == "stream-5" }).streamVersion
        // A record of stream-2 one version too far, then one of stream-5 (at its right version) that repeats the id
        // of the log's first record, in a sealed segment.
        let (active, offsets) = try appendForgedBatches(
            [
                [
                    LogRecord(
                        position: next, recordedTimeMicroseconds: time, stream: "stream-2", streamVersion: last2 + 2,
                        eventID: EventID(high: 42, low: 42), payload: [1])
                ],
                [
                    LogRecord(
                        position: next + 1, recordedTimeMicroseconds: time, stream: "stream-5",
                        streamVersion: last5 + 1, eventID: records[0].eventID, payload: [2])
                ],
            ], in: directory)
        let report = try LogVerifier(directory: directory).verify(trustedPublicKeys: [signer.publicKey])
        XCTAssertEqual(
            report.problems,
            [
                VerificationProblem(
                    location: LogLocation(file: active, offset: offsets[0], positions: next..<next + 1),
                    reason: "stream version \(last2 + 2), expected \(last2 + 1) (a stream's versions run 1, 2, 3 ... "
                        + "without a gap along the log: records of the stream were removed, inserted or reordered)",
                    kind: .streamVersions),
                VerificationProblem(
                    location: LogLocation(file: active, offset: offsets[1], positions: next + 1..<next + 2),
                    reason: "event id stored twice, first at position 0 (an event id is unique in the log: an event "
                        + "was copied or replayed)", kind: .eventIDs),
            ])
        XCTAssertEqual(report.recordCount, next + 2)
    }

    func testAStreamStartingAboveVersionOneAndProblemsPastTheLimitAreCounted() throws {
        let directory = makeTemporaryDirectory(self)
        try makeLog(directory)
        let records = try LogReader(directory: directory).records()
        let next = UInt64(records.count)
        let time = try XCTUnwrap(records.last).recordedTimeMicroseconds
        let extra = CappedProblems.listedMax + 7
        // A new stream whose first record has version 2, then records that each repeat a stored id (and continue
        // their stream's versions).
        let batch =
            [
                LogRecord(
                    position: next, recordedTimeMicroseconds: time, stream: "patient-new", streamVersion: 2,
                    eventID: EventID(high: 43, low: 43), payload: [])
            ]
            + (0..<extra).map { number in
                LogRecord(
                    position: next + 1 + UInt64(number), recordedTimeMicroseconds: time, stream: "patient-copied",
                    streamVersion: UInt64(number + 1), eventID: records[number].eventID, payload: [])
            }
        let (active, offsets) = try appendForgedBatches([batch], in: directory)
        let problems = try LogVerifier(directory: directory).verify().problems
        // The version problem, then the first 100 ids stored twice, then the line that counts the other 7.
        XCTAssertEqual(problems.count, 1 + CappedProblems.listedMax + 1)
        XCTAssertEqual(
            problems.first?.location, LogLocation(file: active, offset: offsets[0], positions: next..<next + 1))
        XCTAssertTrue(problems.first?.reason.hasPrefix("stream version 2, expected 1") ?? false, "\(problems)")
        XCTAssertEqual(
            problems.dropFirst().first?.reason,
            "event id stored twice, first at position 0 (an event id is unique in the log: an event was copied or "
                + "replayed)")
        let firstLeftOut = next + 1 + UInt64(CappedProblems.listedMax)
        XCTAssertEqual(
            problems.last,
            VerificationProblem(
                location: LogLocation(file: active, offset: offsets[0], positions: firstLeftOut..<firstLeftOut + 1),
                reason: "7 more problems with event ids from here on (not listed)", kind: .eventIDs))
        // From a later start, a stream's first record is taken as it is: versions before the start are not known.
        let start = try LogVerifier(directory: directory).storedStart(atOrBefore: next)
        XCTAssertGreaterThan(start.position, 0)
        let fromStart = try LogVerifier(directory: directory).verify(from: start).problems
        XCTAssertFalse(fromStart.contains { $0.reason.hasPrefix("stream version") }, "\(fromStart)")
    }

    // MARK: - Cross-checks behind repaired checksums

    /// Copies the log in `directory` to a new directory.
    private func copyLog(_ directory: String) throws -> String {
        let copy = makeTemporaryDirectory(self)
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        return copy
    }

    /// Changes the index file `name` with `change`, given the file's bytes and the ranges of its six parts, then
    /// writes the CRC-32C of the part that covers `changed` again, as a writer bug or a forger would leave it.
    private func editIndex(
        _ name: String, in directory: String, part number: Int, _ change: (inout [UInt8], Range<Int>) -> Void
    ) throws {
        let url = URL(fileURLWithPath: joinPath(directory, name))
        var bytes = [UInt8](try Data(contentsOf: url))
        let header = try bytes.withUnsafeBytes { try IndexFileHeader.parse($0).get() }
        let part = Int(header.part(number).lowerBound)..<Int(header.part(number).upperBound)
        // A Bloom filter part: bit count, hash count and 3 zero bytes, the bits, then the part's CRC-32C.
        change(&bytes, part.lowerBound + 8..<part.upperBound - 4)
        let checksum = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[part.lowerBound..<part.upperBound - 4]))
        }
        bytes.setLittleEndian(checksum, at: part.upperBound - 4)
        try Data(bytes).write(to: url)
    }

    func testBloomFilterBitsAndAManifestTimeChangedUnderRepairedChecksumsAreReportedNamingTheSegment() throws {
        let directory = makeTemporaryDirectory(self)
        try makeLog(directory)
        let segment = SegmentFile.name(base: 0)
        let index = SegmentFile.indexName(base: 0)
        XCTAssertEqual(try LogVerifier(directory: directory).verify().problems, [])

        // An event-id filter bit cleared: the writer would skip this segment when it looks for a retried event.
        var cleared = try copyLog(directory)
        try editIndex(index, in: cleared, part: 5) { bytes, bits in
            let byte = bits.first { bytes[$0] != 0 }!
            bytes[byte] &= bytes[byte] - 1
        }
        XCTAssertEqual(
            try LogVerifier(directory: cleared).verify().problems,
            [
                VerificationProblem(
                    location: LogLocation(file: index),
                    reason: "index file does not match its segment \(segment) in event-id Bloom filter")
            ])
        // A stream filter bit set.
        cleared = try copyLog(directory)
        try editIndex(index, in: cleared, part: 1) { bytes, bits in
            let byte = bits.first { bytes[$0] != 0xFF }!
            bytes[byte] |= ~bytes[byte] & (bytes[byte] &+ 1)
        }
        XCTAssertEqual(
            try LogVerifier(directory: cleared).verify().problems,
            [
                VerificationProblem(
                    location: LogLocation(file: index),
                    reason: "index file does not match its segment \(segment) in stream Bloom filter")
            ])

        // The manifest's last recorded time of the first sealed segment moved by a microsecond.
        let moved = try copyLog(directory)
        let url = URL(fileURLWithPath: joinPath(moved, Manifest.fileName))
        var manifest = try Manifest.decode([UInt8](try Data(contentsOf: url))).get()
        manifest.sealed[0].lastRecordedTime += 1
        try Data(manifest.encode()).write(to: url)
        let count = manifest.sealed[0].recordCount
        XCTAssertEqual(
            try LogVerifier(directory: moved).verify().problems,
            [
                VerificationProblem(
                    location: LogLocation(file: segment, positions: 0..<count),
                    reason: "sealed segment differs from the manifest in last recorded time")
            ])
    }
}

/// The verifier's two threads (segment side and Merkle side) against the same code run on one thread: on an untouched
/// log and on logs damaged in every kind of file, the reports, the records observed and the progress calls are equal.
final class ConcurrentVerificationTests: XCTestCase {
    private let signer = try! CheckpointSigner(privateKeyBytes: [UInt8](repeating: 9, count: 32))

    /// What one verification produced, all of it compared between the two modes.
    private struct Outcome: Equatable {
        var report: VerificationReport?
        var error: String?
        var observed: [String] = []
        var progress: [Int64] = []
    }

    /// One verification; with `segmentSideHashing`, the segment side hashes the leaves of every batch it hands over
    /// (it does so only when it is ahead otherwise).
    private func run(
        _ directory: String, concurrently: Bool, from start: VerificationStart = VerificationStart(),
        segmentSideHashing: Bool = false
    ) -> Outcome {
        var outcome = Outcome()
        do {
            outcome.report = try LogVerifier(directory: directory).verify(
                from: start, trustedPublicKeys: [signer.publicKey],
                observe: { record in
                    outcome.observed.append(
                        "\(record.view.position) \(record.view.stream) \(record.leafHash) \(record.frontier.size) "
                            + "\(record.segment) \(record.batchOffset)")
                }, progress: { outcome.progress.append($0) }, concurrently: concurrently,
                segmentSideHashingQueuedGroups: segmentSideHashing ? 0 : SegmentEventChannel.groupsQueuedMax / 2)
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    /// A closed log of several small segments with three checkpoints; returns its files' names.
    private func makeLog(_ directory: String) throws -> [String] {
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration(segmentBytesMax: 4096))
        for round in 0..<3 {
            try appendMany(log, count: 70, startingAt: round * 1_000)
            _ = try log.checkpointAndWait(signer: signer)
        }
        log.close()
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "lock" }.sorted()
    }

    private func assertSameOutcome(
        _ directory: String, _ what: String, file: StaticString = #filePath, line: UInt = #line
    )
        -> Outcome
    {
        let sequential = run(directory, concurrently: false)
        let concurrent = run(directory, concurrently: true)
        XCTAssertEqual(concurrent, sequential, what, file: file, line: line)
        let leavesHashedBySegmentSide = run(directory, concurrently: true, segmentSideHashing: true)
        XCTAssertEqual(
            leavesHashedBySegmentSide, sequential, "\(what), leaves hashed by the segment side", file: file, line: line)
        return sequential
    }

    func testAnUntouchedLogGivesTheSameReportOnTwoThreads() throws {
        let directory = makeTemporaryDirectory(self)
        let files = try makeLog(directory)
        XCTAssertGreaterThan(files.filter { $0.hasSuffix(".segment") }.count, 3)
        let outcome = assertSameOutcome(directory, "untouched")
        XCTAssertEqual(outcome.report?.problems, [])
        XCTAssertEqual(outcome.report?.checkpointsVerified, 3)
        XCTAssertEqual(outcome.observed.count, 210)
        XCTAssertEqual(outcome.progress.last, outcome.report?.segmentBytes)
        let start = try LogVerifier(directory: directory).storedStart(atOrBefore: 150)
        XCTAssertGreaterThan(start.position, 0)
        XCTAssertEqual(
            run(directory, concurrently: true, from: start), run(directory, concurrently: false, from: start))
    }

    func testEveryDamagedFileGivesTheSameProblemsOnTwoThreads() throws {
        let directory = makeTemporaryDirectory(self)
        let files = try makeLog(directory)
        var generator = SeededGenerator(seed: 77)
        var damaged = 0
        for name in files {
            let url = URL(fileURLWithPath: joinPath(directory, name))
            let original = [UInt8](try Data(contentsOf: url))
            guard !original.isEmpty else { continue }
            // Seeded bit flips anywhere in the file, a cut in its middle, and the file removed.
            for _ in 0..<6 {
                var bytes = original
                let offset = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[offset] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
                try Data(bytes).write(to: url)
                let outcome = assertSameOutcome(directory, "\(name) bit flipped at \(offset)")
                if outcome.report?.isValid == false || outcome.report?.unfinishedTail != nil { damaged += 1 }
            }
            try Data(original[0..<original.count / 2]).write(to: url)
            _ = assertSameOutcome(directory, "\(name) cut to half")
            try FileManager.default.removeItem(at: url)
            _ = assertSameOutcome(directory, "\(name) removed")
            try Data(original).write(to: url)
        }
        // Most flips land in checked bytes (the active segment's zero tail is the exception).
        XCTAssertGreaterThan(damaged, files.count * 3)
        XCTAssertEqual(run(directory, concurrently: true).report?.problems, [])
    }

    func testAnUnreadableFileFailsTheSameWayOnTwoThreads() throws {
        let directory = makeTemporaryDirectory(self)
        let files = try makeLog(directory)
        let index = try XCTUnwrap(files.first { $0.hasSuffix(".index") })
        let path = joinPath(directory, index)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let outcome = assertSameOutcome(directory, "an index file that is a directory")
        XCTAssertNil(outcome.report)
        XCTAssertNotNil(outcome.error)
    }

    func testTheChannelHandsOverEveryEventInOrderAndEndsAfterFinish() {
        let channel = SegmentEventChannel(capacity: 1)
        let count = 500
        DispatchQueue.global().async {
            var number = 0
            var groupSize = 0
            while number < count {
                // Groups of 0, 1, 2 ... events.
                let group = (number..<min(number + groupSize, count)).map { offset in
                    SegmentEvent.segmentStart(
                        VerificationProblem(location: LogLocation(file: "f", offset: Int64(offset)), reason: "r"))
                }
                channel.push(group)
                number += groupSize
                groupSize += 1
            }
            channel.finish()
        }
        var offsets: [Int64] = []
        while let events = channel.pop() {
            for case .segmentStart(let problem) in events {
                if let offset = problem?.location.offset { offsets.append(offset) }
            }
        }
        XCTAssertEqual(offsets, (0..<Int64(count)).map { $0 })
    }
}
