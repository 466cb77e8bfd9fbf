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

/// What aging needs of one account, whatever the day the ages are counted to: each charge's date of service and what
/// each responsibility still owes on it, and the account's credit and balance. The ledger's `index.aging` checkpoint
/// part holds these for every account (docs/projections.md section 6.4), so aging reads that part, not every account.
struct AgingInput: Equatable, Sendable {
    /// What one charge still owes.
    struct Charge: Equatable, Sendable {
        /// The charge's date of service, in days since 1970.
        let serviceDaysSince1970: Int64
        /// What the patient owes on it.
        let patientCents: Int64
        /// What each insurance level owes on it (levels with nothing owed left out), with its payer key.
        let insurance: [Insurance]
    }

    /// What one insurance level owes on a charge.
    struct Insurance: Equatable, Sendable {
        let cents: Int64
        let payerKey: String
    }

    let patientID: EventID
    /// The charges not voided that still owe something, in charge id order.
    let charges: [Charge]
    let unappliedCents: Int64
    let balanceCents: Int64

    func encode(into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeVarInt(unappliedCents)
        encoder.writeVarInt(balanceCents)
        encoder.writeArray(charges) { encoder, charge in
            encoder.writeVarInt(charge.serviceDaysSince1970)
            encoder.writeVarInt(charge.patientCents)
            encoder.writeArray(charge.insurance) { encoder, owed in
                encoder.writeVarInt(owed.cents)
                encoder.writeString(owed.payerKey)
            }
        }
    }

    static func decode(from decoder: inout BinaryDecoder) throws -> AgingInput {
        let patientID = try decoder.readEventID(field: "aging.patientID")
        let unapplied = try decoder.readVarInt(field: "aging.unapplied")
        let balance = try decoder.readVarInt(field: "aging.balance")
        let charges = try decoder.readArray(field: "aging.charges", countMax: 1 << 24) { decoder in
            Charge(
                serviceDaysSince1970: try decoder.readVarInt(field: "aging.serviceDay"),
                patientCents: try decoder.readVarInt(field: "aging.patient"),
                insurance: try decoder.readArray(field: "aging.insurance", countMax: 3) { decoder in
                    Insurance(
                        cents: try decoder.readVarInt(field: "aging.insurance"),
                        payerKey: try decoder.readViewString(field: "aging.payer"))
                })
        }
        return AgingInput(patientID: patientID, charges: charges, unappliedCents: unapplied, balanceCents: balance)
    }
}

extension LedgerView {
    /// The key of the derived part holding every account's aging input: `index.aging`.
    public static let agingIndexKey = "index.aging"

    /// Accounts receivable by age as of `day`: every charge not voided, what each responsibility still owes on it,
    /// aged from its date of service. Balances are the ledger's current ones; for the receivables as they stood on a
    /// past day, take this report of the ledger replayed as of that effective day.
    public func aging(asOfDay day: Int64) -> AgingReport {
        Self.agingReport(agingInputs(), asOfDay: day, erased: erasedPatientIDs)
    }

    /// The aging input of every account that has a charge still owing something or a credit, in patient id order.
    func agingInputs() -> [AgingInput] {
        accounts.keys.sorted().compactMap { patientID in
            guard let ledger = accounts[patientID] else { return nil }
            var charges: [AgingInput.Charge] = []
            for chargeID in ledger.account.charges.keys.sorted() {
                guard let charge = ledger.account.charges[chargeID], !charge.isVoided,
                    let detail = ledger.charges[chargeID]
                else { continue }
                var insurance: [AgingInput.Insurance] = []
                for level in Responsibility.insuranceLevels {
                    let owed = charge.owedCents(by: .insurance(level: level))
                    guard owed != 0 else { continue }
                    insurance.append(
                        AgingInput.Insurance(
                            cents: owed, payerKey: detail.payerByLevel[level] ?? Self.unassignedPayerKey))
                }
                let patient = charge.owedCents(by: .patient)
                guard patient != 0 || !insurance.isEmpty else { continue }
                charges.append(
                    AgingInput.Charge(
                        serviceDaysSince1970: detail.serviceDaysSince1970, patientCents: patient, insurance: insurance))
            }
            let credit = ledger.account.unappliedCents
            guard !charges.isEmpty || credit != 0 else { return nil }
            return AgingInput(
                patientID: patientID, charges: charges, unappliedCents: credit,
                balanceCents: ledger.account.balanceCents)
        }
    }

    /// The `index.aging` part: every account's aging input, in patient id order.
    func encodeAgingIndex() -> [UInt8] {
        var encoder = BinaryEncoder(capacityBytes: 4096)
        encoder.writeArray(agingInputs()) { encoder, input in input.encode(into: &encoder) }
        return encoder.bytes
    }

    /// The aging inputs an `index.aging` part holds, by patient id.
    static func agingInputs(inIndexPart bytes: [UInt8]) throws -> [EventID: AgingInput] {
        let inputs = try ViewParts.decode(bytes) { decoder in
            try decoder.readArray(field: "aging", countMax: 1 << 26) { try AgingInput.decode(from: &$0) }
        }
        return Dictionary(inputs.map { ($0.patientID, $0) }) { first, _ in first }
    }

    /// The aging report of `inputs` (in patient id order) as of `day`; `erased` marks erased patients' rows.
    static func agingReport(
        _ inputs: some Sequence<AgingInput>, asOfDay day: Int64, erased: Set<EventID>
    ) -> AgingReport {
        var rows: [AccountAging] = []
        var patientTotal = AgingBuckets()
        var insuranceTotal = AgingBuckets()
        var byPayer: [String: AgingBuckets] = [:]
        var unapplied: Int64 = 0
        for input in inputs {
            var patient = AgingBuckets()
            var insurance = AgingBuckets()
            for charge in input.charges {
                let age = day - charge.serviceDaysSince1970
                patient.add(charge.patientCents, ageDays: age)
                for owed in charge.insurance {
                    insurance.add(owed.cents, ageDays: age)
                    byPayer[owed.payerKey, default: AgingBuckets()].add(owed.cents, ageDays: age)
                }
            }
            let credit = input.unappliedCents
            guard patient.totalCents != 0 || insurance.totalCents != 0 || credit != 0 else { continue }
            rows.append(
                AccountAging(
                    patientID: input.patientID, patient: patient, insurance: insurance, unappliedCents: credit,
                    balanceCents: input.balanceCents, isErased: erased.contains(input.patientID)))
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
