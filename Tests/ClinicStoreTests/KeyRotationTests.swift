import ClinicEvents
import ClinicStore
import Foundation
import RecordLog
import RecordLogTesting
import XCTest

final class KeyRotationTests: XCTestCase {
    private let families = ["Ames", "Boyd", "Cruz", "Diaz", "Egan"]

    private func makeOffice() throws -> (AccessFixture, [EventID]) {
        let fixture = try AccessFixture()
        let patients = try families.map { try fixture.registerPatient(family: $0, given: "Pat") }
        try fixture.chartEntry(
            patients[0],
            .recordAllergy(
                allergyID: fixture.newID(), substance: "sulfa", reaction: "rash", severity: .mild,
                verification: .confirmed))
        return (fixture, patients)
    }

    private func checkReadable(
        _ reader: StoreReader, _ patients: [EventID], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        for (patient, family) in zip(patients, families) {
            XCTAssertEqual(try reader.patientRecord(patient).familyName, family, file: file, line: line)
        }
        XCTAssertEqual(
            try reader.chart(of: patients[0]).allergies.values.first?.recorded.substance, "sulfa", file: file,
            line: line)
    }

    func testRotationRewrapsEveryKeyAndEverythingStaysReadableAndProvable() throws {
        let (fixture, patients) = try makeOffice()
        let before = try fixture.store.checkpoint()
        let oldKey = try fixture.fileSystem.readWholeFile(fixture.location.masterKeyPath)
        let oldPublicKey = fixture.store.checkpointSigner.publicKey
        let rotation = try fixture.withStoreClosed {
            try ClinicStore.rotateMasterKey(
                at: fixture.location, environment: fixture.environment, by: fixture.admin, commandID: fixture.newID())
        }
        XCTAssertEqual(rotation.rewrappedKeyCount, UInt64(patients.count))
        let newKey = try fixture.fileSystem.readWholeFile(fixture.location.masterKeyPath)
        XCTAssertNotEqual(newKey, oldKey)
        XCTAssertFalse(fixture.fileSystem.exists(fixture.location.rotatingMasterKeyPath))
        let reader = fixture.store.reader()
        try checkReadable(reader, patients)
        try checkReadable(try StoreReader.open(at: fixture.location, environment: fixture.environment), patients)
        let keyringBytes = try fixture.fileSystem.readWholeFile(fixture.location.keyringPath)
        XCTAssertThrowsError(
            try PatientKeyring(
                serialized: keyringBytes, masterKey: try MasterKey(keyMaterial: oldKey),
                random: fixture.environment.random), "the old master key no longer opens the keyring")
        // Checkpoints: the old one verifies with the key the rotation names; new ones use the new key.
        let after = try fixture.store.checkpoint()
        XCTAssertEqual(before.publicKey, oldPublicKey)
        XCTAssertNotEqual(after.publicKey, before.publicKey)
        let trusted = try reader.checkpointPublicKeys()
        XCTAssertEqual(Set(trusted), Set([before.publicKey, after.publicKey]))
        let verifier = LogVerifier(directory: fixture.location.logDirectory, fileSystem: fixture.fileSystem)
        let report = try verifier.verify(trustedPublicKeys: trusted)
        XCTAssertTrue(report.isValid, "\(report.problems)")
        XCTAssertFalse(try verifier.verify(trustedPublicKeys: [after.publicKey]).isValid)
        let logReader = fixture.store.log.reader()
        let inclusion = try logReader.inclusionProof(position: 2, treeSize: after.treeSize)
        XCTAssertTrue(inclusion.verify())
        XCTAssertEqual(inclusion.root, after.root)
        let consistency = try logReader.consistencyProof(from: before.treeSize, to: after.treeSize)
        XCTAssertTrue(consistency.verify())
        XCTAssertEqual([consistency.oldRoot, consistency.newRoot], [before.root, after.root])
        let rotations = try reader.events(inStream: ClinicStore.keysStreamName).map(\.event)
        XCTAssertEqual(rotations, [.masterKeyRotated(rotation)])
        // And new patients get keys under the new master key.
        let newcomer = try fixture.registerPatient(family: "Fox", given: "Lee")
        XCTAssertEqual(try fixture.store.reader().patientRecord(newcomer).familyName, "Fox")
    }

    /// The power is cut at every file operation of a rotation in turn: whatever survives, the store opens, every
    /// patient stays readable, the log verifies, and the rotation has either not happened or happened once, whole.
    func testACrashAtAnyPointOfARotationLeavesTheStoreWholeAndTheRotationDoneOnceOrNotAtAll() throws {
        let (fixture, patients) = try makeOffice()
        try fixture.store.checkpoint()
        fixture.store.close()
        defer { fixture.store = try! ClinicStore.open(at: fixture.location, environment: fixture.environment) }
        let base = try XCTUnwrap(fixture.fileSystem as? SimulatedFileSystem)
        let oldKey = try base.readWholeFile(fixture.location.masterKeyPath)
        var rotatedCount = 0
        var crashPoints = 0
        for point in 1...400 {
            let fileSystem = base.makeCopy(seed: UInt64(point))
            var environment = fixture.environment
            environment.fileSystem = fileSystem
            fileSystem.crashAfter(operations: point, mode: .random)
            _ = try? ClinicStore.rotateMasterKey(
                at: fixture.location, environment: environment, by: fixture.admin, commandID: fixture.newID())
            let crashed = fileSystem.isHalted
            fileSystem.restart()
            let store = try ClinicStore.open(at: fixture.location, environment: environment)
            defer { store.close() }
            XCTAssertFalse(fileSystem.exists(fixture.location.rotatingMasterKeyPath), "crash point \(point)")
            let reader = store.reader()
            try checkReadable(reader, patients)
            let report = try LogVerifier(directory: fixture.location.logDirectory, fileSystem: fileSystem)
                .verify(trustedPublicKeys: try reader.checkpointPublicKeys())
            XCTAssertTrue(report.isValid, "crash point \(point): \(report.problems)")
            let key = try fileSystem.readWholeFile(fixture.location.masterKeyPath)
            let rotations = try reader.events(inStream: ClinicStore.keysStreamName).compactMap { stored in
                if case .masterKeyRotated(let rotation) = stored.event { rotation } else { nil }
            }
            if key == oldKey {
                XCTAssertEqual(rotations.count, 0, "crash point \(point): logged but not rotated")
            } else {
                rotatedCount += 1
                XCTAssertEqual(rotations.count, 1, "crash point \(point)")
                XCTAssertEqual(
                    rotations.first?.newMasterKeyID,
                    try MasterKey(keyMaterial: key).id.map { String(format: "%02x", $0) }.joined(),
                    "crash point \(point)")
            }
            guard crashed else { break }
            crashPoints += 1
        }
        XCTAssertGreaterThan(crashPoints, 10)
        XCTAssertGreaterThan(rotatedCount, 1)
    }
}
