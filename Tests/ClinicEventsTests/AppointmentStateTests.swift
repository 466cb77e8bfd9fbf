import ClinicEvents
import RecordLog
import XCTest

final class AppointmentStateTests: XCTestCase {
    private typealias F = SchedulingFixture
    private static let appointment = F.id(1)

    /// The commands that lead from booking to each status.
    private static let paths: [AppointmentStatus: [SchedulingCommand]] = [
        .booked: [],
        .confirmed: [.confirm(appointmentID: appointment)],
        .arrived: [.markArrived(appointmentID: appointment)],
        .checkedIn: [
            .markArrived(appointmentID: appointment), .checkIn(appointmentID: appointment, encounterID: F.id(2)),
        ],
        .roomed: [
            .markArrived(appointmentID: appointment), .checkIn(appointmentID: appointment, encounterID: F.id(2)),
            .room(appointmentID: appointment, room: "Exam 3"),
        ],
        .checkedOut: [
            .markArrived(appointmentID: appointment), .checkIn(appointmentID: appointment, encounterID: F.id(2)),
            .checkOut(appointmentID: appointment),
        ],
        .cancelled: [.cancel(appointmentID: appointment, reason: "r")],
        .noShow: [.markNoShow(appointmentID: appointment)],
        .enteredInError: [.enterInError(appointmentID: appointment, reason: "r")],
    ]

    /// Every status command and the status it leads to.
    private static let commands: [(SchedulingCommand, AppointmentStatus)] = [
        (
            .reschedule(
                appointmentID: appointment, startLocalMinutesSince1970: F.nineOClock + 60, durationMinutes: 30,
                overbookApproval: nil), .booked
        ),
        (.confirm(appointmentID: appointment), .confirmed),
        (.markArrived(appointmentID: appointment), .arrived),
        (.checkIn(appointmentID: appointment, encounterID: F.id(3)), .checkedIn),
        (.room(appointmentID: appointment, room: "Exam 1"), .roomed),
        (.checkOut(appointmentID: appointment), .checkedOut),
        (.cancel(appointmentID: appointment, reason: "r"), .cancelled),
        (.markNoShow(appointmentID: appointment), .noShow),
        (.enterInError(appointmentID: appointment, reason: "r"), .enteredInError),
    ]

    /// The state machine, written out: from each status, the statuses a command may lead to.
    private static let table: [AppointmentStatus: Set<AppointmentStatus>] = [
        .booked: [.booked, .confirmed, .arrived, .cancelled, .noShow, .enteredInError],
        .confirmed: [.booked, .arrived, .cancelled, .noShow, .enteredInError],
        .arrived: [.checkedIn, .cancelled, .enteredInError],
        .checkedIn: [.roomed, .checkedOut, .enteredInError],
        .roomed: [.checkedOut, .enteredInError],
        .checkedOut: [.enteredInError],
        .cancelled: [.enteredInError],
        .noShow: [.enteredInError],
        .enteredInError: [],
    ]

    func testTheStatusStateMachineTable() throws {
        let now = F.nineOClock
        let booked = try F.schedule().after(F.book(1), now: now)
        for (status, path) in Self.paths {
            let schedule = try path.reduce(booked) { try $0.after($1, by: .officeManager, now: now) }
            XCTAssertEqual(schedule.appointment(Self.appointment).status, status)
            XCTAssertEqual(status.allowedNextStatuses, Self.table[status], "\(status)")
            for (command, target) in Self.commands {
                let refusal = schedule.refusal(of: command, by: .officeManager, now: now)
                if Self.table[status, default: []].contains(target) {
                    XCTAssertNil(refusal, "\(status) → \(target)")
                    let after = try schedule.after(command, by: .officeManager, now: now)
                    XCTAssertEqual(after.appointment(Self.appointment).status, target, "\(status) → \(target)")
                } else {
                    XCTAssertNotNil(refusal, "\(status) → \(target)")
                }
            }
        }
        XCTAssertEqual(AppointmentStatus.notBooked.allowedNextStatuses, [.booked])
    }

    func testStatusCodesFollowFHIRAndOpenEMR() {
        XCTAssertEqual(AppointmentStatus.checkedOut.fhirCode, "fulfilled")
        XCTAssertEqual(AppointmentStatus.noShow.fhirCode, "noshow")
        XCTAssertEqual(AppointmentStatus.enteredInError.fhirCode, "entered-in-error")
        XCTAssertEqual(AppointmentStatus.roomed.openEMRCode, "<")
        XCTAssertEqual(AppointmentStatus.checkedOut.openEMRCode, ">")
    }

    func testTheFoldIgnoresMovesTheStateMachineForbids() throws {
        let state = AppointmentState(appointmentID: Self.appointment)
        XCTAssertEqual(state.applying(.patientCheckedOut(PatientCheckedOut(appointmentID: Self.appointment))), state)
        let other = F.id(77)
        XCTAssertEqual(state.applying(.appointmentConfirmed(AppointmentConfirmed(appointmentID: other))), state)
    }

    /// Random command sequences from random roles at random times: whatever is accepted, the fold never reaches an
    /// invalid state.
    func testRandomCommandSequencesNeverReachAnInvalidState() throws {
        var generator = EventGenerator(seed: 0x5C4E_D01E)
        let roles = StaffRole.allCases
        var accepted = 0
        var overbooks = 0
        for _ in 0..<600 {
            var schedule = try F.schedule()
            var appended = Int(schedule.streamVersion)
            var now = F.nineOClock - 120
            for _ in 0..<60 {
                now += generator.int64(0...6)
                let command = try randomCommand(&generator)
                let role = generator.pick(roles)
                let before = schedule
                guard let decision = try? schedule.decide(command, by: role, nowLocalMinutesSince1970: now) else {
                    continue
                }
                XCTAssertEqual(decision.decidedOnStreamVersion, schedule.streamVersion)
                schedule = schedule.applying(decision.events)
                appended += decision.events.count
                accepted += 1
                if decision.events.contains(where: Self.isOverbook) { overbooks += 1 }
                try checkInvariants(before: before, after: schedule, appended: appended)
            }
        }
        XCTAssertGreaterThan(accepted, 2500)
        XCTAssertGreaterThan(overbooks, 20)
    }

    private static func isOverbook(_ event: ClinicEvent) -> Bool {
        switch event {
        case .appointmentBooked(let booked): booked.isOverbook
        case .appointmentRescheduled(let moved): moved.overbookApproval != nil
        default: false
        }
    }

    private func randomCommand(_ generator: inout EventGenerator) throws -> SchedulingCommand {
        let appointment = F.id(UInt64(generator.int(1...5)))
        let start = F.nineOClock + Int64(generator.int(-2...13)) * 15 + (generator.int(0...9) == 0 ? 5 : 0)
        let minutes = UInt32(generator.pick([15, 30, 45]))
        let approverRole = generator.pick(StaffRole.allCases)
        let approval =
            generator.bool() ? nil : OverbookApproval(approverStaffID: try StaffID("a"), approverRole: approverRole)
        switch generator.int(0...10) {
        case 0, 1:
            return .book(
                appointmentID: appointment, patientID: F.id(100), startLocalMinutesSince1970: start,
                durationMinutes: minutes, reason: "check-up", overbookApproval: approval)
        case 2:
            return .reschedule(
                appointmentID: appointment, startLocalMinutesSince1970: start, durationMinutes: minutes,
                overbookApproval: approval)
        case 3: return .confirm(appointmentID: appointment)
        case 4: return .markArrived(appointmentID: appointment)
        case 5: return .checkIn(appointmentID: appointment, encounterID: generator.id())
        case 6: return .room(appointmentID: appointment, room: "Exam 2")
        case 7: return .checkOut(appointmentID: appointment)
        case 8: return .cancel(appointmentID: appointment, reason: "r")
        case 9: return .markNoShow(appointmentID: appointment)
        default: return .enterInError(appointmentID: appointment, reason: "r")
        }
    }

    private func checkInvariants(before: ProviderSchedule, after: ProviderSchedule, appended: Int) throws {
        XCTAssertEqual(after.streamVersion, UInt64(appended))
        let holding = after.appointments.values.filter { $0.status.holdsProviderTime }
        for state in after.appointments.values {
            let old = before.appointment(state.appointmentID).status
            XCTAssertTrue(
                old == state.status || old.allowedNextStatuses.contains(state.status), "\(old) → \(state.status)")
            XCTAssertEqual(state.encounterID != nil, state.wasCheckedIn)
            if [.checkedIn, .roomed, .checkedOut].contains(state.status) { XCTAssertTrue(state.wasCheckedIn) }
            if [.cancelled, .noShow, .booked, .confirmed, .arrived].contains(state.status) {
                XCTAssertFalse(state.wasCheckedIn)
            }
            if let approval = state.overbookApproval {
                XCTAssertTrue(OverbookApproval.approvingRoles.contains(approval.approverRole))
            }
        }
        for state in holding {
            let day = ProviderSchedule.day(of: state.startLocalMinutesSince1970)
            let minute = state.startLocalMinutesSince1970 - day * 1440
            XCTAssertTrue(
                after.availability(onDaysSince1970: day).contains {
                    Int64($0.startMinuteOfDay) <= minute
                        && minute + Int64(state.durationMinutes) <= Int64($0.endMinuteOfDay)
                }, "inside availability")
            for other in holding where other.appointmentID < state.appointmentID {
                let overlap =
                    other.startLocalMinutesSince1970 < state.endLocalMinutesSince1970
                    && state.startLocalMinutesSince1970 < other.endLocalMinutesSince1970
                if overlap {
                    XCTAssertTrue(
                        state.overbookApproval != nil || other.overbookApproval != nil,
                        "an overlap is an approved overbook")
                }
            }
        }
    }
}
