import ClinicEvents
import RecordLog

/// Readable words for the values of named fields.
struct FieldReader {
    let fields: EventFields

    func id(_ name: String) -> EventID? {
        if case .eventID(let id) = fields[name] { return id }
        if case .optional(.eventID(let id)?) = fields[name] { return id }
        return nil
    }

    func ids(_ name: String) -> [EventID] {
        guard case .array(let values) = fields[name] else { return [] }
        return values.compactMap { if case .eventID(let id) = $0 { id } else { nil } }
    }

    func text(_ name: String) -> String {
        switch fields[name] {
        case .string(let text), .optional(.string(let text)?): text
        default: "-"
        }
    }

    func hasValue(_ name: String) -> Bool {
        switch fields[name] {
        case .none, .optional(nil): false
        default: true
        }
    }

    func length(_ name: String) -> String { "\(text(name).count) characters" }

    func unsigned(_ name: String) -> UInt64 {
        switch fields[name] {
        case .unsigned(let value), .optional(.unsigned(let value)?): value
        default: 0
        }
    }

    func signed(_ name: String) -> Int64 {
        switch fields[name] {
        case .signed(let value), .optional(.signed(let value)?): value
        default: 0
        }
    }

    func money(_ name: String) -> String {
        let cents = signed(name)
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-$" : "$") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    func day(_ name: String) -> String { hasValue(name) ? UTCTime.date(daysSince1970: signed(name)) : "-" }

    func time(_ name: String) -> String { hasValue(name) ? UTCTime.iso8601(microseconds: signed(name)) : "-" }

    func strings(_ name: String) -> [String] {
        guard case .array(let values) = fields[name] else { return [] }
        return values.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    func codes(_ name: String) -> [UInt64] {
        guard case .array(let values) = fields[name] else { return [] }
        return values.compactMap { if case .unsigned(let code) = $0 { code } else { nil } }
    }

    func record(_ name: String) -> FieldReader? {
        switch fields[name] {
        case .record(let nested), .optional(.record(let nested)?): FieldReader(fields: nested)
        default: nil
        }
    }

    func records(_ name: String) -> [FieldReader] {
        guard case .array(let values) = fields[name] else { return [] }
        return values.compactMap { if case .record(let nested) = $0 { FieldReader(fields: nested) } else { nil } }
    }
}

/// What an event says in words, what it names and what it creates, from its named fields.
enum EventDescription {
    /// The body of an event as named fields (`EventFields`, with the names of `docs/events.md`), read from its current
    /// schema layout: what summaries, links and exports are made from, whatever the event's Swift type.
    static func bodyFields(of event: ClinicEvent, registry: SchemaRegistry) -> EventFields {
        var encoder = BinaryEncoder()
        event.encode(into: &encoder)
        guard let version = registry.currentVersion(of: event.eventType),
            let layout = registry.layout(of: event.eventType, version: version),
            let fields = try? BinaryDecoder.decode(encoder.bytes, { try EventFields.decode(layout: layout, from: &$0) })
        else { return EventFields() }
        return flattened(fields)
    }

    /// The fields with every sealed group (written in clear here) lifted to the top level: a summary reads
    /// `familyName`, wherever the layout keeps it.
    static func flattened(_ fields: EventFields) -> EventFields {
        var pairs: [(String, FieldValue)] = []
        for field in fields.fields {
            switch field.value {
            case .sealed(.clear(.record(let nested))):
                pairs += flattened(nested).fields.map { ($0.name, $0.value) }
            case .sealed(.clear(let value)):
                pairs.append((field.name, value))
            default:
                pairs.append((field.name, field.value))
            }
        }
        return EventFields(pairs)
    }

    /// The words of an enumeration case: `lawEnforcement` is "law enforcement".
    static func words<Code: RawRepresentable>(_ type: Code.Type, _ code: UInt64) -> String
    where Code.RawValue == UInt8 {
        guard code <= UInt64(UInt8.max), let value = Code(rawValue: UInt8(code)) else { return "code \(code)" }
        var text = ""
        for character in String(describing: value) {
            if character.isUppercase {
                text += " " + character.lowercased()
            } else {
                text.append(character)
            }
        }
        return text
    }

    /// The words of a responsibility code: 0 the patient, 1 to 3 the primary, secondary, tertiary insurance.
    static func responsibilityWords(_ code: UInt64) -> String {
        switch code {
        case 0: "patient"
        case 1: "primary insurance"
        case 2: "secondary insurance"
        case 3: "tertiary insurance"
        default: "code \(code)"
        }
    }

    /// One line saying what an event did; `withholding` says why its patient data reads as placeholders, if it does,
    /// so that a registration, a death or a correction whose values could not be opened never reads as a birth or
    /// death on 1970-01-01.
    static func summary(
        of eventType: String, _ f: FieldReader, withholding: PatientDataWithholding? = nil
    ) -> String {
        let unreadable = withholding.map { $0 == .erased ? "erased" : "withheld" }
        switch eventType {
        case "PatientRegistered":
            if let unreadable { return "Patient registered (identity \(unreadable))" }
            return "Patient registered (born \(f.day("birthDateDaysSince1970")))"
        case "DemographicsCorrected":
            if let unreadable { return "Demographics corrected (values and reason \(unreadable))" }
            let corrected = [
                ("familyName", "family name"), ("givenName", "given name"), ("birthDateDaysSince1970", "birth date"),
                ("dateOfDeathDaysSince1970", "date of death"),
            ].filter { f.hasValue($0.0) }.map(\.1)
            return "Demographics corrected: \(corrected.joined(separator: ", ")) (reason: \(f.length("reason")))"
        case "PatientsMerged":
            return "Patient \(f.id("mergedPatientID").map { "\($0)" } ?? "-") merged into "
                + "\(f.id("survivingPatientID").map { "\($0)" } ?? "-")"
        case "PatientDeathRecorded":
            if let unreadable { return "Death recorded (date \(unreadable))" }
            return "Death recorded on \(f.day("dateOfDeathDaysSince1970"))"
        case "PatientErased":
            return "Patient erased (\(words(ErasureReason.self, f.unsigned("reason"))), authorized by "
                + "\(f.text("authorizingStaffID")))"
        case "VitalsRecorded":
            let sealedValues: [Int64]
            if case .array(let values)? = f.fields["values"] {
                sealedValues = values.map { if case .signed(let value) = $0 { value } else { 0 } }
            } else {
                sealedValues = []
            }
            let values = f.records("measurements").enumerated().map { index, measurement -> String in
                let thousandths =
                    index < sealedValues.count ? sealedValues[index] : measurement.signed("valueThousandths")
                let whole = thousandths / 1000
                let fraction = thousandths.magnitude % 1000
                let value = fraction == 0 ? "\(whole)" : "\(whole)." + String(String(1000 + fraction).dropFirst())
                return "\(measurement.text("loincCode")) \(value) \(measurement.text("ucumUnit"))"
            }
            return "Vitals recorded: " + values.joined(separator: ", ")
        case "AllergyRecorded":
            return "Allergy recorded: \(f.text("substance")) (\(words(AllergySeverity.self, f.unsigned("severity"))), "
                + "\(words(AllergyVerification.self, f.unsigned("verification"))))"
        case "AllergyResolved": return "Allergy resolved"
        case "AllergyEnteredInError": return "Allergy entered in error (reason: \(f.length("reason")))"
        case "MedicationStarted":
            return "Medication started: \(f.text("name")) \(f.text("dose")), "
                + "\(words(MedicationRoute.self, f.unsigned("route"))), \(f.text("frequency"))"
        case "MedicationStopped": return "Medication stopped (reason: \(f.length("reason")))"
        case "ProblemAdded":
            let onset = f.hasValue("onsetDaysSince1970") ? ", onset \(f.day("onsetDaysSince1970"))" : ""
            return "Problem added: \(f.text("diagnosisCode"))\(onset)"
        case "ProblemResolved": return "Problem resolved"
        case "NoteSigned": return "Note signed by \(f.text("authorStaffID")) (\(f.length("text")))"
        case "NoteAddendumSigned": return "Addendum signed by \(f.text("authorStaffID")) (\(f.length("text")))"
        case "AmendmentRequested":
            return "Amendment of \(count(f.ids("amendedEntryIDs").count, "entry", "entries")) requested on "
                + "\(f.time("requestedTimeMicroseconds")) (request: \(f.length("request")))"
        case "AmendmentAccepted":
            return "Amendment accepted, made by \(count(f.ids("correctingEntryIDs").count, "new entry", "new entries"))"
        case "AmendmentDenied":
            return "Amendment denied: \(words(AmendmentDenialBasis.self, f.unsigned("basis"))) "
                + "(explanation: \(f.length("explanation")))"
        case "ChargePosted":
            let modifiers = f.strings("modifiers")
            let procedure = f.text("procedureCode") + (modifiers.isEmpty ? "" : "-" + modifiers.joined(separator: "-"))
            return "Charge posted: \(procedure) × \(f.unsigned("units")), \(f.money("amountCents")), diagnoses "
                + f.strings("diagnoses").joined(separator: ", ")
        case "FeeScheduled", "FeeWithdrawn":
            let modifiers = f.strings("modifiers")
            let procedure = f.text("procedureCode") + (modifiers.isEmpty ? "" : "-" + modifiers.joined(separator: "-"))
            let from = f.day("effectiveDaysSince1970")
            return eventType == "FeeScheduled"
                ? "Fee scheduled: \(procedure) \(f.money("amountCents")) per unit from \(from)"
                : "Fee withdrawn: \(procedure) from \(from)"
        case "RetentionPolicySet":
            let minors = f.unsigned("minorYears")
            return "Retention policy set: records kept \(f.unsigned("years")) years after the last activity"
                + (minors > 0 ? ", a minor's until \(minors) years after the 18th birthday" : "")
        case "PaymentPosted":
            let payer = f.record("insurancePayer").map {
                "insurance \($0.text("payerID")) level \($0.unsigned("level"))"
            }
            return "Payment posted: \(f.money("amountCents")) by \(payer ?? "the patient"), "
                + "\(words(PaymentMethod.self, f.unsigned("method"))), dated \(f.day("postingDateDaysSince1970"))"
        case "PaymentApplied":
            let credit = f.fields["isCredit"] == .bool(true) ? " as a credit" : ""
            return "Payment applied: \(f.money("amountCents"))\(credit), dated \(f.day("postingDateDaysSince1970"))"
        case "AdjustmentPosted":
            let share = responsibilityWords(f.unsigned("responsibility"))
            return
                "Adjustment posted: \(f.money("amountCents")) off the \(share) share, \(f.text("reasonCode")), dated "
                + f.day("postingDateDaysSince1970")
        case "RefundIssued":
            return
                "Refund issued: \(f.money("amountCents")), \(words(PaymentMethod.self, f.unsigned("method"))), dated "
                + f.day("postingDateDaysSince1970")
        case "ResponsibilityTransferred":
            return
                "Responsibility transferred: \(f.money("amountCents")) from \(responsibilityWords(f.unsigned("from"))) "
                + "to \(responsibilityWords(f.unsigned("to"))), dated \(f.day("postingDateDaysSince1970"))"
        case "ChargeVoided", "PaymentVoided":
            let what = eventType == "ChargeVoided" ? "Charge" : "Payment"
            return "\(what) voided, dated \(f.day("postingDateDaysSince1970")) (reason: \(f.length("reason")))"
        case "DayClosed":
            return "Day \(f.day("dateDaysSince1970")) closed: charges \(f.money("chargesCents")), payments "
                + "\(f.money("paymentsCents")), adjustments \(f.money("adjustmentsCents")), refunds "
                + f.money("refundsCents")
        case "PrivacyNoticeAcknowledged":
            return "Privacy notice \(f.text("noticeVersion")) acknowledged on \(f.time("acknowledgedAtMicroseconds"))"
        case "ConsentGranted":
            let purposes = f.codes("purposes").map { words(DisclosurePurpose.self, $0) }.joined(separator: ", ")
            return "Consent granted for \(purposes), from \(f.time("effectiveFromMicroseconds")) until "
                + (f.hasValue("expiresAtMicroseconds") ? f.time("expiresAtMicroseconds") : "revoked")
        case "ConsentRevoked": return "Consent revoked from \(f.time("effectiveFromMicroseconds"))"
        case "AuthorizationRecorded":
            return "Authorization recorded: to \(f.text("recipientName")) for "
                + "\(words(DisclosurePurpose.self, f.unsigned("purpose"))), signed \(f.time("signedAtMicroseconds"))"
        case "RestrictionRequested":
            let purposes = f.codes("purposes").map { words(DisclosurePurpose.self, $0) }.joined(separator: ", ")
            return "Restriction requested on disclosures for \(purposes)"
        case "RestrictionAgreed": return "Restriction agreed from \(f.time("effectiveFromMicroseconds"))"
        case "DisclosureRecorded":
            return
                "Disclosure to \(f.text("recipientName")) "
                + "(\(words(RecipientCategory.self, f.unsigned("recipientCategory")))) "
                + "for \(words(DisclosurePurpose.self, f.unsigned("purpose"))) on \(f.time("disclosedAtMicroseconds"))"
        case "PayerDefined": return "Payer defined: \(f.text("name")) (\(words(PayerType.self, f.unsigned("type"))))"
        case "CoverageAdded":
            return "Coverage added: \(words(CoverageOrder.self, f.unsigned("order"))), copay \(f.money("copayCents")), "
                + "from \(f.day("effectiveDaysSince1970"))"
        case "CoverageEnded": return "Coverage ended after \(f.day("terminationDaysSince1970"))"
        case "EligibilityChecked":
            return "Eligibility checked: \(words(EligibilityResult.self, f.unsigned("result")))"
        case "AppointmentBooked":
            return "Appointment booked with \(f.text("providerStaffID")) for \(f.unsigned("durationMinutes")) minutes"
        case "AppointmentCancelled":
            let late = f.fields["isLate"] == .bool(true) ? " late" : ""
            return "Appointment cancelled\(late) (reason: \(f.length("reason")))"
        case "RecordAccessed":
            return "Record accessed by \(f.text("staffID")): \(words(RecordArea.self, f.unsigned("area"))) for "
                + words(AccessPurpose.self, f.unsigned("purpose"))
        case "BreakGlassUsed": return "Break-glass access by \(f.text("staffID")) (reason: \(f.length("reason")))"
        case "StaffMemberAdded": return "Staff member \(f.text("staffID")) added"
        case "StaffRoleGranted", "StaffRoleRevoked":
            let verb = eventType == "StaffRoleGranted" ? "granted to" : "revoked from"
            return "Role \(words(StaffRole.self, f.unsigned("role"))) \(verb) \(f.text("staffID"))"
        default:
            return readableType(eventType)
        }
    }

    /// "1 entry", "2 entries".
    static func count(_ number: Int, _ one: String, _ many: String) -> String {
        "\(number) \(number == 1 ? one : many)"
    }

    /// `AppointmentNoShow` as "Appointment no show".
    static func readableType(_ eventType: String) -> String {
        var text = ""
        for character in eventType {
            if character.isUppercase, !text.isEmpty {
                text += " " + character.lowercased()
            } else {
                text.append(character)
            }
        }
        return text
    }

    /// The field of an event type that names the entry it creates, when it creates one.
    static let createdEntryField: [String: String] = [
        "ChargePosted": "chargeID", "PaymentPosted": "paymentID", "AdjustmentPosted": "adjustmentID",
        "AllergyRecorded": "allergyID", "MedicationStarted": "medicationID", "ProblemAdded": "problemID",
        "NoteSigned": "noteID", "NoteAddendumSigned": "addendumID", "AmendmentRequested": "amendmentID",
        "ConsentGranted": "consentID", "AuthorizationRecorded": "authorizationID",
        "RestrictionRequested": "restrictionID",
        "DisclosureRecorded": "disclosureID", "CoverageAdded": "coverageID", "AppointmentBooked": "appointmentID",
    ]

    /// The fields of an event type that name what it acts on, and how.
    static let referenceFields: [String: [(field: String, relation: HistoryLink.Relation)]] = [
        "DemographicsCorrected": [("registrationEventID", .corrects)],
        "ChargeVoided": [("originalID", .voids)], "PaymentVoided": [("originalID", .voids)],
        "AllergyResolved": [("allergyID", .resolves)], "ProblemResolved": [("problemID", .resolves)],
        "AllergyEnteredInError": [("allergyID", .entersInError)],
        "AppointmentEnteredInError": [("appointmentID", .entersInError)],
        "MedicationStopped": [("medicationID", .stops)], "NoteAddendumSigned": [("noteID", .addendumTo)],
        "AmendmentRequested": [("amendedEntryIDs", .asksToAmend)],
        "AmendmentAccepted": [("amendmentID", .decidesAmendment), ("correctingEntryIDs", .amendsWith)],
        "AmendmentDenied": [("amendmentID", .decidesAmendment)],
        "ConsentRevoked": [("consentID", .revokes)], "RestrictionAgreed": [("restrictionID", .agreesTo)],
        "PaymentApplied": [("paymentID", .concerns), ("chargeID", .concerns)],
        "AdjustmentPosted": [("chargeID", .concerns)], "RefundIssued": [("paymentID", .concerns)],
        "ResponsibilityTransferred": [("chargeID", .concerns)], "CoverageEnded": [("coverageID", .concerns)],
        "EligibilityChecked": [("coverageID", .concerns)], "DisclosureRecorded": [("legalBasisReference", .concerns)],
        "AppointmentRescheduled": [("appointmentID", .concerns)],
        "AppointmentConfirmed": [("appointmentID", .concerns)],
        "PatientArrived": [("appointmentID", .concerns)], "PatientCheckedIn": [("appointmentID", .concerns)],
        "PatientRoomed": [("appointmentID", .concerns)], "PatientCheckedOut": [("appointmentID", .concerns)],
        "AppointmentCancelled": [("appointmentID", .concerns)], "AppointmentNoShow": [("appointmentID", .concerns)],
    ]
}
