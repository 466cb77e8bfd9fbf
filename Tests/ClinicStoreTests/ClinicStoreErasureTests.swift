import ClinicEvents
import ClinicStore
import Logging
import RecordLog
import RecordLogTesting
import XCTest

/// The erasure protocol of `ClinicStore+Erasure.swift` under power cuts: a crash at every file operation of an erasure
/// leaves the patient either fully present (the erasure was not acknowledged) or erased in the log, the keyring file
/// and what every reader decodes, and a retry of the command lands once.
final class ClinicStoreErasureTests: XCTestCase {
    let admin = StaffActor(staffID: try! StaffID("admin"), role: .officeManager)
    let frontDesk = StaffActor(staffID: try! StaffID("fd-1"), role: .frontDesk)
    let location = StoreLocation(root: "/clinic")
    let patient = EventID(high: 0x5A71_E000_0000_4001, low: 0x8000_0000_0000_0001)
    let eraseCommandID = EventID(high: 0xE4A5_E000_0000_4001, low: 0x8000_0000_0000_0002)

    func environment(_ fileSystem: SimulatedFileSystem) -> StoreEnvironment {
        StoreEnvironment(
            fileSystem: fileSystem, clock: ManualClock(microseconds: StoreFixture.start),
            random: RandomByteSource(SeededRandomNumberGenerator(seed: 11)),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, segmentBytesMax: 1 << 20)
    }

    /// A store on a simulated disk with a front-desk clerk and one registered patient, closed.
    func makePreparedDisk() throws -> SimulatedFileSystem {
        let disk = SimulatedFileSystem(seed: 1)
        let store = try ClinicStore.create(
            at: location, settings: StoreSettings(calendar: .utc),
            administrator: try StaffMemberAdded(staffID: admin.staffID, displayName: "Admin", roles: [.officeManager]),
            environment: environment(disk))
        try store.execute(
            .addStaff(try StaffMemberAdded(staffID: frontDesk.staffID, displayName: "Front", roles: [.frontDesk])),
            by: admin, commandID: EventID(high: 1, low: 1))
        try store.execute(
            .registerPatient(
                try PatientRegistered(
                    patientID: patient, familyName: "Zyxwvutsrq", givenName: "Quaxelbrand",
                    birthDateDaysSince1970: 3_000)),
            by: frontDesk, commandID: EventID(high: 1, low: 2))
        store.close()
        return disk
    }

    var erasure: OfficeCommand { .patientRecord(patientID: patient, .erase(reason: .patientRequest)) }

    /// The keyring file as it is on `disk`.
    func keyringFile(on disk: SimulatedFileSystem) throws -> PatientKeyring {
        let masterKey = try MasterKey(keyMaterial: try XCTUnwrap(disk.contents(of: location.masterKeyPath)))
        return try PatientKeyring(
            serialized: try XCTUnwrap(disk.contents(of: location.keyringPath)), masterKey: masterKey,
            random: RandomByteSource(SeededRandomNumberGenerator(seed: 3)))
    }

    /// The patient's markers in the log, and how their registration reads with `reader`.
    func markersAndRegistration(
        _ reader: StoreReader
    ) throws -> (markers: Int, registration: StoredEvent) {
        let events = try reader.events(inStream: PatientRecordState.streamName(for: patient))
        let markers = events.filter { if case .patientErased = $0.event { true } else { false } }.count
        return (markers, try XCTUnwrap(events.first))
    }

    func checkRegistration(_ registration: StoredEvent, erased: Bool, _ context: String) {
        guard case .patientRegistered(let registered) = registration.event else {
            return XCTFail("\(context): the patient stream does not start with the registration")
        }
        XCTAssertEqual(registration.patientDataErased, erased, context)
        XCTAssertEqual(registered.familyName == "Zyxwvutsrq", !erased, context)
    }

    func testAnErasureCrashedAtEveryFileOperationIsAllOrNothingAndItsRetryLandsOnce() throws {
        let prepared = try makePreparedDisk()
        var crashPoints = 0
        var markerWithLiveKey = 0
        for mode in [SimulatedFileSystem.CrashMode.random, .loseUnsynced, .keepUnsynced] {
            var operation = 1
            while true {
                let disk = prepared.makeCopy(seed: UInt64(operation))
                disk.crashAfter(operations: operation, mode: mode)
                var acknowledged = false
                if let store = try? ClinicStore.open(at: location, environment: environment(disk)) {
                    acknowledged = (try? store.execute(erasure, by: admin, commandID: eraseCommandID)) != nil
                    store.close()
                }
                guard disk.isHalted else {
                    XCTAssertTrue(acknowledged, "\(mode): the erasure failed without a crash")
                    break
                }
                crashPoints += 1
                disk.restart()
                let context = "\(mode), crash at operation \(operation), acknowledged \(acknowledged)"

                // A reader (no lock, no repair) that finds the marker treats the patient as erased even while the
                // keyring file still holds the key.
                let onDisk = try keyringFile(on: disk)
                let reader = try StoreReader.open(at: location, environment: environment(disk))
                let (markersSeen, registrationSeen) = try markersAndRegistration(reader)
                XCTAssertLessThanOrEqual(markersSeen, 1, context)
                if acknowledged { XCTAssertEqual(markersSeen, 1, context) }
                if markersSeen == 1, onDisk.wrappedKey(for: patient) != nil {
                    markerWithLiveKey += 1
                    XCTAssertTrue(onDisk.isErasurePending(patient), "\(context): a marker with an unmarked live key")
                }
                if markersSeen == 0 { XCTAssertNotNil(onDisk.wrappedKey(for: patient), context) }
                checkRegistration(registrationSeen, erased: markersSeen == 1, "reader, " + context)

                // The writer's open finishes the erasure or drops the pending mark: log and keyring agree.
                let store = try ClinicStore.open(at: location, environment: environment(disk))
                defer { store.close() }
                let reopened = try keyringFile(on: disk)
                XCTAssertEqual(reopened.erasurePendingPatientIDs, [], context)
                XCTAssertEqual(reopened.isErased(patient), markersSeen == 1, context)
                XCTAssertEqual(reopened.wrappedKey(for: patient) == nil, markersSeen == 1, context)
                let (markers, registration) = try markersAndRegistration(store.reader())
                XCTAssertEqual(markers, markersSeen, context)
                checkRegistration(registration, erased: markers == 1, "writer, " + context)
                XCTAssertEqual(try store.reader().patientRecord(patient).status == .erased, markers == 1, context)

                // The retry with the same command id lands once and leaves the key destroyed, on disk too.
                let receipt = try store.execute(erasure, by: admin, commandID: eraseCommandID)
                XCTAssertEqual(receipt.alreadyRecorded, markers == 1, context)
                XCTAssertEqual(try markersAndRegistration(store.reader()).markers, 1, context)
                let final = try keyringFile(on: disk)
                XCTAssertTrue(final.isErased(patient), context)
                XCTAssertNil(final.wrappedKey(for: patient), context)
                XCTAssertEqual(final.erasurePendingPatientIDs, [], context)
                operation += 1
            }
        }
        XCTAssertGreaterThan(crashPoints, 30)
        XCTAssertGreaterThan(markerWithLiveKey, 0, "no crash came between the marker and the key's destruction")
    }

    func testAnErasureWhoseKeyringWriteFailsAfterTheMarkerIsFinishedByItsRetry() throws {
        let disk = try makePreparedDisk()
        // Count the erasure's writes on a copy: the last one is the keyring without the key.
        let probe = disk.makeCopy()
        let probeStore = try ClinicStore.open(at: location, environment: environment(probe))
        let before = probe.writeCount
        try probeStore.execute(erasure, by: admin, commandID: eraseCommandID)
        let writes = probe.writeCount - before
        probeStore.close()
        XCTAssertNil(try keyringFile(on: probe).wrappedKey(for: patient))

        let store = try ClinicStore.open(at: location, environment: environment(disk))
        defer { store.close() }
        disk.failWrites(afterCount: writes - 1, with: .noSpace)
        XCTAssertThrowsError(try store.execute(erasure, by: admin, commandID: eraseCommandID)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "erasureUnfinished")
        }
        disk.clearFaults()
        XCTAssertEqual(try markersAndRegistration(store.reader()).markers, 1)
        XCTAssertNotNil(try keyringFile(on: disk).wrappedKey(for: patient))
        let receipt = try store.execute(erasure, by: admin, commandID: eraseCommandID)
        XCTAssertTrue(receipt.alreadyRecorded)
        let final = try keyringFile(on: disk)
        XCTAssertNil(final.wrappedKey(for: patient))
        XCTAssertTrue(final.isErased(patient))
        XCTAssertEqual(final.erasurePendingPatientIDs, [])
    }

    func testAnErasureHeldInABatchDestroysTheKeyOnlyOnceTheBatchIsWritten() throws {
        let disk = try makePreparedDisk()
        let store = try ClinicStore.open(at: location, environment: environment(disk))
        defer { store.close() }
        store.beginBatch()
        try store.execute(erasure, by: admin, commandID: eraseCommandID)
        XCTAssertTrue(try keyringFile(on: disk).isErasurePending(patient))
        XCTAssertNotNil(store.keyring.wrappedKey(for: patient))
        try store.commitBatch()
        XCTAssertEqual(try markersAndRegistration(store.reader()).markers, 1)
        XCTAssertNil(try keyringFile(on: disk).wrappedKey(for: patient))
        XCTAssertTrue(store.keyring.isErased(patient))
    }
}
