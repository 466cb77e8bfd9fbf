import RecordLog

/// A billing command: what staff ask of a patient's account. `PatientAccount.decide` turns it into events or a
/// refusal. Every command carries the office day it posts on.
public enum BillingCommand: Hashable, Sendable {
    /// Post a charge for a procedure performed in an encounter of the patient (checked in, not entered in error).
    case postCharge(
        chargeID: EventID, encounterID: EventID, procedure: ProcedureCode, units: UInt32, diagnoses: [DiagnosisCode],
        diagnosisPointers: [UInt8], amount: MoneyCents, postingDateDaysSince1970: Int64)
    /// Post a charge as `postCharge` does, at the office's scheduled fee (`FeeSchedule`) for the procedure on the
    /// encounter's date of service, times the units.
    case postScheduledCharge(
        chargeID: EventID, encounterID: EventID, procedure: ProcedureCode, units: UInt32, diagnoses: [DiagnosisCode],
        diagnosisPointers: [UInt8], postingDateDaysSince1970: Int64)
    /// Record money received from the patient or an insurance payer.
    case postPayment(
        paymentID: EventID, payer: Payer, method: PaymentMethod, reference: String, amount: MoneyCents,
        postingDateDaysSince1970: Int64)
    /// Apply part of a payment to a charge; `asCredit` allows more than is owed, recording the excess as a credit.
    case applyPayment(
        paymentID: EventID, chargeID: EventID, amount: MoneyCents, asCredit: Bool, postingDateDaysSince1970: Int64)
    /// Reduce what a responsibility owes on a charge.
    case postAdjustment(
        adjustmentID: EventID, chargeID: EventID, responsibility: Responsibility, amount: MoneyCents,
        reasonCode: AdjustmentReasonCode, postingDateDaysSince1970: Int64)
    /// Give money of a payment back to its payer.
    case issueRefund(paymentID: EventID, amount: MoneyCents, method: PaymentMethod, postingDateDaysSince1970: Int64)
    /// Move part of a charge from one responsibility to another.
    case transferResponsibility(
        chargeID: EventID, from: Responsibility, to: Responsibility, amount: MoneyCents,
        postingDateDaysSince1970: Int64)
    /// Void a charge that has no payments applied and no adjustments.
    case voidCharge(chargeID: EventID, reason: String, postingDateDaysSince1970: Int64)
    /// Void a payment that was not refunded, undoing its applications.
    case voidPayment(paymentID: EventID, reason: String, postingDateDaysSince1970: Int64)

    /// The staff roles that may issue the command (see `docs/events.md`).
    public var permittedRoles: Set<StaffRole> {
        switch self {
        case .postCharge, .postScheduledCharge:
            [.biller, .officeManager, .physician, .nursePractitioner, .physicianAssistant]
        case .postPayment, .applyPayment: [.frontDesk, .biller, .officeManager]
        case .postAdjustment, .issueRefund, .transferResponsibility, .voidCharge, .voidPayment:
            [.biller, .officeManager]
        }
    }

    /// The command's name, for refusals and logs.
    public var name: String {
        switch self {
        case .postCharge: "postCharge"
        case .postScheduledCharge: "postScheduledCharge"
        case .postPayment: "postPayment"
        case .applyPayment: "applyPayment"
        case .postAdjustment: "postAdjustment"
        case .issueRefund: "issueRefund"
        case .transferResponsibility: "transferResponsibility"
        case .voidCharge: "voidCharge"
        case .voidPayment: "voidPayment"
        }
    }

    /// The office day the command posts on.
    public var postingDateDaysSince1970: Int64 {
        switch self {
        case .postCharge(_, _, _, _, _, _, _, let date), .postScheduledCharge(_, _, _, _, _, _, let date),
            .postPayment(_, _, _, _, _, let date),
            .applyPayment(_, _, _, _, let date),
            .postAdjustment(_, _, _, _, _, let date), .issueRefund(_, _, _, let date),
            .transferResponsibility(_, _, _, _, let date), .voidCharge(_, _, let date), .voidPayment(_, _, let date):
            date
        }
    }
}

/// Why a billing command was refused. Every case names the rule; none carries patient data.
public enum BillingRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The acting role may not issue this command.
    case roleNotPermitted(command: String, role: StaffRole)
    /// A value of the command breaks an event's field rule (named, never the value).
    case detailsInvalid(rule: String)
    /// The posting date is a closed day.
    case dayClosed
    /// The day is already closed.
    case dayAlreadyClosed
    /// A charge with this id was already posted.
    case chargeAlreadyExists
    /// No check-in opened the encounter named by the charge.
    case encounterNotFound
    /// The encounter named by the charge is another patient's.
    case encounterOfAnotherPatient
    /// The encounter's appointment was entered in error: it should never have existed.
    case encounterEnteredInError
    /// A diagnosis pointer does not point to one of the charge's diagnoses (pointers count from 1).
    case diagnosisPointerNotFound
    /// A charge without an amount takes the scheduled fee, and no fee for the procedure (with its modifiers, or the
    /// code's default) is in force on the encounter's date of service.
    case feeNotScheduled(procedure: ProcedureCode, serviceDaySince1970: Int64)
    /// A payment with this id was already posted.
    case paymentAlreadyExists
    /// An adjustment with this id was already posted.
    case adjustmentAlreadyExists
    /// The account has no payment with this id.
    case paymentNotFound
    /// The account has no charge with this id.
    case chargeNotFound
    /// The charge or payment named was voided.
    case originalVoided
    /// The application is more than the payer's responsibility owes on the charge, and no credit was recorded.
    case applicationExceedsOwed
    /// The application is more than what is left of the payment.
    case applicationExceedsPayment
    /// The adjustment is more than the responsibility owes on the charge.
    case adjustmentExceedsBalance
    /// The refund is more than what was paid and is neither refunded nor applied.
    case refundExceedsPayment
    /// The transfer is more than the source responsibility holds on the charge.
    case transferExceedsSource
    /// The charge has payments applied or adjustments, so it cannot be voided.
    case chargeHasActivity
    /// The payment was partly refunded, so it cannot be voided.
    case paymentRefunded

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .roleNotPermitted(let command, let role):
            "The role \(role) may not \(command) on accounts; ask a biller or the office manager to do it."
        case .detailsInvalid(let rule):
            "The request breaks the field rule '\(rule)'; correct that field and try again."
        case .dayClosed:
            "A closed day is immutable; post to an open day, referencing the original entry."
        case .dayAlreadyClosed:
            "This day is already closed; post corrections to an open day instead."
        case .chargeAlreadyExists:
            "This charge id is already posted; make a new id for a new charge."
        case .encounterNotFound:
            "No check-in opened this encounter; check the patient in first or name the visit's encounter."
        case .encounterOfAnotherPatient:
            "The encounter belongs to another patient; post the charge on that patient's account or fix the encounter."
        case .encounterEnteredInError:
            "The encounter's appointment was entered in error; post the charge against the visit that took place."
        case .diagnosisPointerNotFound:
            "Each diagnosis pointer must name one of the charge's diagnoses, counting from 1; fix the pointers."
        case .feeNotScheduled(let procedure, _):
            "A charge without an amount takes the scheduled fee, and no fee for \(procedure) is in force on the "
                + "date of service; schedule the procedure's fee or enter the amount."
        case .paymentAlreadyExists:
            "This payment id is already posted; make a new id for a new payment."
        case .adjustmentAlreadyExists:
            "This adjustment id is already posted; make a new id for a new adjustment."
        case .paymentNotFound:
            "The account has no payment with this id; check the payment and the account."
        case .chargeNotFound:
            "The account has no charge with this id; check the charge and the account."
        case .originalVoided:
            "The charge or payment named was already voided; post against a current entry."
        case .applicationExceedsOwed:
            "A payment applied may not exceed what the payer owes on the charge; apply less or record it as a credit."
        case .applicationExceedsPayment:
            "Applications may not exceed what is left of the payment; apply at most the unapplied amount."
        case .adjustmentExceedsBalance:
            "An adjustment may not exceed what the responsibility owes on the charge; adjust at most that balance."
        case .refundExceedsPayment:
            "A refund may not exceed what was paid and not already refunded or applied; refund at most the credit."
        case .transferExceedsSource:
            "A transfer may move only what the source responsibility holds on the charge; transfer at most that."
        case .chargeHasActivity:
            "A charge with payments applied or adjustments cannot be voided; void those payments first."
        case .paymentRefunded:
            "A refunded payment cannot be voided; post a correcting entry on an open day instead."
        }
    }

    /// The message.
    public var description: String { message }
}

/// What a billing decision produced: the events to append and the stream versions they were decided on.
public struct BillingDecision: Equatable, Sendable {
    /// The stream the events go to: the patient's account stream, or the day book for a day closing.
    public let stream: String
    /// The version of `stream` the decision was made on; append with this as the expected version.
    public let decidedOnStreamVersion: UInt64
    /// The version of the day book the closed-day rule was checked on.
    public let decidedOnDayBookVersion: UInt64
    /// The events to append, in order.
    public let events: [ClinicEvent]

    /// Creates a decision.
    public init(stream: String, decidedOnStreamVersion: UInt64, decidedOnDayBookVersion: UInt64, events: [ClinicEvent])
    {
        self.stream = stream
        self.decidedOnStreamVersion = decidedOnStreamVersion
        self.decidedOnDayBookVersion = decidedOnDayBookVersion
        self.events = events
    }
}

extension PatientAccount {
    /// Decides `command`, issued by `role`, against this account, the office's `dayBook` and, for a charge, the
    /// `encounters` opened at check-in and the office's `fees`: the events that record it, or the rule it breaks.
    /// Pure: nothing is appended.
    ///
    /// `encounters` is consulted by charges only; the empty default refuses every charge (`encounterNotFound`).
    /// `fees` is consulted by `postScheduledCharge` only; the empty default refuses it (`feeNotScheduled`).
    public func decide(
        _ command: BillingCommand, by role: StaffRole, dayBook: DayBook,
        encounters: EncounterLedger = EncounterLedger(),
        fees: FeeSchedule = FeeSchedule()
    ) throws(BillingRefusal) -> BillingDecision {
        guard command.permittedRoles.contains(role) else {
            throw .roleNotPermitted(command: command.name, role: role)
        }
        guard !dayBook.isClosed(daysSince1970: command.postingDateDaysSince1970) else { throw .dayClosed }
        let event = try event(for: command, encounters: encounters, fees: fees)
        return BillingDecision(
            stream: streamName, decidedOnStreamVersion: streamVersion, decidedOnDayBookVersion: dayBook.streamVersion,
            events: [event])
    }

    private func event(
        for command: BillingCommand, encounters: EncounterLedger, fees: FeeSchedule
    ) throws(BillingRefusal) -> ClinicEvent {
        switch command {
        case .postCharge(
            let id, let encounterID, let procedure, let units, let diagnoses, let pointers, let amount, let date):
            try checkCharge(
                id, encounterID: encounterID, diagnoses: diagnoses, pointers: pointers, encounters: encounters)
            return .chargePosted(
                try Self.validated {
                    try ChargePosted(
                        chargeID: id, patientID: patientID, encounterID: encounterID, procedure: procedure,
                        units: units, diagnoses: diagnoses, diagnosisPointers: pointers, amount: amount,
                        postingDateDaysSince1970: date)
                })
        case .postScheduledCharge(
            let id, let encounterID, let procedure, let units, let diagnoses, let pointers, let date):
            let encounter = try checkCharge(
                id, encounterID: encounterID, diagnoses: diagnoses, pointers: pointers, encounters: encounters)
            guard let fee = fees.fee(for: procedure, onDaysSince1970: encounter.serviceDaySince1970) else {
                throw .feeNotScheduled(procedure: procedure, serviceDaySince1970: encounter.serviceDaySince1970)
            }
            return .chargePosted(
                try Self.validated {
                    guard ChargePosted.unitsRange.contains(units) else {
                        throw ChargePosted.ValidationError.unitsOutOfRange
                    }
                    return try ChargePosted(
                        chargeID: id, patientID: patientID, encounterID: encounterID, procedure: procedure,
                        units: units, diagnoses: diagnoses, diagnosisPointers: pointers,
                        amount: try MoneyCents(cents: fee.amount.cents * Int64(units)), postingDateDaysSince1970: date)
                })
        case .postPayment(let id, let payer, let method, let reference, let amount, let date):
            guard payments[id] == nil else { throw .paymentAlreadyExists }
            return .paymentPosted(
                try Self.validated {
                    try PaymentPosted(
                        paymentID: id, patientID: patientID, payer: payer, method: method, reference: reference,
                        amount: amount, postingDateDaysSince1970: date)
                })
        case .applyPayment(let paymentID, let chargeID, let amount, let asCredit, let date):
            let event = try Self.validated {
                try PaymentApplied(
                    paymentID: paymentID, chargeID: chargeID, amount: amount, isCredit: asCredit,
                    postingDateDaysSince1970: date)
            }
            let payment = try payment(paymentID)
            let charge = try charge(chargeID)
            guard amount.cents <= payment.unappliedCents else { throw .applicationExceedsPayment }
            guard asCredit || amount.cents <= charge.owedCents(by: payment.payer.responsibility) else {
                throw .applicationExceedsOwed
            }
            return .paymentApplied(event)
        case .postAdjustment(let id, let chargeID, let responsibility, let amount, let reasonCode, let date):
            let event = try Self.validated {
                try AdjustmentPosted(
                    adjustmentID: id, chargeID: chargeID, responsibility: responsibility, amount: amount,
                    reasonCode: reasonCode, postingDateDaysSince1970: date)
            }
            guard !adjustmentIDs.contains(id) else { throw .adjustmentAlreadyExists }
            guard amount.cents <= (try charge(chargeID)).owedCents(by: responsibility) else {
                throw .adjustmentExceedsBalance
            }
            return .adjustmentPosted(event)
        case .issueRefund(let paymentID, let amount, let method, let date):
            let event = try Self.validated {
                try RefundIssued(paymentID: paymentID, amount: amount, method: method, postingDateDaysSince1970: date)
            }
            guard amount.cents <= (try payment(paymentID)).unappliedCents else { throw .refundExceedsPayment }
            return .refundIssued(event)
        case .transferResponsibility(let chargeID, let from, let to, let amount, let date):
            let event = try Self.validated {
                try ResponsibilityTransferred(
                    chargeID: chargeID, from: from, to: to, amount: amount, postingDateDaysSince1970: date)
            }
            guard amount.cents <= (try charge(chargeID)).owedCents(by: from) else { throw .transferExceedsSource }
            return .responsibilityTransferred(event)
        case .voidCharge(let chargeID, let reason, let date):
            let event = try Self.validated {
                try ChargeVoided(
                    originalID: chargeID, patientID: patientID, reason: reason, postingDateDaysSince1970: date)
            }
            let charge = try charge(chargeID)
            guard charge.appliedCents == 0, charge.adjustedCents == 0 else { throw .chargeHasActivity }
            return .chargeVoided(event)
        case .voidPayment(let paymentID, let reason, let date):
            let event = try Self.validated {
                try PaymentVoided(
                    originalID: paymentID, patientID: patientID, reason: reason, postingDateDaysSince1970: date)
            }
            guard (try payment(paymentID)).refundedCents == 0 else { throw .paymentRefunded }
            return .paymentVoided(event)
        }
    }

    /// Checks the rules every charge shares (a new charge id, an encounter of this patient not entered in error,
    /// pointers that name diagnoses) and returns the encounter.
    @discardableResult
    private func checkCharge(
        _ id: EventID, encounterID: EventID, diagnoses: [DiagnosisCode], pointers: [UInt8], encounters: EncounterLedger
    ) throws(BillingRefusal) -> EncounterLedger.Encounter {
        guard charges[id] == nil else { throw .chargeAlreadyExists }
        guard let encounter = encounters.encounter(encounterID) else { throw .encounterNotFound }
        guard encounter.patientID == patientID else { throw .encounterOfAnotherPatient }
        guard !encounter.isEnteredInError else { throw .encounterEnteredInError }
        guard pointers.allSatisfy({ $0 >= 1 && Int($0) <= diagnoses.count }) else { throw .diagnosisPointerNotFound }
        return encounter
    }

    /// The payment `id`, refusing an unknown or voided one.
    private func payment(_ id: EventID) throws(BillingRefusal) -> Payment {
        guard let payment = payments[id] else { throw .paymentNotFound }
        guard !payment.isVoided else { throw .originalVoided }
        return payment
    }

    /// The charge `id`, refusing an unknown or voided one.
    private func charge(_ id: EventID) throws(BillingRefusal) -> Charge {
        guard let charge = charges[id] else { throw .chargeNotFound }
        guard !charge.isVoided else { throw .originalVoided }
        return charge
    }

    /// Runs a validating event initializer, turning its error into `detailsInvalid` naming the rule.
    private static func validated<Value>(_ make: () throws -> Value) throws(BillingRefusal) -> Value {
        do {
            return try make()
        } catch {
            throw .detailsInvalid(rule: String(describing: error))
        }
    }
}
