import ClinicEvents
import RecordLog

/// Random, valid consent, authorization, restriction and disclosure events and their parts.
extension EventGenerator {
    /// A time in 2025–2027, in microseconds since 1970.
    mutating func consentTime() -> Int64 { int64(1_735_689_600_000_000...1_830_297_600_000_000) }

    mutating func recipientName() -> String {
        pick(["Dra. Ana Núñez", "Acme Life Insurance", "County Health Dept", "李医生", "Mercy Hospital"])
    }

    mutating func recipient() throws -> DisclosureRecipient {
        try DisclosureRecipient(
            name: recipientName(), category: pick(RecipientCategory.allCases),
            address: bool() ? nil : pick(["1 Main St, Springfield", "200 Elm St", "北京市"]))
    }

    mutating func scope() throws -> DisclosureScope {
        let known = ["Dra. Ana Núñez", "Acme Life Insurance", "李医生"]
        let names = Array(known.shuffled(using: &random).prefix(int(0...2)))
        var categories = Array(RecipientCategory.allCases.shuffled(using: &random).prefix(int(0...2)))
        if names.isEmpty && categories.isEmpty { categories = [pick(RecipientCategory.allCases)] }
        let purposes = Array(DisclosurePurpose.allCases.shuffled(using: &random).prefix(int(1...3)))
        return try DisclosureScope(recipientNames: names, recipientCategories: categories, purposes: purposes)
    }

    mutating func legalBasis() -> DisclosureLegalBasis {
        switch int(0...6) {
        case 0: .treatment
        case 1: .payment
        case 2: .healthCareOperations
        case 3: .consent(id())
        case 4: .authorization(id())
        case 5: .requiredOrPermittedByLaw
        default: .exempt(pick(ExemptDisclosureCategory.allCases))
        }
    }

    mutating func consentEvent() throws -> ClinicEvent {
        let patientID = id()
        switch int(0...6) {
        case 0:
            return .privacyNoticeAcknowledged(
                try PrivacyNoticeAcknowledged(
                    patientID: patientID, noticeVersion: pick(["2026-01", "v3", "rev-2024.2"]),
                    acknowledgedAtMicroseconds: consentTime()))
        case 1:
            let effective = consentTime()
            return .consentGranted(
                try ConsentGranted(
                    consentID: id(), patientID: patientID, scope: try scope(), effectiveFromMicroseconds: effective,
                    expiresAtMicroseconds: bool() ? nil : effective + int64(1...400_000_000_000)))
        case 2:
            return .consentRevoked(
                try ConsentRevoked(consentID: id(), patientID: patientID, effectiveFromMicroseconds: consentTime()))
        case 3:
            let signed = consentTime()
            let hasDate = bool()
            return .authorizationRecorded(
                try AuthorizationRecorded(
                    authorizationID: id(), patientID: patientID, recipient: try recipient(),
                    purpose: pick(DisclosurePurpose.allCases), informationDescription: name(),
                    expiresAtMicroseconds: hasDate ? signed + int64(1...400_000_000_000) : nil,
                    expiryEvent: hasDate && bool() ? nil : name(), signedBy: name(), signedAtMicroseconds: signed))
        case 4:
            return .restrictionRequested(
                try RestrictionRequested(
                    restrictionID: id(), patientID: patientID, scope: try scope(), informationDescription: name(),
                    requestedAtMicroseconds: consentTime()))
        case 5:
            return .restrictionAgreed(
                try RestrictionAgreed(
                    restrictionID: id(), patientID: patientID, effectiveFromMicroseconds: consentTime()))
        default:
            return .disclosureRecorded(
                try DisclosureRecorded(
                    disclosureID: id(), patientID: patientID, recipient: try recipient(),
                    purpose: pick(DisclosurePurpose.allCases), informationDescription: name(),
                    legalBasis: legalBasis(), disclosedAtMicroseconds: consentTime()))
        }
    }
}
