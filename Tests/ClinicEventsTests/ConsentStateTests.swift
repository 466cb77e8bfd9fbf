import ClinicEvents
import RecordLog
import XCTest

final class ConsentStateTests: XCTestCase {
    private typealias F = ConsentFixture

    func testPermissionsAsOfATimeFollowEffectiveExpiryAndRevocation() throws {
        var fixture = ConsentFixture()
        try fixture.grantResearchConsent()
        try fixture.recordInsurerAuthorization()
        let state = fixture.state
        XCTAssertEqual(state.permissions(asOfMicroseconds: F.start + 4 * F.day), [])
        XCTAssertEqual(
            state.permissions(asOfMicroseconds: F.start + 5 * F.day).map(\.source), [.authorization(F.id(2))])
        let both = state.permissions(asOfMicroseconds: F.start + 10 * F.day)
        XCTAssertEqual(both.map(\.source), [.consent(F.id(1)), .authorization(F.id(2))])
        XCTAssertEqual(both[1].scope.recipientNames, ["Acme Life Insurance"])
        XCTAssertEqual(both[1].scope.purposes, [.thirdPartyRequest])
        XCTAssertEqual(state.permissions(asOfMicroseconds: F.start + 50 * F.day).map(\.source), [.consent(F.id(1))])
        XCTAssertEqual(state.permissions(asOfMicroseconds: F.start + 100 * F.day), [])
        try fixture.run(.revokeConsent(consentID: F.id(1), effectiveFromMicroseconds: F.start + 20 * F.day))
        XCTAssertEqual(
            fixture.state.permissions(asOfMicroseconds: F.start + 20 * F.day - 1).map(\.source),
            [.consent(F.id(1)), .authorization(F.id(2))])
        XCTAssertEqual(
            fixture.state.permissions(asOfMicroseconds: F.start + 20 * F.day).map(\.source),
            [.authorization(F.id(2))])
    }

    func testRestrictionsBindFromTheirAgreementOn() throws {
        var fixture = ConsentFixture()
        try fixture.run(
            .requestRestriction(
                restrictionID: F.id(3),
                scope: try DisclosureScope(recipientCategories: [.healthPlan], purposes: [.payment]),
                informationDescription: "visit paid out of pocket", requestedAtMicroseconds: F.start))
        XCTAssertEqual(fixture.state.restrictionsBinding(atMicroseconds: F.start + F.day), [])
        try fixture.run(.agreeRestriction(restrictionID: F.id(3), effectiveFromMicroseconds: F.start + F.day))
        XCTAssertEqual(fixture.state.restrictionsBinding(atMicroseconds: F.start + F.day - 1), [])
        XCTAssertEqual(
            fixture.state.restrictionsBinding(atMicroseconds: F.start + F.day).map(\.requested.restrictionID),
            [F.id(3)])
    }

    func testTheAccountingListsOnlyAccountableDisclosuresInTheWindow() throws {
        var fixture = ConsentFixture()
        try fixture.grantResearchConsent()
        try fixture.recordInsurerAuthorization()
        let provider = try DisclosureRecipient(name: "Mercy Hospital", category: .healthCareProvider)
        let county = try DisclosureRecipient(name: "County Health Dept", category: .governmentAgency)
        let patient = try DisclosureRecipient(name: "Zoë Ó Briain", category: .patient)
        let day20 = F.start + 20 * F.day
        try fixture.run(F.disclose(10, to: try F.researcher(), for: .research, on: .consent(F.id(1)), at: day20 + 2))
        try fixture.run(F.disclose(11, to: county, for: .publicHealth, on: .requiredOrPermittedByLaw, at: day20 + 1))
        try fixture.run(F.disclose(12, to: provider, for: .treatment, on: .treatment, at: day20))
        try fixture.run(
            F.disclose(13, to: try F.insurer(), for: .thirdPartyRequest, on: .authorization(F.id(2)), at: day20))
        for (index, category) in ExemptDisclosureCategory.allCases.enumerated() {
            try fixture.run(
                F.disclose(UInt64(20 + index), to: patient, for: .patientRequest, on: .exempt(category), at: day20))
        }
        try fixture.run(
            F.disclose(14, to: county, for: .publicHealth, on: .requiredOrPermittedByLaw, at: day20 + F.day))
        let window = fixture.state.accountableDisclosures(fromMicroseconds: day20, toMicroseconds: day20 + F.day)
        XCTAssertEqual(window.map(\.disclosureID), [F.id(11), F.id(10)])
        let all = fixture.state.accountableDisclosures(fromMicroseconds: 0, toMicroseconds: .max)
        XCTAssertEqual(all.map(\.disclosureID), [F.id(11), F.id(10), F.id(14)])
        XCTAssertEqual(all.first?.recipient.address, nil)
        XCTAssertEqual(window.last?.recipient.address, "200 Elm St")
    }

    func testEventsOfOtherPatientsOnlyAdvanceTheVersion() throws {
        let other = EventID(high: 0xD0, low: 1)
        let state = ConsentState(patientID: F.patient).applying([
            .consentGranted(
                try ConsentGranted(
                    consentID: F.id(1), patientID: other,
                    scope: try DisclosureScope(recipientCategories: [.researcher], purposes: [.research]),
                    effectiveFromMicroseconds: F.start)),
            .patientArrived(PatientArrived(appointmentID: F.id(2))),
        ])
        XCTAssertEqual(state.streamVersion, 2)
        XCTAssertTrue(state.consents.isEmpty)
        XCTAssertEqual(state.streamName, "consent-" + F.patient.description)
    }
}
