import ClinicEvents
import RecordLog
import XCTest

final class EncounterLedgerTests: XCTestCase {
    private typealias F = BillingFixture

    func testACheckInOpensAnEncounterOfTheBookedPatient() throws {
        let ledger = try F.encounters()
        XCTAssertEqual(
            ledger.encounter(F.id(900)),
            EncounterLedger.Encounter(
                encounterID: F.id(900), patientID: F.patient, appointmentID: F.id(800), serviceDaySince1970: 20_787))
        XCTAssertEqual(ledger.encounter(F.id(901))?.patientID, F.id(2))
        XCTAssertEqual(ledger.encounter(F.id(902))?.isEnteredInError, true)
        XCTAssertNil(ledger.encounter(F.id(999)))
    }

    func testOnlyTheFirstCheckInOfAnAppointmentAndTheFirstUseOfAnEncounterCount() throws {
        let ledger = try F.encounters().applying([
            .patientCheckedIn(PatientCheckedIn(appointmentID: F.id(800), encounterID: F.id(950))),
            .patientCheckedIn(PatientCheckedIn(appointmentID: F.id(801), encounterID: F.id(900))),
            .patientCheckedIn(PatientCheckedIn(appointmentID: F.id(803), encounterID: F.id(951))),
        ])
        XCTAssertNil(ledger.encounter(F.id(950)), "a second check-in of an appointment opens nothing")
        XCTAssertEqual(ledger.encounter(F.id(900))?.patientID, F.patient, "an encounter id is never reassigned")
        XCTAssertNil(ledger.encounter(F.id(951)), "a check-in of an appointment never booked opens nothing")
    }

    func testTheDateOfServiceIsTheDayTheAppointmentIsBookedForWhenCheckedIn() throws {
        let ledger = try F.encounters().applying([
            .appointmentBooked(
                try AppointmentBooked(
                    appointmentID: F.id(810), patientID: F.patient, providerStaffID: StaffID("dr-lee"),
                    startLocalMinutesSince1970: 20_800 * 1440 + 600, durationMinutes: 15, reason: "follow-up")),
            // Moved to 23:45 of day 20,801, then checked in; a later reschedule changes nothing.
            .appointmentRescheduled(
                try AppointmentRescheduled(
                    appointmentID: F.id(810), startLocalMinutesSince1970: 20_801 * 1440 + 1425, durationMinutes: 15)),
            .patientCheckedIn(PatientCheckedIn(appointmentID: F.id(810), encounterID: F.id(910))),
            .appointmentRescheduled(
                try AppointmentRescheduled(
                    appointmentID: F.id(810), startLocalMinutesSince1970: 20_900 * 1440, durationMinutes: 15)),
        ])
        XCTAssertEqual(ledger.encounter(F.id(910))?.serviceDaySince1970, 20_801)
        XCTAssertEqual(ledger.encounter(F.id(900))?.serviceDaySince1970, 20_787)
    }

    func testOtherEventsLeaveTheLedgerUnchanged() throws {
        let ledger = try F.encounters()
        var generator = EventGenerator(seed: 0xE4C0)
        for _ in 0..<500 {
            let event = try generator.event()
            switch event {
            case .appointmentBooked, .patientCheckedIn, .appointmentEnteredInError: continue
            default: XCTAssertEqual(ledger.applying(event), ledger, event.eventType)
            }
        }
    }
}
