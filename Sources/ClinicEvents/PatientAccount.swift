import RecordLog

/// One patient's account: charges, payments, adjustments, refunds, transfers and voids, a pure fold over the
/// account stream, and the decision state of every billing command for that patient.
///
/// A charge starts as the patient's responsibility; transfers move it to an insurance level and back. Amounts in the
/// views are integer cents. The balance always reconciles: `balanceCents` equals charges − payments − adjustments +
/// refunds, and equals the sum of what every responsibility owes minus the unapplied credit of payments.
public struct PatientAccount: Equatable, Sendable {
    /// One charge of the account and what each responsibility still owes on it.
    public struct Charge: Equatable, Sendable {
        /// The charge id.
        public let chargeID: EventID
        /// The charged amount.
        public let amountCents: Int64
        /// What each responsibility owes, in cents; missing means zero. Negative only after a recorded credit.
        public internal(set) var owedCents: [Responsibility: Int64]
        /// The payments applied to the charge and not voided, in cents.
        public internal(set) var appliedCents: Int64 = 0
        /// The adjustments posted against the charge, in cents.
        public internal(set) var adjustedCents: Int64 = 0
        /// Whether an application recorded as a credit was made to the charge.
        public internal(set) var hasCredit = false
        /// Whether the charge was voided.
        public internal(set) var isVoided = false

        /// What `responsibility` owes on the charge, in cents.
        public func owedCents(by responsibility: Responsibility) -> Int64 { owedCents[responsibility] ?? 0 }
    }

    /// One application of a payment to a charge, kept so that a payment void can undo it.
    public struct Application: Equatable, Sendable {
        /// The charge applied to.
        public let chargeID: EventID
        /// The responsibility the application settled.
        public let responsibility: Responsibility
        /// The amount applied, in cents.
        public let cents: Int64
    }

    /// One payment of the account and what is left of it.
    public struct Payment: Equatable, Sendable {
        /// The payment id.
        public let paymentID: EventID
        /// Who paid.
        public let payer: Payer
        /// The amount received, in cents.
        public let amountCents: Int64
        /// The applications made from the payment.
        public internal(set) var applications: [Application] = []
        /// The amount refunded, in cents.
        public internal(set) var refundedCents: Int64 = 0
        /// Whether the payment was voided.
        public internal(set) var isVoided = false

        /// The amount applied to charges, in cents.
        public var appliedCents: Int64 { applications.reduce(0) { $0 + $1.cents } }
        /// What is neither applied nor refunded: the credit the payment leaves on the account, in cents.
        public var unappliedCents: Int64 { isVoided ? 0 : amountCents - appliedCents - refundedCents }
    }

    /// The patient.
    public let patientID: EventID
    /// Every charge of the patient, by id.
    public private(set) var charges: [EventID: Charge] = [:]
    /// Every payment of the patient, by id.
    public private(set) var payments: [EventID: Payment] = [:]
    /// The ids of the adjustments posted.
    public private(set) var adjustmentIDs: Set<EventID> = []
    /// Charges posted and not voided, in cents.
    public private(set) var chargesCents: Int64 = 0
    /// Payments received and not voided, in cents.
    public private(set) var paymentsCents: Int64 = 0
    /// Adjustments posted, in cents.
    public private(set) var adjustmentsCents: Int64 = 0
    /// Refunds issued, in cents.
    public private(set) var refundsCents: Int64 = 0
    /// The version of the account stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0

    /// The empty account of `patientID`.
    public init(patientID: EventID) {
        self.patientID = patientID
    }

    /// The name of the stream that holds every billing event of `patientID`.
    public static func streamName(for patientID: EventID) -> String {
        "account-" + patientID.description
    }

    /// The name of this patient's account stream.
    public var streamName: String { Self.streamName(for: patientID) }

    /// What the patient owes overall: charges − payments − adjustments + refunds, in cents (negative for a credit).
    public var balanceCents: Int64 { chargesCents - paymentsCents - adjustmentsCents + refundsCents }

    /// What `responsibility` owes over all charges not voided, in cents.
    public func owedCents(by responsibility: Responsibility) -> Int64 {
        charges.values.filter { !$0.isVoided }.reduce(0) { $0 + $1.owedCents(by: responsibility) }
    }

    /// The money received and neither applied nor refunded, in cents.
    public var unappliedCents: Int64 { payments.values.reduce(0) { $0 + $1.unappliedCents } }

    /// The state after one more event of the account stream; every event counts towards `streamVersion`.
    ///
    /// The fold is total: an event naming an unknown or voided charge or payment changes nothing but the version
    /// (the decisions never produce one).
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        switch event {
        case .chargePosted(let posted) where posted.patientID == patientID && charges[posted.chargeID] == nil:
            charges[posted.chargeID] = Charge(
                chargeID: posted.chargeID, amountCents: posted.amount.cents,
                owedCents: [.patient: posted.amount.cents])
            chargesCents += posted.amount.cents
        case .paymentPosted(let posted) where posted.patientID == patientID && payments[posted.paymentID] == nil:
            payments[posted.paymentID] = Payment(
                paymentID: posted.paymentID, payer: posted.payer, amountCents: posted.amount.cents)
            paymentsCents += posted.amount.cents
        case .paymentApplied(let applied):
            guard var payment = activePayment(applied.paymentID), var charge = activeCharge(applied.chargeID) else {
                break
            }
            let responsibility = payment.payer.responsibility
            payment.applications.append(
                Application(chargeID: charge.chargeID, responsibility: responsibility, cents: applied.amount.cents))
            charge.owedCents[responsibility, default: 0] -= applied.amount.cents
            charge.appliedCents += applied.amount.cents
            charge.hasCredit = charge.hasCredit || applied.isCredit
            payments[payment.paymentID] = payment
            charges[charge.chargeID] = charge
        case .adjustmentPosted(let adjustment):
            guard !adjustmentIDs.contains(adjustment.adjustmentID), var charge = activeCharge(adjustment.chargeID)
            else { break }
            charge.owedCents[adjustment.responsibility, default: 0] -= adjustment.amount.cents
            charge.adjustedCents += adjustment.amount.cents
            charges[charge.chargeID] = charge
            adjustmentIDs.insert(adjustment.adjustmentID)
            adjustmentsCents += adjustment.amount.cents
        case .refundIssued(let refund):
            guard var payment = activePayment(refund.paymentID) else { break }
            payment.refundedCents += refund.amount.cents
            payments[payment.paymentID] = payment
            refundsCents += refund.amount.cents
        case .responsibilityTransferred(let transfer):
            guard var charge = activeCharge(transfer.chargeID) else { break }
            charge.owedCents[transfer.from, default: 0] -= transfer.amount.cents
            charge.owedCents[transfer.to, default: 0] += transfer.amount.cents
            charges[charge.chargeID] = charge
        case .chargeVoided(let void):
            guard var charge = activeCharge(void.originalID) else { break }
            charge.isVoided = true
            charges[charge.chargeID] = charge
            chargesCents -= charge.amountCents
        case .paymentVoided(let void):
            guard var payment = activePayment(void.originalID) else { break }
            for application in payment.applications {
                guard var charge = charges[application.chargeID] else { continue }
                charge.owedCents[application.responsibility, default: 0] += application.cents
                charge.appliedCents -= application.cents
                charges[charge.chargeID] = charge
            }
            payment.applications = []
            payment.isVoided = true
            payments[payment.paymentID] = payment
            paymentsCents -= payment.amountCents
        default:
            break
        }
        return
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent) -> PatientAccount {
        var next = self
        next.apply(event)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> PatientAccount {
        var next = self
        for event in events { next.apply(event) }
        return next
    }

    /// The charge `chargeID` when it exists and is not voided.
    public func activeCharge(_ chargeID: EventID) -> Charge? {
        guard let charge = charges[chargeID], !charge.isVoided else { return nil }
        return charge
    }

    /// The payment `paymentID` when it exists and is not voided.
    public func activePayment(_ paymentID: EventID) -> Payment? {
        guard let payment = payments[paymentID], !payment.isVoided else { return nil }
        return payment
    }
}
