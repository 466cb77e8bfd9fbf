import ClinicEvents
import Dispatch
import RecordLog
import RecordLogTesting
import XCTest

final class PatientDataEncryptionTests: XCTestCase {
    private let distinctiveName = Array("Zebulon Quixote-Farnsworth".utf8)
    private let patient = EventID(high: 0x0101, low: 0x0202)
    private let otherPatient = EventID(high: 0x0303, low: 0x0404)
    private let event = EventID(high: 0x0A0A, low: 0x0B0B)
    private let otherEvent = EventID(high: 0x0C0C, low: 0x0D0D)

    private func makeKeyring(seed: UInt64 = 7) -> (PatientKeyring, MasterKey, RandomByteSource) {
        let random = RandomByteSource(SeededRandomNumberGenerator(seed: seed))
        let masterKey = MasterKey.make(using: random)
        return (PatientKeyring(masterKey: masterKey, random: random), masterKey, random)
    }

    private func context(_ patientID: EventID? = nil, event eventID: EventID? = nil, field: String = "familyName")
        -> PatientDataContext
    {
        PatientDataContext(patientID: patientID ?? patient, eventID: eventID ?? event, fieldName: field)
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    /// The error `body` throws, as a `PatientDataError`, or nil when it throws nothing (or something else).
    private func failure(_ body: () throws -> Void) -> PatientDataError? {
        do {
            try body()
            return nil
        } catch {
            return error as? PatientDataError
        }
    }

    func testSealAndOpenRoundTripThroughBytes() throws {
        let (keyring, _, _) = makeKeyring()
        try keyring.createKey(for: patient)
        var generator = SeededRandomNumberGenerator(seed: 99)
        let noise = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let plaintexts: [[UInt8]] = [[], distinctiveName, [0], noise]
        for plaintext in plaintexts {
            let sealed = try keyring.seal(plaintext, for: context())
            XCTAssertEqual(sealed.bytes.count, plaintext.count + SealedPatientData.overheadByteCount)
            XCTAssertEqual(sealed.bytes[0], SealedPatientData.format)
            let decoded = try SealedPatientData(bytes: sealed.bytes)
            XCTAssertEqual(decoded, sealed)
            XCTAssertEqual(try keyring.open(decoded, for: context()), plaintext)
        }
    }

    func testSealedBytesFollowTheDocumentedLayout() throws {
        let (keyring, _, _) = makeKeyring()
        let dataKey = try keyring.createKey(for: patient)
        let sealed = try keyring.seal(distinctiveName, for: context())
        let bytes = sealed.bytes
        XCTAssertEqual(bytes[0], 0x01)
        XCTAssertEqual(EventID(bytes: bytes[1..<17]), patient)
        XCTAssertEqual(Array(bytes[17..<21]), dataKey.id)
        XCTAssertEqual(Array(bytes[21..<33]), sealed.nonce)
        XCTAssertEqual(Array(bytes[33..<(33 + distinctiveName.count)]), sealed.ciphertext)
        XCTAssertEqual(Array(bytes.suffix(16)), sealed.tag)
        XCTAssertEqual(failure { _ = try SealedPatientData(bytes: [0x02] + bytes.dropFirst()) }, .unsupportedFormat(2))
        let serialized = keyring.serialized()
        XCTAssertEqual(Array(serialized[0..<5]), Array("CLKR".utf8) + [0x01])
        XCTAssertEqual(Array(serialized[5..<13]), keyring.masterKeyID)
        XCTAssertEqual(Array(serialized[13..<17]), [1, 0, 0, 0])
        XCTAssertEqual(EventID(bytes: serialized[17..<33]), patient)
        XCTAssertEqual(serialized[33], 0x01)
        XCTAssertEqual(Array(serialized[34..<74]), keyring.wrappedKey(for: patient))
    }

    func testConcurrentUseFromManyThreads() throws {
        let (keyring, _, _) = makeKeyring()
        let patients = (0..<64).map { EventID(high: 77, low: UInt64($0)) }
        DispatchQueue.concurrentPerform(iterations: patients.count) { index in
            let patientID = patients[index]
            let context = PatientDataContext(patientID: patientID, eventID: patientID, fieldName: "note")
            do {
                try keyring.createKey(for: patientID)
                let sealed = try keyring.seal(Array("note \(index)".utf8), for: context)
                XCTAssertEqual(try keyring.open(sealed, for: context), Array("note \(index)".utf8))
                if index.isMultiple(of: 2) { keyring.destroyKey(for: patientID) }
            } catch {
                XCTFail("unexpected \(error)")
            }
        }
        XCTAssertEqual(keyring.patientIDs, patients.enumerated().filter { !$0.offset.isMultiple(of: 2) }.map(\.element))
    }

    func testSameSeedGivesSameBytes() throws {
        func run() throws -> ([UInt8], [UInt8]) {
            let (keyring, _, _) = makeKeyring(seed: 42)
            try keyring.createKey(for: patient)
            try keyring.createKey(for: otherPatient)
            return (try keyring.seal(distinctiveName, for: context()).bytes, keyring.serialized())
        }
        let first = try run()
        let second = try run()
        XCTAssertEqual(first.0, second.0)
        XCTAssertEqual(first.1, second.1)
    }

    func testNameNeverAppearsInCiphertextOrKeyring() throws {
        let (keyring, masterKey, _) = makeKeyring()
        let dataKey = try keyring.createKey(for: patient)
        let sealed = try keyring.seal(distinctiveName, for: context())
        XCTAssertFalse(contains(sealed.bytes, distinctiveName))
        let serialized = keyring.serialized()
        XCTAssertFalse(contains(serialized, distinctiveName))
        XCTAssertFalse(contains(serialized, masterKey.keyMaterial))
        XCTAssertNotNil(dataKey)
        XCTAssertEqual(keyring.wrappedKey(for: patient)?.count, PatientKeyring.wrappedKeyByteCount)
    }

    func testSerializedKeyringRoundTrips() throws {
        let (keyring, masterKey, random) = makeKeyring()
        try keyring.createKey(for: patient)
        try keyring.createKey(for: otherPatient)
        let sealed = try keyring.seal(distinctiveName, for: context())
        keyring.destroyKey(for: otherPatient)
        let serialized = keyring.serialized()
        XCTAssertEqual(serialized.count, 17 + 57 + 17 + 32)
        let loaded = try PatientKeyring(serialized: serialized, masterKey: masterKey, random: random)
        XCTAssertEqual(try loaded.open(sealed, for: context()), distinctiveName)
        XCTAssertTrue(loaded.isErased(otherPatient))
        XCTAssertEqual(loaded.patientIDs, [patient])
        XCTAssertEqual(loaded.serialized(), serialized)
    }

    func testAnErasurePendingMarkKeepsTheKeyUsableRoundTripsAsStateThreeAndGoesWithTheKey() throws {
        let (keyring, masterKey, random) = makeKeyring()
        try keyring.createKey(for: patient)
        let sealed = try keyring.seal(distinctiveName, for: context())
        XCTAssertFalse(keyring.markErasurePending(for: otherPatient), "no live key, no mark")
        XCTAssertTrue(keyring.markErasurePending(for: patient))
        XCTAssertEqual(keyring.erasurePendingPatientIDs, [patient])
        let serialized = keyring.serialized()
        XCTAssertEqual(serialized.count, 17 + 57 + 32)
        XCTAssertEqual(serialized[17 + 16], 0x03)
        let loaded = try PatientKeyring(serialized: serialized, masterKey: masterKey, random: random)
        XCTAssertTrue(loaded.isErasurePending(patient))
        XCTAssertEqual(try loaded.open(sealed, for: context()), distinctiveName)
        loaded.clearErasurePending(for: patient)
        XCTAssertEqual(loaded.serialized()[17 + 16], 0x01)
        keyring.destroyKey(for: patient)
        XCTAssertEqual(keyring.erasurePendingPatientIDs, [])
        XCTAssertTrue(keyring.isErased(patient))
        XCTAssertFalse(keyring.markErasurePending(for: patient))
    }

    func testDestroyKeyErasesThePatient() throws {
        let (keyring, masterKey, random) = makeKeyring()
        try keyring.createKey(for: patient)
        try keyring.createKey(for: otherPatient)
        let sealed = try keyring.seal(distinctiveName, for: context())
        let otherSealed = try keyring.seal(distinctiveName, for: context(otherPatient))
        let wrappedBefore = try XCTUnwrap(keyring.wrappedKey(for: patient))
        keyring.destroyKey(for: patient)

        XCTAssertEqual(failure { _ = try keyring.open(sealed, for: context()) }, .patientErased(patientID: patient))
        XCTAssertEqual(failure { _ = try keyring.dataKey(for: patient) }, .patientErased(patientID: patient))
        XCTAssertEqual(failure { try keyring.createKey(for: patient) }, .patientErased(patientID: patient))
        XCTAssertNil(keyring.wrappedKey(for: patient))
        XCTAssertEqual(try keyring.open(otherSealed, for: context(otherPatient)), distinctiveName)

        let serialized = keyring.serialized()
        XCTAssertFalse(contains(serialized, wrappedBefore))
        XCTAssertFalse(contains(serialized, distinctiveName))
        XCTAssertFalse(contains(sealed.bytes, distinctiveName))
        let loaded = try PatientKeyring(serialized: serialized, masterKey: masterKey, random: random)
        XCTAssertEqual(failure { _ = try loaded.open(sealed, for: context()) }, .patientErased(patientID: patient))
        for error in [PatientDataError.patientErased(patientID: patient), .tampered, .wrongKey] {
            XCTAssertFalse(error.description.contains("Zebulon"))
        }
    }

    func testChangingAnyByteOfASealedValueIsDetected() throws {
        let (keyring, _, _) = makeKeyring()
        try keyring.createKey(for: patient)
        let bytes = try keyring.seal(distinctiveName, for: context()).bytes
        for index in bytes.indices {
            for flip: UInt8 in [0x01, 0x80] {
                var tampered = bytes
                tampered[index] ^= flip
                let refusal = failure {
                    let sealed = try SealedPatientData(bytes: tampered)
                    _ = try keyring.open(sealed, for: context())
                }
                XCTAssertNotNil(refusal, "byte \(index) changed undetected")
            }
        }
        let dataKey = try keyring.dataKey(for: patient)
        let truncated = Array(bytes.dropLast())
        XCTAssertNotNil(failure { _ = try SealedPatientData(bytes: truncated).open(for: context(), using: dataKey) })
    }

    func testChangingAnyByteOfTheKeyringIsDetected() throws {
        let (keyring, masterKey, random) = makeKeyring()
        try keyring.createKey(for: patient)
        try keyring.createKey(for: otherPatient)
        keyring.destroyKey(for: EventID(high: 9, low: 9))
        let serialized = keyring.serialized()
        for index in serialized.indices {
            var tampered = serialized
            tampered[index] ^= 0x01
            XCTAssertNotNil(
                failure { _ = try PatientKeyring(serialized: tampered, masterKey: masterKey, random: random) },
                "byte \(index) changed undetected")
        }
        XCTAssertNotNil(
            failure { _ = try PatientKeyring(serialized: serialized.dropLast(), masterKey: masterKey, random: random) })
    }

    func testCiphertextCannotMoveToAnotherEventFieldOrPatient() throws {
        let (keyring, _, random) = makeKeyring()
        try keyring.createKey(for: patient)
        try keyring.createKey(for: otherPatient)
        let sealed = try keyring.seal(distinctiveName, for: context())
        XCTAssertEqual(failure { _ = try keyring.open(sealed, for: context(event: otherEvent)) }, .tampered)
        XCTAssertEqual(failure { _ = try keyring.open(sealed, for: context(field: "givenName")) }, .tampered)
        XCTAssertEqual(failure { _ = try keyring.open(sealed, for: context(otherPatient)) }, .patientMismatch)
        let otherKey = try keyring.dataKey(for: otherPatient)
        XCTAssertEqual(failure { _ = try sealed.open(for: context(), using: otherKey) }, .wrongKey)
        let stranger = PatientDataKey.make(using: random)
        XCTAssertEqual(failure { _ = try sealed.open(for: context(), using: stranger) }, .wrongKey)
        let unknown = EventID(high: 5, low: 5)
        XCTAssertEqual(
            failure { _ = try keyring.seal(distinctiveName, for: context(unknown)) }, .noKey(patientID: unknown))
        XCTAssertEqual(failure { try keyring.createKey(for: patient) }, .keyAlreadyExists(patientID: patient))
    }

    func testRotationKeepsDataReadableAndRetiresTheOldMasterKey() throws {
        let (keyring, oldMasterKey, random) = makeKeyring()
        try keyring.createKey(for: patient)
        try keyring.createKey(for: otherPatient)
        let sealed = try keyring.seal(distinctiveName, for: context())
        let otherSealed = try keyring.seal(distinctiveName, for: context(otherPatient, field: "givenName"))
        let wrappedBefore = keyring.wrappedKey(for: patient)

        let newMasterKey = MasterKey.make(using: random)
        try keyring.rewrap(with: newMasterKey)
        XCTAssertEqual(keyring.masterKeyID, newMasterKey.id)
        XCTAssertNotEqual(keyring.wrappedKey(for: patient), wrappedBefore)
        XCTAssertEqual(try keyring.open(sealed, for: context()), distinctiveName)
        XCTAssertEqual(try keyring.open(otherSealed, for: context(otherPatient, field: "givenName")), distinctiveName)

        let serialized = keyring.serialized()
        XCTAssertEqual(
            failure { _ = try PatientKeyring(serialized: serialized, masterKey: oldMasterKey, random: random) },
            .wrongMasterKey)
        let loaded = try PatientKeyring(serialized: serialized, masterKey: newMasterKey, random: random)
        XCTAssertEqual(try loaded.open(sealed, for: context()), distinctiveName)
        XCTAssertEqual(try loaded.open(otherSealed, for: context(otherPatient, field: "givenName")), distinctiveName)
    }

    func testMasterKeyMaterialRoundTrips() throws {
        let random = RandomByteSource(SeededRandomNumberGenerator(seed: 3))
        let masterKey = MasterKey.make(using: random)
        let restored = try MasterKey(keyMaterial: masterKey.keyMaterial)
        XCTAssertEqual(restored.id, masterKey.id)
        XCTAssertEqual(restored.id.count, 8)
        for text in [String(describing: masterKey), String(reflecting: masterKey)] {
            XCTAssertTrue(text.hasPrefix("MasterKey(id: "))
            XCTAssertEqual(text.count, "MasterKey(id: )".count + 16)
        }
        let dataKey = PatientDataKey.make(using: random)
        XCTAssertEqual(String(describing: dataKey).count, "PatientDataKey(id: )".count + 8)
        XCTAssertEqual(failure { _ = try MasterKey(keyMaterial: [UInt8](repeating: 1, count: 16)) }, .invalidKey)
    }
}
