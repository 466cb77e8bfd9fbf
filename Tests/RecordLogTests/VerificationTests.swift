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
}
