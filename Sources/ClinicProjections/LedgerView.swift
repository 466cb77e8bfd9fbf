import ClinicEvents
import RecordLog

/// The ledger: every patient account's postings with running balances split by responsibility, every insurance
/// payer's postings, and the office's days (the day sheet figures by provider and staff member).
///
/// An account is folded by `PatientAccount` from the patient's account stream; closed days by `DayBook` from the day
/// book stream. A posting dated on a day that was already closed when it was folded counts on the first open day
/// from the day it was recorded, so a closed day's figures never change. The ledger holds amounts, codes and opaque
/// ids only, never patient data: it works the same with patient data withheld, and a `PatientErased` only marks the
/// account erased (its figures stay, so every day sheet and aging total still adds up).
public struct LedgerView: Projection {
    /// `ledger`.
    public static let viewName = "ledger"
    /// The checkpoint's state encoding: 7, the ledger cut into parts by day, account group (4,096 groups),
    /// encounter group and log position of the payers' entries (`stateParts()`), with the calendar's every offset
    /// period in its core, every account's aging input in `index.aging` and every charge's and payment's patient in
    /// `index.charges.<x>` and `index.payments.<x>`; 6 had no charge and payment index, 5 no aging index, 4 had 256
    /// account groups, 3 the payers in one part, 2 a fixed offset in the core, 1 was one part.
    public static let stateFormatVersion: UInt32 = 7
    /// The ledger folds the day book: a posting dated on a closed day goes to the open day.
    public static let foldsDayBook = true
    /// The payer key used for insurance amounts whose payer is not known (no coverage of that order on the day).
    public static let unassignedPayerKey = ""

    /// What the ledger keeps about a charge besides the account fold.
    public struct ChargeDetail: Hashable, Sendable {
        /// The office day of the charge's effective time (the date of service), for aging.
        public let serviceDaysSince1970: Int64
        /// The provider of the charge's encounter, when the encounter's check-in was folded.
        public let providerStaffID: StaffID?
        /// The payer (key) owing each insurance level's part, fixed the first time an amount reached that level.
        public internal(set) var payerByLevel: [UInt8: String] = [:]
    }

    /// One patient's account in the ledger.
    public struct AccountLedger: Equatable, Sendable {
        /// The account fold.
        public private(set) var account: PatientAccount
        /// Every posting that changed the account, in log order.
        public internal(set) var entries: [LedgerEntry] = []
        /// The ledger's details of each charge, by charge id.
        public internal(set) var charges: [EventID: ChargeDetail] = [:]
        /// What `account` owes by responsibility and holds unapplied (derived from it, updated event by event).
        private(set) var totals: AccountTotals

        /// An account's ledger: its fold, entries and charge details.
        init(account: PatientAccount, entries: [LedgerEntry] = [], charges: [EventID: ChargeDetail] = [:]) {
            self.account = account
            self.entries = entries
            self.charges = charges
            totals = AccountTotals(account)
        }

        /// Folds one account event into `account` in place and updates `totals` by what it changed; returns whether
        /// it changed a charge, a payment or the adjustments. `before` holds the charges and payments it touched as
        /// they were.
        mutating func fold(_ event: ClinicEvent) -> (changed: Bool, before: TouchedBefore) {
            let touched = AccountTotals.touchedIDs(of: event, in: account)
            let before = TouchedBefore(
                charges: touched.charges.map { ($0, account.charges[$0]) },
                payments: touched.payments.map { ($0, account.payments[$0]) })
            let adjustmentCount = account.adjustmentIDs.count
            #if DEBUG
            let accountBefore = account
            #endif
            account.apply(event)
            var changed = account.adjustmentIDs.count != adjustmentCount
            for (id, old) in before.charges {
                let new = account.charges[id]
                guard old != new else { continue }
                changed = true
                totals.remove(old)
                totals.add(new)
            }
            for (id, old) in before.payments {
                let new = account.payments[id]
                guard old != new else { continue }
                changed = true
                totals.remove(old)
                totals.add(new)
            }
            #if DEBUG
            // Debug builds (the tests) check the incremental totals against a full sum at every event.
            assert(totals == AccountTotals(account), "the account totals drifted from the account")
            assert(
                changed
                    == (account.charges != accountBefore.charges || account.payments != accountBefore.payments
                        || account.adjustmentIDs != accountBefore.adjustmentIDs),
                "an account event changed a charge or payment it does not name")
            #endif
            return (changed, before)
        }
    }

    /// The charges and payments an account event touched, as they were before it (nil when they did not exist); a
    /// few of each at most, so they are kept in arrays and found by a linear search.
    struct TouchedBefore {
        /// The charges, with their ids.
        let charges: [(id: EventID, charge: PatientAccount.Charge?)]
        /// The payments, with their ids.
        let payments: [(id: EventID, payment: PatientAccount.Payment?)]

        /// The charge `id` as it was before the event (nil when it did not exist or was not touched).
        func charge(_ id: EventID) -> PatientAccount.Charge? {
            charges.first { $0.id == id }?.charge
        }

        /// The payment `id` as it was before the event (nil when it did not exist or was not touched).
        func payment(_ id: EventID) -> PatientAccount.Payment? {
            payments.first { $0.id == id }?.payment
        }
    }

    /// One insurance payer's postings: payments received, and what it owes, in log order.
    public struct PayerLedger: Equatable, Sendable {
        /// One posting that changed what the payer owes or holds.
        public struct Entry: Hashable, Sendable {
            /// The event's log position.
            public let position: UInt64
            /// The day sheet it counts on.
            public let postedDaysSince1970: Int64
            /// The patient whose account holds the posting.
            public let patientID: EventID
            /// The posting's index in the patient's `AccountLedger.entries`.
            public let entryIndex: Int
            /// How much the payer's share of charges changed.
            public let owedChangeCents: Int64
            /// How much the payer's money received and not applied or refunded changed.
            public let unappliedChangeCents: Int64
            /// The payer's share of charges after the posting.
            public let owedCents: Int64
            /// The payer's unapplied money after the posting.
            public let unappliedCents: Int64
        }

        /// Every posting, in log order.
        public internal(set) var entries: [Entry] = []
        /// What the payer owes on charges now.
        public internal(set) var owedCents: Int64 = 0
        /// What the payer paid and is neither applied nor refunded now.
        public internal(set) var unappliedCents: Int64 = 0
    }

    /// A coverage as the ledger needs it: which payer covers which order on which days (no member id).
    struct CoverageLink: Hashable, Sendable {
        let payerKey: String
        let order: UInt8
        let effectiveDaysSince1970: Int64
        var terminationDaysSince1970: Int64?
    }

    /// The calendar that turns times into office days.
    public let calendar: ViewCalendar
    /// The closed days.
    public internal(set) var dayBook = DayBook()
    /// Every account, by patient id.
    public internal(set) var accounts: [EventID: AccountLedger] = [:]
    /// Every insurance payer's ledger, by payer key (the payer's id as written in payments: its UUID text).
    public internal(set) var payers: [String: PayerLedger] = [:]
    /// The names of payers defined, by payer key.
    public internal(set) var payerNames: [String: String] = [:]
    /// The office days with postings, by day.
    public internal(set) var days: [Int64: LedgerDay] = [:]
    /// The patients erased.
    public internal(set) var erasedPatientIDs: Set<EventID> = []
    /// The provider of every encounter checked in, by encounter id.
    var encounterProviders: [EventID: StaffID] = [:]
    /// The coverages of every patient, by patient and coverage id.
    var coverageLinks: [EventID: [EventID: CoverageLink]] = [:]
    /// The net change of what is owed on each day with postings, for the office, by provider and by staff member
    /// (derived from `days`): a day sheet's opening balances need no other day's postings.
    var dayNets: [Int64: OpeningBalances] = [:]
    /// The net changes summed over each period of `netsPeriodDays` days (derived from `days`).
    var periodNets: [Int64: OpeningBalances] = [:]
    /// In a ledger read from some checkpoint parts only: the lines of each day read (copies of the entries, whose
    /// accounts were not read) and of each posting folded since. Nil in a whole ledger, whose lines are read from its
    /// accounts.
    var detachedLines: [Int64: [DaySheet.Line]]?

    /// The empty ledger of an office on `calendar`.
    public init(calendar: ViewCalendar) {
        self.calendar = calendar
    }

    /// Whether folding `stored` can change a ledger: the day book's events, payer definitions and check-ins (in any
    /// stream), erasures, and the events of account and coverage streams. `apply(_:)` leaves the ledger as it is for
    /// every other event, so a fold may skip them (`OfficeViews` hands the second thread only these).
    static func mayChange(with stored: StoredEvent) -> Bool {
        switch stored.event {
        case .payerDefined, .patientCheckedIn, .patientErased: return true
        default: break
        }
        var stream = stored.envelope.stream
        return stream == DayBook.streamName
            || stream.withUTF8 { StreamRouting.hasPrefix(of: [.account, .coverage], $0) }
    }

    /// Folds one more event.
    public mutating func apply(_ stored: StoredEvent) {
        let stream = stored.envelope.stream
        if stream == DayBook.streamName {
            dayBook.apply(stored.event)
            return
        }
        switch stored.event {
        case .payerDefined(let payer):
            payerNames[payer.payerID.description] = payer.name
            return
        case .patientCheckedIn(let checkIn):
            if let provider = StreamRouting.scheduleProvider(stream) {
                encounterProviders[checkIn.encounterID] = provider
            }
            return
        default:
            break
        }
        guard let (kind, patientID) = StreamRouting.patientStream(stream) else { return }
        switch kind {
        case .account: applyAccount(stored, patientID: patientID)
        case .coverage: applyCoverage(stored.event, patientID: patientID)
        case .patient:
            if case .patientErased(let erased) = stored.event, erased.patientID == patientID {
                erasedPatientIDs.insert(patientID)
            }
        case .chart, .consent: break
        }
    }

    private mutating func applyCoverage(_ event: ClinicEvent, patientID: EventID) {
        switch event {
        case .coverageAdded(let added) where added.patientID == patientID:
            guard coverageLinks[patientID]?[added.coverageID] == nil else { return }
            coverageLinks[patientID, default: [:]][added.coverageID] = CoverageLink(
                payerKey: added.payerID.description, order: added.order.rawValue,
                effectiveDaysSince1970: added.effectiveDaysSince1970,
                terminationDaysSince1970: added.terminationDaysSince1970)
        case .coverageEnded(let ended):
            guard coverageLinks[patientID]?[ended.coverageID] != nil else { return }
            coverageLinks[patientID]?[ended.coverageID]?.terminationDaysSince1970 = ended.terminationDaysSince1970
        default:
            break
        }
    }

    /// The payer of insurance `level` for `patientID` on `day`: the coverage of that order in force (lowest coverage
    /// id first), else nil.
    private func coveringPayer(patientID: EventID, level: UInt8, day: Int64) -> String? {
        guard let links = coverageLinks[patientID] else { return nil }
        return links.keys.sorted().lazy.compactMap { links[$0] }.first {
            $0.order == level && $0.effectiveDaysSince1970 <= day && day <= ($0.terminationDaysSince1970 ?? .max)
        }?.payerKey
    }

    /// The day a posting dated `day` counts on: that day while open, else the first open day from `recordedDay`.
    private func postingDay(requested day: Int64, recordedDay: Int64) -> Int64 {
        guard dayBook.isClosed(daysSince1970: day) else { return day }
        var open = recordedDay
        while dayBook.isClosed(daysSince1970: open) { open += 1 }
        return open
    }

    private mutating func applyAccount(_ stored: StoredEvent, patientID: EventID) {
        var ledger =
            accounts.removeValue(forKey: patientID) ?? AccountLedger(account: PatientAccount(patientID: patientID))
        defer { accounts[patientID] = ledger }
        // The posting and the charges it touches are read from the account before the event.
        let posting = Self.posting(of: stored, account: ledger.account, entries: ledger.entries, calendar: calendar)
        let touchedCharges = posting.map { Self.touchedCharges($0.0, account: ledger.account) } ?? []
        let (changed, before) = ledger.fold(stored.event)
        guard changed, let (kind, effectiveDay) = posting else { return }
        assert(
            touchedCharges.allSatisfy { id in before.charges.contains { $0.id == id } },
            "a posting's charges are among those its event touched")
        let after = ledger.account

        let postedDay = postingDay(
            requested: effectiveDay, recordedDay: calendar.day(ofMicroseconds: stored.recordedTimeMicroseconds))
        if case .charge(let chargeID, let encounterID, _, _, _) = kind {
            ledger.charges[chargeID] = ChargeDetail(
                serviceDaysSince1970: effectiveDay, providerStaffID: encounterProviders[encounterID])
        }
        // Fix the payer of an insurance level the first time an amount reaches it.
        for chargeID in touchedCharges {
            guard var detail = ledger.charges[chargeID], let charge = after.charges[chargeID] else { continue }
            for level in Responsibility.insuranceLevels
            where detail.payerByLevel[level] == nil && charge.owedCents(by: .insurance(level: level)) != 0 {
                var payer = coveringPayer(patientID: patientID, level: level, day: detail.serviceDaysSince1970)
                if payer == nil, case .application(let paymentID, _, _, _, _) = kind,
                    case .insurance(let payerID, _) = after.payments[paymentID]?.payer
                {
                    payer = payerID
                }
                detail.payerByLevel[level] = payer ?? Self.unassignedPayerKey
            }
            ledger.charges[chargeID] = detail
        }

        let entry = LedgerEntry(
            position: stored.position, recordedTimeMicroseconds: stored.recordedTimeMicroseconds,
            effectiveDaysSince1970: effectiveDay, postedDaysSince1970: postedDay, staffID: stored.envelope.actorStaffID,
            kind: kind, balances: LedgerEntry.Balances(ledger.totals, balanceCents: after.balanceCents))
        let entryIndex = ledger.entries.count
        ledger.entries.append(entry)

        var day = days.removeValue(forKey: postedDay) ?? LedgerDay()
        day.office.add(kind)
        // A charge's provider never changes once posted, and every posting about a charge comes after it.
        let providerID = kind.chargeID.flatMap { ledger.charges[$0]?.providerStaffID }
        let provider = providerID?.value ?? ""
        let staff = stored.envelope.actorStaffID.value
        day.byProvider[provider, default: DayFigures()].add(kind)
        day.byStaff[staff, default: DayFigures()].add(kind)
        day.postings.append(LedgerDay.PostingReference(patientID: patientID, entryIndex: entryIndex))
        days[postedDay] = day
        let net = Self.netChangeCents(of: kind)
        dayNets[postedDay, default: OpeningBalances()].add(net, provider: provider, staff: staff)
        periodNets[Self.period(ofDay: postedDay), default: OpeningBalances()].add(net, provider: provider, staff: staff)
        if detachedLines != nil {
            detachedLines?[postedDay, default: []].append(
                DaySheet.Line(patientID: patientID, entry: entry, providerStaffID: providerID))
        }

        recordPayerChanges(
            kind, before: before, after: after, details: ledger.charges, touchedCharges: touchedCharges,
            position: stored.position, postedDay: postedDay, patientID: patientID, entryIndex: entryIndex)
    }

    /// Adds `cents` to the entry of `key` in `shares`: a few entries at most, so an array searched linearly.
    private static func add(_ cents: Int64, to key: String, in shares: inout [(key: String, cents: Int64)]) {
        if let index = shares.firstIndex(where: { $0.key == key }) {
            shares[index].cents += cents
        } else {
            shares.append((key, cents))
        }
    }

    /// Adds `sign` times what each payer owes on `charges` (looked up with `charge`) to `shares`, by payer key.
    private static func addPayerShares(
        of charges: [EventID], charge: (EventID) -> PatientAccount.Charge?, details: [EventID: ChargeDetail],
        sign: Int64, to shares: inout [(key: String, cents: Int64)]
    ) {
        for chargeID in charges {
            guard let charge = charge(chargeID), !charge.isVoided, let detail = details[chargeID] else {
                continue
            }
            for level in Responsibility.insuranceLevels {
                let owed = charge.owedCents(by: .insurance(level: level))
                guard owed != 0 else { continue }
                add(sign * owed, to: detail.payerByLevel[level] ?? unassignedPayerKey, in: &shares)
            }
        }
    }

    private mutating func recordPayerChanges(
        _ kind: LedgerEntry.Kind, before: TouchedBefore, after: PatientAccount, details: [EventID: ChargeDetail],
        touchedCharges: [EventID], position: UInt64, postedDay: Int64, patientID: EventID, entryIndex: Int
    ) {
        // Each payer's change: what it owes on the touched charges after, less before; and, for a posting about an
        // insurance payment, the change of the payment's unapplied money (an entry even when zero).
        var owedChanges: [(key: String, cents: Int64)] = []
        Self.addPayerShares(
            of: touchedCharges, charge: { after.charges[$0] }, details: details, sign: 1, to: &owedChanges)
        Self.addPayerShares(
            of: touchedCharges, charge: { before.charge($0) }, details: details, sign: -1, to: &owedChanges)
        var ownPayment: (key: String, cents: Int64)?
        if let paymentID = kind.paymentID, case .insurance(let payerID, _) = after.payments[paymentID]?.payer {
            let old = before.payment(paymentID)?.unappliedCents ?? 0
            ownPayment = (payerID, (after.payments[paymentID]?.unappliedCents ?? 0) - old)
        }
        var payerKeys = owedChanges.map(\.key)
        if let ownPayment, !payerKeys.contains(ownPayment.key) { payerKeys.append(ownPayment.key) }
        for key in payerKeys.sorted() {
            let owedChange = owedChanges.first { $0.key == key }?.cents ?? 0
            let isOwnPayment = ownPayment?.key == key
            let unappliedChange = isOwnPayment ? ownPayment?.cents ?? 0 : 0
            guard owedChange != 0 || unappliedChange != 0 || isOwnPayment else { continue }
            var payer = payers.removeValue(forKey: key) ?? PayerLedger()
            payer.owedCents += owedChange
            payer.unappliedCents += unappliedChange
            payer.entries.append(
                PayerLedger.Entry(
                    position: position, postedDaysSince1970: postedDay, patientID: patientID, entryIndex: entryIndex,
                    owedChangeCents: owedChange, unappliedChangeCents: unappliedChange, owedCents: payer.owedCents,
                    unappliedCents: payer.unappliedCents))
            payers[key] = payer
        }
    }

    /// How much a posting changes what is owed: its `DayFigures.netChangeCents`.
    static func netChangeCents(of kind: LedgerEntry.Kind) -> Int64 {
        switch kind {
        case .charge(_, _, _, _, let cents), .paymentVoid(_, _, _, let cents), .refund(_, _, let cents): cents
        case .chargeVoid(_, let cents), .payment(_, _, _, let cents), .adjustment(_, _, _, let cents, _): -cents
        case .application, .transfer: 0
        }
    }

    /// The charges whose amounts a posting can change.
    private static func touchedCharges(_ kind: LedgerEntry.Kind, account before: PatientAccount) -> [EventID] {
        if case .paymentVoid(let paymentID, _, _, _) = kind {
            return AccountTotals.distinctChargeIDs(of: before.payments[paymentID])
        }
        return kind.chargeID.map { [$0] } ?? []
    }

    /// The posting an account event records and the day it is dated, given the account before it; nil for events
    /// that are not postings.
    static func posting(
        of stored: StoredEvent, account: PatientAccount, entries: [LedgerEntry], calendar: ViewCalendar
    ) -> (LedgerEntry.Kind, Int64)? {
        switch stored.event {
        case .chargePosted(let charge):
            return (
                .charge(
                    chargeID: charge.chargeID, encounterID: charge.encounterID, procedure: charge.procedure,
                    units: charge.units, amountCents: charge.amount.cents),
                calendar.day(ofMicroseconds: stored.envelope.effectiveTimeMicroseconds)
            )
        case .paymentPosted(let payment):
            return (
                .payment(
                    paymentID: payment.paymentID, payer: payment.payer, method: payment.method,
                    amountCents: payment.amount.cents), payment.postingDateDaysSince1970
            )
        case .paymentApplied(let applied):
            guard let payer = account.payments[applied.paymentID]?.payer else { return nil }
            return (
                .application(
                    paymentID: applied.paymentID, chargeID: applied.chargeID, responsibility: payer.responsibility,
                    amountCents: applied.amount.cents, isCredit: applied.isCredit), applied.postingDateDaysSince1970
            )
        case .adjustmentPosted(let adjustment):
            return (
                .adjustment(
                    adjustmentID: adjustment.adjustmentID, chargeID: adjustment.chargeID,
                    responsibility: adjustment.responsibility, amountCents: adjustment.amount.cents,
                    reasonCode: adjustment.reasonCode), adjustment.postingDateDaysSince1970
            )
        case .refundIssued(let refund):
            return (
                .refund(paymentID: refund.paymentID, method: refund.method, amountCents: refund.amount.cents),
                refund.postingDateDaysSince1970
            )
        case .responsibilityTransferred(let transfer):
            return (
                .transfer(
                    chargeID: transfer.chargeID, from: transfer.from, to: transfer.to,
                    amountCents: transfer.amount.cents), transfer.postingDateDaysSince1970
            )
        case .chargeVoided(let void):
            guard let charge = account.charges[void.originalID] else { return nil }
            return (
                .chargeVoid(chargeID: void.originalID, amountCents: charge.amountCents), void.postingDateDaysSince1970
            )
        case .paymentVoided(let void):
            guard let payment = account.payments[void.originalID],
                case .payment(_, _, let method, _) = entries.last(where: {
                    if case .payment(let id, _, _, _) = $0.kind { return id == void.originalID }
                    return false
                })?.kind
            else { return nil }
            return (
                .paymentVoid(
                    paymentID: void.originalID, payer: payment.payer, method: method, amountCents: payment.amountCents),
                void.postingDateDaysSince1970
            )
        default:
            return nil
        }
    }
}
