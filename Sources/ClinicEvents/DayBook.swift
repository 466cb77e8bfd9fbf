import RecordLog

/// The office's closed days: a pure fold over the day book stream of `DayClosed` events.
///
/// Billing decisions consult it so that nothing is posted on a closed day; its version is stated in every decision.
public struct DayBook: Equatable, Sendable {
    /// The name of the office's day book stream.
    public static let streamName = "daybook"

    /// The closed days and their totals, by day since 1970-01-01.
    public private(set) var closedDays: [Int64: DayTotals] = [:]
    /// The version of the day book stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0

    /// The day book with no day closed.
    public init() {}

    /// Whether the day `daysSince1970` is closed.
    public func isClosed(daysSince1970 day: Int64) -> Bool { closedDays[day] != nil }

    /// The state after one more event of the day book stream; every event counts towards `streamVersion`.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        if case .dayClosed(let closed) = event, closedDays[closed.dateDaysSince1970] == nil {
            closedDays[closed.dateDaysSince1970] = closed.totals
        }
        return
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent) -> DayBook {
        var next = self
        next.apply(event)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> DayBook {
        var next = self
        for event in events { next.apply(event) }
        return next
    }

    /// The staff roles that may close a day.
    public static let closingRoles: Set<StaffRole> = [.biller, .officeManager]

    /// Decides closing the day `daysSince1970` with `totals`, by `role`: the `DayClosed` event, or the rule it breaks.
    public func decideClosing(
        daysSince1970 day: Int64, totals: DayTotals, by role: StaffRole
    ) throws(BillingRefusal) -> BillingDecision {
        guard Self.closingRoles.contains(role) else { throw .roleNotPermitted(command: "closeDay", role: role) }
        guard !isClosed(daysSince1970: day) else { throw .dayAlreadyClosed }
        return BillingDecision(
            stream: Self.streamName, decidedOnStreamVersion: streamVersion, decidedOnDayBookVersion: streamVersion,
            events: [.dayClosed(DayClosed(dateDaysSince1970: day, totals: totals))])
    }
}
