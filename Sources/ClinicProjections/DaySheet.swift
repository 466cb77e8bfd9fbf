import ClinicEvents
import RecordLog

/// The daily ledger (day sheet) of one office day: opening balance, the day's postings and figures for the office, by
/// provider and by staff member, and the closing balance, with the day-close totals when the day is closed.
///
/// It reconciles to the cent: `opening + (charges − chargeVoids) − (payments − paymentVoids) − adjustments + refunds =
/// closing`, for the office and for every provider and staff member, and the groups add up to the office's figures.
public struct DaySheet: Equatable, Sendable {
    /// One group of the sheet: a provider or a staff member, with its own opening and closing.
    public struct Group: Equatable, Sendable {
        /// The provider or staff id; `""` for postings with no provider (payments, refunds, unattributed charges).
        public let key: String
        /// What the group's postings before this day left owing.
        public let openingBalanceCents: Int64
        /// The group's figures for the day.
        public let figures: DayFigures

        /// `opening + net change`.
        public var closingBalanceCents: Int64 { openingBalanceCents + figures.netChangeCents }
    }

    /// One posting counted on the day.
    public struct Line: Equatable, Sendable {
        /// The patient's opaque id.
        public let patientID: EventID
        /// The posting.
        public let entry: LedgerEntry
        /// The provider of the posting's charge, when known.
        public let providerStaffID: StaffID?
    }

    /// The day, in days since 1970-01-01 (office-local).
    public let daysSince1970: Int64
    /// What was owed at the start of the day (every posting of earlier days).
    public let openingBalanceCents: Int64
    /// The office's figures for the day.
    public let office: DayFigures
    /// The figures by provider, by key.
    public let byProvider: [Group]
    /// The figures by the staff member who posted, by key.
    public let byStaff: [Group]
    /// Every posting counted on the day, in log order.
    public let lines: [Line]
    /// The totals recorded when the day was closed; nil while it is open.
    public let closedTotals: DayTotals?

    /// What is owed at the end of the day.
    public var closingBalanceCents: Int64 { openingBalanceCents + office.netChangeCents }

    /// Whether the day is closed.
    public var isClosed: Bool { closedTotals != nil }

    /// Whether the day's figures are exactly the closed totals (nil while the day is open).
    public var matchesClosedTotals: Bool? { closedTotals.map { office.matches($0) } }

    /// Whether the sheet adds up: the groups sum to the office's figures, openings and closings included, and the
    /// payments, refunds and payment voids by method sum to their totals.
    public var reconciles: Bool {
        func sums(_ groups: [Group]) -> Bool {
            var total = DayFigures()
            var opening: Int64 = 0
            for group in groups {
                total.merge(group.figures)
                opening += group.openingBalanceCents
            }
            return total == office && opening == openingBalanceCents
        }
        return sums(byProvider) && sums(byStaff)
            && office.paymentsByMethodCents.reduce(0, +) == office.paymentsCents
            && office.refundsByMethodCents.reduce(0, +) == office.refundsCents
            && office.paymentVoidsByMethodCents.reduce(0, +) == office.paymentVoidsCents
            && openingBalanceCents + office.chargesCents - office.chargeVoidsCents
                - (office.paymentsCents - office.paymentVoidsCents) - office.adjustmentsCents + office.refundsCents
                == closingBalanceCents
    }
}

extension DayFigures {
    /// Adds every figure of `other` to these.
    mutating func merge(_ other: DayFigures) {
        chargesCents += other.chargesCents
        chargeVoidsCents += other.chargeVoidsCents
        patientPaymentsCents += other.patientPaymentsCents
        insurancePaymentsCents += other.insurancePaymentsCents
        paymentVoidsCents += other.paymentVoidsCents
        adjustmentsCents += other.adjustmentsCents
        refundsCents += other.refundsCents
        appliedCents += other.appliedCents
        transfersToInsuranceCents += other.transfersToInsuranceCents
        transfersToPatientCents += other.transfersToPatientCents
        transfersBetweenInsurancesCents += other.transfersBetweenInsurancesCents
        for index in 0..<5 {
            paymentsByMethodCents[index] += other.paymentsByMethodCents[index]
            refundsByMethodCents[index] += other.refundsByMethodCents[index]
            paymentVoidsByMethodCents[index] += other.paymentVoidsByMethodCents[index]
        }
        postingCount += other.postingCount
    }
}

/// Why a day cannot be closed with the ledger's totals.
public enum DayCloseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A day total is negative (more voided than posted that day), which a `DayClosed` cannot record.
    case negativeTotal
    /// A day total is above ``MoneyCents/magnitudeCentsMax``, which a `DayClosed` cannot record.
    case totalAboveLimit
    /// The day book refused the closing.
    case refused(BillingRefusal)

    /// One sentence naming the rule and what to do.
    public var description: String {
        switch self {
        case .negativeTotal:
            "A total of the day is negative; correct the day's postings before closing it."
        case .totalAboveLimit:
            "A total of the day is above the largest amount an event records; correct the day's postings before closing it."
        case .refused(let refusal): refusal.message
        }
    }
}

/// The running balances the day sheets of consecutive days start from: the office's and each group's (a group that
/// ever had a posting has a balance, zero or not).
struct OpeningBalances: Equatable, Sendable {
    var office: Int64 = 0
    var byProvider: [String: Int64] = [:]
    var byStaff: [String: Int64] = [:]

    mutating func add(_ day: LedgerDay) {
        office += day.office.netChangeCents
        for (key, figures) in day.byProvider { byProvider[key, default: 0] += figures.netChangeCents }
        for (key, figures) in day.byStaff { byStaff[key, default: 0] += figures.netChangeCents }
    }

    /// Adds one posting's net change, counted for `provider` and `staff`.
    mutating func add(_ netChangeCents: Int64, provider: String, staff: String) {
        office += netChangeCents
        byProvider[provider, default: 0] += netChangeCents
        byStaff[staff, default: 0] += netChangeCents
    }

    /// Adds the balances of `other`.
    mutating func merge(_ other: OpeningBalances) {
        office += other.office
        for (key, cents) in other.byProvider { byProvider[key, default: 0] += cents }
        for (key, cents) in other.byStaff { byStaff[key, default: 0] += cents }
    }

    /// Writes the office's balance, then the providers' and the staff members' (maps by key).
    func encode(into encoder: inout BinaryEncoder) {
        encoder.writeVarInt(office)
        for split in [byProvider, byStaff] {
            encoder.writeSorted(split) { encoder, key, cents in
                encoder.writeString(key)
                encoder.writeVarInt(cents)
            }
        }
    }

    /// Reads balances written by `encode(into:)`.
    static func decode(from decoder: inout BinaryDecoder) throws -> OpeningBalances {
        var balances = OpeningBalances()
        balances.office = try decoder.readVarInt(field: "nets")
        var splits: [[String: Int64]] = []
        for _ in 0..<2 {
            splits.append(
                try decoder.readSortedMap(field: "nets") { decoder -> (String, Int64) in
                    (try decoder.readViewString(field: "nets"), try decoder.readVarInt(field: "nets"))
                })
        }
        balances.byProvider = splits[0]
        balances.byStaff = splits[1]
        return balances
    }
}

extension LedgerView {
    /// The balances owed at the start of `day`: every posting counted on an earlier day, from the net changes of the
    /// earlier periods and of the earlier days of `day`'s period.
    func openingBalances(ofDay day: Int64) -> OpeningBalances {
        let period = Self.period(ofDay: day)
        var balances = OpeningBalances()
        for (earlier, nets) in periodNets where earlier < period { balances.merge(nets) }
        for (earlier, nets) in dayNets where earlier < day && Self.period(ofDay: earlier) == period {
            balances.merge(nets)
        }
        return balances
    }

    /// The day sheet of `day`.
    public func daySheet(daysSince1970 day: Int64) -> DaySheet {
        daySheet(daysSince1970: day, opening: openingBalances(ofDay: day))
    }

    func daySheet(daysSince1970 day: Int64, opening: OpeningBalances) -> DaySheet {
        let ledgerDay = days[day] ?? LedgerDay()
        func groups(_ figures: [String: DayFigures], _ openings: [String: Int64]) -> [DaySheet.Group] {
            Set(figures.keys).union(openings.keys).sorted().map { key in
                DaySheet.Group(
                    key: key, openingBalanceCents: openings[key] ?? 0, figures: figures[key] ?? DayFigures())
            }
        }
        let lines = detachedLines.map { $0[day] ?? [] } ?? self.lines(of: ledgerDay)
        return DaySheet(
            daysSince1970: day, openingBalanceCents: opening.office, office: ledgerDay.office,
            byProvider: groups(ledgerDay.byProvider, opening.byProvider),
            byStaff: groups(ledgerDay.byStaff, opening.byStaff),
            lines: lines, closedTotals: dayBook.closedDays[day])
    }

    /// The lines of a day's postings, read from the accounts.
    func lines(of ledgerDay: LedgerDay) -> [DaySheet.Line] {
        ledgerDay.postings.compactMap { posting -> DaySheet.Line? in
            guard let account = accounts[posting.patientID], posting.entryIndex < account.entries.count else {
                return nil
            }
            let entry = account.entries[posting.entryIndex]
            let provider = entry.kind.chargeID.flatMap { account.charges[$0]?.providerStaffID }
            return DaySheet.Line(patientID: posting.patientID, entry: entry, providerStaffID: provider)
        }
    }

    /// The day sheets of `firstDay` through `lastDay` (a month-end run), reporting each day done to `progress`
    /// (days done, days in all).
    public func daySheets(
        fromDay firstDay: Int64, throughDay lastDay: Int64, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> [DaySheet] {
        guard firstDay <= lastDay else { return [] }
        var opening = openingBalances(ofDay: firstDay)
        let total = Int(lastDay - firstDay + 1)
        var sheets: [DaySheet] = []
        sheets.reserveCapacity(total)
        for day in firstDay...lastDay {
            sheets.append(daySheet(daysSince1970: day, opening: opening))
            if let ledgerDay = days[day] { opening.add(ledgerDay) }
            progress?(sheets.count, total)
        }
        return sheets
    }

    /// The totals a `DayClosed` for `day` records: the day's charges, payments, adjustments, refunds, charge voids
    /// and payment voids as the ledger counts them (the same figures the day sheet shows).
    public func closingTotals(forDay day: Int64) throws(DayCloseError) -> DayTotals {
        try (days[day]?.office ?? DayFigures()).dayTotals()
    }

    /// Decides closing `day` by `role` with the ledger's totals: the `DayClosed` event for the day book stream,
    /// decided on the day book version this ledger has folded.
    public func decideClosing(daysSince1970 day: Int64, by role: StaffRole) throws(DayCloseError) -> BillingDecision {
        let totals = try closingTotals(forDay: day)
        do { return try dayBook.decideClosing(daysSince1970: day, totals: totals, by: role) } catch {
            throw .refused(error)
        }
    }
}
