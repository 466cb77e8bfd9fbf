import RecordLog

/// One provider's schedule: their availability windows and appointments, a pure fold over the provider's schedule
/// stream, and the decision state of every scheduling command for that provider.
///
/// All events of a provider's appointments go to one stream (`streamName(for:)`), so that the stream version is the
/// concurrency guard of the no-overlap rule: two bookings decided on the same version cannot both be appended.
public struct ProviderSchedule: Equatable, Sendable {
    /// The provider.
    public let providerStaffID: StaffID
    /// The availability windows defined, oldest first.
    public private(set) var availability: [ProviderAvailabilityDefined] = []
    /// Every appointment booked with the provider, by id.
    public private(set) var appointments: [EventID: AppointmentState] = [:]
    /// The appointments by the office-local day they start on (derived from `appointments`, kept for fast lookups).
    public private(set) var appointmentIDsByDay: [Int64: Set<EventID>] = [:]
    /// The version of the schedule stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0

    /// The empty schedule of `providerStaffID`.
    public init(providerStaffID: StaffID) {
        self.providerStaffID = providerStaffID
    }

    /// The name of the stream that holds every scheduling event of `provider`.
    public static func streamName(for provider: StaffID) -> String {
        "schedule-" + provider.value
    }

    /// The name of this provider's schedule stream.
    public var streamName: String { Self.streamName(for: providerStaffID) }

    /// The state after one more event of the schedule stream; every event counts towards `streamVersion`.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        switch event {
        case .providerAvailabilityDefined(let window) where window.providerStaffID == providerStaffID:
            availability.append(window)
        case .appointmentBooked(let booked) where booked.providerStaffID == providerStaffID:
            let state = appointments[booked.appointmentID] ?? AppointmentState(appointmentID: booked.appointmentID)
            update(state, to: state.applying(event))
        default:
            if let id = AppointmentState.appointmentID(of: event), let state = appointments[id] {
                update(state, to: state.applying(event))
            }
        }
    }

    /// Stores an appointment's new state, moving it in the day index when its start day changed.
    private mutating func update(_ old: AppointmentState, to new: AppointmentState) {
        let oldDay = old.status == .notBooked ? nil : Self.day(of: old.startLocalMinutesSince1970)
        let newDay = Self.day(of: new.startLocalMinutesSince1970)
        if oldDay != newDay {
            if let oldDay { appointmentIDsByDay[oldDay]?.remove(old.appointmentID) }
            appointmentIDsByDay[newDay, default: []].insert(new.appointmentID)
        }
        appointments[new.appointmentID] = new
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent) -> ProviderSchedule {
        var next = self
        next.apply(event)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> ProviderSchedule {
        var next = self
        for event in events { next.apply(event) }
        return next
    }

    /// The state of `appointmentID`: not booked when the provider has no such appointment.
    public func appointment(_ appointmentID: EventID) -> AppointmentState {
        appointments[appointmentID] ?? AppointmentState(appointmentID: appointmentID)
    }

    /// The provider's day sheet for one date: the appointments starting that day, by start time.
    public func daySheet(onDaysSince1970 days: Int64) -> [AppointmentState] {
        (appointmentIDsByDay[days] ?? []).compactMap { appointments[$0] }
            .filter { $0.status != .notBooked && Self.day(of: $0.startLocalMinutesSince1970) == days }
            .sorted {
                ($0.startLocalMinutesSince1970, $0.appointmentID) < ($1.startLocalMinutesSince1970, $1.appointmentID)
            }
    }

    /// The availability windows that apply on one date.
    public func availability(onDaysSince1970 days: Int64) -> [ProviderAvailabilityDefined] {
        availability.filter { $0.day.applies(onDaysSince1970: days) }
    }

    /// The appointments other than `excluded` that hold the provider's time and overlap `[start, end)`.
    public func appointmentsHoldingTime(
        fromLocalMinute start: Int64, toLocalMinute end: Int64, excluding excluded: EventID? = nil
    ) -> [AppointmentState] {
        guard end > start else { return [] }
        let longest = Int64(AppointmentLimits.durationMinutesRange.upperBound)
        let days = Self.day(of: start - longest)...Self.day(of: end - 1)
        return days.flatMap { appointmentIDsByDay[$0] ?? [] }.compactMap { appointments[$0] }.filter { state in
            state.appointmentID != excluded && state.status.holdsProviderTime
                && state.startLocalMinutesSince1970 < end && start < state.endLocalMinutesSince1970
        }
    }

    /// The date (days since 1970-01-01) of an office-local minute.
    public static func day(of localMinutesSince1970: Int64) -> Int64 {
        let minutesPerDay = Int64(ProviderAvailabilityDefined.minutesPerDay)
        let quotient = localMinutesSince1970 / minutesPerDay
        return localMinutesSince1970 % minutesPerDay < 0 ? quotient - 1 : quotient
    }
}
