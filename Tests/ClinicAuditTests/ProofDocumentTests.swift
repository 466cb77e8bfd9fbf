import ClinicAudit
import ClinicEvents
import Foundation
import XCTest

@testable import RecordLog

final class ProofDocumentTests: XCTestCase {
    private var trusted: [[UInt8]] { [ClinicLogFixture.signer.publicKey] }

    func testEveryDocumentReadsBackAsWrittenAndVerifies() throws {
        let fixture = try ProofFixture(self)
        for (name, json) in try fixture.documents() {
            let bytes = json.serializedBytes()
            let document = try ProofDocument(jsonBytes: bytes)
            let verification = document.verify(trustedPublicKeys: trusted)
            XCTAssertTrue(verification.isValid, "\(name): \(verification.failure ?? "")")
            XCTAssertFalse(verification.steps.isEmpty)
            let stranger = try CheckpointSigner(privateKeyBytes: [UInt8](repeating: 3, count: 32))
            XCTAssertFalse(document.verify(trustedPublicKeys: [stranger.publicKey]).isValid, name)
            switch document {
            case .checkpoint(let checkpoint): XCTAssertEqual(checkpoint.json, json)
            case .inclusion(let proof): XCTAssertEqual(proof.json.normalized, json.normalized)
            case .consistency(let proof): XCTAssertEqual(proof.json.normalized, json.normalized)
            case .bundle(let bundle): XCTAssertEqual(bundle.json.normalized, json.normalized)
            case .patientExport(let export): XCTAssertEqual(export.events.count, 21)
            }
        }
    }

    func testACheckpointDocumentStatesTheStoredCheckpointExactly() throws {
        let fixture = try ClinicLogFixture.make(self, otherPatients: 2)
        let document = CheckpointDocument(fixture.exported)
        XCTAssertEqual(document.signedCheckpoint, fixture.exported)
        XCTAssertEqual(document.signedMessage, fixture.exported.signedMessage)
        XCTAssertEqual(document.signedMessage.count, 88)
        let text = document.json.serialized()
        XCTAssertTrue(text.hasPrefix("{\n  \"format\": \"cliniclog.checkpoint.v1\",\n  \"logId\": \""), text)
        XCTAssertEqual(try CheckpointDocument(jsonBytes: Array(text.utf8)), document)
        var wrongKeyID = document
        wrongKeyID.keyID[0] ^= 1
        XCTAssertNil(wrongKeyID.signedCheckpoint)
    }

    func testTheWorkedExampleOfTheLogFormatVerifies() throws {
        // docs/log-format.md section 18.5.
        let text = [
            "434c4331e6f27d92010000000000000002000000000000004078959fe0440600b9d1f049440c441208235fb9b652669f",
            "852c525411921e82a4b47cd374e2fe7801080f161d242b323940474e555c636afe812c12f3ab4ce6ea4a6c63e29c520a",
            "bef5507b132ec5f9954776aebebe7b92421eea691446d22c2ffa6a253f0d842ed552f8ad171308ab152b27015d74829b",
            "120e160edabbeda45603932a1d8fcb5a2d938e48c43f812f3d63ee194e54b7732de9b7d048fe2706",
        ]
        let entry = bytes(hex: text.joined())
        let checkpoint = try XCTUnwrap(SignedCheckpoint.decode(entry))
        let document = CheckpointDocument(checkpoint)
        XCTAssertEqual(document.time, "2025-12-01T09:30:01.000000Z")
        XCTAssertTrue(document.verify().isValid)
    }

    func testEverySingleByteChangeOfAnyDocumentIsRefused() throws {
        let fixture = try ProofFixture(self)
        var checked = 0
        for (name, json, under) in try fixture.mutationSubjects() {
            for (change, mutated) in DocumentMutations.all(of: json, under: under) {
                checked += 1
                guard let document = try? ProofDocument(json: mutated) else { continue }
                let verification = document.verify(trustedPublicKeys: [])
                XCTAssertFalse(verification.isValid, "\(name): changing \(change) was not caught")
            }
        }
        XCTAssertGreaterThan(checked, 2_000)
    }

    func testPathsWithANodeTooManyTooFewOrOutOfOrderAreRefused() throws {
        let fixture = try ProofFixture(self)
        let inclusion = try fixture.issuer.inclusionProof(position: 40, against: fixture.signed[101]!)
        XCTAssertTrue(inclusion.verify().isValid)
        for path in attackPaths(inclusion.path) {
            var forged = inclusion
            forged.path = path
            XCTAssertFalse(forged.verify().isValid, "\(path.count) nodes")
        }
        var otherLeaf = inclusion
        otherLeaf.record = try fixture.issuer.recordBytes(at: 41)
        XCTAssertFalse(otherLeaf.verify().isValid)

        let consistency = try fixture.issuer.consistencyProof(from: fixture.signed[33]!, to: fixture.signed[101]!)
        XCTAssertTrue(consistency.verify().isValid)
        for path in attackPaths(consistency.path) {
            var forged = consistency
            forged.path = path
            XCTAssertFalse(forged.verify().isValid, "\(path.count) nodes")
        }
        let shorter = try fixture.issuer.consistencyProof(from: fixture.signed[32]!, to: fixture.signed[101]!)
        var mislabeled = consistency
        mislabeled.path = shorter.path
        XCTAssertFalse(mislabeled.verify().isValid)
    }

    func testProofsAreOnlyMadeAgainstCheckpointsTheRecordsStillGive() throws {
        let fixture = try ProofFixture(self)
        var forged = fixture.signed[64]!
        forged.root = fixture.signed[65]!.root
        XCTAssertThrowsError(try fixture.issuer.inclusionProof(position: 3, against: forged)) {
            guard case AuditError.checkpointDoesNotMatchLog(64, _) = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try fixture.issuer.inclusionProof(position: 64, against: fixture.signed[64]!)) {
            guard case AuditError.noCoveringCheckpoint = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try fixture.issuer.consistencyProof(from: fixture.signed[65]!, to: fixture.signed[64]!)) {
            XCTAssertEqual($0 as? AuditError, .checkpointsOutOfOrder(oldTreeSize: 65, newTreeSize: 64))
        }
        let position = try fixture.issuer.position(of: fixture.log.events["void"]!)
        XCTAssertEqual(
            try fixture.issuer.inclusionProof(position: position, against: fixture.log.checkpoints[2]).position,
            position)
        XCTAssertThrowsError(try fixture.issuer.position(of: EventID(high: 1, low: 1)))
        XCTAssertThrowsError(try ProofDocument(jsonBytes: Array(#"{"format": "cliniclog.unknown.v9"}"#.utf8))) {
            XCTAssertEqual(
                $0 as? AuditError,
                .malformedDocument(field: "format", reason: "unknown document format \"cliniclog.unknown.v9\""))
        }
    }

    /// A node appended, the last node dropped, the first two swapped, and the path reversed.
    private func attackPaths(_ path: [MerkleDigest]) -> [[MerkleDigest]] {
        var swapped = path
        swapped.swapAt(0, 1)
        return [path + [path[0]], Array(path.dropLast()), swapped, path.reversed(), []]
    }
}

/// The bytes of hex text written in a test.
private func bytes(hex text: String) -> [UInt8] {
    stride(from: 0, to: text.count, by: 2).map {
        let start = text.index(text.startIndex, offsetBy: $0)
        return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
    }
}
