import ClinicEvents
import ClinicStore
import RecordLog
import XCTest

final class RetentionTests: XCTestCase {
    private let day = Int64(20_000)  // 2024-10-04

    func testThePolicyKeepsAdultsYearsAfterTheirLastActivityAndMinorsPastTheirMajority() throws {
        let policy = try XCTUnwrap(RetentionPolicy(years: 7, minorYears: 3))
        let adult = policy.lastRetainedDay(lastActivityDay: day, birthDay: day - 40 * 366)
        XCTAssertEqual(adult, 22_556, "2031-10-04: seven calendar years on")
        let teen = policy.lastRetainedDay(lastActivityDay: day, birthDay: day - 16 * 365)
        XCTAssertEqual(teen, adult, "a 16-year-old turns 21 (18 + 3) before the seven years end")
        let toddler = policy.lastRetainedDay(lastActivityDay: day, birthDay: day - 2 * 365)
        XCTAssertEqual(toddler, 26_940, "born 2022-10-05: kept to the 21st birthday, 2043-10-05")
        XCTAssertEqual(policy.lastRetainedDay(lastActivityDay: day, birthDay: nil), adult)
        XCTAssertNil(RetentionPolicy(years: 5, minorYears: 0), "less than HIPAA's six years")
        XCTAssertNil(RetentionPolicy(years: 10, minorYears: -1))
    }

    /// Four patients of one day, eight years on: one due, one seen again later, one a minor then, one owing money.
    /// Only the first is listed as due and erased; running it again erases nothing more.
    func testApplyErasesOnlyTheRecordsDueAndIsIdempotent() throws {
        let fixture = try StoreFixture()
        let today = fixture.store.calendar.localDay(atMicroseconds: fixture.clock.nowMicroseconds())
        let due = try register(fixture, birthDay: today - 50 * 365)
        let seenAgain = try register(fixture, birthDay: today - 50 * 365)
        let minor = try register(fixture, birthDay: today - 10 * 365)
        let owing = try register(fixture, birthDay: today - 60 * 365)
        let duplicate = try register(fixture, birthDay: today - 50 * 365)
        try fixture.store.execute(
            .mergePatients(duplicateID: duplicate, survivorID: due, reason: "Duplicate registration"),
            by: fixture.admin, commandID: fixture.newID())
        try fixture.store.execute(
            .billing(
                patientID: owing,
                .postPayment(
                    paymentID: fixture.newID(), payer: .patient, method: .cash, reference: "-",
                    amount: try MoneyCents(cents: 500), postingDateDaysSince1970: today)),
            by: fixture.frontDesk, commandID: fixture.newID())
        fixture.clock.advance(byMicroseconds: 3 * 365 * 86_400_000_000)
        try fixture.store.execute(
            .patientRecord(
                patientID: seenAgain,
                .correctDemographics(
                    familyName: "Later", givenName: nil, birthDateDaysSince1970: nil, dateOfDeathDaysSince1970: nil,
                    reason: "Spelling")),
            by: fixture.frontDesk, commandID: fixture.newID())
        fixture.clock.advance(byMicroseconds: 5 * 365 * 86_400_000_000)
        let policy = try XCTUnwrap(RetentionPolicy(years: 7, minorYears: 3))
        let before = fixture.store.calendar.localDay(atMicroseconds: fixture.clock.nowMicroseconds())
        XCTAssertThrowsError(
            try fixture.store.applyRetention(policy, beforeDay: before, confirmed: [due], by: fixture.admin)
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "noRetentionPolicy") }
        try fixture.store.setRetentionPolicy(policy, by: fixture.admin, commandID: fixture.newID())

        let listed = try fixture.store.reader().retentionCandidates(policy: policy, beforeDay: before)
        XCTAssertEqual(listed.map(\.patientID), [due, owing].sorted { $0.description < $1.description })
        XCTAssertEqual(listed.first { $0.patientID == due }?.heldBecause, nil)
        XCTAssertEqual(listed.first { $0.patientID == owing }?.heldBecause, .openBalance)
        XCTAssertEqual(listed.first { $0.patientID == due }?.lastActivityDay, today)
        XCTAssertEqual(listed.first { $0.patientID == due }?.mergedPatientIDs, [duplicate])
        XCTAssertFalse(listed.contains { $0.patientID == minor }, "kept until 18 + 3 years")

        let other = try XCTUnwrap(RetentionPolicy(years: 6, minorYears: 0))
        let untouched = fixture.store.log.nextPosition
        XCTAssertThrowsError(
            try fixture.store.applyRetention(other, beforeDay: before, confirmed: [due], by: fixture.admin),
            "listed under another policy than the one in force"
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "retentionPolicyChanged") }
        XCTAssertEqual(fixture.store.log.nextPosition, untouched)
        let erased = try fixture.store.applyRetention(
            policy, beforeDay: before, confirmed: [due, owing, seenAgain], by: fixture.admin)
        XCTAssertEqual(erased, [due], "only what is due, though more was confirmed")
        let reader = fixture.store.reader()
        XCTAssertEqual(try reader.patientRecord(due).status, .erased)
        XCTAssertEqual(try reader.patientRecord(duplicate).status, .erased, "the duplicate merged into it goes too")
        for kept in [seenAgain, minor, owing] {
            XCTAssertEqual(try reader.patientRecord(kept).status, .active)
        }
        let end = fixture.store.log.nextPosition
        XCTAssertEqual(
            try fixture.store.applyRetention(policy, beforeDay: before, confirmed: [due], by: fixture.admin), [])
        XCTAssertEqual(fixture.store.log.nextPosition, end, "nothing appended the second time")
    }

    /// Setting a policy appends one `RetentionPolicySet` to the `retention` stream; the same policy again, or a
    /// retry of the same command, appends nothing; a change appends a second; the last one is in force. The settings
    /// file is never written.
    func testThePolicyIsAnEventOfTheLogAndTheLastOneIsInForce() throws {
        let fixture = try StoreFixture()
        let settings = try fixture.environment.fileSystem.readWholeFile(fixture.location.settingsPath)
        XCTAssertNil(try fixture.store.reader().retentionPolicyInForce(), "no policy yet")
        let tenYears = try XCTUnwrap(RetentionPolicy(years: 10, minorYears: 3))
        let start = fixture.store.log.nextPosition
        let firstID = fixture.newID()
        let first = try fixture.store.setRetentionPolicy(
            tenYears, by: fixture.admin, commandID: firstID, reason: "Board decision 2025-12")
        XCTAssertEqual(first.stream, "retention")
        XCTAssertEqual(first.positions, [start])
        XCTAssertEqual(first.events, [.retentionPolicySet(try RetentionPolicySet(years: 10, minorYears: 3))])
        XCTAssertFalse(first.alreadyRecorded)

        let again = try fixture.store.setRetentionPolicy(tenYears, by: fixture.admin, commandID: fixture.newID())
        XCTAssertTrue(again.alreadyRecorded, "the policy in force, set again")
        XCTAssertEqual(again.positions, [])
        let retried = try fixture.store.setRetentionPolicy(tenYears, by: fixture.admin, commandID: firstID)
        XCTAssertTrue(retried.alreadyRecorded)
        XCTAssertEqual(retried.positions, [start], "a retry answers the first attempt's receipt")
        XCTAssertEqual(fixture.store.log.nextPosition, start + 1, "one event for three requests")

        fixture.clock.advance(byMicroseconds: 3_600_000_000)
        let sevenYears = try XCTUnwrap(RetentionPolicy(years: 7, minorYears: 0))
        let change = try fixture.store.setRetentionPolicy(sevenYears, by: fixture.admin, commandID: fixture.newID())
        XCTAssertEqual(change.positions, [start + 1])
        XCTAssertEqual(change.streamVersions, [2])

        let reader = fixture.store.reader()
        XCTAssertEqual(try reader.retentionPolicyState().streamVersion, 2)
        XCTAssertEqual(
            try reader.retentionPolicyInForce(),
            RetentionPolicyInForce(
                policy: sevenYears,
                source: .log(
                    position: start + 1, setBy: fixture.admin,
                    recordedTimeMicroseconds: StoreFixture.start + 3_600_000_000)))
        let stored = try reader.events(inStream: "retention")
        XCTAssertEqual(stored.map(\.envelope.actorStaffID), [fixture.admin.staffID, fixture.admin.staffID])
        XCTAssertEqual(stored.first?.envelope.reason, "Board decision 2025-12")
        XCTAssertEqual(
            try fixture.environment.fileSystem.readWholeFile(fixture.location.settingsPath), settings,
            "the settings file is not written")
    }

    /// A role other than the office manager is refused by access control: `AccessDenied` alone is appended, and no
    /// policy is in force.
    func testARefusalAppendsOnlyAccessDenied() throws {
        let fixture = try StoreFixture()
        let before = fixture.store.log.nextPosition
        let policy = try XCTUnwrap(RetentionPolicy(years: 10, minorYears: 3))
        XCTAssertThrowsError(
            try fixture.store.setRetentionPolicy(policy, by: fixture.frontDesk, commandID: fixture.newID())
        ) { error in
            XCTAssertEqual((error as? StoreError)?.category, .permissionDenied)
            XCTAssertEqual((error as? StoreError)?.code, "roleNotPermitted")
        }
        XCTAssertEqual(fixture.store.log.nextPosition, before + 1)
        let reader = fixture.store.reader()
        let denied = try XCTUnwrap(try reader.events(inStream: ClinicStore.accessStreamName).last)
        XCTAssertEqual(denied.position, before)
        guard case .accessDenied(let event) = denied.event else { return XCTFail("\(denied.event.eventType)") }
        XCTAssertEqual(event.action, "setRetentionPolicy")
        XCTAssertEqual(event.staffID, fixture.frontDesk.staffID)
        XCTAssertEqual(try reader.retentionPolicyState(), RetentionPolicyState())
        XCTAssertNil(try reader.retentionPolicyInForce())
    }

    /// A store made before the policy was an event keeps it in `store.settings`: it is honoured (by the writer's and
    /// by a separate reader) while the log holds none; setting it records the event, and from then on the settings
    /// file's lines, even edited by hand, change nothing.
    func testASettingsOnlyPolicyIsHonouredUntilOneIsRecordedInTheLog() throws {
        let fixture = try StoreFixture()
        let fileSystem = fixture.environment.fileSystem
        let path = fixture.location.settingsPath
        let original = try fileSystem.readWholeFile(path)
        func writeSettings(years: Int, minorYears: Int) throws {
            try fileSystem.writeAtomically(
                original + Array("retentionYears=\(years)\nretentionMinorYears=\(minorYears)\n".utf8), to: path)
            fixture.store.close()
            fixture.store = try ClinicStore.open(at: fixture.location, environment: fixture.environment)
        }
        func inForce() throws -> (writer: RetentionPolicyInForce?, reader: RetentionPolicyInForce?) {
            (
                try fixture.store.reader().retentionPolicyInForce(),
                try StoreReader.open(at: fixture.location, environment: fixture.environment).retentionPolicyInForce()
            )
        }
        try writeSettings(years: 10, minorYears: 3)
        let tenYears = try XCTUnwrap(RetentionPolicy(years: 10, minorYears: 3))
        let fromFile = RetentionPolicyInForce(policy: tenYears, source: .settingsFile)
        XCTAssertEqual(try inForce().writer, fromFile)
        XCTAssertEqual(try inForce().reader, fromFile)
        let day = fixture.store.calendar.localDay(atMicroseconds: fixture.clock.nowMicroseconds())
        XCTAssertEqual(
            try fixture.store.applyRetention(tenYears, beforeDay: day, confirmed: [], by: fixture.admin), [],
            "apply runs under the settings' policy")

        let end = fixture.store.log.nextPosition
        let receipt = try fixture.store.setRetentionPolicy(tenYears, by: fixture.admin, commandID: fixture.newID())
        XCTAssertFalse(receipt.alreadyRecorded, "the settings' policy is not in the log: setting it records it")
        XCTAssertEqual(receipt.positions, [end])
        let fromLog = RetentionPolicyInForce(
            policy: tenYears,
            source: .log(position: end, setBy: fixture.admin, recordedTimeMicroseconds: StoreFixture.start))
        XCTAssertEqual(try inForce().writer, fromLog)
        XCTAssertEqual(try inForce().reader, fromLog)

        try writeSettings(years: 6, minorYears: 0)
        XCTAssertEqual(try inForce().writer, fromLog, "a hand edit of the settings file changes nothing")
        XCTAssertEqual(try inForce().reader, fromLog)
        let six = try XCTUnwrap(RetentionPolicy(years: 6, minorYears: 0))
        XCTAssertThrowsError(
            try fixture.store.applyRetention(six, beforeDay: day, confirmed: [], by: fixture.admin)
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "retentionPolicyChanged") }
    }

    private func register(_ fixture: StoreFixture, birthDay: Int64) throws -> EventID {
        let id = fixture.newID()
        try fixture.store.execute(
            .registerPatient(
                try PatientRegistered(
                    patientID: id, familyName: "Roe", givenName: "Sam", birthDateDaysSince1970: birthDay)),
            by: fixture.frontDesk, commandID: fixture.newID())
        return id
    }
}
