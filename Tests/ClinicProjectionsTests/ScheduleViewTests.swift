import ClinicEvents
import ClinicProjections
import RecordLog
import RecordLogTesting
import XCTest

/// The schedule against a hand-built provider day: a reschedule, an approved overbook, a late cancellation, a full
/// visit and an arrival; free slots, conflicts, the flow board, and erasure of a patient's name and reasons.
final class ScheduleViewTests: XCTestCase {
    let provider = staff("dr-a")
    let jane = patientID(1)
    let rick = patientID(2)
    let ola = patientID(3)
    let a1 = itemID(1)
    let a2 = itemID(2)
    let a3 = itemID(3)
    let a4 = itemID(4)
    let minute0 = baseDay * 1440

    func makeOffice() throws -> TestOffice {
        let office = try TestOffice()
        let stream = ProviderSchedule.streamName(for: provider)
        try office.register(jane, family: "Doe", given: "Jane")
        try office.register(rick, family: "Roe", given: "Rick")
        try office.register(ola, family: "Nordmann", given: "Ola")
        try office.append(
            .providerAvailabilityDefined(
                try ProviderAvailabilityDefined(
                    providerStaffID: provider, day: .weekday(1), startMinuteOfDay: 540, endMinuteOfDay: 660,
                    slotMinutes: 30)),
            to: stream)
        func book(
            _ id: EventID, _ patient: EventID, at minute: Int64, reason: String, approval: OverbookApproval? = nil
        ) throws {
            try office.append(
                .appointmentBooked(
                    try AppointmentBooked(
                        appointmentID: id, patientID: patient, providerStaffID: provider,
                        startLocalMinutesSince1970: minute0 + minute, durationMinutes: 30, reason: reason,
                        overbookApproval: approval)), to: stream)
        }
        try book(a1, jane, at: 540, reason: "follow-up")
        try book(a2, rick, at: 570, reason: "cough")
        try office.append(
            .appointmentRescheduled(
                try AppointmentRescheduled(
                    appointmentID: a2, startLocalMinutesSince1970: minute0 + 600, durationMinutes: 30)),
            to: stream)
        try book(
            a3, ola, at: 600, reason: "rash",
            approval: OverbookApproval(approverStaffID: provider, approverRole: .physician))
        try book(a4, jane, at: 630, reason: "lab review")
        try office.append(
            .appointmentCancelled(
                try AppointmentCancelled(appointmentID: a4, patientID: jane, reason: "sick", isLate: true)), to: stream
        )
        office.setTime(office.now + 60 * minuteMicroseconds)
        try office.append(.patientArrived(PatientArrived(appointmentID: a1)), to: stream)
        try office.append(.patientCheckedIn(PatientCheckedIn(appointmentID: a1, encounterID: itemID(90))), to: stream)
        try office.append(.patientRoomed(try PatientRoomed(appointmentID: a1, room: "Exam 2")), to: stream)
        try office.append(.patientCheckedOut(PatientCheckedOut(appointmentID: a1)), to: stream)
        try office.append(.patientArrived(PatientArrived(appointmentID: a2)), to: stream)
        return office
    }

    func testProviderDayShowsStatusesSlotsConflictsAndTheFlowBoard() throws {
        let office = try makeOffice()
        let view = try office.replayer.rebuild(ScheduleView()).view
        let day = view.day(of: provider, daysSince1970: baseDay)
        XCTAssertEqual(day.rows.map(\.appointmentID), [a1, a2, a3, a4])
        XCTAssertEqual(day.rows.map(\.status), [.checkedOut, .arrived, .booked, .cancelled])
        XCTAssertEqual(day.rows.map(\.openEMRCode), [">", "@", "-", "%"])
        XCTAssertEqual(
            day.rows.map(\.patientName.description), ["Doe, Jane", "Roe, Rick", "Nordmann, Ola", "Doe, Jane"])
        XCTAssertEqual(day.rows.map(\.reason), ["follow-up", "cough", "rash", "lab review"])
        XCTAssertEqual(day.rows[0].room, "Exam 2")
        XCTAssertNotNil(day.rows[0].milestones.checkedOutMicroseconds)
        XCTAssertNotNil(day.rows[1].milestones.arrivedMicroseconds)
        XCTAssertEqual(day.rows[1].startLocalMinutesSince1970, minute0 + 600)
        XCTAssertEqual(
            day.freeSlots.map { $0.startLocalMinutesSince1970 - minute0 }, [540, 570, 630],
            "a checked-out, a moved and a cancelled appointment free their slots")
        XCTAssertEqual(day.conflicts.map { [$0.first, $0.second] }, [[a2, a3]])
        XCTAssertEqual(day.overbookedAppointmentIDs, [a3])
        let board = Dictionary(uniqueKeysWithValues: day.flowBoard.map { ($0.status, $0.rows.map(\.appointmentID)) })
        XCTAssertEqual(board[.checkedOut], [a1])
        XCTAssertEqual(board[.arrived], [a2])
        XCTAssertEqual(board[.booked], [a3])
        XCTAssertEqual(view.day(of: provider, daysSince1970: baseDay + 1).rows, [])
        XCTAssertEqual(view.day(of: provider, daysSince1970: baseDay + 7).freeSlots.count, 4, "next Monday is free")
        XCTAssertEqual(try ScheduleView().decodingState(fromBytes: view.stateBytes), view)
    }

    func testAsOfPositionShowsTheDayBeforeTheReschedule() throws {
        let office = try makeOffice()
        let events = try office.allEvents()
        let reschedule = try XCTUnwrap(
            events.first { if case .appointmentRescheduled = $0.event { return true } else { return false } })
        let before = try office.replayer.view(ScheduleView(), asOfPosition: reschedule.position)
        XCTAssertEqual(
            before.day(of: provider, daysSince1970: baseDay).rows[1].startLocalMinutesSince1970, minute0 + 570)
    }

    func testErasureDropsTheNameAndReasonsButKeepsTheTimeHeld() throws {
        let office = try makeOffice()
        try office.erase(jane)
        let view = try office.replayer.rebuild(ScheduleView()).view
        let day = view.day(of: provider, daysSince1970: baseDay)
        XCTAssertEqual(day.rows.map(\.patientName), [.erased, .name("Roe, Rick"), .name("Nordmann, Ola"), .erased])
        XCTAssertEqual(day.rows.map(\.reason), [nil, "cough", "rash", nil])
        let text = String(decoding: view.stateBytes, as: UTF8.self)
        XCTAssertFalse(text.contains("Jane"))
        XCTAssertFalse(text.contains("follow-up"))
        XCTAssertTrue(text.contains("Rick"), "the check must be able to find a name that is still there")
        XCTAssertEqual(try ScheduleView().decodingState(fromBytes: view.stateBytes), view)
    }

    func testARegistrationWhoseKeyIsGoneShowsAsErasedAndEndsAsItsMarkerLeavesIt() throws {
        let office = try makeOffice()
        // Rick is merged into Jane, then Jane is erased; Ola's key is destroyed with no marker in the log.
        try office.append(
            .patientsMerged(try PatientsMerged(survivingPatientID: jane, mergedPatientID: rick, reason: "same")),
            to: PatientRecordState.streamName(for: rick))
        try office.erase(jane)
        let events = try office.allEvents()
        var live = ScheduleView()
        var shredded = ScheduleView()
        for event in events { live.apply(event) }
        for event in shredding(events, of: [jane, ola]) { shredded.apply(event) }

        XCTAssertEqual(shredded.patientName(ola), .erased)
        XCTAssertEqual(shredded.patients[ola]?.status, .erased)
        XCTAssertNil(shredded.patients[ola]?.birthDateDaysSince1970)
        XCTAssertEqual(live.patientName(ola), .name("Nordmann, Ola"))
        // The survivor erased early (its registration unreadable) ends exactly as the marker leaves it when read.
        XCTAssertEqual(shredded.patients[jane], live.patients[jane])
        XCTAssertEqual(live.patients[jane]?.mergedPatientIDs, [rick])
        XCTAssertEqual(shredded.patients[rick], live.patients[rick])
        XCTAssertEqual(try ScheduleView().decodingState(fromBytes: shredded.stateBytes), shredded)
    }
}

/// `events` as read once the keys of `patientIDs` are destroyed: every event of their own streams carries
/// placeholders (`patientDataErased`), and a registration reads `[erased]` names born on day 0.
func shredding(_ events: [StoredEvent], of patientIDs: Set<EventID>) -> [StoredEvent] {
    events.map { stored in
        let stream = stored.envelope.stream
        guard patientIDs.contains(where: { stream.hasSuffix("-\($0)") }) else { return stored }
        var event = stored.event
        if case .patientRegistered(let registered) = event {
            let placeholder = PatientDataWithholding.erased.placeholderText
            event = .patientRegistered(
                must {
                    try PatientRegistered(
                        patientID: registered.patientID, familyName: placeholder, givenName: placeholder,
                        birthDateDaysSince1970: 0)
                })
        }
        return StoredEvent(
            position: stored.position, streamVersion: stored.streamVersion,
            recordedTimeMicroseconds: stored.recordedTimeMicroseconds, envelope: stored.envelope, event: event,
            patientDataErased: true)
    }
}
