import ClinicEvents
import RecordLog

/// A provider with Monday hours 09:00–12:00 in 15-minute slots, and times around Monday 2026-11-30.
struct SchedulingFixture {
    static let monday: Int64 = 20_787
    static let minutesPerDay: Int64 = 1440
    /// Monday 09:00, office-local.
    static let nineOClock = monday * minutesPerDay + 540
    /// Saturday 2026-11-28 09:00: two days before the Monday morning.
    static let saturdayMorning = nineOClock - 2 * minutesPerDay

    static func id(_ low: UInt64) -> EventID { EventID(high: 0xA11C_E000_0000_4000, low: 0x8000_0000_0000_0000 | low) }

    static func provider() throws -> StaffID { try StaffID("dr-lee") }

    /// The schedule with Monday hours defined (stream version 1).
    static func schedule() throws -> ProviderSchedule {
        let empty = ProviderSchedule(providerStaffID: try provider())
        let decision = try empty.decide(
            .defineAvailability(day: .weekday(1), startMinuteOfDay: 540, endMinuteOfDay: 720, slotMinutes: 15),
            by: .officeManager, nowLocalMinutesSince1970: saturdayMorning)
        return empty.applying(decision.events)
    }

    static func book(
        _ appointment: UInt64, at start: Int64 = nineOClock, minutes: UInt32 = 30,
        approval: OverbookApproval? = nil
    ) -> SchedulingCommand {
        .book(
            appointmentID: id(appointment), patientID: id(100 + appointment), startLocalMinutesSince1970: start,
            durationMinutes: minutes, reason: "Zoë's knee", overbookApproval: approval)
    }

    static func approval(_ role: StaffRole) throws -> OverbookApproval {
        OverbookApproval(approverStaffID: try StaffID("approver-1"), approverRole: role)
    }
}

extension ProviderSchedule {
    /// Decides and applies `command`, as an append at the decided version would.
    func after(
        _ command: SchedulingCommand, by role: StaffRole = .frontDesk,
        now: Int64 = SchedulingFixture.saturdayMorning
    ) throws -> ProviderSchedule {
        applying(try decide(command, by: role, nowLocalMinutesSince1970: now).events)
    }

    /// The refusal of `command`, or nil when it is accepted.
    func refusal(
        of command: SchedulingCommand, by role: StaffRole = .frontDesk, now: Int64 = SchedulingFixture.saturdayMorning
    ) -> SchedulingRefusal? {
        do {
            _ = try decide(command, by: role, nowLocalMinutesSince1970: now)
            return nil
        } catch {
            return error
        }
    }
}
