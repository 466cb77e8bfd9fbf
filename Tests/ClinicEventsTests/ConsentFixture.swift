import ClinicEvents
import RecordLog
import XCTest

/// A patient's consent stream with fixed ids and times, for the consent and disclosure tests.
struct ConsentFixture {
    static let patient = EventID(high: 0xC0, low: 1)
    static let day: Int64 = 86_400_000_000
    /// 2026-01-01T00:00Z.
    static let start: Int64 = 1_767_225_600_000_000

    static func id(_ low: UInt64) -> EventID { EventID(high: 0xC1, low: low) }

    static func researcher() throws -> DisclosureRecipient {
        try DisclosureRecipient(name: "Dra. Ana Núñez", category: .researcher, address: "200 Elm St")
    }

    static func insurer() throws -> DisclosureRecipient {
        try DisclosureRecipient(name: "Acme Life Insurance", category: .other)
    }

    static func healthPlan() throws -> DisclosureRecipient {
        try DisclosureRecipient(name: "Blue Plan", category: .healthPlan)
    }

    var state = ConsentState(patientID: ConsentFixture.patient)
    var now = ConsentFixture.start + 400 * ConsentFixture.day

    /// Decides and, when accepted, folds the events in, as the engine would after appending them.
    @discardableResult
    mutating func run(_ command: ConsentCommand, by role: StaffRole = .complianceOfficer) throws -> ConsentDecision {
        let decision = try state.decide(command, by: role, nowMicroseconds: now)
        XCTAssertEqual(decision.decidedOnStreamVersion, state.streamVersion)
        XCTAssertEqual(decision.stream, state.streamName)
        state = state.applying(decision.events)
        return decision
    }

    /// Asserts `command` is refused with `refusal` and that the state is unchanged.
    func assertRefused(
        _ command: ConsentCommand, _ refusal: DisclosureRefusal, by role: StaffRole = .complianceOfficer,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try state.decide(command, by: role, nowMicroseconds: now), file: file, line: line) {
            XCTAssertEqual($0 as? DisclosureRefusal, refusal, file: file, line: line)
        }
    }

    /// A disclosure command at `time` on `basis`.
    static func disclose(
        _ low: UInt64, to recipient: DisclosureRecipient, for purpose: DisclosurePurpose,
        on basis: DisclosureLegalBasis, at time: Int64
    ) -> ConsentCommand {
        .recordDisclosure(
            disclosureID: id(low), recipient: recipient, purpose: purpose, informationDescription: "lab results",
            legalBasis: basis, disclosedAtMicroseconds: time)
    }

    /// Grants consent 1: the researcher by name and insurers of category `.other`, for research, from day 10 to
    /// day 100.
    mutating func grantResearchConsent() throws {
        try run(
            .grantConsent(
                consentID: Self.id(1),
                scope: try DisclosureScope(
                    recipientNames: ["Dra. Ana Núñez"], recipientCategories: [.other], purposes: [.research]),
                effectiveFromMicroseconds: Self.start + 10 * Self.day,
                expiresAtMicroseconds: Self.start + 100 * Self.day))
    }

    /// Records authorization 2: the insurer, third-party request, signed day 5, expiring day 50.
    mutating func recordInsurerAuthorization(expiresAt: Int64? = ConsentFixture.start + 50 * ConsentFixture.day)
        throws
    {
        try run(
            .recordAuthorization(
                authorizationID: Self.id(2), recipient: try Self.insurer(), purpose: .thirdPartyRequest,
                informationDescription: "lab results 2025", expiresAtMicroseconds: expiresAt,
                expiryEvent: expiresAt == nil ? "policy issued" : nil, signedBy: "Zoë Ó Briain",
                signedAtMicroseconds: Self.start + 5 * Self.day))
    }
}
