import ClinicEvents
import RecordLog
import XCTest

final class EncounterLedgerTests: XCTestCase {
    private typealias F = BillingFixture

    func testACheckInOpensAnEncounterOfTheBookedPatient() throws {
        let ledger = try F.encounters()
        XCTAssertEqual(
            ledger.encounter(F.id(900)),
            EncounterLedger.Encounter(encounterID: F.id(900), patientID: F.patient, appointmentID: F.id(800)))
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
