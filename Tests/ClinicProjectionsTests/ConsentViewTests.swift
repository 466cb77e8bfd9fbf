import ClinicEvents
import ClinicProjections
import RecordLog
import RecordLogTesting
import XCTest

/// The consent view against a hand-built history: permissions as of different times, restrictions, and the 164.528
/// accounting that leaves out treatment, authorization and exempt disclosures.
final class ConsentViewTests: XCTestCase {
    func testPermissionsRestrictionsAndAccounting() throws {
        let office = try TestOffice()
        let patient = patientID(1)
        let stream = ConsentState.streamName(for: patient)
        let t0 = office.now
        let hour: Int64 = 3_600_000_000
        let consentID = itemID(1)
        let authorizationID = itemID(2)
        let provider = try DisclosureRecipient(name: "Dr. Outside", category: .healthCareProvider, address: "1 Main St")
        try office.append(
            .consentGranted(
                try ConsentGranted(
                    consentID: consentID, patientID: patient,
                    scope: try DisclosureScope(recipientCategories: [.healthCareProvider], purposes: [.research]),
                    effectiveFromMicroseconds: t0, expiresAtMicroseconds: t0 + 10 * dayMicroseconds)), to: stream)
        try office.append(
            .authorizationRecorded(
                try AuthorizationRecorded(
                    authorizationID: authorizationID, patientID: patient,
                    recipient: try DisclosureRecipient(name: "Acme Insurance", category: .healthPlan),
                    purpose: .thirdPartyRequest, informationDescription: "claims history", expiresAtMicroseconds: nil,
                    expiryEvent: "end of the claim", signedBy: "the patient", signedAtMicroseconds: t0)), to: stream)
        try office.append(
            .restrictionRequested(
                try RestrictionRequested(
                    restrictionID: itemID(3), patientID: patient,
                    scope: try DisclosureScope(recipientCategories: [.employer], purposes: [.thirdPartyRequest]),
                    informationDescription: "everything", requestedAtMicroseconds: t0)), to: stream)
        try office.append(
            .restrictionAgreed(
                try RestrictionAgreed(
                    restrictionID: itemID(3), patientID: patient, effectiveFromMicroseconds: t0 + hour)),
            to: stream)
        func disclose(_ id: EventID, basis: DisclosureLegalBasis, purpose: DisclosurePurpose, at time: Int64) throws {
            try office.append(
                .disclosureRecorded(
                    try DisclosureRecorded(
                        disclosureID: id, patientID: patient, recipient: provider, purpose: purpose,
                        informationDescription: "visit summary", legalBasis: basis, disclosedAtMicroseconds: time)),
                to: stream)
        }
        try disclose(itemID(10), basis: .consent(consentID), purpose: .research, at: t0 + hour)
        try disclose(itemID(11), basis: .treatment, purpose: .treatment, at: t0 + 2 * hour)
        try disclose(itemID(12), basis: .requiredOrPermittedByLaw, purpose: .publicHealth, at: t0 + 3 * hour)
        try disclose(itemID(13), basis: .exempt(.toPatient), purpose: .patientRequest, at: t0 + 4 * hour)
        try office.append(
            .consentRevoked(
                try ConsentRevoked(
                    consentID: consentID, patientID: patient, effectiveFromMicroseconds: t0 + 3 * dayMicroseconds)),
            to: stream)

        let view = try office.replayer.rebuild(ConsentView()).view
        XCTAssertEqual(
            view.permissions(of: patient, atMicroseconds: t0 + dayMicroseconds).map(\.source),
            [.consent(consentID), .authorization(authorizationID)])
        XCTAssertEqual(
            view.permissions(of: patient, atMicroseconds: t0 + 4 * dayMicroseconds).map(\.source),
            [.authorization(authorizationID)])
        XCTAssertEqual(view.restrictions(of: patient, atMicroseconds: t0).count, 0)
        XCTAssertEqual(view.restrictions(of: patient, atMicroseconds: t0 + hour).count, 1)
        XCTAssertEqual(view.disclosures(of: patient).count, 4)
        XCTAssertEqual(
            view.accounting(of: patient, fromMicroseconds: t0, toMicroseconds: t0 + 30 * dayMicroseconds).map(
                \.disclosureID),
            [itemID(10), itemID(12)])
        XCTAssertEqual(try ConsentView().decodingState(fromBytes: view.stateBytes), view)

        // As it was known before the revocation was recorded, the consent still permits at day 4.
        let events = try office.allEvents()
        let before = try office.replayer.view(ConsentView(), asOfPosition: try XCTUnwrap(events.last).position)
        XCTAssertEqual(before.permissions(of: patient, atMicroseconds: t0 + 4 * dayMicroseconds).count, 2)

        try office.erase(patient)
        let erased = try office.replayer.rebuild(ConsentView()).view
        XCTAssertTrue(erased.isErased(patient))
        XCTAssertEqual(erased.disclosures(of: patient), [])
        XCTAssertFalse(String(decoding: erased.stateBytes, as: UTF8.self).contains("Dr. Outside"))
    }
}
