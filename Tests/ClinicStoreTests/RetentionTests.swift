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

        let listed = try fixture.store.reader().retentionCandidates(policy: policy, beforeDay: before)
        XCTAssertEqual(listed.map(\.patientID), [due, owing].sorted { $0.description < $1.description })
        XCTAssertEqual(listed.first { $0.patientID == due }?.heldBecause, nil)
        XCTAssertEqual(listed.first { $0.patientID == owing }?.heldBecause, .openBalance)
        XCTAssertEqual(listed.first { $0.patientID == due }?.lastActivityDay, today)
        XCTAssertEqual(listed.first { $0.patientID == due }?.mergedPatientIDs, [duplicate])
        XCTAssertFalse(listed.contains { $0.patientID == minor }, "kept until 18 + 3 years")

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

    func testOnlyAnOfficeManagerSetsThePolicyAndItIsKeptInTheSettings() throws {
        let fixture = try StoreFixture()
        let policy = try XCTUnwrap(RetentionPolicy(years: 10, minorYears: 3))
        XCTAssertThrowsError(
            try fixture.store.setRetentionPolicy(policy, by: fixture.frontDesk, commandID: fixture.newID())
        ) { error in
            XCTAssertEqual((error as? StoreError)?.category, .permissionDenied)
        }
        try fixture.store.setRetentionPolicy(policy, by: fixture.admin, commandID: fixture.newID())
        let settings = try StoreSettings.load(
            from: fixture.location.settingsPath, fileSystem: fixture.environment.fileSystem)
        XCTAssertEqual(settings.retentionPolicy, policy)
        XCTAssertEqual(settings.calendar.timeZoneIdentifier, "UTC", "the rest of the settings is kept")
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
