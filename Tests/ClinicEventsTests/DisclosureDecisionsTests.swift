import ClinicEvents
import RecordLog
import RecordLogTesting
import XCTest

final class DisclosureDecisionsTests: XCTestCase {
    private typealias F = ConsentFixture

    func testTreatmentPaymentAndOperationsNeedNoConsent() throws {
        var fixture = ConsentFixture()
        let provider = try DisclosureRecipient(name: "Mercy Hospital", category: .healthCareProvider)
        try fixture.run(F.disclose(10, to: provider, for: .treatment, on: .treatment, at: F.start))
        try fixture.run(F.disclose(11, to: try F.healthPlan(), for: .payment, on: .payment, at: F.start))
        try fixture.run(
            F.disclose(12, to: provider, for: .healthCareOperations, on: .healthCareOperations, at: F.start))
        XCTAssertEqual(fixture.state.disclosures.count, 3)
        fixture.assertRefused(
            F.disclose(13, to: provider, for: .research, on: .treatment, at: F.start), .basisDoesNotMatchPurpose)
    }

    func testADisclosureWithoutACoveringConsentIsRefused() throws {
        var fixture = ConsentFixture()
        fixture.assertRefused(
            F.disclose(10, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: F.start + 20 * F.day),
            .consentNotFound)
        try fixture.grantResearchConsent()
        let employer = try DisclosureRecipient(name: "Globex", category: .employer)
        fixture.assertRefused(
            F.disclose(10, to: employer, for: .research, on: .consent(F.id(1)), at: F.start + 20 * F.day),
            .consentDoesNotCover)
        fixture.assertRefused(
            F.disclose(10, to: try F.researcher(), for: .marketing, on: .consent(F.id(1)), at: F.start + 20 * F.day),
            .consentDoesNotCover)
        let before = fixture.state
        fixture.assertRefused(
            F.disclose(10, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: F.start + 9 * F.day),
            .consentNotYetEffective)
        XCTAssertEqual(fixture.state, before)
    }

    func testACoveringConsentAllowsByNameAndByCategory() throws {
        var fixture = ConsentFixture()
        try fixture.grantResearchConsent()
        let decision = try fixture.run(
            F.disclose(10, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: F.start + 10 * F.day))
        XCTAssertEqual(decision.decidedOnStreamVersion, 1)
        try fixture.run(
            F.disclose(11, to: try F.insurer(), for: .research, on: .consent(F.id(1)), at: F.start + 20 * F.day))
        XCTAssertEqual(fixture.state.streamVersion, 3)
    }

    func testConsentExpiryBoundary() throws {
        var fixture = ConsentFixture()
        try fixture.grantResearchConsent()
        let expiry = F.start + 100 * F.day
        try fixture.run(
            F.disclose(10, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: expiry - 1))
        fixture.assertRefused(
            F.disclose(11, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: expiry),
            .consentExpired)
    }

    func testARevokedConsentStopsCoveringFromItsRevocationOnNotBefore() throws {
        var fixture = ConsentFixture()
        try fixture.grantResearchConsent()
        let revocation = F.start + 30 * F.day
        try fixture.run(.revokeConsent(consentID: F.id(1), effectiveFromMicroseconds: revocation))
        try fixture.run(
            F.disclose(10, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: revocation - 1))
        fixture.assertRefused(
            F.disclose(11, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: revocation),
            .consentRevoked)
        fixture.assertRefused(
            .revokeConsent(consentID: F.id(1), effectiveFromMicroseconds: revocation), .consentAlreadyRevoked)
        fixture.assertRefused(
            .revokeConsent(consentID: F.id(9), effectiveFromMicroseconds: revocation), .consentNotFound)
    }

    func testARevocationCannotReachBackBeforeReliedOnDisclosures() throws {
        var fixture = ConsentFixture()
        try fixture.grantResearchConsent()
        try fixture.run(
            F.disclose(10, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: F.start + 40 * F.day))
        fixture.assertRefused(
            .revokeConsent(consentID: F.id(1), effectiveFromMicroseconds: F.start + 40 * F.day),
            .revocationBeforeReliedOnDisclosure)
        try fixture.run(.revokeConsent(consentID: F.id(1), effectiveFromMicroseconds: F.start + 40 * F.day + 1))
    }

    func testAnAuthorizationCoversItsRecipientAndPurposeUntilItExpires() throws {
        var fixture = ConsentFixture()
        try fixture.recordInsurerAuthorization()
        let basis = DisclosureLegalBasis.authorization(F.id(2))
        fixture.assertRefused(
            F.disclose(10, to: try F.insurer(), for: .thirdPartyRequest, on: basis, at: F.start + 5 * F.day - 1),
            .authorizationNotYetSigned)
        try fixture.run(
            F.disclose(10, to: try F.insurer(), for: .thirdPartyRequest, on: basis, at: F.start + 5 * F.day))
        try fixture.run(
            F.disclose(11, to: try F.insurer(), for: .thirdPartyRequest, on: basis, at: F.start + 50 * F.day - 1))
        fixture.assertRefused(
            F.disclose(12, to: try F.insurer(), for: .thirdPartyRequest, on: basis, at: F.start + 50 * F.day),
            .authorizationExpired)
        fixture.assertRefused(
            F.disclose(12, to: try F.researcher(), for: .thirdPartyRequest, on: basis, at: F.start + 6 * F.day),
            .authorizationDoesNotCover)
        fixture.assertRefused(
            F.disclose(12, to: try F.insurer(), for: .marketing, on: basis, at: F.start + 6 * F.day),
            .authorizationDoesNotCover)
        fixture.assertRefused(
            F.disclose(12, to: try F.insurer(), for: .thirdPartyRequest, on: .authorization(F.id(9)), at: F.start),
            .authorizationNotFound)
    }

    func testARevokedAuthorizationStopsCovering() throws {
        var fixture = ConsentFixture()
        try fixture.recordInsurerAuthorization(expiresAt: nil)
        let revocation = F.start + 200 * F.day
        try fixture.run(.revokeConsent(consentID: F.id(2), effectiveFromMicroseconds: revocation))
        let basis = DisclosureLegalBasis.authorization(F.id(2))
        try fixture.run(F.disclose(10, to: try F.insurer(), for: .thirdPartyRequest, on: basis, at: revocation - 1))
        fixture.assertRefused(
            F.disclose(11, to: try F.insurer(), for: .thirdPartyRequest, on: basis, at: revocation),
            .authorizationRevoked)
    }

    func testAnAgreedRestrictionRefusesTheDisclosuresItCovers() throws {
        var fixture = ConsentFixture()
        try fixture.run(
            .requestRestriction(
                restrictionID: F.id(3),
                scope: try DisclosureScope(recipientCategories: [.healthPlan], purposes: [.payment]),
                informationDescription: "visit paid out of pocket", requestedAtMicroseconds: F.start))
        let agreedAt = F.start + 2 * F.day
        try fixture.run(F.disclose(10, to: try F.healthPlan(), for: .payment, on: .payment, at: agreedAt))
        fixture.assertRefused(
            .agreeRestriction(restrictionID: F.id(3), effectiveFromMicroseconds: agreedAt),
            .roleNotPermitted(command: "agreeRestriction", role: .frontDesk), by: .frontDesk)
        try fixture.run(.agreeRestriction(restrictionID: F.id(3), effectiveFromMicroseconds: agreedAt))
        try fixture.run(F.disclose(11, to: try F.healthPlan(), for: .payment, on: .payment, at: agreedAt - 1))
        fixture.assertRefused(
            F.disclose(12, to: try F.healthPlan(), for: .payment, on: .payment, at: agreedAt), .restrictedByAgreement)
        let provider = try DisclosureRecipient(name: "Mercy Hospital", category: .healthCareProvider)
        try fixture.run(F.disclose(12, to: provider, for: .treatment, on: .treatment, at: agreedAt))
        try fixture.run(
            F.disclose(13, to: try F.healthPlan(), for: .payment, on: .requiredOrPermittedByLaw, at: agreedAt))
        fixture.assertRefused(
            .agreeRestriction(restrictionID: F.id(3), effectiveFromMicroseconds: agreedAt), .restrictionAlreadyAgreed)
        fixture.assertRefused(
            .agreeRestriction(restrictionID: F.id(4), effectiveFromMicroseconds: agreedAt), .restrictionNotFound)
    }

    func testExemptCategoriesAndLawNeedNoConsent() throws {
        var fixture = ConsentFixture()
        let patient = try DisclosureRecipient(name: "Zoë Ó Briain", category: .patient)
        for (index, category) in ExemptDisclosureCategory.allCases.enumerated() {
            try fixture.run(
                F.disclose(UInt64(20 + index), to: patient, for: .patientRequest, on: .exempt(category), at: F.start))
        }
        let county = try DisclosureRecipient(name: "County Health Dept", category: .governmentAgency)
        try fixture.run(F.disclose(40, to: county, for: .publicHealth, on: .requiredOrPermittedByLaw, at: F.start))
        XCTAssertEqual(fixture.state.disclosures.count, ExemptDisclosureCategory.allCases.count + 1)
    }

    func testIdsTimesRolesAndFieldRules() throws {
        var fixture = ConsentFixture()
        let provider = try DisclosureRecipient(name: "Mercy Hospital", category: .healthCareProvider)
        try fixture.run(F.disclose(10, to: provider, for: .treatment, on: .treatment, at: F.start))
        fixture.assertRefused(
            F.disclose(10, to: provider, for: .treatment, on: .treatment, at: F.start), .idAlreadyUsed)
        let tolerance = ConsentState.futureToleranceMicroseconds
        try fixture.run(F.disclose(11, to: provider, for: .treatment, on: .treatment, at: fixture.now + tolerance))
        fixture.assertRefused(
            F.disclose(12, to: provider, for: .treatment, on: .treatment, at: fixture.now + tolerance + 1),
            .disclosureInFuture)
        fixture.assertRefused(
            F.disclose(12, to: provider, for: .treatment, on: .treatment, at: F.start),
            .roleNotPermitted(command: "recordDisclosure", role: .system), by: .system)
        fixture.assertRefused(
            .acknowledgePrivacyNotice(noticeVersion: "", acknowledgedAtMicroseconds: F.start),
            .detailsInvalid(rule: "noticeVersionLength"))
        try fixture.run(.acknowledgePrivacyNotice(noticeVersion: "2026-01", acknowledgedAtMicroseconds: F.start))
        XCTAssertEqual(fixture.state.noticeAcknowledgements.count, 1)
    }

    func testEveryRefusalMessageIsOneSentenceWithoutPatientData() {
        let refusals: [DisclosureRefusal] = [
            .roleNotPermitted(command: "recordDisclosure", role: .system), .detailsInvalid(rule: "textLength"),
            .idAlreadyUsed, .consentNotFound, .consentAlreadyRevoked, .revocationBeforeReliedOnDisclosure,
            .restrictionNotFound, .restrictionAlreadyAgreed, .disclosureInFuture, .basisDoesNotMatchPurpose,
            .consentNotYetEffective, .consentExpired, .consentRevoked, .consentDoesNotCover, .authorizationNotFound,
            .authorizationNotYetSigned, .authorizationExpired, .authorizationRevoked, .authorizationDoesNotCover,
            .restrictedByAgreement,
        ]
        for refusal in refusals {
            let message = refusal.message
            XCTAssertTrue(message.hasSuffix("."), message)
            XCTAssertEqual(message.filter { $0 == "." }.count, message.contains("164.522") ? 2 : 1, message)
            XCTAssertTrue(message.contains(";"), message)
        }
    }

    /// Random histories of commands: every accepted disclosure was covered at its time by an independent reading of
    /// the events, every refused one was not, and refusals change nothing.
    func testRandomHistoriesKeepTheCoverageRules() throws {
        var acceptedUnderConsentOrAuthorization = 0
        var refusedAsUncovered = 0
        for seed: UInt64 in 1...100 {
            var generator = EventGenerator(seed: seed)
            var fixture = ConsentFixture()
            var events: [ClinicEvent] = []
            let recipients = [
                try F.researcher(), try F.insurer(), try F.healthPlan(),
                try DisclosureRecipient(name: "Globex", category: .employer),
            ]
            for step in 0..<200 {
                let time = F.start + generator.int64(0...30) * F.day + generator.pick([-1, 0, 1] as [Int64])
                let id = F.id(UInt64(generator.int(1...5)))
                let purpose = generator.pick(
                    [.research, .payment, .thirdPartyRequest, .marketing] as [DisclosurePurpose])
                let command: ConsentCommand
                switch generator.int(0...8) {
                case 0:
                    command = .grantConsent(
                        consentID: id, scope: try Self.scope(&generator, over: recipients),
                        effectiveFromMicroseconds: time,
                        expiresAtMicroseconds: generator.bool() ? nil : time + generator.int64(1...20) * F.day)
                case 1:
                    command = .recordAuthorization(
                        authorizationID: id, recipient: generator.pick(recipients), purpose: purpose,
                        informationDescription: "records",
                        expiresAtMicroseconds: time + generator.int64(1...20) * F.day,
                        expiryEvent: nil, signedBy: "patient", signedAtMicroseconds: time)
                case 2: command = .revokeConsent(consentID: id, effectiveFromMicroseconds: time)
                case 3:
                    command = .requestRestriction(
                        restrictionID: id, scope: try Self.scope(&generator, over: recipients),
                        informationDescription: "x",
                        requestedAtMicroseconds: time)
                case 4: command = .agreeRestriction(restrictionID: id, effectiveFromMicroseconds: time)
                default:
                    let basis: DisclosureLegalBasis =
                        switch generator.int(0...3) {
                        case 0: .consent(id)
                        case 1: .authorization(id)
                        case 2: .payment
                        default: .exempt(generator.pick(ExemptDisclosureCategory.allCases))
                        }
                    command = F.disclose(
                        UInt64(100 + step), to: generator.pick(recipients), for: basis == .payment ? .payment : purpose,
                        on: basis, at: time)
                }
                let before = fixture.state
                let expected = Self.coverage(of: command, given: events)
                do {
                    let decision = try fixture.run(command)
                    XCTAssertEqual(decision.decidedOnStreamVersion, UInt64(events.count))
                    events += decision.events
                    if expected == false { XCTFail("seed \(seed) step \(step): accepted an uncovered disclosure") }
                    if case .disclosureRecorded(let body) = decision.events.first, body.legalBasis.referencedID != nil {
                        acceptedUnderConsentOrAuthorization += 1
                    }
                } catch let refusal as DisclosureRefusal {
                    XCTAssertEqual(fixture.state, before)
                    if expected == false { refusedAsUncovered += 1 }
                    if expected == true, refusal != .idAlreadyUsed {
                        XCTFail("seed \(seed) step \(step): refused a covered disclosure: \(refusal)")
                    }
                }
            }
            XCTAssertEqual(ConsentState(patientID: F.patient).applying(events), fixture.state)
            let accounting = fixture.state.accountableDisclosures(fromMicroseconds: 0, toMicroseconds: .max)
            XCTAssertEqual(
                accounting.count,
                fixture.state.disclosures.filter { if case .consent = $0.legalBasis { true } else { false } }.count)
        }
        XCTAssertGreaterThan(acceptedUnderConsentOrAuthorization, 20)
        XCTAssertGreaterThan(refusedAsUncovered, 20)
    }

    /// A scope over the test's recipients and purposes, so that random disclosures often fall inside it.
    private static func scope(
        _ generator: inout EventGenerator, over recipients: [DisclosureRecipient]
    ) throws -> DisclosureScope {
        let chosen = Array(recipients.shuffled(using: &generator.random).prefix(generator.int(1...3)))
        let byName = generator.bool()
        let purposes: [DisclosurePurpose] = [.research, .payment, .thirdPartyRequest, .marketing]
        return try DisclosureScope(
            recipientNames: byName ? chosen.map(\.name) : [],
            recipientCategories: byName ? [] : chosen.map(\.category),
            purposes: Array(purposes.shuffled(using: &generator.random).prefix(generator.int(1...3))))
    }

    /// Whether a disclosure command is covered, read directly from the events; nil for other commands.
    private static func coverage(of command: ConsentCommand, given events: [ClinicEvent]) -> Bool? {
        guard case .recordDisclosure(_, let recipient, let purpose, _, let basis, let time) = command else {
            return nil
        }
        let revokedFrom = events.compactMap { event -> (EventID, Int64)? in
            if case .consentRevoked(let body) = event { (body.consentID, body.effectiveFromMicroseconds) } else { nil }
        }
        func revoked(_ id: EventID) -> Bool { revokedFrom.contains { $0.0 == id && $0.1 <= time } }
        let covered: Bool
        switch basis {
        case .consent(let id):
            covered =
                events.contains { event in
                    guard case .consentGranted(let body) = event, body.consentID == id else { return false }
                    return body.effectiveFromMicroseconds <= time && (body.expiresAtMicroseconds ?? .max) > time
                        && body.scope.purposes.contains(purpose)
                        && (body.scope.recipientNames.contains(recipient.name)
                            || body.scope.recipientCategories.contains(recipient.category))
                } && !revoked(id)
        case .authorization(let id):
            covered =
                events.contains { event in
                    guard case .authorizationRecorded(let body) = event, body.authorizationID == id else {
                        return false
                    }
                    return body.signedAtMicroseconds <= time && (body.expiresAtMicroseconds ?? .max) > time
                        && body.recipient.name == recipient.name && body.purpose == purpose
                } && !revoked(id)
        case .exempt: return true
        default: covered = true
        }
        let agreed = events.compactMap { event -> (EventID, Int64)? in
            if case .restrictionAgreed(let body) = event {
                (body.restrictionID, body.effectiveFromMicroseconds)
            } else {
                nil
            }
        }
        let restricted = events.contains { event in
            guard case .restrictionRequested(let body) = event else { return false }
            return agreed.contains { $0.0 == body.restrictionID && $0.1 <= time }
                && body.scope.purposes.contains(purpose)
                && (body.scope.recipientNames.contains(recipient.name)
                    || body.scope.recipientCategories.contains(recipient.category))
        }
        return covered && !restricted
    }
}

extension DisclosureLegalBasis {
    /// The consent or authorization the basis names; nil for the others.
    fileprivate var referencedID: EventID? {
        switch self {
        case .consent(let id), .authorization(let id): id
        default: nil
        }
    }
}
