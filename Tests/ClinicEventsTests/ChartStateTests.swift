import ClinicEvents
import RecordLog
import XCTest

final class ChartStateTests: XCTestCase {
    private typealias F = ChartFixture

    func testAnEmptyChartHasNothing() {
        let chart = F.chart()
        XCTAssertEqual(chart.streamVersion, 0)
        XCTAssertEqual(chart.streamName, "chart-\(F.patientID)")
        XCTAssertTrue(chart.activeAllergies.isEmpty)
        XCTAssertTrue(chart.activeMedications.isEmpty)
        XCTAssertTrue(chart.notesInSigningOrder.isEmpty)
        XCTAssertNil(chart.kind(of: F.id(1)))
    }

    func testMedicationsAreActiveUntilStoppedThenPast() throws {
        let chart = try F.chart().after(F.startMedication(20)).after(F.startMedication(21))
            .after(F.startMedication(22)).after(.stopMedication(medicationID: F.id(21), reason: "course completed"))
        XCTAssertEqual(chart.activeMedications.map(\.started.medicationID), [F.id(20), F.id(22)])
        XCTAssertEqual(chart.pastMedications.map(\.started.medicationID), [F.id(21)])
        XCTAssertEqual(chart.medications[F.id(21)]?.stopped?.reason, "course completed")
        XCTAssertEqual(chart.streamVersion, 4)
    }

    func testProblemsAreActiveUntilResolvedThenPast() throws {
        let chart = try F.chart().after(try F.addProblem(40)).after(try F.addProblem(41, code: "I10"))
            .after(.resolveProblem(problemID: F.id(40)))
        XCTAssertEqual(chart.activeProblems.map(\.added.diagnosis.code), ["I10"])
        XCTAssertEqual(chart.pastProblems.map(\.added.diagnosis.code), ["E11.9"])
        XCTAssertEqual(chart.problems[F.id(40)]?.added.onsetDaysSince1970, 18_000)
    }

    func testAllergiesResolvedOrEnteredInErrorAreNotActive() throws {
        let chart = try F.chart().after(F.recordAllergy(10)).after(F.recordAllergy(11)).after(F.recordAllergy(12))
            .after(.resolveAllergy(allergyID: F.id(10))).after(.enterAllergyInError(allergyID: F.id(11), reason: "x"))
        XCTAssertEqual(chart.activeAllergies.map(\.recorded.allergyID), [F.id(12)])
        XCTAssertEqual(chart.allergies[F.id(10)]?.status, .resolved)
        XCTAssertEqual(chart.allergies[F.id(11)]?.status, .enteredInError)
    }

    func testNotesKeepTheirAddendaInSigningOrder() throws {
        let chart = try F.chart().after(F.signNote(30)).after(F.signNote(31)).after(F.signAddendum(32, to: 30))
            .after(F.signAddendum(33, to: 30)).after(F.signAddendum(34, to: 31))
        let notes = chart.notesInSigningOrder
        XCTAssertEqual(notes.map(\.signed.noteID), [F.id(30), F.id(31)])
        XCTAssertEqual(notes[0].addenda.map(\.addendumID), [F.id(32), F.id(33)])
        XCTAssertEqual(notes[1].addenda.map(\.addendumID), [F.id(34)])
        XCTAssertEqual(notes[0].signed.authorStaffID, try F.clinician())
        XCTAssertEqual(chart.kind(of: F.id(33)), .addendum)
        XCTAssertEqual(chart.noteOfAddendum[F.id(34)], F.id(31))
    }

    func testAmendmentsCarryTheirStatus() throws {
        let chart = try F.chart().after(F.recordAllergy(10)).after(F.recordAllergy(11)).after(F.signNote(30))
            .after(F.requestAmendment(50, of: [10])).after(F.requestAmendment(51, of: [30]))
            .after(F.requestAmendment(52, of: [10, 30]))
            .after(.acceptAmendment(amendmentID: F.id(50), correctingEntryIDs: [F.id(11)])).after(F.deny(51))
        XCTAssertEqual(chart.amendmentsInRequestOrder.map(\.status), [.accepted, .denied, .requested])
        XCTAssertEqual(chart.amendments[F.id(52)]?.requested.requestedTimeMicroseconds, 1_764_320_400_000_000)
        XCTAssertEqual(chart.corrections(of: F.id(10)), [F.id(11)])
        XCTAssertEqual(chart.corrections(of: F.id(30)), [])
    }

    func testTheFoldIgnoresOtherPatientsAndRepeatedOrDanglingEvents() throws {
        let other = try AllergyRecorded(
            allergyID: F.id(10), patientID: F.id(2), substance: "latex", reaction: "rash", severity: .mild,
            verification: .unconfirmed)
        let note = try NoteSigned(
            noteID: F.id(30), patientID: F.patientID, encounterID: F.id(900), authorStaffID: try F.clinician(),
            text: "first")
        let second = try NoteSigned(
            noteID: F.id(30), patientID: F.patientID, encounterID: F.id(900), authorStaffID: try F.clinician(),
            text: "second")
        let chart = F.chart().applying([
            .allergyRecorded(other), .noteSigned(note), .noteSigned(second),
            .allergyResolved(AllergyResolved(allergyID: F.id(77))),
            .amendmentAccepted(try AmendmentAccepted(amendmentID: F.id(55), correctingEntryIDs: [F.id(30)])),
        ])
        XCTAssertEqual(chart.streamVersion, 5)
        XCTAssertTrue(chart.allergies.isEmpty)
        XCTAssertEqual(chart.notes[F.id(30)]?.signed.text, "first")
        XCTAssertTrue(chart.amendments.isEmpty)
    }
}
