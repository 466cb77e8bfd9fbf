import ClinicEvents
import RecordLog

/// What an account's responsibilities owe over its charges not voided, and what its payments leave unapplied: the
/// sums behind `LedgerEntry.Balances`.
///
/// The ledger keeps them per account and updates them by what one event changed (the charges and payments it
/// touches), so an entry's balances cost the same for an account's thousandth posting as for its first, instead of a
/// sum over every charge and payment of the account.
struct AccountTotals: Hashable, Sendable {
    /// What the patient owes.
    var patientCents: Int64 = 0
    /// What the primary insurance owes.
    var primaryCents: Int64 = 0
    /// What the secondary insurance owes.
    var secondaryCents: Int64 = 0
    /// What the tertiary insurance owes.
    var tertiaryCents: Int64 = 0
    /// The payments' money neither applied nor refunded.
    var unappliedCents: Int64 = 0

    /// Zero totals: an empty account's.
    init() {}

    /// The totals of `account`, summed over every charge and payment.
    init(_ account: PatientAccount) {
        for charge in account.charges.values { add(charge) }
        for payment in account.payments.values { add(payment) }
    }

    /// Adds what `charge` counts for (nothing when absent or voided).
    mutating func add(_ charge: PatientAccount.Charge?) {
        guard let charge, !charge.isVoided else { return }
        // The owed map is read entry by entry: no hashing of a responsibility per level.
        for (responsibility, cents) in charge.owedCents { add(cents, owedBy: responsibility) }
    }

    /// Takes away what `charge` counts for (nothing when absent or voided).
    mutating func remove(_ charge: PatientAccount.Charge?) {
        guard let charge, !charge.isVoided else { return }
        for (responsibility, cents) in charge.owedCents { add(0 - cents, owedBy: responsibility) }
    }

    /// Adds `cents` to what `responsibility` owes; levels outside 1 to 3 count for none of the totals.
    private mutating func add(_ cents: Int64, owedBy responsibility: Responsibility) {
        switch responsibility {
        case .patient: patientCents += cents
        case .insurance(level: 1): primaryCents += cents
        case .insurance(level: 2): secondaryCents += cents
        case .insurance(level: 3): tertiaryCents += cents
        case .insurance: break
        }
    }

    /// Adds what `payment` leaves unapplied (nothing when absent).
    mutating func add(_ payment: PatientAccount.Payment?) {
        guard let payment else { return }
        unappliedCents += payment.unappliedCents
    }

    /// Takes away what `payment` leaves unapplied (nothing when absent).
    mutating func remove(_ payment: PatientAccount.Payment?) {
        guard let payment else { return }
        unappliedCents -= payment.unappliedCents
    }

    /// The charges and payments of `account` that folding `event` into it can change, as `PatientAccount.apply` folds
    /// it: the charge and payment the event names and, for a payment void, every charge its applications settled
    /// (each id once). Every other charge and payment stays as it is.
    static func touchedIDs(
        of event: ClinicEvent, in account: PatientAccount
    ) -> (charges: [EventID], payments: [EventID]) {
        switch event {
        case .chargePosted(let posted): ([posted.chargeID], [])
        case .paymentPosted(let posted): ([], [posted.paymentID])
        case .paymentApplied(let applied): ([applied.chargeID], [applied.paymentID])
        case .adjustmentPosted(let adjustment): ([adjustment.chargeID], [])
        case .refundIssued(let refund): ([], [refund.paymentID])
        case .responsibilityTransferred(let transfer): ([transfer.chargeID], [])
        case .chargeVoided(let void): ([void.originalID], [])
        case .paymentVoided(let void):
            (Self.distinctChargeIDs(of: account.payments[void.originalID]), [void.originalID])
        default: ([], [])
        }
    }

    /// The charges a payment's applications settled, each once, in the order first applied.
    static func distinctChargeIDs(of payment: PatientAccount.Payment?) -> [EventID] {
        guard let payment else { return [] }
        var seen: Set<EventID> = []
        return payment.applications.map(\.chargeID).filter { seen.insert($0).inserted }
    }
}
