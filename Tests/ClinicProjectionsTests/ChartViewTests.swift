import ClinicEvents
import ClinicProjections
import RecordLog
import RecordLogTesting
import XCTest

/// The chart against a hand-built history: a demographics correction, allergies resolved and entered in error,
/// medications and problems active and past, a note with an addendum, vitals (one set entered late), an amendment
/// accepted and one denied, coverage and a consent; as of a recorded time and as of an effective date; erasure.
final class ChartViewTests: XCTestCase {
    let patient = patientID(1)
    let encounter = itemID(90)
    let allergyA = itemID(1)
    let allergyB = itemID(2)
    let medication = itemID(3)
    let problemX = itemID(4)
    let problemY = itemID(5)
    let note = itemID(6)
    let addendum = itemID(7)
    let amendment1 = itemID(8)
    let amendment2 = itemID(9)
    let clinician = staff("dr-a")

    func makeOffice() throws -> (TestOffice, endOfFirstDay: Int64) {
        let office = try TestOffice()
        let chart = ChartState.streamName(for: patient)
        func record(_ event: ClinicEvent, effective: Int64? = nil) throws {
            try office.append(event, to: chart, by: clinician, role: .physician, effective: effective)
        }
        try office.register(patient, family: "Doe", given: "Jane")
        let registration = try XCTUnwrap(office.allEvents().first).envelope.eventID
        try office.append(
            .demographicsCorrected(
                try DemographicsCorrected(
                    patientID: patient, registrationEventID: registration, familyName: "Doe-Smith", reason: "married")),
            to: PatientRecordState.streamName(for: patient))
        try record(
            .allergyRecorded(
                try AllergyRecorded(
                    allergyID: allergyA, patientID: patient, substance: "penicillin", reaction: "hives",
                    severity: .moderate,
                    verification: .confirmed)))
        try record(
            .allergyRecorded(
                try AllergyRecorded(
                    allergyID: allergyB, patientID: patient, substance: "latex", reaction: "rash", severity: .mild,
                    verification: .unconfirmed)))
        try record(
            .allergyEnteredInError(
                try AllergyEnteredInError(allergyID: allergyB, patientID: patient, reason: "other patient")))
        try record(
            .medicationStarted(
                try MedicationStarted(
                    medicationID: medication, patientID: patient, name: "metformin", dose: "500 mg", route: .oral,
                    frequency: "twice daily", reason: "diabetes")))
        try record(
            .problemAdded(
                try ProblemAdded(
                    problemID: problemX, patientID: patient, diagnosis: try DiagnosisCode("E11.9"),
                    onsetDaysSince1970: nil)))
        try record(
            .problemAdded(
                try ProblemAdded(
                    problemID: problemY, patientID: patient, diagnosis: try DiagnosisCode("J06.9"),
                    onsetDaysSince1970: baseDay - 3)))
        try record(
            .noteSigned(
                try NoteSigned(
                    noteID: note, patientID: patient, encounterID: encounter, authorStaffID: clinician, text: "Stable.")
            ))
        let endOfFirstDay = office.now
        office.setTime(office.now + 2 * dayMicroseconds)
        try record(
            .medicationStopped(
                try MedicationStopped(medicationID: medication, patientID: patient, reason: "course done")))
        try record(.problemResolved(ProblemResolved(problemID: problemY)))
        try record(.allergyResolved(AllergyResolved(allergyID: allergyA)))
        try record(
            .noteAddendumSigned(
                try NoteAddendumSigned(
                    addendumID: addendum, noteID: note, patientID: patient, authorStaffID: clinician, text: "A1c 7.1")))
        // A late entry: vitals taken at the visit two days ago, entered today.
        try record(
            .vitalsRecorded(
                try VitalsRecorded(
                    patientID: patient, encounterID: encounter,
                    measurements: [try VitalSign(kind: .heartRate, valueThousandths: 72_000)])),
            effective: endOfFirstDay - 60 * minuteMicroseconds)
        try record(
            .amendmentRequested(
                try AmendmentRequested(
                    amendmentID: amendment1, patientID: patient, amendedEntryIDs: [allergyA],
                    request: "Not penicillin.",
                    requestedTimeMicroseconds: office.now)))
        try record(.amendmentAccepted(try AmendmentAccepted(amendmentID: amendment1, correctingEntryIDs: [problemX])))
        try record(
            .amendmentRequested(
                try AmendmentRequested(
                    amendmentID: amendment2, patientID: patient, amendedEntryIDs: [note], request: "Remove the note.",
                    requestedTimeMicroseconds: office.now)))
        try record(
            .amendmentDenied(
                try AmendmentDenied(
                    amendmentID: amendment2, patientID: patient, basis: .accurateAndComplete,
                    explanation: "The note is accurate.",
                    disagreementInstructions: "Write to the privacy officer.")))
        try office.append(
            .coverageAdded(
                try CoverageAdded(
                    coverageID: itemID(20), patientID: patient, payerID: itemID(21), memberID: "MBR-77",
                    order: .primary,
                    copayCents: 2_500, effectiveDaysSince1970: baseDay - 30, terminationDaysSince1970: nil)),
            to: CoverageState.streamName(for: patient))
        try office.append(
            .consentGranted(
                try ConsentGranted(
                    consentID: itemID(30), patientID: patient,
                    scope: try DisclosureScope(recipientCategories: [.familyMember], purposes: [.treatment]),
                    effectiveFromMicroseconds: office.now)), to: ConsentState.streamName(for: patient))
        return (office, endOfFirstDay)
    }

    func testChartShowsEveryEntryWithItsStatus() throws {
        let (office, _) = try makeOffice()
        let view = try office.replayer.rebuild(ChartView()).view
        guard case .chart(let chart) = view.lookUp(patient) else { return XCTFail("no chart") }
        XCTAssertEqual(chart.record.familyName, "Doe-Smith")
        XCTAssertEqual(chart.record.givenName, "Jane")
        XCTAssertEqual(chart.chart.activeAllergies.count, 0)
        XCTAssertEqual(chart.chart.allergies[allergyA]?.status, .resolved)
        XCTAssertEqual(chart.chart.allergies[allergyB]?.status, .enteredInError)
        XCTAssertEqual(chart.chart.pastMedications.map(\.started.medicationID), [medication])
        XCTAssertEqual(chart.chart.activeProblems.map(\.added.problemID), [problemX])
        XCTAssertEqual(chart.chart.pastProblems.map(\.added.problemID), [problemY])
        XCTAssertEqual(chart.chart.notesInSigningOrder.first?.addenda.map(\.addendumID), [addendum])
        XCTAssertEqual(chart.chart.amendmentsInRequestOrder.map(\.status), [.accepted, .denied])
        XCTAssertEqual(chart.chart.corrections(of: allergyA), [problemX])
        XCTAssertEqual(chart.coverage.coverages.count, 1)
        XCTAssertEqual(chart.consents.consents.count, 1)
        XCTAssertEqual(chart.recordings[note]?.staffID, clinician)
        let encounters = view.encounters(of: patient)
        XCTAssertEqual(encounters.map(\.encounterID), [encounter])
        XCTAssertEqual(encounters.first?.notes.count, 1)
        XCTAssertEqual(encounters.first?.vitals.first?.recorded.measurements.first?.valueThousandths, 72_000)
        XCTAssertEqual(view.lookUp(patientID(2)), .unknown)
        XCTAssertEqual(
            try ChartView().decodingState(fromBytes: view.stateBytes), view, "the chart must restore exactly")
    }

    func testAsOfRecordedTimeAndAsOfEffectiveDate() throws {
        let (office, endOfFirstDay) = try makeOffice()
        let known = try office.replayer.view(ChartView(), asOfRecordedTime: endOfFirstDay)
        guard case .chart(let then) = known.lookUp(patient) else { return XCTFail("no chart") }
        XCTAssertEqual(then.chart.activeMedications.count, 1, "the stop was recorded later")
        XCTAssertEqual(then.chart.activeAllergies.map(\.recorded.allergyID), [allergyA])
        XCTAssertEqual(then.vitals.count, 0, "the late vitals were not known yet")

        let effective = try office.replayer.view(
            ChartView(), asOfEffectiveDay: ViewCalendar.utc.day(ofMicroseconds: endOfFirstDay), calendar: .utc)
        guard case .chart(let trueThen) = effective.lookUp(patient) else { return XCTFail("no chart") }
        XCTAssertEqual(trueThen.vitals.count, 1, "the late entry belongs to that day")
        XCTAssertEqual(trueThen.chart.activeMedications.count, 1)

        let single = try office.replayer.patientView(ChartView(), patientID: patient)
        XCTAssertEqual(single.patients[patient], try office.replayer.rebuild(ChartView()).view.patients[patient])
    }

    func testErasureDropsTheWholeChart() throws {
        let (office, _) = try makeOffice()
        try office.erase(patient)
        let view = try office.replayer.rebuild(ChartView()).view
        XCTAssertEqual(view.lookUp(patient), .erased)
        XCTAssertEqual(view.encounters(of: patient), [])
        let text = String(decoding: view.stateBytes, as: UTF8.self)
        for secret in ["Doe", "penicillin", "metformin", "Stable.", "MBR-77"] {
            XCTAssertFalse(text.contains(secret), secret)
        }
        XCTAssertEqual(try ChartView().decodingState(fromBytes: view.stateBytes), view)
    }

    func testARegistrationWhoseKeyIsGoneShowsAsErasedNeverAsBornIn1970() throws {
        let (office, _) = try makeOffice()
        let events = try office.allEvents()
        var shredded = ChartView()
        for event in shredding(events, of: [patient]) { shredded.apply(event) }
        XCTAssertEqual(shredded.lookUp(patient), .erased)
        XCTAssertEqual(shredded.encounters(of: patient), [])

        // With the marker after it, the unreadable registration ends as reading it and folding the marker does.
        try office.erase(patient)
        var live = ChartView()
        var shreddedWithMarker = ChartView()
        let all = try office.allEvents()
        for event in all { live.apply(event) }
        for event in shredding(all, of: [patient]) { shreddedWithMarker.apply(event) }
        XCTAssertEqual(shreddedWithMarker, live)
    }
}
