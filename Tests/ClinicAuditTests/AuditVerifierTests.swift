import ClinicEvents
import Foundation
import RecordLog
import RecordLogTesting
import XCTest

@testable import ClinicAudit

final class AuditVerifierTests: XCTestCase {
    private var trusted: [[UInt8]] { [ClinicLogFixture.signer.publicKey] }

    func testAnUntouchedLogMatchesItsExportedCheckpointsWithProgressToTheLastByte() throws {
        let fixture = try ClinicLogFixture.make(self)
        var progress: [AuditProgress] = []
        let report = try AuditVerifier(directory: fixture.directory).verify(
            trustedPublicKeys: trusted, exportedCheckpoints: fixture.checkpoints, progress: { progress.append($0) })
        XCTAssertEqual(report.problems, [])
        XCTAssertTrue(report.isValid)
        XCTAssertEqual(report.exportedCheckpointsVerified, 3)
        XCTAssertEqual(report.storedCheckpointsVerified, 3)
        XCTAssertEqual(report.firstPositionChecked, 0)
        XCTAssertEqual(report.recordsChecked, report.endPosition)
        XCTAssertEqual(report.root, try fixture.reader.root(treeSize: report.endPosition))
        XCTAssertEqual(progress.count, try fixture.segmentNames().count)
        XCTAssertEqual(progress.map(\.bytesChecked), progress.map(\.bytesChecked).sorted())
        XCTAssertEqual(progress.last?.bytesChecked, progress.last?.bytesTotal)
        XCTAssertEqual(progress.last?.bytesChecked, report.bytesChecked)
        XCTAssertEqual(progress.last?.fraction, 1)
    }

    func testWithoutATrustedKeyTheExportedCheckpointsKeyIsTrusted() throws {
        let fixture = try ClinicLogFixture.make(self)
        let report = try AuditVerifier(directory: fixture.directory).verify(exportedCheckpoints: [fixture.exported])
        XCTAssertEqual(report.problems, [])
        let stranger = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 1, count: 32))
        let refused = try AuditVerifier(directory: fixture.directory).verify(
            trustedPublicKeys: [stranger.publicKey], exportedCheckpoints: [fixture.exported])
        XCTAssertTrue(
            refused.problems.contains { $0.check == .exportedCheckpoint && $0.reason.contains("trusted key") })
        XCTAssertEqual(refused.problems.filter { $0.check == .storage }.count, 3)
    }

    func testACheckpointExportedFromAnotherLogIsRefusedNamingTheLogID() throws {
        let fixture = try ClinicLogFixture.make(self, otherPatients: 2)
        let other = try ClinicLogFixture.make(self, otherPatients: 2)
        let report = try AuditVerifier(directory: fixture.directory).verify(
            trustedPublicKeys: trusted, exportedCheckpoints: [other.checkpoints[2]])
        XCTAssertTrue(
            report.problems.contains { $0.location.file == "manifest" && $0.reason.contains("belongs to another log") },
            "\(report.problems)")
    }

    func testASinceCheckpointVerificationReadsFromTheLastBoundaryBeforeItAndProvesConsistency() throws {
        let fixture = try ClinicLogFixture.make(self)
        let verifier = AuditVerifier(directory: fixture.directory)
        let whole = try verifier.verify(trustedPublicKeys: trusted)
        let report = try verifier.verify(since: fixture.exported, trustedPublicKeys: trusted)
        XCTAssertEqual(report.problems, [])
        XCTAssertGreaterThan(report.firstPositionChecked, 0)
        XCTAssertLessThanOrEqual(report.firstPositionChecked, fixture.exported.treeSize)
        XCTAssertEqual(report.recordsChecked, whole.recordsChecked - report.firstPositionChecked)
        XCTAssertLessThan(report.bytesChecked, whole.bytesChecked)
        XCTAssertEqual(report.exportedCheckpointsVerified, 1)
        XCTAssertEqual(report.storedCheckpointsVerified + report.storedCheckpointsBeforeStart, 3)
        let proof = try XCTUnwrap(report.consistencyProof)
        XCTAssertEqual(proof.oldSize, fixture.exported.treeSize)
        XCTAssertEqual(proof.oldRoot, fixture.exported.root)
        XCTAssertEqual(proof.newSize, fixture.checkpoints[2].treeSize)
        XCTAssertEqual(proof.newRoot, fixture.checkpoints[2].root)
        XCTAssertTrue(proof.verify())
        XCTAssertEqual(
            proof.path,
            try fixture.reader.consistencyProof(from: proof.oldSize, to: proof.newSize).path,
            "the proof built from the stored frontier is the one built from every record")
        XCTAssertEqual(report.root, whole.root)
    }

    func testASinceCheckpointVerificationOfTheLatestCheckpointProvesConsistencyToTheWholeLog() throws {
        let fixture = try ClinicLogFixture.make(self)
        let latest = fixture.checkpoints[2]
        let report = try AuditVerifier(directory: fixture.directory).verify(since: latest, trustedPublicKeys: trusted)
        XCTAssertEqual(report.problems, [])
        let proof = try XCTUnwrap(report.consistencyProof)
        XCTAssertEqual(proof.oldSize, latest.treeSize)
        XCTAssertEqual(proof.newSize, report.endPosition)
        XCTAssertEqual(proof.newRoot, report.root)
        XCTAssertTrue(proof.verify())
    }

    func testAnExportedCheckpointCoveringMoreThanTheLogHoldsNamesTheMissingPositions() throws {
        let fixture = try ClinicLogFixture.make(self, otherPatients: 2)
        let bigger = try ClinicLogFixture.make(self)
        var checkpoint = bigger.checkpoints[2]
        checkpoint.logID = fixture.exported.logID
        let report = try AuditVerifier(directory: fixture.directory).verify(exportedCheckpoints: [checkpoint])
        XCTAssertTrue(
            report.problems.contains {
                $0.check == .exportedCheckpoint && $0.reason.contains("invalid signature")
            }, "\(report.problems)")
        let end = try fixture.reader.endPosition()
        XCTAssertTrue(
            report.problems.contains {
                $0.location.positions == end..<checkpoint.treeSize && $0.reason.contains("removed")
            },
            "\(report.problems)")
    }

    func testProblemsOfOneKindAreListedUpToTheMaximumAndCountedBeyond() throws {
        let directory = makeTemporaryDirectory(self)
        let writer = try ClinicLogWriter(directory: directory, segmentBytesMax: 1 << 20)
        let patient = writer.makeID()
        for number in 0..<(AuditVerifier.problemsPerCheckMax + 5) {
            _ = try writer.log.appendAndWait([
                StreamAppend(
                    stream: "chart-\(patient)-\(number)", expectedVersion: .any,
                    events: [AppendEvent(eventID: writer.makeID(), payload: [1])])
            ])
        }
        writer.log.close()
        // Copies of one batch under new positions: every copy repeats its event id.
        let editor = LogEditor(directory: directory)
        var segments = try editor.read()
        let copy = segments[0].batches[0]
        segments[0].batches += Array(repeating: copy, count: AuditVerifier.problemsPerCheckMax + 3)
        LogEditor.renumber(&segments, keepingTimesOf: try editor.read())
        for batch in segments[0].batches.indices where batch >= AuditVerifier.problemsPerCheckMax + 5 {
            let last = segments[0].batches[AuditVerifier.problemsPerCheckMax + 4][0].recordedTimeMicroseconds
            segments[0].batches[batch][0].recordedTimeMicroseconds = last
        }
        try editor.write(segments)
        let report = try AuditVerifier(directory: directory).verify()
        let duplicates = report.problems.filter { $0.check == .eventIDs }
        XCTAssertEqual(duplicates.count, AuditVerifier.problemsPerCheckMax + 1)
        XCTAssertEqual(duplicates.last?.reason, "3 more problems of this kind were found and not listed")
    }
}

/// The event id set of the uniqueness check against `Set<EventID>`, across its growth and with the all-zero id.
final class EventIDSetTests: XCTestCase {
    func testItAgreesWithTheStandardSetOnRepeatedAndZeroIDs() {
        var generator = SeededRandomNumberGenerator(seed: 3)
        var set = EventIDSet()
        var reference = Set<EventID>()
        for number in 0..<200_000 {
            // Small ranges so ids repeat; the zero id now and then.
            let id =
                number % 9_973 == 0
                ? EventID(high: 0, low: 0)
                : EventID(
                    high: UInt64.random(in: 0..<4, using: &generator),
                    low: UInt64.random(in: 0..<60_000, using: &generator))
            XCTAssertEqual(set.insert(id), reference.insert(id).inserted, "id \(id)")
        }
        XCTAssertEqual(set.count + 1, reference.count)
    }
}
