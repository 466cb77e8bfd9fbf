import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// The posting date from --date (default today).
func postingDay(_ text: String?, _ context: WriteContext) throws -> Int64 {
    try Parse.day(text ?? "today", calendar: context.calendar, now: context.now)
}

/// Runs a billing command on the account of the patient that `patientOf` finds.
func billingStep(
    _ options: StoreOptions, _ actorOptions: ActorOptions, summary: String,
    _ make: (inout WriteContext) throws -> (patient: EventID, command: BillingCommand, details: [String: String])
) throws {
    try WriteContext.run(options, actorOptions) { context in
        let (patientID, command, details) = try make(&context)
        try context.report(
            try context.execute(.billing(patientID: patientID, command)), summary, details: details)
    }
}

/// Resolves a charge id (prefix) to the charge and its patient.
func charge(_ text: String, _ context: inout WriteContext) throws -> (id: EventID, patient: EventID) {
    try Lookup.charge(text, in: try context.views())
}

/// Resolves a payment id (prefix) to the payment and its patient.
func payment(_ text: String, _ context: inout WriteContext) throws -> (id: EventID, patient: EventID) {
    try Lookup.payment(text, in: try context.views())
}

/// `clinic charge PATIENT --visit APPT --cpt 99213 --dx E11.9 [--amount 125.00]`.
struct ChargeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charge", abstract: "Post a charge for a procedure performed in a visit.",
        discussion:
            "Without --amount the charge is the fee schedule's fee for the code (with exactly these modifiers, else "
            + "the code's default fee) in force on the visit's date of service, times the units; with no such fee "
            + "it is refused (exit 65). --amount enters the line's amount instead (a negotiated fee). The receipt "
            + "says which was used (details.feeSource: schedule or entered).")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var patient: String
    @Option(help: "The visit (appointment id or its first digits); it must be checked in.") var visit: String
    @Option(help: "CPT (5 digits) or HCPCS (letter + 4 digits) code.") var cpt: String
    @Option(name: .customLong("modifier"), help: "A two-character modifier (repeatable, up to 4).") var modifiers:
        [String] = []
    @Option(help: "Units of service.") var units: UInt32 = 1
    @Option(name: .customLong("dx"), help: "An ICD-10-CM diagnosis (repeatable, in order A, B, C...).") var diagnoses:
        [String]
    @Option(help: "Diagnosis pointers, e.g. 1,2 (default: 1).") var pointers: String = "1"
    @Option(help: "The amount of the whole line, e.g. 125.00 (default: the scheduled fee times the units).")
    var amount: String?
    @Option(help: "Posting date (default today).") var date: String?

    func run() throws {
        try WriteContext.run(options, actorOptions) { context in
            let patientID = try context.patient(patient)
            let appointment = try context.appointment(visit)
            guard appointment.patientID == patientID, let encounterID = appointment.encounterID else {
                throw CLIError.notFound(
                    "This visit is not a checked-in visit of this patient; check the patient in first.",
                    code: "encounterNotFound")
            }
            let procedure = try Parse.procedure(cpt, modifiers: modifiers)
            let codes = try diagnoses.map { text in
                do {
                    return try DiagnosisCode(text)
                } catch {
                    throw CLIError.usage(
                        "The diagnosis '\(Parse.sanitized(text))' is not an ICD-10-CM code such as E11.9.")
                }
            }
            let pointerList = try pointers.split(separator: ",").map { text -> UInt8 in
                guard let pointer = UInt8(text) else {
                    throw CLIError.usage("The pointers must be numbers such as 1,2 naming the --dx in order.")
                }
                return pointer
            }
            let chargeID = context.newID("charge")
            let postingDay = try postingDay(date, context)
            let command: BillingCommand
            if let amount {
                command = .postCharge(
                    chargeID: chargeID, encounterID: encounterID, procedure: procedure, units: units,
                    diagnoses: codes, diagnosisPointers: pointerList, amount: try Parse.money(amount),
                    postingDateDaysSince1970: postingDay)
            } else {
                command = .postScheduledCharge(
                    chargeID: chargeID, encounterID: encounterID, procedure: procedure, units: units,
                    diagnoses: codes, diagnosisPointers: pointerList, postingDateDaysSince1970: postingDay)
            }
            let receipt: CommandReceipt
            do {
                receipt = try context.execute(
                    .billing(patientID: patientID, command, encounterProviderStaffID: appointment.providerStaffID))
            } catch let error as StoreError where error.code == "feeNotScheduled" {
                let serviceDay = Parse.dateText(appointment.state.startLocalMinutesSince1970 / 1440)
                throw StoreError(
                    .refused, code: error.code,
                    message: "A charge without --amount takes the scheduled fee, and no fee for \(procedure) is in "
                        + "force on \(serviceDay), the visit's date of service; set one with clinic fee set "
                        + "\(procedure.code) --amount AMOUNT --from DATE, or give --amount.")
            }
            let cents = receipt.events.lazy.compactMap { event -> Int64? in
                if case .chargePosted(let charge) = event { charge.amount.cents } else { nil }
            }.first
            let lineCents = cents ?? 0
            let source =
                amount == nil
                ? "the scheduled fee \(Parse.moneyText(lineCents / Int64(max(units, 1)))) x \(units)" : "as entered"
            try context.report(
                receipt,
                "Posted charge \(shortID(chargeID)): \(procedure) x\(units), \(Parse.moneyText(lineCents)) "
                    + "(\(source)).",
                details: [
                    "chargeID": chargeID.description, "feeSource": amount == nil ? "schedule" : "entered",
                    "amountCents": String(lineCents),
                ])
        }
    }
}

/// `clinic payment PATIENT --amount 25 --method card [--payer ID --level 1] [--reference R]`.
struct PaymentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment", abstract: "Post money received from the patient or an insurance payer (a copay too).")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var patient: String
    @Option var amount: String
    @Option(help: "cash, card, check or eft.") var method: String
    @Option(help: "The insurance payer (its id or first digits, from clinic payer list; omit for a patient payment).")
    var payer: String?
    @Option(help: "The insurance level paying: 1 primary, 2 secondary, 3 tertiary.") var level: UInt8 = 1
    @Option(help: "Check number, card slip or remittance reference.") var reference: String = "-"
    @Option(help: "Posting date (default today).") var date: String?

    func run() throws {
        try billingStep(options, actorOptions, summary: "Posted the payment.") { context in
            let patientID = try context.patient(patient)
            let paymentID = context.newID("payment")
            // An insurance payment names a defined payer (its id or an unambiguous prefix), never free text.
            let payerValue: Payer =
                try payer.map { .insurance(payerID: try payerID($0, context).description, level: level) } ?? .patient
            return (
                patientID,
                .postPayment(
                    paymentID: paymentID, payer: payerValue, method: try Parse.paymentMethod(method),
                    reference: try Parse.text(reference, what: "reference"), amount: try Parse.money(amount),
                    postingDateDaysSince1970: try postingDay(date, context)),
                ["paymentID": paymentID.description]
            )
        }
    }
}

/// `clinic apply PAYMENT --charge CHARGE --amount A [--credit]`.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply part of a payment to a charge.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var payment: String
    @Option var charge: String
    @Option var amount: String
    @Flag(help: "Allow more than is owed, keeping the excess as a credit.") var credit = false
    @Option var date: String?

    func run() throws {
        try billingStep(options, actorOptions, summary: "Applied the payment.") { context in
            let paid = try ClinicCLI.payment(payment, &context)
            let charged = try ClinicCLI.charge(charge, &context)
            guard paid.patient == charged.patient else {
                throw StoreError(
                    .refused, code: "differentPatients",
                    message:
                        "The payment and the charge belong to different patients; apply it to this patient's charge.")
            }
            return (
                paid.patient,
                .applyPayment(
                    paymentID: paid.id, chargeID: charged.id, amount: try Parse.money(amount), asCredit: credit,
                    postingDateDaysSince1970: try postingDay(date, context)), [:]
            )
        }
    }
}

/// `clinic adjust CHARGE --amount A --code CO-45 [--responsibility insurance1]`.
struct AdjustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust", abstract: "Reduce what is owed on a charge, with a reason code (CARC, e.g. CO-45).")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var charge: String
    @Option var amount: String
    @Option(help: "Group and reason code, e.g. CO-45, PR-1.") var code: String
    @Option(help: "patient, insurance1, insurance2 or insurance3.") var responsibility: String = "patient"
    @Option var date: String?

    func run() throws {
        try billingStep(options, actorOptions, summary: "Posted the adjustment.") { context in
            let charged = try ClinicCLI.charge(charge, &context)
            let reasonCode: AdjustmentReasonCode
            do {
                reasonCode = try AdjustmentReasonCode(code)
            } catch {
                throw CLIError.usage(
                    "The reason code '\(Parse.sanitized(code))' is not valid; use a group code and a reason such as CO-45."
                )
            }
            return (
                charged.patient,
                .postAdjustment(
                    adjustmentID: context.newID("adjustment"), chargeID: charged.id,
                    responsibility: try Parse.responsibility(responsibility), amount: try Parse.money(amount),
                    reasonCode: reasonCode, postingDateDaysSince1970: try postingDay(date, context)), [:]
            )
        }
    }
}

/// `clinic refund PAYMENT --amount A --method M`.
struct RefundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "refund", abstract: "Give money of a payment back.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var payment: String
    @Option var amount: String
    @Option var method: String
    @Option var date: String?

    func run() throws {
        try billingStep(options, actorOptions, summary: "Issued the refund.") { context in
            let paid = try ClinicCLI.payment(payment, &context)
            return (
                paid.patient,
                .issueRefund(
                    paymentID: paid.id, amount: try Parse.money(amount), method: try Parse.paymentMethod(method),
                    postingDateDaysSince1970: try postingDay(date, context)), [:]
            )
        }
    }
}

/// `clinic transfer CHARGE --from patient --to insurance1 --amount A`.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Move part of a charge between patient and insurance responsibility.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var charge: String
    @Option var from: String
    @Option var to: String
    @Option var amount: String
    @Option var date: String?

    func run() throws {
        try billingStep(options, actorOptions, summary: "Transferred the responsibility.") { context in
            let charged = try ClinicCLI.charge(charge, &context)
            return (
                charged.patient,
                .transferResponsibility(
                    chargeID: charged.id, from: try Parse.responsibility(from), to: try Parse.responsibility(to),
                    amount: try Parse.money(amount), postingDateDaysSince1970: try postingDay(date, context)), [:]
            )
        }
    }
}

/// `clinic void charge|payment ID --reason R`.
struct VoidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void", abstract: "Void a charge or a payment (it stays in the ledger, marked void).")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument(help: "charge or payment.") var kind: String
    @Argument var id: String
    @Option var date: String?

    func run() throws {
        try billingStep(options, actorOptions, summary: "Voided the \(kind).") { context in
            let reason = try Parse.text(actorOptions.reason ?? "", what: "reason (--reason)")
            switch kind {
            case "charge":
                let charged = try ClinicCLI.charge(id, &context)
                return (
                    charged.patient,
                    .voidCharge(
                        chargeID: charged.id, reason: reason, postingDateDaysSince1970: try postingDay(date, context)),
                    [:]
                )
            case "payment":
                let paid = try ClinicCLI.payment(id, &context)
                return (
                    paid.patient,
                    .voidPayment(
                        paymentID: paid.id, reason: reason, postingDateDaysSince1970: try postingDay(date, context)),
                    [:]
                )
            default:
                throw CLIError.usage("Say what to void: clinic void charge ID, or clinic void payment ID.")
            }
        }
    }
}
