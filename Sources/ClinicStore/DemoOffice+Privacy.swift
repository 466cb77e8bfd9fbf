import ClinicEvents
import RecordLog

extension DemoSimulation {
    private static let yearMicroseconds: Int64 = 365 * 86_400 * 1_000_000

    /// The privacy work that follows a visit now and then: a referral letter to a specialist (a treatment
    /// disclosure), a copy of the record for the patient, an immunization report to public health, a research
    /// consent, an authorization from an attorney or a life insurer, a restriction on disclosures to the health plan.
    func handlePrivacyRequests(after index: Int, clerk: StaffActor) throws(StoreError) {
        let appointment = appointments[index]
        let patientIndex = appointment.patientIndex
        let now = clock.nowMicroseconds()
        if random.chance(0.06) {
            try disclose(
                patientIndex: patientIndex,
                recipient: try recipient(random.pick(DemoCatalogue.specialists), .healthCareProvider),
                purpose: .treatment, description: "Referral letter, last visit note and medication list",
                basis: .treatment, by: clerk)
        }
        if happens(.recordsToPatient, 0.007) {
            try disclose(
                patientIndex: patientIndex, recipient: try recipient("The patient", .patient),
                purpose: .patientRequest, description: "Copy of visit notes and laboratory results of the last year",
                basis: .exempt(.toPatient), by: clerk)
        }
        if appointment.chargeIDs.contains(where: { isVaccine($0) }), happens(.publicHealthReport, 0.3) {
            try disclose(
                patientIndex: patientIndex,
                recipient: try recipient(DemoCatalogue.publicHealthAgency, .governmentAgency), purpose: .publicHealth,
                description: "Immunization record for the state immunization registry",
                basis: .requiredOrPermittedByLaw, by: nurse)
        }
        if !patients[patientIndex].chronicConditions.isEmpty, patients[patientIndex].researchConsentID == nil,
            happens(.researchConsent, 0.03)
        {
            try grantResearchConsent(patientIndex: patientIndex, now: now, clerk: clerk)
        }
        if happens(.authorization, 0.0025) {
            let providerIndex = appointment.providerIndex
            schedule(officeDaysAfter: random.int64(in: 3...15), at: 11 * 60) { () throws(StoreError) in
                try self.recordAuthorization(patientIndex: patientIndex, providerIndex: providerIndex)
            }
        }
        if !patients[patientIndex].hasRestrictionRequest, happens(.restriction, 0.0015) {
            try requestRestriction(patientIndex: patientIndex, now: now, clerk: clerk)
        }
    }

    private func isVaccine(_ chargeID: EventID) -> Bool {
        charges[chargeID]?.procedureCode == DemoCatalogue.vaccineAdministration.code
    }

    /// A disclosure recipient (the catalogue's names are all well formed).
    private func recipient(_ name: String, _ category: RecipientCategory) throws(StoreError) -> DisclosureRecipient {
        try valid("recipient") { try DisclosureRecipient(name: name, category: category) }
    }

    /// Records a disclosure made now.
    private func disclose(
        patientIndex: Int, recipient: DisclosureRecipient, purpose: DisclosurePurpose, description: String,
        basis: DisclosureLegalBasis, by actor: StaffActor
    ) throws(StoreError) {
        try execute(
            .consent(
                patientID: patients[patientIndex].patientID,
                .recordDisclosure(
                    disclosureID: random.eventID(), recipient: recipient, purpose: purpose,
                    informationDescription: description, legalBasis: basis,
                    disclosedAtMicroseconds: clock.nowMicroseconds())),
            as: actor)
    }

    /// The patient consents to share their data with the chronic disease registry for two years; the compliance
    /// officer sends it some weeks later, and some patients revoke the consent afterwards.
    private func grantResearchConsent(patientIndex: Int, now: Int64, clerk: StaffActor) throws(StoreError) {
        let consentID = random.eventID()
        let scope = try valid("scope") {
            try DisclosureScope(recipientNames: [DemoCatalogue.researchRegistry], purposes: [.research])
        }
        try execute(
            .consent(
                patientID: patients[patientIndex].patientID,
                .grantConsent(
                    consentID: consentID, scope: scope, effectiveFromMicroseconds: now,
                    expiresAtMicroseconds: now + 2 * Self.yearMicroseconds)),
            as: clerk)
        patients[patientIndex].researchConsentID = consentID
        schedule(officeDaysAfter: random.int64(in: 5...15), at: 15 * 60) { () throws(StoreError) in
            try self.disclose(
                patientIndex: patientIndex, recipient: try self.recipient(DemoCatalogue.researchRegistry, .researcher),
                purpose: .research, description: "Diagnoses, medications and laboratory values for the registry",
                basis: .consent(consentID), by: self.compliance)
            guard self.happens(.consentRevoked, 0.15, warmUp: 1) else { return }
            self.schedule(officeDaysAfter: self.random.int64(in: 10...30), at: 10 * 60 + 30) {
                () throws(StoreError) in
                try self.execute(
                    .consent(
                        patientID: self.patients[patientIndex].patientID,
                        .revokeConsent(consentID: consentID, effectiveFromMicroseconds: self.clock.nowMicroseconds())),
                    as: self.frontDesk[0])
            }
        }
    }

    /// An attorney or a life insurer sends the patient's signed authorization; the compliance officer sends the
    /// records some days later; a few patients revoke the authorization afterwards.
    private func recordAuthorization(patientIndex: Int, providerIndex: Int) throws(StoreError) {
        let isAttorney = random.chance(0.5)
        let recipient = try recipient(
            random.pick(isAttorney ? DemoCatalogue.attorneys : DemoCatalogue.lifeInsurers),
            isAttorney ? .attorney : .other)
        let purpose: DisclosurePurpose = isAttorney ? .legalProceedings : .thirdPartyRequest
        let now = clock.nowMicroseconds()
        let authorizationID = random.eventID()
        let description =
            "Office visit notes, problem list and billing records from \(DemoCalendar.isoDate(today - 730)) "
            + "to \(DemoCalendar.isoDate(today))"
        try execute(
            .consent(
                patientID: patients[patientIndex].patientID,
                .recordAuthorization(
                    authorizationID: authorizationID, recipient: recipient, purpose: purpose,
                    informationDescription: description, expiresAtMicroseconds: now + Self.yearMicroseconds / 2,
                    expiryEvent: nil, signedBy: "The patient", signedAtMicroseconds: now - 2 * 86_400_000_000)),
            as: frontDesk(for: providerIndex))
        schedule(officeDaysAfter: random.int64(in: 3...10), at: 14 * 60 + 30) { () throws(StoreError) in
            try self.disclose(
                patientIndex: patientIndex, recipient: recipient, purpose: purpose, description: description,
                basis: .authorization(authorizationID), by: self.compliance)
            guard self.happens(.authorizationRevoked, 0.2, warmUp: 1) else { return }
            self.schedule(officeDaysAfter: self.random.int64(in: 10...30), at: 10 * 60 + 40) {
                () throws(StoreError) in
                try self.execute(
                    .consent(
                        patientID: self.patients[patientIndex].patientID,
                        .revokeConsent(
                            consentID: authorizationID, effectiveFromMicroseconds: self.clock.nowMicroseconds())),
                    as: self.frontDesk[0])
            }
        }
    }

    /// The patient asks that a visit they paid for themselves not be disclosed to their health plan (164.522); the
    /// compliance officer agrees, and when the biller later tries to send the plan the record for payment, the
    /// agreed restriction refuses it.
    private func requestRestriction(patientIndex: Int, now: Int64, clerk: StaffActor) throws(StoreError) {
        let restrictionID = random.eventID()
        let scope = try valid("scope") { try DisclosureScope(recipientCategories: [.healthPlan], purposes: [.payment]) }
        let patientID = patients[patientIndex].patientID
        try execute(
            .consent(
                patientID: patientID,
                .requestRestriction(
                    restrictionID: restrictionID, scope: scope,
                    informationDescription: "Services of the visit on \(DemoCalendar.isoDate(today)), paid in full "
                        + "out of pocket", requestedAtMicroseconds: now)),
            as: clerk)
        patients[patientIndex].hasRestrictionRequest = true
        schedule(officeDaysAfter: random.int64(in: 1...5), at: 13 * 60 + 30) { () throws(StoreError) in
            try self.execute(
                .consent(
                    patientID: patientID,
                    .agreeRestriction(
                        restrictionID: restrictionID, effectiveFromMicroseconds: self.clock.nowMicroseconds())),
                as: self.compliance)
            self.schedule(officeDaysAfter: self.random.int64(in: 2...10), at: 16 * 60 + 40) { () throws(StoreError) in
                let planName =
                    self.patients[patientIndex].primaryCoverage.map { DemoCatalogue.payers[$0.payerIndex].name }
                    ?? "Health plan"
                try self.demonstrateRefusal(
                    .consent(
                        patientID: patientID,
                        .recordDisclosure(
                            disclosureID: self.random.eventID(), recipient: try self.recipient(planName, .healthPlan),
                            purpose: .payment, informationDescription: "Visit note for claim review",
                            legalBasis: .payment, disclosedAtMicroseconds: self.clock.nowMicroseconds())),
                    as: self.biller, expecting: "restrictedByAgreement")
            }
        }
    }
}
