import RecordLog

/// A consent as the fold knows it: the grant and, once revoked, the earliest revocation time.
public struct ConsentRecord: Equatable, Sendable {
    /// The consent as granted.
    public let granted: ConsentGranted
    /// From when it no longer covers; nil while not revoked.
    public internal(set) var revokedFromMicroseconds: Int64?

    /// Whether the consent is in force at `time`: effective, not expired, not yet revoked.
    public func isInForce(atMicroseconds time: Int64) -> Bool {
        granted.effectiveFromMicroseconds <= time
            && granted.expiresAtMicroseconds.map { time < $0 } ?? true
            && revokedFromMicroseconds.map { time < $0 } ?? true
    }
}

/// An authorization as the fold knows it: the signed form and, once revoked, the earliest revocation time.
public struct AuthorizationRecord: Equatable, Sendable {
    /// The authorization as recorded.
    public let recorded: AuthorizationRecorded
    /// From when it no longer covers; nil while not revoked.
    public internal(set) var revokedFromMicroseconds: Int64?

    /// Whether the authorization is in force at `time`: signed, not past its expiry date, not yet revoked.
    ///
    /// An expiry event cannot be observed by the engine: staff record it as a revocation when it happens.
    public func isInForce(atMicroseconds time: Int64) -> Bool {
        recorded.signedAtMicroseconds <= time
            && recorded.expiresAtMicroseconds.map { time < $0 } ?? true
            && revokedFromMicroseconds.map { time < $0 } ?? true
    }
}

/// A restriction as the fold knows it: the request and, once agreed, the time it binds from.
public struct RestrictionRecord: Equatable, Sendable {
    /// The restriction as requested.
    public let requested: RestrictionRequested
    /// From when it binds; nil while only requested.
    public internal(set) var agreedFromMicroseconds: Int64?

    /// Whether the restriction binds at `time`: agreed, from its agreed time on.
    public func binds(atMicroseconds time: Int64) -> Bool {
        agreedFromMicroseconds.map { $0 <= time } ?? false
    }
}

/// What a consent or an authorization in force permits: a source, and the recipients and purposes it covers.
public struct DisclosurePermission: Hashable, Sendable {
    /// Where the permission comes from.
    public enum Source: Hashable, Sendable {
        /// A consent, by id.
        case consent(EventID)
        /// A 164.508 authorization, by id.
        case authorization(EventID)
    }

    /// Where the permission comes from.
    public let source: Source
    /// The recipients and purposes covered.
    public let scope: DisclosureScope
}

/// One patient's consents, authorizations, restrictions and disclosures: a pure fold over the patient's consent
/// stream, and the decision state of every consent and disclosure command for that patient.
///
/// All these events of a patient go to one stream (`streamName(for:)`), so that the stream version guards a
/// disclosure against a revocation or restriction appended at the same moment.
public struct ConsentState: Equatable, Sendable {
    /// The patient.
    public let patientID: EventID
    /// The privacy notice acknowledgements, oldest first.
    public private(set) var noticeAcknowledgements: [PrivacyNoticeAcknowledged] = []
    /// Every consent granted, by id.
    public private(set) var consents: [EventID: ConsentRecord] = [:]
    /// Every authorization recorded, by id.
    public private(set) var authorizations: [EventID: AuthorizationRecord] = [:]
    /// Every restriction requested, by id.
    public private(set) var restrictions: [EventID: RestrictionRecord] = [:]
    /// Every disclosure recorded, in stream order.
    public private(set) var disclosures: [DisclosureRecorded] = []
    /// The version of the consent stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0

    /// The empty state of `patientID`.
    public init(patientID: EventID) {
        self.patientID = patientID
    }

    /// The name of the stream that holds every consent and disclosure event of `patient`.
    public static func streamName(for patient: EventID) -> String {
        "consent-" + patient.description
    }

    /// The name of this patient's consent stream.
    public var streamName: String { Self.streamName(for: patientID) }

    /// The state after one more event of the consent stream; every event counts towards `streamVersion`, and events
    /// of other patients change nothing else.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        switch event {
        case .privacyNoticeAcknowledged(let body) where body.patientID == patientID:
            noticeAcknowledgements.append(body)
        case .consentGranted(let body) where body.patientID == patientID && consents[body.consentID] == nil:
            consents[body.consentID] = ConsentRecord(granted: body, revokedFromMicroseconds: nil)
        case .consentRevoked(let body) where body.patientID == patientID:
            let time = body.effectiveFromMicroseconds
            if var record = consents[body.consentID] {
                record.revokedFromMicroseconds = min(record.revokedFromMicroseconds ?? time, time)
                consents[body.consentID] = record
            } else if var record = authorizations[body.consentID] {
                record.revokedFromMicroseconds = min(record.revokedFromMicroseconds ?? time, time)
                authorizations[body.consentID] = record
            }
        case .authorizationRecorded(let body)
        where body.patientID == patientID && authorizations[body.authorizationID] == nil:
            authorizations[body.authorizationID] = AuthorizationRecord(
                recorded: body, revokedFromMicroseconds: nil)
        case .restrictionRequested(let body)
        where body.patientID == patientID && restrictions[body.restrictionID] == nil:
            restrictions[body.restrictionID] = RestrictionRecord(requested: body, agreedFromMicroseconds: nil)
        case .restrictionAgreed(let body) where body.patientID == patientID:
            if var record = restrictions[body.restrictionID] {
                let time = body.effectiveFromMicroseconds
                record.agreedFromMicroseconds = min(record.agreedFromMicroseconds ?? time, time)
                restrictions[body.restrictionID] = record
            }
        case .disclosureRecorded(let body) where body.patientID == patientID:
            disclosures.append(body)
        default:
            break
        }
        return
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent) -> ConsentState {
        var next = self
        next.apply(event)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> ConsentState {
        var next = self
        for event in events { next.apply(event) }
        return next
    }

    /// What is permitted to whom for what as of `time`: every consent and authorization in force then, consents
    /// first, each ordered by id. Agreed restrictions (`restrictionsBinding(atMicroseconds:)`) still apply on top.
    public func permissions(asOfMicroseconds time: Int64) -> [DisclosurePermission] {
        let fromConsents = consents.values
            .filter { $0.isInForce(atMicroseconds: time) }
            .sorted { $0.granted.consentID < $1.granted.consentID }
            .map { DisclosurePermission(source: .consent($0.granted.consentID), scope: $0.granted.scope) }
        let fromAuthorizations = authorizations.values
            .filter { $0.isInForce(atMicroseconds: time) }
            .sorted { $0.recorded.authorizationID < $1.recorded.authorizationID }
            .compactMap { record -> DisclosurePermission? in
                let recipient = record.recorded.recipient
                guard
                    let scope = try? DisclosureScope(
                        recipientNames: [recipient.name], purposes: [record.recorded.purpose])
                else { return nil }
                return DisclosurePermission(source: .authorization(record.recorded.authorizationID), scope: scope)
            }
        return fromConsents + fromAuthorizations
    }

    /// The agreed restrictions that bind at `time`, ordered by id.
    public func restrictionsBinding(atMicroseconds time: Int64) -> [RestrictionRecord] {
        restrictions.values
            .filter { $0.binds(atMicroseconds: time) }
            .sorted { $0.requested.restrictionID < $1.requested.restrictionID }
    }

    /// The disclosures a 164.528 accounting must list for disclosures made in `[from, to)`, oldest first.
    ///
    /// Left out: treatment, payment and health-care operations, disclosures under an authorization, and the exempt
    /// categories (to the patient, incidental, directory or involved persons, national security, law enforcement
    /// custody, limited data set). A patient may ask for up to six years before the request.
    public func accountableDisclosures(
        fromMicroseconds from: Int64, toMicroseconds to: Int64
    ) -> [DisclosureRecorded] {
        disclosures
            .filter {
                $0.legalBasis.isAccountable && from <= $0.disclosedAtMicroseconds && $0.disclosedAtMicroseconds < to
            }
            .sorted { ($0.disclosedAtMicroseconds, $0.disclosureID) < ($1.disclosedAtMicroseconds, $1.disclosureID) }
    }
}
