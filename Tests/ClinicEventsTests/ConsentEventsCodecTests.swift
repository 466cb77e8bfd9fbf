import ClinicEvents
import RecordLog
import XCTest

final class ConsentEventsCodecTests: XCTestCase {
    func testEveryConsentEventRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0xC0_5E27) { try $0.consentEvent() }
        XCTAssertEqual(seenTypes.count, 7)
    }

    private func disclosureBody(basisCode: UInt64, reference: EventID?, exempt: UInt64?) -> [UInt8] {
        var encoder = BinaryEncoder()
        encoder.writeEventID(EventID(high: 1, low: 1))
        encoder.writeEventID(EventID(high: 1, low: 2))
        encoder.writeVarUInt(7)
        encoder.writeVarUInt(6)
        encoder.writeVarUInt(basisCode)
        encoder.writeOptional(reference) { $0.writeEventID($1) }
        encoder.writeOptional(exempt) { $0.writeVarUInt($1) }
        encoder.writeVarInt(1_770_000_000_000_000)
        encoder.writeSealed(field: "patientData", patient: EventID(high: 1, low: 2)) { encoder in
            encoder.writeString("County Health Dept")
            encoder.writeOptional(String?.none) { $0.writeString($1) }
            encoder.writeString("immunizations")
        }
        return encoder.bytes
    }

    func testALegalBasisWithoutItsReferenceIsRefused() throws {
        let body = disclosureBody(basisCode: 4, reference: nil, exempt: nil)
        XCTAssertThrowsError(try BinaryDecoder.decode(body) { try DisclosureRecorded.decode(from: &$0) }) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .ruleViolated(rule: "legalBasisShape"))
        }
        let exemptWithReference = disclosureBody(basisCode: 7, reference: EventID(high: 3, low: 3), exempt: 1)
        XCTAssertThrowsError(
            try BinaryDecoder.decode(exemptWithReference) { try DisclosureRecorded.decode(from: &$0) }
        ) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .ruleViolated(rule: "legalBasisShape"))
        }
        let valid = disclosureBody(basisCode: 6, reference: nil, exempt: nil)
        let decoded = try BinaryDecoder.decode(valid) { try DisclosureRecorded.decode(from: &$0) }
        XCTAssertEqual(decoded.legalBasis, .requiredOrPermittedByLaw)
    }

    func testUnknownCodesAreRefused() throws {
        XCTAssertThrowsError(
            try BinaryDecoder.decode(disclosureBody(basisCode: 8, reference: nil, exempt: nil)) {
                try DisclosureRecorded.decode(from: &$0)
            }
        ) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .unknownEnumerationCode)
        }
        XCTAssertThrowsError(
            try BinaryDecoder.decode(disclosureBody(basisCode: 7, reference: nil, exempt: 99)) {
                try DisclosureRecorded.decode(from: &$0)
            }
        ) {
            XCTAssertEqual(($0 as? EventDecodingError)?.kind, .unknownEnumerationCode)
        }
    }

    func testFieldRulesOfTheNewEvents() throws {
        let patient = EventID(high: 1, low: 2)
        XCTAssertThrowsError(try DisclosureScope(purposes: [.research])) {
            XCTAssertEqual($0 as? DisclosureScope.ValidationError, .noRecipient)
        }
        XCTAssertThrowsError(try DisclosureScope(recipientCategories: [.employer], purposes: [])) {
            XCTAssertEqual($0 as? DisclosureScope.ValidationError, .noPurpose)
        }
        let scope = try DisclosureScope(recipientCategories: [.employer], purposes: [.thirdPartyRequest])
        XCTAssertThrowsError(
            try ConsentGranted(
                consentID: patient, patientID: patient, scope: scope, effectiveFromMicroseconds: 10,
                expiresAtMicroseconds: 10)
        ) {
            XCTAssertEqual($0 as? ConsentGranted.ValidationError, .expiryNotAfterEffective)
        }
        let recipient = try DisclosureRecipient(name: "Acme", category: .employer)
        XCTAssertThrowsError(
            try AuthorizationRecorded(
                authorizationID: patient, patientID: patient, recipient: recipient, purpose: .thirdPartyRequest,
                informationDescription: "all records", expiresAtMicroseconds: nil, expiryEvent: nil, signedBy: "Zoë",
                signedAtMicroseconds: 10)
        ) {
            XCTAssertEqual($0 as? AuthorizationRecorded.ValidationError, .expiryRequired)
        }
        XCTAssertThrowsError(try DisclosureRecipient(name: "", category: .employer)) {
            XCTAssertEqual($0 as? DisclosureRecipient.ValidationError, .recipientNameLength)
        }
    }
}
