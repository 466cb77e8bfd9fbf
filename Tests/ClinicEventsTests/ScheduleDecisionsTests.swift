import ClinicEvents
import RecordLog
import XCTest

final class ScheduleDecisionsTests: XCTestCase {
    private typealias F = SchedulingFixture

    func testABookingInsideAvailabilityIsRecordedWithTheVersionItWasDecidedOn() throws {
        let schedule = try F.schedule()
        let decision = try schedule.decide(F.book(1), by: .frontDesk, nowLocalMinutesSince1970: F.saturdayMorning)
        XCTAssertEqual(decision.stream, "schedule-dr-lee")
        XCTAssertEqual(decision.decidedOnStreamVersion, 1)
        XCTAssertEqual(
            decision.events,
            [
                .appointmentBooked(
                    try AppointmentBooked(
                        appointmentID: F.id(1), patientID: F.id(101), providerStaffID: F.provider(),
                        startLocalMinutesSince1970: F.nineOClock, durationMinutes: 30, reason: "Zoë's knee"))
            ])
        let after = schedule.applying(decision.events)
        XCTAssertEqual(after.streamVersion, 2)
        XCTAssertEqual(after.appointment(F.id(1)).status, .booked)
        XCTAssertEqual(after.daySheet(onDaysSince1970: F.monday).map(\.appointmentID), [F.id(1)])
    }

    func testABookingInThePastIsRefused() throws {
        let schedule = try F.schedule()
        XCTAssertEqual(schedule.refusal(of: F.book(1), now: F.nineOClock + 1), .startInPast)
        XCTAssertNil(schedule.refusal(of: F.book(1), now: F.nineOClock))
    }

    func testABookingOutsideAvailabilityIsRefused() throws {
        let schedule = try F.schedule()
        XCTAssertEqual(schedule.refusal(of: F.book(1, at: F.nineOClock - 60)), .outsideAvailability)
        XCTAssertEqual(schedule.refusal(of: F.book(1, at: F.nineOClock + 165, minutes: 30)), .outsideAvailability)
        XCTAssertEqual(schedule.refusal(of: F.book(1, at: F.nineOClock + F.minutesPerDay)), .outsideAvailability)
        XCTAssertNil(schedule.refusal(of: F.book(1, at: F.nineOClock + 165, minutes: 15)))
        XCTAssertNil(schedule.refusal(of: F.book(1, at: F.nineOClock + 7 * F.minutesPerDay)))
    }

    func testADateWindowAddsHoursOnThatDateOnly() throws {
        let tuesday = F.monday + 1
        let schedule = try F.schedule().after(
            .defineAvailability(
                day: .date(daysSince1970: tuesday), startMinuteOfDay: 480, endMinuteOfDay: 600,
                slotMinutes: 20), by: .officeManager)
        XCTAssertNil(schedule.refusal(of: F.book(1, at: tuesday * F.minutesPerDay + 500, minutes: 20)))
        XCTAssertEqual(
            schedule.refusal(of: F.book(1, at: (tuesday + 7) * F.minutesPerDay + 500, minutes: 20)),
            .outsideAvailability)
    }

    func testABookingOffTheSlotGridIsRefused() throws {
        XCTAssertEqual(try F.schedule().refusal(of: F.book(1, at: F.nineOClock + 5)), .offSlotGrid)
    }

    func testAnOverlapIsRefusedUnlessAnAllowedRoleApprovesTheOverbook() throws {
        let schedule = try F.schedule().after(F.book(1))
        XCTAssertEqual(schedule.refusal(of: F.book(2, at: F.nineOClock + 15)), .overlapsAnotherAppointment)
        XCTAssertEqual(
            schedule.refusal(of: F.book(2, approval: try F.approval(.frontDesk))),
            .overbookApproverNotPermitted(role: .frontDesk))
        for role in OverbookApproval.approvingRoles {
            let overbooked = try schedule.after(F.book(2, approval: try F.approval(role)))
            XCTAssertEqual(overbooked.appointment(F.id(2)).overbookApproval, try F.approval(role))
        }
        XCTAssertNil(schedule.refusal(of: F.book(2, at: F.nineOClock + 30)))
    }

    func testAnApprovalIsNotRecordedWhenTheSlotIsFree() throws {
        let schedule = try F.schedule().after(F.book(1, approval: try F.approval(.physician)))
        XCTAssertNil(schedule.appointment(F.id(1)).overbookApproval)
    }

    func testCancelledNoShowAndErroneousAppointmentsFreeTheirTime() throws {
        let booked = try F.schedule().after(F.book(1))
        let freed = [
            try booked.after(.cancel(appointmentID: F.id(1), reason: "sick")),
            try booked.after(.markNoShow(appointmentID: F.id(1)), now: F.nineOClock + 20),
            try booked.after(.enterInError(appointmentID: F.id(1), reason: "duplicate")),
        ]
        XCTAssertNil(freed[0].refusal(of: F.book(2)))
        XCTAssertNil(freed[1].refusal(of: F.book(2, at: F.nineOClock + 30), now: F.nineOClock + 20))
        XCTAssertNil(freed[2].refusal(of: F.book(2)))
    }

    func testAnAppointmentIdCannotBeBookedTwice() throws {
        XCTAssertEqual(
            try F.schedule().after(F.book(1)).refusal(of: F.book(1, at: F.nineOClock + 60)),
            .appointmentAlreadyExists)
    }

    func testARescheduleFollowsTheTimeRules() throws {
        let schedule = try F.schedule().after(F.book(1)).after(F.book(2, at: F.nineOClock + 60))
        let move = { (start: Int64, approval: OverbookApproval?) in
            SchedulingCommand.reschedule(
                appointmentID: F.id(1), startLocalMinutesSince1970: start, durationMinutes: 30,
                overbookApproval: approval)
        }
        XCTAssertNil(schedule.refusal(of: move(F.nineOClock + 15, nil)), "overlapping only itself")
        XCTAssertEqual(schedule.refusal(of: move(F.nineOClock + 45, nil)), .overlapsAnotherAppointment)
        XCTAssertNil(schedule.refusal(of: move(F.nineOClock + 45, try F.approval(.officeManager))))
        XCTAssertEqual(schedule.refusal(of: move(F.nineOClock - 30, nil)), .outsideAvailability)
        XCTAssertEqual(schedule.refusal(of: move(F.nineOClock, nil), now: F.nineOClock + 1), .startInPast)
        let moved = try schedule.after(.confirm(appointmentID: F.id(1))).after(move(F.nineOClock + 120, nil))
        XCTAssertEqual(moved.appointment(F.id(1)).status, .booked)
        XCTAssertEqual(moved.appointment(F.id(1)).startLocalMinutesSince1970, F.nineOClock + 120)
        XCTAssertNil(moved.refusal(of: F.book(3)))
    }

    func testOnlyPermittedRolesMayIssueCommands() throws {
        let schedule = try F.schedule()
        XCTAssertEqual(schedule.refusal(of: F.book(1), by: .biller), .roleNotPermitted(command: "book", role: .biller))
        XCTAssertEqual(
            schedule.refusal(of: F.book(1), by: .complianceOfficer),
            .roleNotPermitted(command: "book", role: .complianceOfficer))
        let booked = try schedule.after(F.book(1))
        XCTAssertEqual(
            booked.refusal(of: .enterInError(appointmentID: F.id(1), reason: "x"), by: .nurse),
            .roleNotPermitted(command: "enterInError", role: .nurse))
        XCTAssertNil(booked.refusal(of: .markNoShow(appointmentID: F.id(1)), by: .system, now: F.nineOClock))
    }

    func testACancellationUnder24HoursIsFlaggedLate() throws {
        let booked = try F.schedule().after(F.book(1))
        for (now, isLate) in [
            (F.nineOClock - F.minutesPerDay, false), (F.nineOClock - F.minutesPerDay + 1, true),
            (F.nineOClock - 10, true), (F.saturdayMorning, false),
        ] {
            let decision = try booked.decide(
                .cancel(appointmentID: F.id(1), reason: "car broke down"), by: .frontDesk,
                nowLocalMinutesSince1970: now)
            XCTAssertEqual(
                decision.events,
                [
                    .appointmentCancelled(
                        try AppointmentCancelled(
                            appointmentID: F.id(1), patientID: F.id(101), reason: "car broke down",
                            isLate: isLate))
                ])
            XCTAssertEqual(booked.applying(decision.events).appointment(F.id(1)).wasCancelledLate, isLate)
        }
        let late = try booked.after(.cancel(appointmentID: F.id(1), reason: "r"), now: F.nineOClock - 60)
        XCTAssertEqual(late.appointment(F.id(1)).openEMRCode, "%")
    }

    func testACancelledAppointmentCannotBeCheckedIn() throws {
        let cancelled = try F.schedule().after(F.book(1)).after(.cancel(appointmentID: F.id(1), reason: "r"))
        XCTAssertEqual(
            cancelled.refusal(of: .checkIn(appointmentID: F.id(1), encounterID: F.id(200))),
            .checkInOfCancelledAppointment)
    }

    func testAnAppointmentCannotBeCheckedOutBeforeCheckIn() throws {
        let booked = try F.schedule().after(F.book(1))
        let arrived = try booked.after(.markArrived(appointmentID: F.id(1)))
        for schedule in [booked, arrived] {
            XCTAssertEqual(schedule.refusal(of: .checkOut(appointmentID: F.id(1))), .checkOutBeforeCheckIn)
        }
        let checkedIn = try arrived.after(.checkIn(appointmentID: F.id(1), encounterID: F.id(200)))
        XCTAssertNil(checkedIn.refusal(of: .checkOut(appointmentID: F.id(1))))
        XCTAssertEqual(checkedIn.appointment(F.id(1)).encounterID, F.id(200))
    }

    func testANoShowCannotBeRecordedBeforeTheStart() throws {
        let booked = try F.schedule().after(F.book(1))
        XCTAssertEqual(booked.refusal(of: .markNoShow(appointmentID: F.id(1))), .noShowBeforeStart)
        XCTAssertNil(booked.refusal(of: .markNoShow(appointmentID: F.id(1)), now: F.nineOClock))
    }

    func testCommandsOnAnUnknownAppointmentAreRefused() throws {
        XCTAssertEqual(try F.schedule().refusal(of: .confirm(appointmentID: F.id(9))), .appointmentNotFound)
    }

    func testInvalidDetailsAreRefusedNamingTheRule() throws {
        let schedule = try F.schedule()
        XCTAssertEqual(schedule.refusal(of: F.book(1, minutes: 0)), .detailsInvalid(rule: "durationOutOfRange"))
        XCTAssertEqual(
            schedule.refusal(
                of: .defineAvailability(day: .weekday(8), startMinuteOfDay: 0, endMinuteOfDay: 60, slotMinutes: 15),
                by: .officeManager),
            .detailsInvalid(rule: "dayOutOfRange"))
        XCTAssertEqual(
            try schedule.after(F.book(1)).after(.markArrived(appointmentID: F.id(1)))
                .after(.checkIn(appointmentID: F.id(1), encounterID: F.id(2)))
                .refusal(of: .room(appointmentID: F.id(1), room: "")),
            .detailsInvalid(rule: "roomLength"))
    }

    func testEveryRefusalIsOneSentenceWithoutPatientData() {
        let refusals: [SchedulingRefusal] = [
            .roleNotPermitted(command: "book", role: .biller), .detailsInvalid(rule: "reasonLength"),
            .appointmentAlreadyExists, .appointmentNotFound, .startInPast, .outsideAvailability, .offSlotGrid,
            .overlapsAnotherAppointment, .overbookApproverNotPermitted(role: .frontDesk),
            .checkInOfCancelledAppointment, .checkOutBeforeCheckIn, .noShowBeforeStart,
            .transitionNotAllowed(from: .cancelled, to: .arrived),
        ]
        for refusal in refusals {
            let message = refusal.message
            XCTAssertTrue(message.hasSuffix("."), message)
            XCTAssertFalse(message.dropLast().contains(". "), message)
            XCTAssertTrue(message.contains(";"), "names the rule, then what to do: \(message)")
            XCTAssertFalse(message.contains("Zoë"), message)
        }
    }

    /// Two staff decide a booking of the same slot on the same stream version: the log accepts one append at that
    /// version, and the loser, deciding again on the new version, gets a clear overlap refusal.
    func testTwoConcurrentBookingsOfOneSlotYieldOneBookingAndOneConflict() throws {
        var stream = StreamStub()
        let start = try F.schedule()
        stream.events = [
            .providerAvailabilityDefined(
                try ProviderAvailabilityDefined(
                    providerStaffID: F.provider(), day: .weekday(1), startMinuteOfDay: 540, endMinuteOfDay: 720,
                    slotMinutes: 15))
        ]
        let first = try start.decide(F.book(1), by: .frontDesk, nowLocalMinutesSince1970: F.saturdayMorning)
        let second = try start.decide(F.book(2), by: .nurse, nowLocalMinutesSince1970: F.saturdayMorning)
        XCTAssertTrue(stream.append(first))
        XCTAssertFalse(stream.append(second), "decided on a stale version")
        let reread = ProviderSchedule(providerStaffID: try F.provider()).applying(stream.events)
        XCTAssertEqual(reread.refusal(of: F.book(2)), .overlapsAnotherAppointment)
        XCTAssertEqual(stream.events.count, 2)
    }
}

/// A stream that accepts an append only at the version it was decided on, as `RecordLog`'s expected version does.
private struct StreamStub {
    var events: [ClinicEvent] = []

    mutating func append(_ decision: SchedulingDecision) -> Bool {
        guard decision.decidedOnStreamVersion == UInt64(events.count) else { return false }
        events += decision.events
        return true
    }
}
