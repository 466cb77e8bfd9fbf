import ClinicEvents
import RecordLog

/// The money that moved on one office day (for the office, one provider or one staff member), in cents.
///
/// The day's change of what is owed is `charges − chargeVoids − (payments − paymentVoids) − adjustments + refunds`;
/// applications and transfers move money between charges and responsibilities and change no balance.
public struct DayFigures: Hashable, Sendable {
    /// Charges posted.
    public internal(set) var chargesCents: Int64 = 0
    /// Charges voided (their whole amounts).
    public internal(set) var chargeVoidsCents: Int64 = 0
    /// Payments received from patients.
    public internal(set) var patientPaymentsCents: Int64 = 0
    /// Payments received from insurance payers.
    public internal(set) var insurancePaymentsCents: Int64 = 0
    /// Payments voided (their whole amounts).
    public internal(set) var paymentVoidsCents: Int64 = 0
    /// Adjustments posted.
    public internal(set) var adjustmentsCents: Int64 = 0
    /// Refunds issued.
    public internal(set) var refundsCents: Int64 = 0
    /// Payments applied to charges (no effect on the balance).
    public internal(set) var appliedCents: Int64 = 0
    /// Amounts moved from the patient to an insurance level (no effect on the balance).
    public internal(set) var transfersToInsuranceCents: Int64 = 0
    /// Amounts moved from an insurance level to the patient (no effect on the balance).
    public internal(set) var transfersToPatientCents: Int64 = 0
    /// Amounts moved between insurance levels (no effect on the balance).
    public internal(set) var transfersBetweenInsurancesCents: Int64 = 0
    /// Payments received, by method code (1 cash, 2 card, 3 check, 4 EFT, 5 other).
    public internal(set) var paymentsByMethodCents: [Int64] = Array(repeating: 0, count: 5)
    /// Refunds issued, by method code.
    public internal(set) var refundsByMethodCents: [Int64] = Array(repeating: 0, count: 5)
    /// Payments voided, by the method of the voided payment.
    public internal(set) var paymentVoidsByMethodCents: [Int64] = Array(repeating: 0, count: 5)
    /// The number of postings counted.
    public internal(set) var postingCount: Int64 = 0

    /// All figures zero.
    public init() {}

    /// Payments received from anyone.
    public var paymentsCents: Int64 { patientPaymentsCents + insurancePaymentsCents }

    /// How much what is owed changed: charges − charge voids − (payments − payment voids) − adjustments + refunds.
    public var netChangeCents: Int64 {
        chargesCents - chargeVoidsCents - (paymentsCents - paymentVoidsCents) - adjustmentsCents + refundsCents
    }

    /// Counts one posting.
    mutating func add(_ kind: LedgerEntry.Kind) {
        postingCount += 1
        switch kind {
        case .charge(_, _, _, _, let cents): chargesCents += cents
        case .chargeVoid(_, let cents): chargeVoidsCents += cents
        case .payment(_, let payer, let method, let cents):
            if case .patient = payer { patientPaymentsCents += cents } else { insurancePaymentsCents += cents }
            paymentsByMethodCents[Int(method.rawValue) - 1] += cents
        case .paymentVoid(_, _, let method, let cents):
            paymentVoidsCents += cents
            paymentVoidsByMethodCents[Int(method.rawValue) - 1] += cents
        case .adjustment(_, _, _, let cents, _): adjustmentsCents += cents
        case .refund(_, let method, let cents):
            refundsCents += cents
            refundsByMethodCents[Int(method.rawValue) - 1] += cents
        case .application(_, _, _, let cents, _): appliedCents += cents
        case .transfer(_, let from, let to, let cents):
            switch (from, to) {
            case (.patient, _): transfersToInsuranceCents += cents
            case (_, .patient): transfersToPatientCents += cents
            default: transfersBetweenInsurancesCents += cents
            }
        }
    }

    /// The totals a `DayClosed` records for these figures.
    public func dayTotals() throws(DayCloseError) -> DayTotals {
        func money(_ cents: Int64) throws(DayCloseError) -> MoneyCents {
            do { return try MoneyCents(cents: cents) } catch { throw .totalAboveLimit }
        }
        let charges = try money(chargesCents)
        let payments = try money(paymentsCents)
        let adjustments = try money(adjustmentsCents)
        let refunds = try money(refundsCents)
        let chargeVoids = try money(chargeVoidsCents)
        let paymentVoids = try money(paymentVoidsCents)
        do {
            return try DayTotals(
                charges: charges, payments: payments, adjustments: adjustments, refunds: refunds,
                chargeVoids: chargeVoids, paymentVoids: paymentVoids)
        } catch {
            throw .negativeTotal
        }
    }

    /// Whether these figures have exactly the totals `totals` records.
    public func matches(_ totals: DayTotals) -> Bool {
        chargesCents == totals.charges.cents && paymentsCents == totals.payments.cents
            && adjustmentsCents == totals.adjustments.cents && refundsCents == totals.refunds.cents
            && chargeVoidsCents == totals.chargeVoids.cents && paymentVoidsCents == totals.paymentVoids.cents
    }

    func encode(into encoder: inout BinaryEncoder) {
        for value in [
            chargesCents, chargeVoidsCents, patientPaymentsCents, insurancePaymentsCents, paymentVoidsCents,
            adjustmentsCents, refundsCents, appliedCents, transfersToInsuranceCents, transfersToPatientCents,
            transfersBetweenInsurancesCents,
        ] {
            encoder.writeVarInt(value)
        }
        for list in [paymentsByMethodCents, refundsByMethodCents, paymentVoidsByMethodCents] {
            for value in list { encoder.writeVarInt(value) }
        }
        encoder.writeVarInt(postingCount)
    }

    static func decode(from decoder: inout BinaryDecoder) throws -> DayFigures {
        let field = "dayFigures"
        var figures = DayFigures()
        figures.chargesCents = try decoder.readVarInt(field: field)
        figures.chargeVoidsCents = try decoder.readVarInt(field: field)
        figures.patientPaymentsCents = try decoder.readVarInt(field: field)
        figures.insurancePaymentsCents = try decoder.readVarInt(field: field)
        figures.paymentVoidsCents = try decoder.readVarInt(field: field)
        figures.adjustmentsCents = try decoder.readVarInt(field: field)
        figures.refundsCents = try decoder.readVarInt(field: field)
        figures.appliedCents = try decoder.readVarInt(field: field)
        figures.transfersToInsuranceCents = try decoder.readVarInt(field: field)
        figures.transfersToPatientCents = try decoder.readVarInt(field: field)
        figures.transfersBetweenInsurancesCents = try decoder.readVarInt(field: field)
        for index in 0..<5 { figures.paymentsByMethodCents[index] = try decoder.readVarInt(field: field) }
        for index in 0..<5 { figures.refundsByMethodCents[index] = try decoder.readVarInt(field: field) }
        for index in 0..<5 { figures.paymentVoidsByMethodCents[index] = try decoder.readVarInt(field: field) }
        figures.postingCount = try decoder.readVarInt(field: field)
        return figures
    }
}

/// One office day of the ledger: the office's figures, the same split by provider and by staff member, and the
/// postings that count on it.
public struct LedgerDay: Equatable, Sendable {
    /// A posting counted on the day: the patient's account and the entry's index in it.
    public struct PostingReference: Hashable, Sendable {
        /// The patient whose account holds the entry.
        public let patientID: EventID
        /// The entry's index in `AccountLedger.entries`.
        public let entryIndex: Int
    }

    /// The office's figures.
    public internal(set) var office = DayFigures()
    /// The figures by provider staff id; `""` holds payments, refunds, payment voids and charges whose encounter
    /// has no known provider.
    public internal(set) var byProvider: [String: DayFigures] = [:]
    /// The figures by the staff member who posted.
    public internal(set) var byStaff: [String: DayFigures] = [:]
    /// The postings counted on the day, in log order.
    public internal(set) var postings: [PostingReference] = []
}
