import RecordLog

/// A consent or disclosure command: what staff ask of a patient's consent stream. `ConsentState.decide` turns it into
/// events or a refusal.
public enum ConsentCommand: Hashable, Sendable {
    /// Record that the patient acknowledged the notice of privacy practices.
    case acknowledgePrivacyNotice(noticeVersion: String, acknowledgedAtMicroseconds: Int64)
    /// Record the patient's consent to disclosures within a scope and period.
    case grantConsent(
        consentID: EventID, scope: DisclosureScope, effectiveFromMicroseconds: Int64, expiresAtMicroseconds: Int64?)
    /// Revoke a consent or an authorization from a time on.
    case revokeConsent(consentID: EventID, effectiveFromMicroseconds: Int64)
    /// Record a signed 164.508 authorization.
    case recordAuthorization(
        authorizationID: EventID, recipient: DisclosureRecipient, purpose: DisclosurePurpose,
        informationDescription: String, expiresAtMicroseconds: Int64?, expiryEvent: String?, signedBy: String,
        signedAtMicroseconds: Int64)
    /// Record the patient's request to restrict disclosures (164.522).
    case requestRestriction(
        restrictionID: EventID, scope: DisclosureScope, informationDescription: String, requestedAtMicroseconds: Int64)
    /// Agree to a requested restriction, binding from a time on.
    case agreeRestriction(restrictionID: EventID, effectiveFromMicroseconds: Int64)
    /// Record a disclosure of the patient's information.
    case recordDisclosure(
        disclosureID: EventID, recipient: DisclosureRecipient, purpose: DisclosurePurpose,
        informationDescription: String, legalBasis: DisclosureLegalBasis, disclosedAtMicroseconds: Int64)

    /// The staff roles that may issue the command (see `docs/events.md`).
    public var permittedRoles: Set<StaffRole> {
        let clinicalAndFrontOffice: Set<StaffRole> = [
            .frontDesk, .officeManager, .complianceOfficer, .nurse, .medicalAssistant, .physician,
            .nursePractitioner, .physicianAssistant,
        ]
        switch self {
        case .agreeRestriction:
            return [.complianceOfficer, .officeManager, .physician, .nursePractitioner, .physicianAssistant]
        case .recordDisclosure:
            return clinicalAndFrontOffice.union([.biller])
        case .acknowledgePrivacyNotice, .grantConsent, .revokeConsent, .recordAuthorization, .requestRestriction:
            return clinicalAndFrontOffice
        }
    }

    /// The command's name, for refusals and logs.
    public var name: String {
        switch self {
        case .acknowledgePrivacyNotice: "acknowledgePrivacyNotice"
        case .grantConsent: "grantConsent"
        case .revokeConsent: "revokeConsent"
        case .recordAuthorization: "recordAuthorization"
        case .requestRestriction: "requestRestriction"
        case .agreeRestriction: "agreeRestriction"
        case .recordDisclosure: "recordDisclosure"
        }
    }
}

/// Why a consent or disclosure command was refused. Every case names the rule; none carries patient data.
public enum DisclosureRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The acting role may not issue this command.
    case roleNotPermitted(command: String, role: StaffRole)
    /// A value of the command breaks an event's field rule (named, never the value).
    case detailsInvalid(rule: String)
    /// The new consent, authorization, restriction or disclosure id is already used in this patient's stream.
    case idAlreadyUsed
    /// No consent or authorization with this id exists for the patient.
    case consentNotFound
    /// The consent or authorization is already revoked.
    case consentAlreadyRevoked
    /// The revocation would reach back before a disclosure already made in reliance on the consent.
    case revocationBeforeReliedOnDisclosure
    /// No restriction with this id was requested by the patient.
    case restrictionNotFound
    /// The restriction is already agreed.
    case restrictionAlreadyAgreed
    /// The disclosure time is later than now plus the tolerance.
    case disclosureInFuture
    /// A treatment, payment or operations basis was given for a disclosure with another purpose.
    case basisDoesNotMatchPurpose
    /// The consent is not yet effective at the disclosure time.
    case consentNotYetEffective
    /// The consent expired before the disclosure time.
    case consentExpired
    /// The consent was revoked at or before the disclosure time.
    case consentRevoked
    /// The consent does not cover the disclosure's recipient and purpose.
    case consentDoesNotCover
    /// No authorization with this id exists for the patient.
    case authorizationNotFound
    /// The authorization was signed after the disclosure time.
    case authorizationNotYetSigned
    /// The authorization's expiry date is at or before the disclosure time.
    case authorizationExpired
    /// The authorization was revoked at or before the disclosure time.
    case authorizationRevoked
    /// The authorization does not name the disclosure's recipient and purpose.
    case authorizationDoesNotCover
    /// An agreed restriction covers the disclosure's recipient and purpose.
    case restrictedByAgreement

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .roleNotPermitted(let command, let role):
            "The role \(role) may not \(command); ask a permitted staff member to do it."
        case .detailsInvalid(let rule):
            "The request breaks the field rule '\(rule)'; correct that field and try again."
        case .idAlreadyUsed:
            "This id is already used in the patient's consent record; make a new id."
        case .consentNotFound:
            "No consent or authorization with this id exists for the patient; check the id."
        case .consentAlreadyRevoked:
            "This consent is already revoked; nothing more to record."
        case .revocationBeforeReliedOnDisclosure:
            "A revocation cannot reach back before disclosures made under the consent; revoke from a later time."
        case .restrictionNotFound:
            "No restriction with this id was requested by the patient; record the request first."
        case .restrictionAlreadyAgreed:
            "This restriction is already agreed; nothing more to record."
        case .disclosureInFuture:
            "A disclosure cannot be recorded in the future; record it when it has been made."
        case .basisDoesNotMatchPurpose:
            "Treatment, payment or operations is a basis only for that same purpose; choose the right basis."
        case .consentNotYetEffective:
            "The consent is not yet effective at the disclosure time; wait for it or get another consent."
        case .consentExpired:
            "The consent had expired at the disclosure time; get a new consent or authorization."
        case .consentRevoked:
            "The patient revoked this consent before the disclosure time; get a new consent or authorization."
        case .consentDoesNotCover:
            "The consent does not cover this recipient and purpose; get a consent or authorization that does."
        case .authorizationNotFound:
            "No authorization with this id exists for the patient; record the signed authorization first."
        case .authorizationNotYetSigned:
            "The authorization was signed after the disclosure time; disclose only after it is signed."
        case .authorizationExpired:
            "The authorization had expired at the disclosure time; get a new signed authorization."
        case .authorizationRevoked:
            "The patient revoked this authorization before the disclosure time; get a new signed authorization."
        case .authorizationDoesNotCover:
            "The authorization does not name this recipient and purpose; get an authorization that does."
        case .restrictedByAgreement:
            "An agreed restriction forbids this disclosure (164.522); do not disclose, or ask the privacy officer."
        }
    }

    /// The message.
    public var description: String { message }
}

/// A consent decision: the events for the patient's consent stream.
public typealias ConsentDecision = StreamDecision

extension ConsentState {
    /// How far past now a disclosure time may lie, for clocks that differ a little (five minutes).
    public static let futureToleranceMicroseconds: Int64 = 5 * 60 * 1_000_000

    /// Decides `command`, issued by `role` at `nowMicroseconds` (the injected clock, microseconds since 1970),
    /// against this state: the events that record it, or the rule it breaks. Pure: nothing is appended here.
    public func decide(
        _ command: ConsentCommand, by role: StaffRole, nowMicroseconds now: Int64
    ) throws(DisclosureRefusal) -> ConsentDecision {
        guard command.permittedRoles.contains(role) else {
            throw .roleNotPermitted(command: command.name, role: role)
        }
        let event = try event(for: command, now: now)
        return ConsentDecision(stream: streamName, decidedOnStreamVersion: streamVersion, events: [event])
    }

    /// Checks a disclosure of the patient's information to `recipient` for `purpose` at `time` on `basis`, throwing
    /// the rule it breaks.
    public func checkDisclosure(
        to recipient: DisclosureRecipient, for purpose: DisclosurePurpose, on basis: DisclosureLegalBasis,
        atMicroseconds time: Int64
    ) throws(DisclosureRefusal) {
        switch basis {
        case .treatment:
            guard purpose == .treatment else { throw .basisDoesNotMatchPurpose }
        case .payment:
            guard purpose == .payment else { throw .basisDoesNotMatchPurpose }
        case .healthCareOperations:
            guard purpose == .healthCareOperations else { throw .basisDoesNotMatchPurpose }
        case .consent(let id):
            guard let record = consents[id] else { throw .consentNotFound }
            guard time >= record.granted.effectiveFromMicroseconds else { throw .consentNotYetEffective }
            if let revoked = record.revokedFromMicroseconds, time >= revoked { throw .consentRevoked }
            if let expiry = record.granted.expiresAtMicroseconds, time >= expiry { throw .consentExpired }
            guard record.granted.scope.covers(recipient, for: purpose) else { throw .consentDoesNotCover }
        case .authorization(let id):
            guard let record = authorizations[id] else { throw .authorizationNotFound }
            guard time >= record.recorded.signedAtMicroseconds else { throw .authorizationNotYetSigned }
            if let revoked = record.revokedFromMicroseconds, time >= revoked { throw .authorizationRevoked }
            if let expiry = record.recorded.expiresAtMicroseconds, time >= expiry { throw .authorizationExpired }
            guard record.recorded.recipient.name == recipient.name, record.recorded.purpose == purpose else {
                throw .authorizationDoesNotCover
            }
        case .requiredOrPermittedByLaw, .exempt:
            return
        }
        let restricted = restrictionsBinding(atMicroseconds: time).contains {
            $0.requested.scope.covers(recipient, for: purpose)
        }
        if restricted { throw .restrictedByAgreement }
    }

    private func event(for command: ConsentCommand, now: Int64) throws(DisclosureRefusal) -> ClinicEvent {
        switch command {
        case .acknowledgePrivacyNotice(let version, let time):
            return .privacyNoticeAcknowledged(
                try Self.validated {
                    try PrivacyNoticeAcknowledged(
                        patientID: patientID, noticeVersion: version, acknowledgedAtMicroseconds: time)
                })
        case .grantConsent(let id, let scope, let effective, let expiry):
            try checkNewID(id)
            return .consentGranted(
                try Self.validated {
                    try ConsentGranted(
                        consentID: id, patientID: patientID, scope: scope, effectiveFromMicroseconds: effective,
                        expiresAtMicroseconds: expiry)
                })
        case .revokeConsent(let id, let effective):
            let revoked: Int64?
            if let record = consents[id] {
                revoked = record.revokedFromMicroseconds
            } else if let record = authorizations[id] {
                revoked = record.revokedFromMicroseconds
            } else {
                throw .consentNotFound
            }
            guard revoked == nil else { throw .consentAlreadyRevoked }
            let reliedOn = disclosures.contains { disclosure in
                switch disclosure.legalBasis {
                case .consent(let used), .authorization(let used):
                    used == id && disclosure.disclosedAtMicroseconds >= effective
                default: false
                }
            }
            if reliedOn { throw .revocationBeforeReliedOnDisclosure }
            return .consentRevoked(
                try Self.validated {
                    try ConsentRevoked(consentID: id, patientID: patientID, effectiveFromMicroseconds: effective)
                })
        case .recordAuthorization(
            let id, let recipient, let purpose, let description, let expiry, let expiryEvent, let signedBy,
            let signedAt):
            try checkNewID(id)
            return .authorizationRecorded(
                try Self.validated {
                    try AuthorizationRecorded(
                        authorizationID: id, patientID: patientID, recipient: recipient, purpose: purpose,
                        informationDescription: description, expiresAtMicroseconds: expiry,
                        expiryEvent: expiryEvent, signedBy: signedBy, signedAtMicroseconds: signedAt)
                })
        case .requestRestriction(let id, let scope, let description, let requestedAt):
            try checkNewID(id)
            return .restrictionRequested(
                try Self.validated {
                    try RestrictionRequested(
                        restrictionID: id, patientID: patientID, scope: scope, informationDescription: description,
                        requestedAtMicroseconds: requestedAt)
                })
        case .agreeRestriction(let id, let effective):
            guard let record = restrictions[id] else { throw .restrictionNotFound }
            guard record.agreedFromMicroseconds == nil else { throw .restrictionAlreadyAgreed }
            return .restrictionAgreed(
                try Self.validated {
                    try RestrictionAgreed(restrictionID: id, patientID: patientID, effectiveFromMicroseconds: effective)
                })
        case .recordDisclosure(let id, let recipient, let purpose, let description, let basis, let time):
            try checkNewID(id)
            guard time <= now + Self.futureToleranceMicroseconds else { throw .disclosureInFuture }
            let disclosure = try Self.validated {
                try DisclosureRecorded(
                    disclosureID: id, patientID: patientID, recipient: recipient, purpose: purpose,
                    informationDescription: description, legalBasis: basis, disclosedAtMicroseconds: time)
            }
            try checkDisclosure(to: recipient, for: purpose, on: basis, atMicroseconds: time)
            return .disclosureRecorded(disclosure)
        }
    }

    /// Refuses an id already used by a consent, authorization, restriction or disclosure of this patient.
    private func checkNewID(_ id: EventID) throws(DisclosureRefusal) {
        let used =
            consents[id] != nil || authorizations[id] != nil || restrictions[id] != nil
            || disclosures.contains { $0.disclosureID == id }
        if used { throw .idAlreadyUsed }
    }

    /// Runs a validating event initializer, turning its error into `detailsInvalid` naming the rule.
    private static func validated<Value>(_ make: () throws -> Value) throws(DisclosureRefusal) -> Value {
        do {
            return try make()
        } catch {
            throw .detailsInvalid(rule: String(describing: error))
        }
    }
}
