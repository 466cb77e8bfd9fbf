import ClinicEvents
import RecordLog

/// Amounts owed split by age: 0-30, 31-60, 61-90, 91-120 and over 120 days since the date of service.
public struct AgingBuckets: Hashable, Sendable {
    /// The bucket labels, in order.
    public static let labels = ["0-30", "31-60", "61-90", "91-120", "over 120"]

    /// The cents in each bucket, in label order.
    public internal(set) var cents: [Int64] = Array(repeating: 0, count: 5)

    /// No amounts.
    public init() {}

    /// The sum of the buckets.
    public var totalCents: Int64 { cents.reduce(0, +) }

    /// The bucket of an amount `ageDays` old (a charge dated after the report's day counts as 0 days old).
    static func bucket(ofAgeDays ageDays: Int64) -> Int {
        switch ageDays {
        case ...30: 0
        case 31...60: 1
        case 61...90: 2
        case 91...120: 3
        default: 4
        }
    }

    mutating func add(_ amount: Int64, ageDays: Int64) { cents[Self.bucket(ofAgeDays: ageDays)] += amount }

    mutating func merge(_ other: AgingBuckets) { for index in 0..<5 { cents[index] += other.cents[index] } }
}

/// One account's aging.
public struct AccountAging: Equatable, Sendable {
    /// The patient's opaque id.
    public let patientID: EventID
    /// What the patient owes, by age.
    public let patient: AgingBuckets
    /// What insurance owes, by age.
    public let insurance: AgingBuckets
    /// Money received and not applied or refunded (a credit, not aged).
    public let unappliedCents: Int64
    /// The account's balance: patient + insurance − unapplied.
    public let balanceCents: Int64
    /// Whether the patient was erased (the figures stay for the books).
    public let isErased: Bool
}

/// Accounts receivable by age as of a day.
public struct AgingReport: Equatable, Sendable {
    /// The day the ages are counted to.
    public let asOfDaysSince1970: Int64
    /// Every account with a balance or credit, by patient id.
    public let accounts: [AccountAging]
    /// What patients owe, by age.
    public let patientTotal: AgingBuckets
    /// What insurance owes, by age.
    public let insuranceTotal: AgingBuckets
    /// What each payer owes, by age, by payer key (`LedgerView.unassignedPayerKey` for amounts with no known payer).
    public let byPayer: [String: AgingBuckets]
    /// Unapplied money over all accounts.
    public let unappliedCents: Int64
    /// The sum of all balances: patient + insurance − unapplied.
    public var balanceCents: Int64 { patientTotal.totalCents + insuranceTotal.totalCents - unappliedCents }
}

extension LedgerView {
    /// Accounts receivable by age as of `day`: every charge not voided, what each responsibility still owes on it,
    /// aged from its date of service. Balances are the ledger's current ones; for the receivables as they stood on a
    /// past day, take this report of the ledger replayed as of that effective day.
    public func aging(asOfDay day: Int64) -> AgingReport {
        var rows: [AccountAging] = []
        var patientTotal = AgingBuckets()
        var insuranceTotal = AgingBuckets()
        var byPayer: [String: AgingBuckets] = [:]
        var unapplied: Int64 = 0
        for patientID in accounts.keys.sorted() {
            guard let ledger = accounts[patientID] else { continue }
            var patient = AgingBuckets()
            var insurance = AgingBuckets()
            for (chargeID, charge) in ledger.account.charges where !charge.isVoided {
                guard let detail = ledger.charges[chargeID] else { continue }
                let age = day - detail.serviceDaysSince1970
                patient.add(charge.owedCents(by: .patient), ageDays: age)
                for level in Responsibility.insuranceLevels {
                    let owed = charge.owedCents(by: .insurance(level: level))
                    guard owed != 0 else { continue }
                    insurance.add(owed, ageDays: age)
                    byPayer[detail.payerByLevel[level] ?? Self.unassignedPayerKey, default: AgingBuckets()]
                        .add(owed, ageDays: age)
                }
            }
            let credit = ledger.account.unappliedCents
            guard patient.totalCents != 0 || insurance.totalCents != 0 || credit != 0 else { continue }
            rows.append(
                AccountAging(
                    patientID: patientID, patient: patient, insurance: insurance, unappliedCents: credit,
                    balanceCents: ledger.account.balanceCents, isErased: erasedPatientIDs.contains(patientID)))
            patientTotal.merge(patient)
            insuranceTotal.merge(insurance)
            unapplied += credit
        }
        return AgingReport(
            asOfDaysSince1970: day, accounts: rows, patientTotal: patientTotal, insuranceTotal: insuranceTotal,
            byPayer: byPayer, unappliedCents: unapplied)
    }

    /// The balance of the whole office: the sum of every account's balance.
    public var officeBalanceCents: Int64 { accounts.values.reduce(0) { $0 + $1.account.balanceCents } }
}
