import Foundation
import XCTest

@testable import RecordLog

/// The additive `LogVerifier` API for partial verification: a start at a segment boundary with the Merkle frontier
/// stored there, and an observer of every record checked.
final class VerificationStartTests: XCTestCase {
    private let signer = try! CheckpointSigner(privateKeyBytes: [UInt8](repeating: 9, count: 32))

    @discardableResult
    private func makeLog(_ directory: String) throws -> [SignedCheckpoint] {
        let log = try RecordLog.open(directory: directory, configuration: makeConfiguration(segmentBytesMax: 4096))
        defer { log.close() }
        var checkpoints = [try log.checkpointAndWait(signer: signer)]
        for round in 0..<3 {
            try appendMany(log, count: 100, startingAt: round * 1_000)
            checkpoints.append(try log.checkpointAndWait(signer: signer))
        }
        return checkpoints
    }

    func testTheObserverSeesEveryRecordWithItsLeafFrontierAndPlace() throws {
        let directory = makeTemporaryDirectory(self)
        let checkpoints = try makeLog(directory)
        var seen: [UInt64] = []
        var frontier = MerkleFrontier()
        var places: Set<String> = []
        let report = try LogVerifier(directory: directory).verify(
            from: VerificationStart(), trustedPublicKeys: [signer.publicKey],
            observe: { record in
                seen.append(record.view.position)
                XCTAssertEqual(record.leafHash, MerkleHash.leaf(record.view.bytes))
                frontier.append(leafHash: record.leafHash)
                XCTAssertEqual(record.frontier, frontier)
                places.insert(record.segment)
            })
        XCTAssertEqual(report.problems, [])
        XCTAssertEqual(seen, Array(0..<300))
        XCTAssertEqual(places.count, try LogReader(directory: directory).segments().count)
        XCTAssertEqual(report.checkpointsVerified, 4, "the checkpoint of the empty log is verified too")
        XCTAssertEqual(frontier.root, checkpoints.last?.root)
        XCTAssertEqual(report.logID?.count, 16)
    }

    func testAStoredStartIsTheLastSegmentBoundaryAtOrBeforeThePositionWithItsTrueFrontier() throws {
        let directory = makeTemporaryDirectory(self)
        let checkpoints = try makeLog(directory)
        let verifier = LogVerifier(directory: directory)
        let bases = try LogReader(directory: directory).segments().map(\.base)
        XCTAssertGreaterThan(bases.count, 3)
        let reader = LogReader(directory: directory)
        for position: UInt64 in [0, 1, bases[1], bases[2] + 1, 250, 300] {
            let start = try verifier.storedStart(atOrBefore: position)
            XCTAssertEqual(start.position, bases.last { $0 <= position }, "position \(position)")
            XCTAssertEqual(start.frontier.root, try reader.root(treeSize: start.position))
        }
        let start = try verifier.storedStart(atOrBefore: checkpoints[2].treeSize)
        var first: UInt64?
        let report = try verifier.verify(
            from: start, trustedPublicKeys: [signer.publicKey], observe: { first = first ?? $0.view.position })
        XCTAssertEqual(report.problems, [])
        XCTAssertEqual(first, start.position)
        XCTAssertEqual(report.firstPositionChecked, start.position)
        XCTAssertEqual(report.recordCount, 300 - start.position)
        XCTAssertEqual(report.checkpointsBeforeStart + report.checkpointsVerified, 4)
        XCTAssertEqual(report.checkpointsBeforeStart, checkpoints.filter { $0.treeSize < start.position }.count)
        XCTAssertEqual(report.root, checkpoints.last?.root)
    }

    func testAWrongStartFrontierShowsUpAsACheckpointRootMismatch() throws {
        let directory = makeTemporaryDirectory(self)
        try makeLog(directory)
        let verifier = LogVerifier(directory: directory)
        let stored = try verifier.storedStart(atOrBefore: 200)
        var lie = MerkleFrontier()
        for _ in 0..<stored.position { lie.append(leafHash: MerkleHash.leaf([0x42])) }
        let report = try verifier.verify(from: VerificationStart(frontier: lie), trustedPublicKeys: [signer.publicKey])
        XCTAssertTrue(report.problems.contains { $0.reason.contains("does not match the signed checkpoint") })
    }

    func testAStartThatIsNotASegmentBoundaryIsRefused() throws {
        let directory = makeTemporaryDirectory(self)
        try makeLog(directory)
        var frontier = MerkleFrontier()
        frontier.append(leafHash: MerkleHash.leaf([1]))
        XCTAssertThrowsError(try LogVerifier(directory: directory).verify(from: VerificationStart(frontier: frontier)))
        {
            XCTAssertEqual($0 as? RecordLogError, .notFound(what: "a segment starting at position 1"))
        }
    }
}
