import ClinicAudit
import ClinicEvents
import Foundation
import XCTest

@testable import RecordLog

/// An insider with write access to the log directory alters it in the ways the issue lists; `verify` against the
/// checkpoint the officer exported beforehand catches each one and names where.
final class TamperDrillTests: XCTestCase {
    private var trusted: [[UInt8]] { [ClinicLogFixture.signer.publicKey] }

    private func verify(_ fixture: ClinicLogFixture) throws -> AuditReport {
        try AuditVerifier(directory: fixture.directory).verify(
            trustedPublicKeys: trusted, exportedCheckpoints: [fixture.exported])
    }

    private func exportedProblem(_ report: AuditReport, file: StaticString = #filePath, line: UInt = #line) throws
        -> AuditProblem
    {
        try XCTUnwrap(
            report.problems.first { $0.check == .exportedCheckpoint && $0.reason.contains("does not match") },
            "\(report.problems)", file: file, line: line)
    }

    func testTheEditorRewritesAnUntouchedLogByteForByte() throws {
        let fixture = try ClinicLogFixture.make(self)
        let editor = LogEditor(directory: fixture.directory)
        let before = try fixture.segmentNames().map { try Data(contentsOf: URL(fileURLWithPath: editor.path($0))) }
        try editor.write(try editor.read())
        let after = try fixture.segmentNames().map { try Data(contentsOf: URL(fileURLWithPath: editor.path($0))) }
        XCTAssertEqual(before, after)
        XCTAssertTrue(try verify(fixture).isValid)
    }

    func testAnAmountChangedInASealedSegmentWithItsBatchChecksumRepaired() throws {
        let fixture = try ClinicLogFixture.make(self)
        let editor = LogEditor(directory: fixture.directory)
        var segments = try editor.read()
        let (s, b, r) = try XCTUnwrap(LogEditor.locate(fixture.events["charge"]!, in: segments))
        XCTAssertLessThan(s, segments.count - 1, "the charge is in a sealed segment")
        var record = segments[s].batches[b][r]
        let codec = try EventCodec()
        let decoded = try codec.decode(record.payload)
        guard case .chargePosted(let charge) = decoded.event else { return XCTFail("not a charge") }
        let forged = try ChargePosted(
            chargeID: charge.chargeID, patientID: charge.patientID, encounterID: charge.encounterID,
            procedure: charge.procedure, units: charge.units, diagnoses: charge.diagnoses,
            diagnosisPointers: charge.diagnosisPointers, amount: MoneyCents(cents: 1_250),
            postingDateDaysSince1970: charge.postingDateDaysSince1970)
        record.payload = try codec.encode(.chargePosted(forged), envelope: decoded.envelope)
        segments[s].batches[b][r] = record
        try editor.write(segments)

        let report = try verify(fixture)
        XCTAssertFalse(report.isValid)
        let name = segments[s].name
        XCTAssertTrue(
            report.problems.contains {
                $0.check == .storage && $0.location.file == name && $0.reason.contains("whole-file CRC-32C")
                    && $0.location.positions?.contains(record.position) == true
            }, "\(report.problems)")
        XCTAssertTrue(
            report.problems.contains { $0.location.file == name.replacingOccurrences(of: ".segment", with: ".index") })
        let exported = try exportedProblem(report)
        XCTAssertEqual(exported.location.positions?.upperBound, fixture.exported.treeSize)
        XCTAssertTrue(exported.location.positions?.contains(record.position) ?? false)
    }

    func testABatchDeletedAndTheRestRenumbered() throws {
        let fixture = try ClinicLogFixture.make(self)
        let editor = LogEditor(directory: fixture.directory)
        let original = try editor.read()
        var segments = original
        let (s, b, _) = try XCTUnwrap(LogEditor.locate(fixture.events["charge"]!, in: segments))
        segments[s].batches.remove(at: b)
        LogEditor.renumber(&segments, keepingTimesOf: original)
        try editor.write(segments)

        let report = try verify(fixture)
        XCTAssertFalse(report.isValid)
        let (ps, pb, pr) = try XCTUnwrap(LogEditor.locate(fixture.events["payment"]!, in: segments))
        let payment = segments[ps].batches[pb][pr]
        let gap = try XCTUnwrap(report.problems.first { $0.check == .streamVersions }, "\(report.problems)")
        XCTAssertEqual(gap.location.positions, payment.position..<payment.position + 1)
        XCTAssertEqual(gap.location.file, LogEditor.segmentName(holding: payment.position, in: segments))
        XCTAssertNotNil(gap.location.offset)
        XCTAssertEqual(
            gap.reason,
            "stream \(PatientAccount.streamName(for: fixture.patient)) starts at version 2, not 1: records of "
                + "the stream were removed or reordered")
        XCTAssertEqual(try exportedProblem(report).location.positions?.upperBound, fixture.exported.treeSize)
        XCTAssertTrue(report.problems.contains { $0.check == .storage && $0.reason.contains("manifest") })
    }

    func testTwoBatchesSwappedWithPositionsAndTimesKeptInOrder() throws {
        let fixture = try ClinicLogFixture.make(self)
        let editor = LogEditor(directory: fixture.directory)
        let original = try editor.read()
        var segments = original
        let first = try XCTUnwrap(LogEditor.locate(fixture.events["registered"]!, in: segments))
        let second = try XCTUnwrap(LogEditor.locate(fixture.events["corrected"]!, in: segments))
        let registered = segments[first.segment].batches[first.batch]
        segments[first.segment].batches[first.batch] = segments[second.segment].batches[second.batch]
        segments[second.segment].batches[second.batch] = registered
        LogEditor.renumber(&segments, keepingTimesOf: original)
        try editor.write(segments)

        let report = try verify(fixture)
        let swappedAt = segments[first.segment].batches[first.batch][0].position
        let versions = report.problems.filter { $0.check == .streamVersions }
        XCTAssertEqual(versions.map(\.location.positions), [swappedAt..<swappedAt + 1, swappedAt + 1..<swappedAt + 2])
        XCTAssertEqual(versions.first?.location.file, segments[first.segment].name)
        XCTAssertTrue(versions.last?.reason.contains("goes from version 2 to 1") ?? false)
        // LogVerifier checks versions too; the report lists each problem once, under its own check.
        XCTAssertFalse(report.problems.contains { $0.check == .storage && $0.reason.contains("stream version") })
        XCTAssertEqual(try exportedProblem(report).location.positions?.upperBound, fixture.exported.treeSize)
    }

    func testTheLogTruncatedBeforeTheExportedCheckpointAndRewrittenByTheWriterWithTheKey() throws {
        let fixture = try ClinicLogFixture.make(self)
        let size = fixture.exported.treeSize
        let editor = LogEditor(directory: fixture.directory)
        let bases = try editor.read().compactMap { $0.batches.first?.first?.position }
        let cut = bases.last { $0 < size } ?? 0
        // The insider cuts the log back to a segment boundary before the exported checkpoint, with a manifest, indexes
        // and checkpoint file to match, so the writer opens it as a healthy log.
        var manifest = try Manifest.decode(try Array(Data(contentsOf: URL(fileURLWithPath: editor.path("manifest")))))
            .get()
        manifest.sealed.removeAll { $0.basePosition >= cut }
        manifest.activeBase = cut
        if let previous = bases.last(where: { $0 < cut }) {
            let index = try SegmentIndex.decode(
                try Array(Data(contentsOf: URL(fileURLWithPath: editor.path(SegmentFile.indexName(base: previous)))))
            ).get()
            manifest.frontier = try XCTUnwrap(index.frontier)
        } else {
            manifest.frontier = MerkleFrontier()
        }
        try Data(manifest.encode()).write(to: URL(fileURLWithPath: editor.path("manifest")))
        for base in bases where base >= cut {
            try FileManager.default.removeItem(atPath: editor.path(SegmentFile.name(base: base)))
            try? FileManager.default.removeItem(atPath: editor.path(SegmentFile.indexName(base: base)))
        }
        _ = FileManager.default.createFile(atPath: editor.path(SegmentFile.name(base: cut)), contents: Data())
        let kept = fixture.checkpoints.filter { $0.treeSize <= cut }.flatMap { $0.encode() }
        try Data(kept).write(to: URL(fileURLWithPath: editor.path("checkpoints")))
        let writer = try ClinicLogWriter(
            directory: fixture.directory, startMicroseconds: fixture.endMicroseconds, firstID: 10_000)
        for number in 0..<Int(size - cut) + 5 {
            let patient = writer.makeID()
            try writer.append(
                .patientRegistered(
                    PatientRegistered(
                        patientID: patient, familyName: "Forged \(number)", givenName: "X", birthDateDaysSince1970: 1)),
                to: PatientRecordState.streamName(for: patient))
        }
        _ = try writer.log.checkpointAndWait(signer: ClinicLogFixture.signer)
        writer.log.close()

        let withoutExport = try AuditVerifier(directory: fixture.directory).verify(trustedPublicKeys: trusted)
        XCTAssertEqual(withoutExport.problems, [], "the rewritten log is consistent in itself")
        let report = try verify(fixture)
        let mismatch = try exportedProblem(report)
        XCTAssertEqual(mismatch.location.positions?.upperBound, size)
        XCTAssertTrue(
            report.problems.contains {
                $0.location.file == "checkpoints" && $0.reason.contains("no longer in the checkpoint file")
            },
            "\(report.problems)")
        let since = try AuditVerifier(directory: fixture.directory).verify(
            since: fixture.exported, trustedPublicKeys: trusted)
        XCTAssertTrue(
            since.problems.contains { $0.check == .exportedCheckpoint && $0.reason.contains("does not match") })
        XCTAssertNil(since.consistencyProof)
    }

    func testTheCheckpointFileReplacedWithCheckpointsSignedByAnotherKey() throws {
        let fixture = try ClinicLogFixture.make(self)
        let insider = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 0x66, count: 32))
        var bytes: [UInt8] = []
        for checkpoint in fixture.checkpoints {
            bytes += try insider.sign(
                treeSize: checkpoint.treeSize, timeMicroseconds: checkpoint.timeMicroseconds, root: checkpoint.root,
                logID: checkpoint.logID
            ).encode()
        }
        try Data(bytes).write(to: URL(fileURLWithPath: LogEditor(directory: fixture.directory).path("checkpoints")))

        let report = try verify(fixture)
        XCTAssertEqual(
            report.problems.filter { $0.check == .storage }.map(\.location.offset), [0, 184, 368],
            "\(report.problems)")
        XCTAssertTrue(report.problems.filter { $0.check == .storage }.allSatisfy { $0.reason.contains("trusted key") })
        let replaced = try XCTUnwrap(report.problems.first { $0.check == .exportedCheckpoint })
        XCTAssertEqual(
            replaced.location, LogLocation(file: "checkpoints", offset: 0, positions: 0..<fixture.exported.treeSize))
        XCTAssertTrue(replaced.reason.contains("differs from the exported checkpoint"), replaced.reason)
        XCTAssertTrue(replaced.reason.contains("key, signature"), replaced.reason)
    }

    func testAChangeAfterTheExportedCheckpointIsCaughtByAVerificationSinceIt() throws {
        let fixture = try ClinicLogFixture.make(self)
        let editor = LogEditor(directory: fixture.directory)
        var segments = try editor.read()
        let (s, b, r) = try XCTUnwrap(LogEditor.locate(fixture.events["void"]!, in: segments))
        segments[s].batches[b][r].payload[segments[s].batches[b][r].payload.count - 1] ^= 0x01
        try editor.write(segments)
        let report = try AuditVerifier(directory: fixture.directory).verify(
            since: fixture.exported, trustedPublicKeys: trusted)
        XCTAssertFalse(report.isValid)
        XCTAssertTrue(report.problems.contains { $0.location.file == segments[s].name }, "\(report.problems)")
        XCTAssertEqual(report.exportedCheckpointsVerified, 1, "what the exported checkpoint covers is intact")
    }
}
