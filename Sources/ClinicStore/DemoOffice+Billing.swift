import ClinicEvents
import RecordLog

/// The lines of a visit's bill: the claim's diagnoses and each procedure with its modifiers and pointers.
struct DemoBill {
    struct Line {
        let procedure: DemoCatalogue.Procedure
        var modifiers: [String]
        let pointers: [UInt8]
    }

    let diagnoses: [String]
    var lines: [Line]
}

extension DemoSimulation {
    // MARK: The bill of a visit

    /// The diagnoses and procedure lines of a visit: the office visit (E/M) code, labs, tests and vaccines.
    func visitBill(for appointment: DemoAppointment) -> DemoBill {
        let patient = patients[appointment.patientIndex]
        let age = DemoCalendar.age(bornOn: patient.birthDay, on: today)
        let chronic = patient.chronicConditions.map { DemoCatalogue.chronicReasons[$0].diagnoses[0] }
        var diagnoses: [String]
        var lines: [DemoBill.Line] = []
        var labs: [DemoCatalogue.Procedure] = []
        let visit: DemoCatalogue.Procedure
        switch appointment.kind {
        case .newPatient:
            diagnoses = chronic.isEmpty ? [DemoCatalogue.examinationDiagnosis] : chronic
            visit = DemoCatalogue.newPatientVisits[random.weightedIndex(DemoCatalogue.newPatientVisitWeights)]
            if random.chance(0.3) { labs = [DemoCatalogue.metabolicPanel] }
        case .physical:
            diagnoses = [DemoCatalogue.examinationDiagnosis] + chronic
            let isMedicare = patient.primaryCoverage?.payerIndex == DemoCatalogue.medicareIndex
            visit = isMedicare ? DemoCatalogue.medicareWellnessVisit : DemoCatalogue.preventiveVisit
            labs = [DemoCatalogue.lipidPanel, DemoCatalogue.metabolicPanel]
            if age >= 50, random.chance(0.25) {
                lines.append(DemoBill.Line(procedure: DemoCatalogue.electrocardiogram, modifiers: [], pointers: [1]))
            }
        case .chronicFollowUp(let condition):
            let own = DemoCatalogue.chronicReasons[condition].diagnoses
            diagnoses = own + chronic.filter { !own.contains($0) }
            visit = DemoCatalogue.establishedVisits[random.weightedIndex([1, 8, 45, 40, 6])]
            if random.chance(0.4) {
                switch condition {
                case 1: labs = [DemoCatalogue.hemoglobinA1c]
                case 2: labs = [DemoCatalogue.lipidPanel]
                default: labs = [DemoCatalogue.metabolicPanel]
                }
            }
        case .acute(let reason):
            diagnoses = DemoCatalogue.acuteReasons[reason].diagnoses
            visit = DemoCatalogue.establishedVisits[random.weightedIndex(DemoCatalogue.establishedVisitWeights)]
            if reason == 0 {
                lines.append(DemoBill.Line(procedure: DemoCatalogue.strepTest, modifiers: [], pointers: [1]))
            } else if reason == 2 {
                lines.append(DemoBill.Line(procedure: DemoCatalogue.urinalysis, modifiers: [], pointers: [1]))
            }
        }
        diagnoses = Array(diagnoses.prefix(ChargePosted.diagnosisCountMax - 1))
        if !labs.isEmpty {
            lines.append(DemoBill.Line(procedure: DemoCatalogue.venipuncture, modifiers: [], pointers: [1]))
            for lab in labs { lines.append(DemoBill.Line(procedure: lab, modifiers: [], pointers: [1])) }
        }
        let month = DemoCalendar.civilDate(ofDaysSince1970: today).month
        let isFluSeason = month >= 9 || month <= 3
        if random.chance(isFluSeason ? 0.18 : 0.03) {
            diagnoses.append(DemoCatalogue.vaccinationDiagnosis)
            let pointer = UInt8(diagnoses.count)
            let vaccine = isFluSeason ? DemoCatalogue.fluVaccine : DemoCatalogue.tdapVaccine
            lines.append(DemoBill.Line(procedure: vaccine, modifiers: [], pointers: [pointer]))
            lines.append(
                DemoBill.Line(procedure: DemoCatalogue.vaccineAdministration, modifiers: [], pointers: [pointer]))
        }
        let problemDiagnoses = diagnoses.filter { $0 != DemoCatalogue.vaccinationDiagnosis }
        let visitPointers = (1...min(ChargePosted.diagnosisPointerCountMax, problemDiagnoses.count)).map { UInt8($0) }
        let hasSeparateProcedure = lines.contains {
            $0.procedure.code == DemoCatalogue.electrocardiogram.code
                || $0.procedure.code == DemoCatalogue.vaccineAdministration.code
        }
        let needsModifier25 = hasSeparateProcedure && visit.code.hasPrefix("992")
        lines.insert(
            DemoBill.Line(procedure: visit, modifiers: needsModifier25 ? ["25"] : [], pointers: visitPointers), at: 0)
        return DemoBill(diagnoses: diagnoses, lines: lines)
    }

    // MARK: Postings (every one counted into the day's totals)

    private func checkPosting() {
        precondition(DemoCalendar.isOfficeDay(today), "the demo office posts money only on office days")
    }

    /// Posts one charge line of a visit, dated `postingDay`, at the fee schedule's fee on the visit's day.
    @discardableResult
    func postCharge(
        _ line: DemoBill.Line, diagnoses: [String], appointmentIndex: Int, postingDay: Int64, by actor: StaffActor
    ) throws(StoreError) -> EventID {
        checkPosting()
        let appointment = appointments[appointmentIndex]
        guard let encounterID = appointment.encounterID else {
            throw StoreError(
                .usage, code: "demoEncounter", message: "The demo generator charged a visit never checked in.")
        }
        let chargeID = random.eventID()
        let codes = try diagnoses.map { (code) throws(StoreError) in try diagnosis(code) }
        let procedure = try valid("procedure") {
            try ProcedureCode(code: line.procedure.code, modifiers: line.modifiers)
        }
        let receipt = try execute(
            .billing(
                patientID: patients[appointment.patientIndex].patientID,
                .postScheduledCharge(
                    chargeID: chargeID, encounterID: encounterID, procedure: procedure, units: 1, diagnoses: codes,
                    diagnosisPointers: line.pointers, postingDateDaysSince1970: postingDay),
                encounterProviderStaffID: providers[appointment.providerIndex].staffID),
            as: actor)
        guard case .chargePosted(let posted) = receipt.events.first else {
            throw StoreError(
                .usage, code: "demoCharge", message: "The demo generator's charge was not recorded as a charge.")
        }
        let cents = posted.amount.cents
        var mirror = DemoCharge(
            chargeID: chargeID, patientIndex: appointment.patientIndex, amountCents: cents,
            procedureCode: line.procedure.code)
        mirror.owedCents[0] = cents
        charges[chargeID] = mirror
        dayTotals.chargesCents += cents
        return chargeID
    }

    /// Posts a payment received from the patient or an insurance payer.
    func postPayment(
        patientIndex: Int, payer: Payer, method: PaymentMethod, reference: String, amountCents: Int64,
        by actor: StaffActor
    ) throws(StoreError) -> EventID {
        checkPosting()
        let paymentID = random.eventID()
        try execute(
            .billing(
                patientID: patients[patientIndex].patientID,
                .postPayment(
                    paymentID: paymentID, payer: payer, method: method, reference: reference,
                    amount: try money(amountCents), postingDateDaysSince1970: today)),
            as: actor)
        payments[paymentID] = DemoPayment(
            paymentID: paymentID, patientIndex: patientIndex, payer: payer, method: method, amountCents: amountCents,
            unappliedCents: amountCents)
        dayTotals.paymentsCents += amountCents
        return paymentID
    }

    /// Applies part of a payment to a charge, settling what the payer's responsibility owes on it.
    func applyPayment(_ paymentID: EventID, to chargeID: EventID, cents: Int64, by actor: StaffActor) throws(StoreError)
    {
        guard cents > 0, var payment = payments[paymentID], var charge = charges[chargeID] else { return }
        let responsibility = Int(payment.payer.responsibility.code)
        try execute(
            .billing(
                patientID: patients[charge.patientIndex].patientID,
                .applyPayment(
                    paymentID: paymentID, chargeID: chargeID, amount: try money(cents), asCredit: false,
                    postingDateDaysSince1970: today)),
            as: actor)
        payment.unappliedCents -= cents
        payment.applications.append((chargeID, responsibility, cents))
        charge.owedCents[responsibility] -= cents
        payments[paymentID] = payment
        charges[chargeID] = charge
    }

    /// Applies what is left of a payment to the charges, in order, up to what the payer's responsibility owes.
    func applyPayment(_ paymentID: EventID, across chargeIDs: [EventID], by actor: StaffActor) throws(StoreError) {
        for chargeID in chargeIDs {
            guard let payment = payments[paymentID], let charge = charges[chargeID], !charge.isVoided else { continue }
            let owed = charge.owedCents[Int(payment.payer.responsibility.code)]
            try applyPayment(paymentID, to: chargeID, cents: min(owed, payment.unappliedCents), by: actor)
        }
    }

    /// Posts an adjustment of what `responsibility` (0 patient, 1-3 insurance) owes on a charge.
    func postAdjustment(chargeID: EventID, responsibility: Int, cents: Int64, reasonCode: String) throws(StoreError) {
        checkPosting()
        guard cents > 0, var charge = charges[chargeID] else { return }
        let code = try valid("reason code") { try AdjustmentReasonCode(reasonCode) }
        try execute(
            .billing(
                patientID: patients[charge.patientIndex].patientID,
                .postAdjustment(
                    adjustmentID: random.eventID(), chargeID: chargeID,
                    responsibility: try self.responsibility(responsibility), amount: try money(cents),
                    reasonCode: code, postingDateDaysSince1970: today)),
            as: biller)
        charge.owedCents[responsibility] -= cents
        charges[chargeID] = charge
        dayTotals.adjustmentsCents += cents
    }

    /// Moves an amount of a charge from one responsibility to another.
    func transfer(chargeID: EventID, from: Int, to: Int, cents: Int64) throws(StoreError) {
        guard cents > 0, var charge = charges[chargeID] else { return }
        try execute(
            .billing(
                patientID: patients[charge.patientIndex].patientID,
                .transferResponsibility(
                    chargeID: chargeID, from: try responsibility(from), to: try responsibility(to),
                    amount: try money(cents), postingDateDaysSince1970: today)),
            as: biller)
        charge.owedCents[from] -= cents
        charge.owedCents[to] += cents
        charges[chargeID] = charge
    }

    /// Refunds what is left unapplied of a payment.
    private func refundUnapplied(of paymentID: EventID) throws(StoreError) {
        checkPosting()
        guard var payment = payments[paymentID], !payment.isVoided, payment.unappliedCents > 0 else { return }
        let cents = payment.unappliedCents
        let method: PaymentMethod = payment.method == .cash ? .check : payment.method
        try execute(
            .billing(
                patientID: patients[payment.patientIndex].patientID,
                .issueRefund(
                    paymentID: paymentID, amount: try money(cents), method: method, postingDateDaysSince1970: today)),
            as: biller)
        payment.unappliedCents = 0
        payment.refundedCents += cents
        payments[paymentID] = payment
        dayTotals.refundsCents += cents
    }

    /// Voids a charge posted in error (it has no payments applied and no adjustments).
    private func voidCharge(_ chargeID: EventID, reason: String) throws(StoreError) {
        checkPosting()
        guard var charge = charges[chargeID] else { return }
        try execute(
            .billing(
                patientID: patients[charge.patientIndex].patientID,
                .voidCharge(chargeID: chargeID, reason: reason, postingDateDaysSince1970: today)),
            as: biller)
        charge.isVoided = true
        charge.owedCents = [0, 0, 0, 0]
        charges[chargeID] = charge
        dayTotals.chargeVoidsCents += charge.amountCents
    }

    /// Voids a payment (a returned check), undoing its applications; false when it was refunded or voided already.
    private func voidPayment(_ paymentID: EventID, reason: String) throws(StoreError) -> Bool {
        checkPosting()
        guard var payment = payments[paymentID], !payment.isVoided, payment.refundedCents == 0 else { return false }
        try execute(
            .billing(
                patientID: patients[payment.patientIndex].patientID,
                .voidPayment(paymentID: paymentID, reason: reason, postingDateDaysSince1970: today)),
            as: biller)
        for application in payment.applications {
            charges[application.chargeID]?.owedCents[application.responsibility] += application.cents
        }
        payment.applications = []
        payment.unappliedCents = 0
        payment.isVoided = true
        payments[paymentID] = payment
        dayTotals.paymentVoidsCents += payment.amountCents
        return true
    }

    /// About 2% of checks come back unpaid: the biller voids the payment a week later and the patient pays what
    /// they owe on the visit's charges again, by card.
    private func mayBounce(_ paymentID: EventID, patientIndex: Int, chargeIDs: @escaping () -> [EventID]) {
        guard happens(.bouncedCheck, 0.02, counting: false) else { return }
        schedule(officeDaysAfter: random.int64(in: 5...9), at: 11 * 60) { () throws(StoreError) in
            guard try self.voidPayment(paymentID, reason: "Returned check: insufficient funds") else { return }
            self.happened(.bouncedCheck)
            self.schedule(officeDaysAfter: self.random.int64(in: 5...12), at: 13 * 60) { () throws(StoreError) in
                try self.receivePatientPayment(patientIndex: patientIndex, chargeIDs: chargeIDs(), halves: 2)
            }
        }
    }

    private func money(_ cents: Int64) throws(StoreError) -> MoneyCents {
        try valid("amount") { try MoneyCents(cents: cents) }
    }

    private func responsibility(_ code: Int) throws(StoreError) -> Responsibility {
        try valid("responsibility") { try Responsibility(code: UInt8(code)) }
    }

    /// A payment reference in the shape of its method: a card authorization, a check number, nothing for cash.
    private func reference(for method: PaymentMethod) -> String {
        switch method {
        case .card: "AUTH \(random.int(in: 100_000...999_999))"
        case .check: "CHK \(random.int(in: 1_000...9_999))"
        case .electronicFundsTransfer: "EFT \(random.int(in: 100_000_000...999_999_999))"
        case .cash, .other: ""
        }
    }

    // MARK: Money at the front desk

    /// Collects the copay of the visit at `appointmentIndex` at check-in (now and then the card is run twice and
    /// the duplicate is refunded later; a check may come back unpaid).
    func collectCopay(appointmentIndex: Int, amountCents: Int64, clerk: StaffActor) throws(StoreError) -> EventID {
        let patientIndex = appointments[appointmentIndex].patientIndex
        let methodRoll = random.unit()
        let method: PaymentMethod = methodRoll < 0.62 ? .card : methodRoll < 0.87 ? .cash : .check
        let paymentID = try postPayment(
            patientIndex: patientIndex, payer: .patient, method: method, reference: reference(for: method),
            amountCents: amountCents, by: clerk)
        if method == .card, happens(.duplicateCopay, 0.008) {
            let duplicate = try postPayment(
                patientIndex: patientIndex, payer: .patient, method: .card, reference: reference(for: .card),
                amountCents: amountCents, by: clerk)
            schedule(officeDaysAfter: random.int64(in: 2...8), at: 16 * 60) { () throws(StoreError) in
                try self.refundUnapplied(of: duplicate)
            }
        }
        if method == .check {
            mayBounce(
                paymentID, patientIndex: patientIndex, chargeIDs: { self.appointments[appointmentIndex].chargeIDs })
        }
        return paymentID
    }

    /// The provider posts the visit's charges; now and then the biller catches a wrong visit level at once, voids
    /// it and posts the right one; rarely a lab line is forgotten and found the next office day.
    func postVisitCharges(_ index: Int, bill: DemoBill, by provider: StaffActor) throws(StoreError) {
        var lines = bill.lines
        var forgotten: DemoBill.Line?
        if lines.count > 2, happens(.forgottenCharge, 0.01) { forgotten = lines.removeLast() }
        var chargeIDs: [EventID] = []
        for line in lines {
            chargeIDs.append(
                try postCharge(
                    line, diagnoses: bill.diagnoses, appointmentIndex: index, postingDay: today, by: provider))
        }
        let visitLine = lines[0]
        let levels = DemoCatalogue.establishedVisits
        if let level = levels.firstIndex(where: { $0.code == visitLine.procedure.code }), level > 1,
            happens(.chargeCorrection, 0.012)
        {
            try voidCharge(chargeIDs[0], reason: "Visit level not supported by the note; corrected")
            var corrected = visitLine
            corrected = DemoBill.Line(
                procedure: levels[level - 1], modifiers: visitLine.modifiers, pointers: visitLine.pointers)
            chargeIDs[0] = try postCharge(
                corrected, diagnoses: bill.diagnoses, appointmentIndex: index, postingDay: today, by: biller)
        }
        appointments[index].chargeIDs = chargeIDs
        if let forgotten {
            let visitDay = today
            schedule(officeDaysAfter: 1, at: 9 * 60) { () throws(StoreError) in
                try self.postForgottenCharge(
                    forgotten, diagnoses: bill.diagnoses, appointmentIndex: index, visitDay: visitDay)
            }
        }
    }

    /// The biller finds a lab line missing from yesterday's visit: dating it on the visit day is refused (the day
    /// is closed), so it is posted today and billed with today's claims.
    private func postForgottenCharge(
        _ line: DemoBill.Line, diagnoses: [String], appointmentIndex: Int, visitDay: Int64
    ) throws(StoreError) {
        let appointment = appointments[appointmentIndex]
        guard let encounterID = appointment.encounterID else { return }
        let procedure = try valid("procedure") { try ProcedureCode(code: line.procedure.code, modifiers: []) }
        let codes = try valid("diagnoses") { try diagnoses.map { try DiagnosisCode($0) } }
        try demonstrateRefusal(
            .billing(
                patientID: patients[appointment.patientIndex].patientID,
                .postScheduledCharge(
                    chargeID: random.eventID(), encounterID: encounterID, procedure: procedure, units: 1,
                    diagnoses: codes, diagnosisPointers: line.pointers, postingDateDaysSince1970: visitDay),
                encounterProviderStaffID: providers[appointment.providerIndex].staffID),
            as: biller, expecting: "dayClosed")
        let chargeID = try postCharge(
            line, diagnoses: diagnoses, appointmentIndex: appointmentIndex, postingDay: today, by: biller)
        appointments[appointmentIndex].chargeIDs.append(chargeID)
        if let primary = patients[appointment.patientIndex].primaryCoverage {
            todaysClaims.append(
                DemoClaim(
                    patientIndex: appointment.patientIndex, chargeIDs: [chargeID], primary: primary,
                    secondary: patients[appointment.patientIndex].secondaryCoverage))
        } else {
            schedulePatientStatement(patientIndex: appointment.patientIndex, chargeIDs: [chargeID])
        }
    }

    /// At check-out the copay is applied to the visit; a self-pay patient mostly pays the discounted fee at once.
    func settleAtCheckOut(_ index: Int, clerk: StaffActor) throws(StoreError) {
        let appointment = appointments[index]
        let patientIndex = appointment.patientIndex
        if let copay = appointment.copayPaymentID {
            try applyPayment(copay, across: appointment.chargeIDs, by: clerk)
            if let left = payments[copay]?.unappliedCents, left > 0 {
                schedule(officeDaysAfter: random.int64(in: 3...10), at: 16 * 60 + 15) { () throws(StoreError) in
                    try self.refundUnapplied(of: copay)
                }
            }
        }
        if let primary = patients[patientIndex].primaryCoverage {
            todaysClaims.append(
                DemoClaim(
                    patientIndex: patientIndex, chargeIDs: appointment.chargeIDs, primary: primary,
                    secondary: patients[patientIndex].secondaryCoverage))
            return
        }
        guard random.chance(0.7) else {
            schedulePatientStatement(patientIndex: patientIndex, chargeIDs: appointment.chargeIDs)
            return
        }
        let shares = appointment.chargeIDs.map { (charges[$0]?.amountCents ?? 0) * 3 / 4 }
        let method: PaymentMethod = random.chance(0.7) ? .card : .cash
        let paymentID = try postPayment(
            patientIndex: patientIndex, payer: .patient, method: method, reference: reference(for: method),
            amountCents: shares.reduce(0, +), by: clerk)
        for (chargeID, share) in zip(appointment.chargeIDs, shares) {
            try applyPayment(paymentID, to: chargeID, cents: share, by: clerk)
        }
        let chargeIDs = appointment.chargeIDs
        schedule(at: 17 * 60 + 20) { () throws(StoreError) in
            for chargeID in chargeIDs {
                try self.postAdjustment(
                    chargeID: chargeID, responsibility: 0, cents: self.charges[chargeID]?.owedCents[0] ?? 0,
                    reasonCode: "OA-45")
            }
        }
    }

    // MARK: Claims and remittances

    /// The biller sends today's claims: what the patient owes after the copay moves to the primary insurance.
    func submitClaims() throws(StoreError) {
        let claims = todaysClaims
        todaysClaims = []
        for claim in claims {
            for chargeID in claim.chargeIDs {
                guard let charge = charges[chargeID], !charge.isVoided else { continue }
                try transfer(chargeID: chargeID, from: 0, to: 1, cents: charge.owedCents[0])
            }
            schedule(officeDaysAfter: random.int64(in: 14...28), at: random.int(in: (9 * 60 + 30)...(11 * 60 + 30))) {
                () throws(StoreError) in try self.receivePrimaryRemittance(claim)
            }
        }
    }

    /// The primary payer's remittance: payment of the allowed amount less the copay and coinsurance, the
    /// contractual adjustment of the rest, and the coinsurance moved to the secondary payer or the patient.
    /// About 2.5% of claims are denied and move back to the patient.
    private func receivePrimaryRemittance(_ claim: DemoClaim) throws(StoreError) {
        let template = DemoCatalogue.payers[claim.primary.payerIndex]
        let isDenied = happens(.claimDenied, 0.025)
        let month = DemoCalendar.civilDate(ofDaysSince1970: today).month
        let inDeductibleSeason = template.type == .commercial && month <= 3 && random.chance(0.4)
        var paid: [(EventID, Int64)] = []
        var contractual: [(EventID, Int64)] = []
        var patientShare: [(EventID, Int64)] = []
        for chargeID in claim.chargeIDs {
            guard let charge = charges[chargeID], !charge.isVoided, charge.owedCents[1] > 0 else { continue }
            let owed = charge.owedCents[1]
            if isDenied {
                patientShare.append((chargeID, owed))
                continue
            }
            let allowed = charge.amountCents * template.allowedThousandths / 1000
            let paidByPatient = charge.amountCents - owed
            let base = max(0, allowed - paidByPatient)
            let share = inDeductibleSeason ? base / 2 : base * template.coinsuranceThousandths / 1000
            let payment = base - share
            let adjustment = min(owed - payment - share, max(0, charge.amountCents - allowed))
            paid.append((chargeID, payment))
            contractual.append((chargeID, adjustment))
            patientShare.append((chargeID, owed - payment - adjustment))
        }
        let total = paid.reduce(0) { $0 + $1.1 }
        if total > 0 {
            let paymentID = try postPayment(
                patientIndex: claim.patientIndex,
                payer: .insurance(payerID: payerIDTexts[claim.primary.payerIndex], level: 1),
                method: .electronicFundsTransfer, reference: reference(for: .electronicFundsTransfer),
                amountCents: total, by: biller)
            for (chargeID, cents) in paid { try applyPayment(paymentID, to: chargeID, cents: cents, by: biller) }
        }
        for (chargeID, cents) in contractual {
            try postAdjustment(chargeID: chargeID, responsibility: 1, cents: cents, reasonCode: "CO-45")
        }
        let secondary = isDenied ? nil : claim.secondary
        for (chargeID, cents) in patientShare {
            try transfer(chargeID: chargeID, from: 1, to: secondary == nil ? 0 : 2, cents: cents)
        }
        guard patientShare.contains(where: { $0.1 > 0 }) else { return }
        if let secondary {
            schedule(officeDaysAfter: random.int64(in: 10...20), at: 10 * 60 + 45) { () throws(StoreError) in
                try self.receiveSecondaryRemittance(claim, secondary: secondary)
            }
        } else {
            schedulePatientStatement(patientIndex: claim.patientIndex, chargeIDs: claim.chargeIDs)
        }
    }

    /// The secondary payer pays what was moved to it.
    private func receiveSecondaryRemittance(_ claim: DemoClaim, secondary: DemoPatient.Coverage) throws(StoreError) {
        let owed = claim.chargeIDs.compactMap { charges[$0] }.filter { !$0.isVoided }.reduce(0) { $0 + $1.owedCents[2] }
        guard owed > 0 else { return }
        let paymentID = try postPayment(
            patientIndex: claim.patientIndex,
            payer: .insurance(payerID: payerIDTexts[secondary.payerIndex], level: 2),
            method: .electronicFundsTransfer, reference: reference(for: .electronicFundsTransfer), amountCents: owed,
            by: biller)
        try applyPayment(paymentID, across: claim.chargeIDs, by: biller)
    }

    // MARK: Patient statements

    /// Sends the patient a statement: most pay it in full within weeks (by check or card), some pay half, some
    /// never pay (their balance ages).
    func schedulePatientStatement(patientIndex: Int, chargeIDs: [EventID]) {
        let roll = random.unit()
        guard roll < 0.82 else { return }
        let fraction: Int64 = roll < 0.72 ? 2 : 1
        schedule(officeDaysAfter: random.int64(in: 10...40), at: random.int(in: (9 * 60)...(16 * 60))) {
            () throws(StoreError) in
            try self.receivePatientPayment(patientIndex: patientIndex, chargeIDs: chargeIDs, halves: fraction)
        }
    }

    /// A patient's payment of `halves`/2 of what they owe on the charges (a check may come back unpaid).
    private func receivePatientPayment(patientIndex: Int, chargeIDs: [EventID], halves: Int64) throws(StoreError) {
        let owed = chargeIDs.compactMap { charges[$0] }.filter { !$0.isVoided }.reduce(0) {
            $0 + max(0, $1.owedCents[0])
        }
        let amount = owed * halves / 2
        guard amount > 0 else { return }
        let method: PaymentMethod = random.chance(0.45) ? .check : .card
        let actor = method == .check ? biller : frontDesk[0]
        let paymentID = try postPayment(
            patientIndex: patientIndex, payer: .patient, method: method, reference: reference(for: method),
            amountCents: amount, by: actor)
        try applyPayment(paymentID, across: chargeIDs, by: actor)
        if method == .check { mayBounce(paymentID, patientIndex: patientIndex, chargeIDs: { chargeIDs }) }
    }

    // MARK: Day close

    /// The biller closes the office day with its totals, exactly as posted (the backup biller on Fridays once
    /// they hold the role).
    func closeDay() throws(StoreError) {
        let totals = try valid("day totals") {
            try DayTotals(
                charges: try MoneyCents(cents: dayTotals.chargesCents),
                payments: try MoneyCents(cents: dayTotals.paymentsCents),
                adjustments: try MoneyCents(cents: dayTotals.adjustmentsCents),
                refunds: try MoneyCents(cents: dayTotals.refundsCents),
                chargeVoids: try MoneyCents(cents: dayTotals.chargeVoidsCents),
                paymentVoids: try MoneyCents(cents: dayTotals.paymentVoidsCents))
        }
        let hasBackup = today >= DemoCalendar.officeDay(onOrAfter: staffChangeDays.backupBiller)
        let closer =
            hasBackup && DemoCalendar.weekday(ofDaysSince1970: today) == 5
            ? StaffActor(staffID: frontDesk[0].staffID, role: .biller) : biller
        try execute(.closeDay(daysSince1970: today, totals: totals), as: closer)
        closedDayCount += 1
    }
}

extension DemoSimulation {
    // MARK: The fee schedule

    /// The biller sets the fee of `procedure` (its default fee, for any modifiers) to `cents` from `day` on.
    func setFee(_ procedure: DemoCatalogue.Procedure, cents: Int64, from day: Int64) throws(StoreError) {
        let code = try valid("procedure") { try ProcedureCode(code: procedure.code) }
        try execute(
            .feeSchedule(
                .setFee(
                    procedure: code, amount: try valid("fee") { try MoneyCents(cents: cents) },
                    effectiveDaysSince1970: day, procedureDescription: procedure.name)),
            as: biller)
        feesCents[procedure.code] = cents
    }

    /// In December the biller enters next year's fees, every one 3% higher and rounded to the dollar, effective
    /// January 1: the visits of the rest of December are still charged at this year's fees.
    func raiseFees() throws(StoreError) {
        let nextYear = DemoCalendar.civilDate(ofDaysSince1970: today).year + 1
        let newYearsDay = DemoCalendar.daysSince1970(year: nextYear, month: 1, day: 1)
        for procedure in DemoCatalogue.feeSchedule {
            let current = feesCents[procedure.code] ?? procedure.feeCents
            let raised = (current * (1000 + DemoCatalogue.yearlyFeeIncreaseThousandths) / 1000 + 50) / 100 * 100
            try setFee(procedure, cents: raised, from: newYearsDay)
        }
    }
}
