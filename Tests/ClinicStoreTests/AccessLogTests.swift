import ClinicEvents
import ClinicStore
import Foundation
import RecordLog
import RecordLogTesting
import XCTest

final class AccessLogTests: XCTestCase {
    func testAReadOfAPatientsRecordIsLoggedWithItsPurpose() throws {
        let fixture = try AccessFixture()
        let patient = try fixture.registerPatient()
        let nurse = fixture.actor(for: .nurse)
        XCTAssertEqual(
            try fixture.store.authorize(.viewChart, of: patient, by: nurse, commandID: fixture.newID()), .permitted)
        let biller = fixture.actor(for: .biller)
        try fixture.store.authorize(
            .viewPatientLedger, of: patient, by: biller, purpose: .requiredByLaw, commandID: fixture.newID())
        let before = fixture.store.log.nextPosition
        try fixture.store.authorize(.viewSchedule, by: fixture.actor(for: .frontDesk), commandID: fixture.newID())
        XCTAssertEqual(fixture.store.log.nextPosition, before, "a read of no patient's record logs nothing")
        let entries = try fixture.store.reader().accessLog(patient: patient)
        XCTAssertEqual(
            entries.map(\.kind),
            [
                .recordAccessed(area: .chart, purpose: .treatment),
                .recordAccessed(area: .ledger, purpose: .requiredByLaw),
            ])
        XCTAssertEqual(entries.map(\.staffID), [nurse.staffID, biller.staffID])
        XCTAssertEqual(entries.map(\.role), [.nurse, .biller])
        XCTAssertFalse(entries.contains(where: \.isFlagged))
        XCTAssertEqual(try fixture.store.reader().accessLog(staff: nurse.staffID).count, 1)
    }

    func testAStoreTakesAStaffDirectoryAlreadyReadOnlyWhenItHoldsEveryStaffEvent() throws {
        let fixture = try AccessFixture()
        let stale = try fixture.store.reader().staffDirectory()
        let late = try StaffID("late-1")
        try fixture.execute(.addStaff(try StaffMemberAdded(staffID: late, displayName: "Late", roles: [.nurse])))
        let current = try fixture.store.reader().staffDirectory()
        XCTAssertNil(stale.members[late])
        try fixture.withStoreClosed {}
        XCTAssertFalse(fixture.store.adoptStaffDirectory(stale), "a directory read before a staff event is refused")
        XCTAssertTrue(fixture.store.adoptStaffDirectory(current))
        XCTAssertFalse(fixture.store.adoptStaffDirectory(current), "the store keeps the one it has")
        XCTAssertEqual(try fixture.store.staffDirectory(), current)
        try fixture.execute(
            .addStaff(try StaffMemberAdded(staffID: StaffID("late-2"), displayName: "L", roles: [.nurse])))
        XCTAssertEqual(try fixture.store.staffDirectory(), try fixture.store.reader().staffDirectory())
        try fixture.withStoreClosed {}
        XCTAssertFalse(fixture.store.adoptStaffDirectory(current))
        XCTAssertEqual(
            try fixture.store.staffDirectory().members[try StaffID("late-2")]?.displayName, "L",
            "a refused directory leaves the store reading the staff stream itself")
    }

    func testAStoreTakesADayBookAlreadyFoldedOnlyWhenItHoldsEveryDayBookEvent() throws {
        let fixture = try AccessFixture()
        try fixture.execute(.closeDay(daysSince1970: fixture.unclosedPastDay(), totals: .zero))
        let stale = try fixture.store.reader().dayBook()
        let lateDay = fixture.unclosedPastDay()
        try fixture.execute(.closeDay(daysSince1970: lateDay, totals: .zero))
        let current = try fixture.store.reader().dayBook()
        XCTAssertFalse(stale.isClosed(daysSince1970: lateDay))
        XCTAssertTrue(current.isClosed(daysSince1970: lateDay))
        try fixture.withStoreClosed {}
        XCTAssertFalse(fixture.store.adoptDayBook(stale), "a day book folded before a DayClosed is refused")
        // One of the right version is what the store decides with: this one (made for the test) says the late day is
        // open, so closing it is not refused as already closed.
        let sameVersion = stale.applying(.appointmentConfirmed(AppointmentConfirmed(appointmentID: fixture.newID())))
        XCTAssertEqual(sameVersion.streamVersion, current.streamVersion)
        XCTAssertTrue(fixture.store.adoptDayBook(sameVersion))
        XCTAssertFalse(fixture.store.adoptDayBook(current), "the store keeps the one it has")
        XCTAssertNoThrow(try fixture.execute(.closeDay(daysSince1970: lateDay, totals: .zero)))
        // Refused, the store reads the day book stream itself.
        try fixture.withStoreClosed {}
        XCTAssertFalse(fixture.store.adoptDayBook(current))
        XCTAssertThrowsError(try fixture.execute(.closeDay(daysSince1970: lateDay, totals: .zero)))
    }

    func testAStoreTakesAnAccountAlreadyFoldedOnlyWhenItHoldsEveryAccountEvent() throws {
        let fixture = try AccessFixture()
        let (patient, charge) = try fixture.chargedPatient()
        let stale = try fixture.store.reader().account(of: patient)
        let payment = try fixture.payment(patient)
        let current = try fixture.store.reader().account(of: patient)
        let apply = OfficeCommand.billing(
            patientID: patient,
            .applyPayment(
                paymentID: payment, chargeID: charge, amount: try MoneyCents(cents: 1_000), asCredit: false,
                postingDateDaysSince1970: fixture.today),
            encounterProviderStaffID: nil)
        try fixture.withStoreClosed {}
        XCTAssertFalse(fixture.store.adoptAccount(stale), "an account folded before its payment is refused")
        // One of the right version is what the store decides with: this one (made for the test) lacks the payment,
        // so applying it is refused.
        let sameVersion = stale.applying(.appointmentConfirmed(AppointmentConfirmed(appointmentID: fixture.newID())))
        XCTAssertEqual(sameVersion.streamVersion, current.streamVersion)
        XCTAssertTrue(fixture.store.adoptAccount(sameVersion))
        XCTAssertFalse(fixture.store.adoptAccount(current), "the store keeps the one it has")
        XCTAssertThrowsError(try fixture.execute(apply))
        try fixture.withStoreClosed {}
        XCTAssertTrue(fixture.store.adoptAccount(current))
        XCTAssertNoThrow(try fixture.execute(apply))
        XCTAssertEqual(try fixture.store.reader().account(of: patient).streamVersion, current.streamVersion + 1)
    }

    func testBreakingTheGlassOpensAChartLogsItAndFlagsItForReview() throws {
        let fixture = try AccessFixture()
        let patient = try fixture.registerPatient()
        let clerk = fixture.actor(for: .frontDesk)
        XCTAssertThrowsError(
            try fixture.store.authorize(.viewChart, of: patient, by: clerk, commandID: fixture.newID())
        ) {
            XCTAssertEqual(($0 as? StoreError)?.code, "roleNotPermitted")
        }
        let grant = try fixture.store.authorize(
            .viewChart, of: patient, by: clerk, breakGlassReason: "collapsed in the waiting room",
            commandID: fixture.newID())
        XCTAssertEqual(grant, .brokeGlass)
        let entries = try fixture.store.reader().accessLog(patient: patient)
        XCTAssertEqual(
            entries.map(\.kind),
            [
                .accessDenied(action: "viewChart", cause: .roleNotPermitted),
                .breakGlass(reason: "collapsed in the waiting room"),
                .recordAccessed(area: .chart, purpose: .treatment),
            ])
        XCTAssertEqual(entries.map(\.isFlagged), [false, true, true])
        XCTAssertEqual(try fixture.store.reader().accessLog(staff: clerk.staffID).filter(\.isFlagged).count, 2)
        // The reason is patient data: sealed with the patient's key, unreadable once the patient is erased.
        try fixture.execute(.patientRecord(patientID: patient, .erase(reason: .patientRequest)))
        let erased = try fixture.store.reader().accessLog(patient: patient)
        guard case .breakGlass(let reason) = erased[1].kind else { return XCTFail("no break-glass entry") }
        XCTAssertNotEqual(reason, "collapsed in the waiting room")
    }

    func testTheGlassOpensChartsOnlyForStaffOnlyWithAReason() throws {
        let fixture = try AccessFixture()
        let patient = try fixture.registerPatient()
        let clerk = fixture.actor(for: .frontDesk)
        let before = fixture.store.log.nextPosition
        XCTAssertThrowsError(
            try fixture.store.authorize(
                .exportRecord, of: patient, by: clerk, breakGlassReason: "urgent", commandID: fixture.newID())
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "breakGlassNotApplicable") }
        XCTAssertThrowsError(
            try fixture.store.authorize(
                .viewChart, of: patient, by: clerk, breakGlassReason: "", commandID: fixture.newID())
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "breakGlassReason") }
        XCTAssertEqual(fixture.store.log.nextPosition, before)
        let stranger = StaffActor(staffID: try StaffID("nobody"), role: .physician)
        XCTAssertThrowsError(
            try fixture.store.authorize(
                .viewChart, of: patient, by: stranger, breakGlassReason: "urgent", commandID: fixture.newID())
        ) { XCTAssertEqual(($0 as? StoreError)?.code, "unknownStaff") }
        XCTAssertEqual(
            try fixture.store.reader().accessLog(patient: patient).map(\.kind),
            [.accessDenied(action: "viewChart", cause: .unknownStaff)])
    }

    func testARefusedCommandNamesItsPatientByIDOnly() throws {
        let fixture = try AccessFixture()
        let patient = try fixture.registerPatient(family: "Zyxwvut", given: "Qponml")
        XCTAssertThrowsError(
            try fixture.execute(
                .chart(
                    patientID: patient,
                    .recordAllergy(
                        allergyID: fixture.newID(), substance: "peanuts-secret", reaction: "anaphylaxis",
                        severity: .severe, verification: .confirmed)),
                by: fixture.actor(for: .biller)))
        let entries = try fixture.store.reader().accessLog(patient: patient)
        XCTAssertEqual(entries.map(\.kind), [.accessDenied(action: "recordAllergy", cause: .roleNotPermitted)])
        let record = try fixture.store.log.reader().record(at: entries[0].position)
        for secret in ["peanuts-secret", "anaphylaxis", "Zyxwvut"] {
            XCTAssertNil(Data(record.payload).range(of: Data(secret.utf8)), secret)
        }
    }
}
