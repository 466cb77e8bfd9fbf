import ClinicEvents
import ClinicStore
import RecordLog
import RecordLogTesting
import XCTest

final class ClinicStoreTests: XCTestCase {
    func testBookingThenOverlappingBookingIsRefusedAndLeavesEveryFileByteIdentical() throws {
        let fixture = try StoreFixture()
        let patient = try fixture.registerPatient()
        let start = fixture.nowMinutes + 24 * 60  // tomorrow 09:00
        let first = fixture.newID()
        let receipt = try fixture.store.execute(
            .scheduling(
                providerStaffID: fixture.provider,
                .book(
                    appointmentID: first, patientID: patient, startLocalMinutesSince1970: start, durationMinutes: 30,
                    reason: "Follow-up", overbookApproval: nil)),
            by: fixture.frontDesk, commandID: fixture.newID())
        XCTAssertFalse(receipt.alreadyRecorded)
        let before = try fixture.snapshotFiles()
        XCTAssertThrowsError(
            try fixture.store.execute(
                .scheduling(
                    providerStaffID: fixture.provider,
                    .book(
                        appointmentID: fixture.newID(), patientID: patient, startLocalMinutesSince1970: start + 15,
                        durationMinutes: 30, reason: "Other", overbookApproval: nil)),
                by: fixture.frontDesk, commandID: fixture.newID())
        ) { error in
            let error = error as? StoreError
            XCTAssertEqual(error?.category, .refused)
            XCTAssertEqual(error?.code, "overlapsAnotherAppointment")
        }
        XCTAssertEqual(try fixture.snapshotFiles(), before)
    }

    func testRetryWithTheSameCommandIDAppendsNothing() throws {
        let fixture = try StoreFixture()
        let patient = try fixture.registerPatient()
        let commandID = fixture.newID()
        let command = OfficeCommand.scheduling(
            providerStaffID: fixture.provider,
            .book(
                appointmentID: fixture.newID(), patientID: patient,
                startLocalMinutesSince1970: fixture.nowMinutes + 24 * 60, durationMinutes: 30, reason: "Cough",
                overbookApproval: nil))
        let first = try fixture.store.execute(command, by: fixture.frontDesk, commandID: commandID)
        let end = fixture.store.log.nextPosition
        let second = try fixture.store.execute(command, by: fixture.frontDesk, commandID: commandID)
        XCTAssertTrue(second.alreadyRecorded)
        XCTAssertEqual(second.positions, first.positions)
        XCTAssertEqual(fixture.store.log.nextPosition, end)
    }

    func testTwoBookingsDecidedOnTheSameScheduleVersionYieldOneBookingAndOneConflict() throws {
        let fixture = try StoreFixture()
        let patientA = try fixture.registerPatient(family: "A")
        let patientB = try fixture.registerPatient(family: "B")
        let schedule = try fixture.store.reader().schedule(of: fixture.provider)
        let start = fixture.nowMinutes + 24 * 60
        let decisions = try [patientA, patientB].map { patient in
            try schedule.decide(
                .book(
                    appointmentID: fixture.newID(), patientID: patient, startLocalMinutesSince1970: start,
                    durationMinutes: 15, reason: "Visit", overbookApproval: nil),
                by: .frontDesk, nowLocalMinutesSince1970: fixture.nowMinutes)
        }
        let results = decisions.map { decision in
            Result {
                try fixture.store.append(
                    decision, commandID: fixture.newID(), actor: fixture.frontDesk,
                    effectiveTimeMicroseconds: fixture.clock.nowMicroseconds())
            }
        }
        XCTAssertEqual(results.filter { (try? $0.get()) != nil }.count, 1)
        guard case .failure(let failure) = results[1] else { return XCTFail("the second booking must conflict") }
        XCTAssertEqual((failure as? StoreError)?.category, .conflict)
        let booked = try fixture.store.reader().schedule(of: fixture.provider).daySheet(onDaysSince1970: start / 1440)
        XCTAssertEqual(booked.count, 1)
    }

    func testUnknownStaffAndUnheldRoleArePermissionDenied() throws {
        let fixture = try StoreFixture()
        let stranger = StaffActor(staffID: try StaffID("nobody"), role: .frontDesk)
        XCTAssertThrowsError(try fixture.registerPatientAs(stranger)) {
            XCTAssertEqual(($0 as? StoreError)?.category, .permissionDenied)
        }
        let pretending = StaffActor(staffID: fixture.frontDesk.staffID, role: .officeManager)
        XCTAssertThrowsError(try fixture.registerPatientAs(pretending)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "roleNotHeld")
        }
    }

    func testEffectiveTimeInTheFutureIsRefusedAndALateEntryNeedsAReason() throws {
        let fixture = try StoreFixture()
        let now = fixture.clock.nowMicroseconds()
        XCTAssertThrowsError(try fixture.registerPatientAs(fixture.frontDesk, effective: now + 3_600_000_000)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "effectiveTimeInFuture")
        }
        XCTAssertThrowsError(try fixture.registerPatientAs(fixture.frontDesk, effective: now - 3 * 86_400_000_000)) {
            XCTAssertEqual(($0 as? StoreError)?.code, "lateEntryWithoutReason")
        }
        XCTAssertNoThrow(
            try fixture.registerPatientAs(fixture.frontDesk, effective: now - 3 * 86_400_000_000, reason: "paper form"))
    }

    func testReopenedStoreDecidesOnWhatWasStored() throws {
        let fixture = try StoreFixture()
        let patient = try fixture.registerPatient()
        fixture.store.close()
        fixture.store = try ClinicStore.open(at: fixture.location, environment: fixture.environment)
        let record = try fixture.store.reader().patientRecord(patient)
        XCTAssertEqual(record.status, .active)
        XCTAssertThrowsError(
            try fixture.store.execute(
                .registerPatient(
                    try PatientRegistered(
                        patientID: patient, familyName: "X", givenName: "Y", birthDateDaysSince1970: 1)
                ), by: fixture.frontDesk, commandID: fixture.newID())
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "patientAlreadyRegistered") }
    }

    func testAReaderOpenedBeforeARegistrationReadsTheNewPatientByReReadingTheKeyring() throws {
        let fixture = try StoreFixture()
        let reader = try StoreReader.open(at: fixture.location, environment: fixture.environment)
        let patient = try fixture.registerPatient(family: "Okonkwo", given: "Ada")
        let record = try reader.patientRecord(patient)
        XCTAssertEqual(record.familyName, "Okonkwo")
    }

    func testRegisteredNamesAreSealedInTheLogAndErasureLeavesNoTraceWhileTheLogStillVerifies() throws {
        let fixture = try StoreFixture()
        let patient = try fixture.registerPatient(family: "Zyxwvutsrq", given: "Quaxelbrand")
        try fixture.store.execute(
            .patientRecord(patientID: patient, .erase(reason: .patientRequest)),
            by: fixture.admin, commandID: fixture.newID())
        try fixture.store.checkpoint()
        fixture.store.close()
        for (path, bytes) in try fixture.snapshotFiles() {
            for secret in ["Zyxwvutsrq", "Quaxelbrand"] {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) found in \(path)")
            }
        }
        let report = try LogVerifier(directory: fixture.location.logDirectory).verify()
        XCTAssertTrue(report.isValid, "\(report.problems)")
        fixture.store = try ClinicStore.open(at: fixture.location, environment: fixture.environment)
        let record = try fixture.store.reader().patientRecord(patient)
        XCTAssertEqual(record.status, .erased)
        XCTAssertNotEqual(record.familyName, "Zyxwvutsrq")
    }

    func testBatchHoldsCommandsUntilCommitAndLaterCommandsSeeEarlierOnes() throws {
        let fixture = try StoreFixture()
        let end = fixture.store.log.nextPosition
        fixture.store.beginBatch()
        let patient = try fixture.registerPatient()
        let appointment = fixture.newID()
        let receipt = try fixture.store.execute(
            .scheduling(
                providerStaffID: fixture.provider,
                .book(
                    appointmentID: appointment, patientID: patient,
                    startLocalMinutesSince1970: fixture.nowMinutes + 60, durationMinutes: 15, reason: "Visit",
                    overbookApproval: nil)),
            by: fixture.frontDesk, commandID: fixture.newID())
        XCTAssertEqual(fixture.store.log.nextPosition, end)
        XCTAssertEqual(receipt.positions, [end + 1])
        try fixture.store.commitBatch()
        XCTAssertEqual(fixture.store.log.nextPosition, end + 2)
        let stored = try fixture.store.reader().schedule(of: fixture.provider).appointment(appointment)
        XCTAssertEqual(stored.status, .booked)
    }
}

extension StoreFixture {
    @discardableResult
    func registerPatientAs(_ actor: StaffActor, effective: Int64? = nil, reason: String? = nil) throws -> EventID {
        let id = newID()
        try store.execute(
            .registerPatient(
                try PatientRegistered(patientID: id, familyName: "Roe", givenName: "Sam", birthDateDaysSince1970: 9_000)
            ), by: actor, commandID: newID(), effectiveTimeMicroseconds: effective, reason: reason)
        return id
    }
}
