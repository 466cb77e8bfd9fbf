import ClinicEvents
import RecordLog

/// One provider's day as the front desk sees it: appointments in start order, free slots, the flow board, conflicts
/// and overbooks.
public struct ProviderDay: Equatable, Sendable {
    /// One appointment row.
    public struct Row: Equatable, Sendable {
        /// The appointment.
        public let appointmentID: EventID
        /// Office-local start, minutes since 1970-01-01T00:00.
        public let startLocalMinutesSince1970: Int64
        /// Length in minutes.
        public let durationMinutes: UInt32
        /// Where it stands.
        public let status: AppointmentStatus
        /// The OpenEMR status character (`%` for a late cancellation); nil when entered in error.
        public let openEMRCode: String?
        /// The patient's opaque id.
        public let patientID: EventID?
        /// The patient's display name or a marker.
        public let patientName: PatientDisplayName
        /// The exam room, once roomed.
        public let room: String?
        /// The booking's reason; nil once the patient is erased.
        public let reason: String?
        /// The approval, when the booking or reschedule was an overbook.
        public let overbookApproval: OverbookApproval?
        /// When the visit's steps happened.
        public let milestones: ScheduleView.Milestones
    }

    /// A bookable slot no appointment holding the provider's time overlaps.
    public struct Slot: Hashable, Sendable {
        /// Office-local start, minutes since 1970-01-01T00:00.
        public let startLocalMinutesSince1970: Int64
        /// Office-local end (exclusive).
        public let endLocalMinutesSince1970: Int64
    }

    /// The provider.
    public let providerStaffID: StaffID
    /// The day, in days since 1970-01-01 (office-local).
    public let daysSince1970: Int64
    /// Every appointment starting that day (entered-in-error ones included, marked so), by start then id.
    public let rows: [Row]
    /// The free slots of the availability windows that apply that day, by start.
    public let freeSlots: [Slot]
    /// Pairs of appointments (by id, the earlier first) that both hold the provider's time and overlap.
    public let conflicts: [ConflictPair]
    /// The appointments holding the provider's time that were booked or moved as approved overbooks.
    public let overbookedAppointmentIDs: [EventID]

    /// Two appointments that overlap while both hold the provider's time.
    public struct ConflictPair: Hashable, Sendable {
        /// The one that starts first (or has the lower id when they start together).
        public let first: EventID
        /// The other one.
        public let second: EventID
    }

    /// The flow board: the appointments at each step of the visit today, in start order.
    public var flowBoard: [(status: AppointmentStatus, rows: [Row])] {
        let steps: [AppointmentStatus] = [.booked, .confirmed, .arrived, .checkedIn, .roomed, .checkedOut, .noShow]
        return steps.map { step in (step, rows.filter { $0.status == step }) }
    }
}

extension ScheduleView {
    /// The providers with a schedule, by staff id.
    public var providerStaffIDs: [StaffID] {
        providers.keys.sorted().compactMap { providers[$0]?.providerStaffID }
    }

    /// A provider's day: appointments, free slots, flow board, conflicts and overbooks.
    public func day(of provider: StaffID, daysSince1970 day: Int64) -> ProviderDay {
        let book = providers[provider.value] ?? ProviderBook(providerStaffID: provider)
        let appointments = (book.appointmentIDsByDay[day] ?? []).compactMap { book.appointments[$0] }
            .sorted {
                ($0.state.startLocalMinutesSince1970, $0.state.appointmentID)
                    < ($1.state.startLocalMinutesSince1970, $1.state.appointmentID)
            }
        let rows = appointments.map { appointment in
            let state = appointment.state
            return ProviderDay.Row(
                appointmentID: state.appointmentID, startLocalMinutesSince1970: state.startLocalMinutesSince1970,
                durationMinutes: state.durationMinutes, status: state.status, openEMRCode: state.openEMRCode,
                patientID: state.patientID, patientName: state.patientID.map { patientName($0) } ?? .unknown,
                room: state.room, reason: appointment.reason, overbookApproval: state.overbookApproval,
                milestones: appointment.milestones)
        }
        let holding = appointments.map(\.state).filter { $0.status.holdsProviderTime }
        var conflicts: [ProviderDay.ConflictPair] = []
        for (index, first) in holding.enumerated() {
            for second in holding[(index + 1)...]
            where second.startLocalMinutesSince1970 < first.endLocalMinutesSince1970
                && first.startLocalMinutesSince1970 < second.endLocalMinutesSince1970
            {
                conflicts.append(ProviderDay.ConflictPair(first: first.appointmentID, second: second.appointmentID))
            }
        }
        let dayStart = day * Int64(ProviderAvailabilityDefined.minutesPerDay)
        var slots: Set<ProviderDay.Slot> = []
        for window in book.availability where window.day.applies(onDaysSince1970: day) {
            var start = dayStart + Int64(window.startMinuteOfDay)
            let end = dayStart + Int64(window.endMinuteOfDay)
            while start + Int64(window.slotMinutes) <= end {
                let slotEnd = start + Int64(window.slotMinutes)
                let taken = holding.contains {
                    $0.startLocalMinutesSince1970 < slotEnd && start < $0.endLocalMinutesSince1970
                }
                if !taken {
                    slots.insert(ProviderDay.Slot(startLocalMinutesSince1970: start, endLocalMinutesSince1970: slotEnd))
                }
                start = slotEnd
            }
        }
        return ProviderDay(
            providerStaffID: provider, daysSince1970: day, rows: rows,
            freeSlots: slots.sorted {
                ($0.startLocalMinutesSince1970, $0.endLocalMinutesSince1970)
                    < ($1.startLocalMinutesSince1970, $1.endLocalMinutesSince1970)
            },
            conflicts: conflicts,
            overbookedAppointmentIDs: holding.filter { $0.overbookApproval != nil }.map(\.appointmentID))
    }
}
