import ClinicEvents
import ClinicProjections
import RecordLog

/// One named value of a view row, as text.
public struct ViewField: Sendable, Equatable {
    /// The field's name, such as `status`.
    public var name: String
    /// The value as the view shows it (empty when there is none).
    public var value: String

    /// Creates a field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One row of a view as rendered for comparison: a section (`allergy`, `posting`, `appointment` ...), a key that
/// stays the same while the row changes (an entry id, a log position, a group name), and its fields in order.
public struct ViewRow: Sendable, Equatable {
    /// The kind of row, such as `allergy` or `summary`.
    public var section: String
    /// What identifies the row within its section across moments.
    public var key: String
    /// The row's values, in display order.
    public var fields: [ViewField]

    /// Creates a row.
    public init(section: String, key: String, fields: [ViewField]) {
        self.section = section
        self.key = key
        self.fields = fields
    }

    /// The value of the field `name`, or nil when the row has no such field.
    public func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }
}

/// Renders the views `AuditReader.diff` compares into rows (section 10 of `docs/audit.md` lists them).
///
/// Instants are office-local `YYYY-MM-DD HH:MM` at the views' calendar's offset then (`ViewCalendar`), dates `YYYY-MM-DD`,
/// amounts decimal with two digits, enumeration values in words.
public enum ViewRows {
    /// The sections of a chart, in order.
    public static let chartSections = [
        "patient", "coverage", "allergy", "medication", "problem", "vitals", "note", "addendum", "amendment", "consent",
    ]
    /// The sections of a patient's consent view, in order.
    public static let consentSections = ["notice", "consent", "authorization", "restriction", "disclosure"]
    /// The sections of a patient's ledger, in order.
    public static let patientLedgerSections = ["balances", "posting"]
    /// The sections of a day sheet, in order.
    public static let daySheetSections = ["day", "summary", "posting"]
    /// The sections of a day's schedule, in order.
    public static let scheduleSections = ["provider", "appointment"]

    // MARK: Chart

    /// The rows of one patient's chart: demographics, coverage, allergies, medications, problems, vitals, notes and
    /// addenda, amendment requests and consents.
    public static func chart(_ chart: ChartView.PatientChart, calendar: ViewCalendar) -> [ViewRow] {
        let record = chart.record
        var rows = [
            ViewRow(
                section: "patient", key: record.patientID.description,
                fields: [
                    ViewField("familyName", record.familyName ?? ""), ViewField("givenName", record.givenName ?? ""),
                    ViewField("birthDate", record.birthDateDaysSince1970.map(UTCTime.date) ?? ""),
                    ViewField("dateOfDeath", record.dateOfDeathDaysSince1970.map(UTCTime.date) ?? ""),
                    ViewField("status", status(record)),
                    ViewField("corrections", "\(record.corrections.count)"),
                ])
        ]
        rows += chart.coverage.coverages.values.sorted { $0.added.coverageID < $1.added.coverageID }.map { entry in
            ViewRow(
                section: "coverage", key: entry.added.coverageID.description,
                fields: [
                    ViewField("payerID", entry.added.payerID.description),
                    ViewField("order", words(entry.added.order)), ViewField("memberID", entry.added.memberID),
                    ViewField("copay", money(entry.added.copayCents)),
                    ViewField("from", UTCTime.date(daysSince1970: entry.added.effectiveDaysSince1970)),
                    ViewField("until", entry.terminationDaysSince1970.map(UTCTime.date) ?? ""),
                    ViewField("ended", entry.isEnded ? "yes" : "no"),
                ])
        }
        let entries = chart.chart
        rows += entries.allergies.values.sorted { $0.sequence < $1.sequence }.map { entry in
            ViewRow(
                section: "allergy", key: entry.recorded.allergyID.description,
                fields: [
                    ViewField("substance", entry.recorded.substance), ViewField("reaction", entry.recorded.reaction),
                    ViewField("severity", words(entry.recorded.severity)),
                    ViewField("verification", words(entry.recorded.verification)),
                    ViewField("status", words(entry.status)),
                ])
        }
        rows += entries.medications.values.sorted { $0.sequence < $1.sequence }.map { entry in
            ViewRow(
                section: "medication", key: entry.started.medicationID.description,
                fields: [
                    ViewField("name", entry.started.name), ViewField("dose", entry.started.dose),
                    ViewField("route", words(entry.started.route)), ViewField("frequency", entry.started.frequency),
                    ViewField("for", entry.started.reason), ViewField("status", words(entry.status)),
                ])
        }
        rows += entries.problems.values.sorted { $0.sequence < $1.sequence }.map { entry in
            ViewRow(
                section: "problem", key: entry.added.problemID.description,
                fields: [
                    ViewField("code", entry.added.diagnosis.code),
                    ViewField("onset", entry.added.onsetDaysSince1970.map(UTCTime.date) ?? ""),
                    ViewField("status", words(entry.status)),
                ])
        }
        rows += chart.vitals.map { vitals in
            ViewRow(
                section: "vitals", key: "\(vitals.recording.position)",
                fields: [
                    ViewField("time", localTime(vitals.recording.effectiveTimeMicroseconds, calendar)),
                    ViewField("encounterID", vitals.recorded.encounterID.description),
                    ViewField("recordedBy", vitals.recording.staffID.value),
                ]
                    + vitals.recorded.measurements.map { sign in
                        ViewField(sign.kind.loincCode, decimal(sign.valueThousandths) + " " + sign.kind.ucumUnit)
                    })
        }
        for note in entries.notesInSigningOrder {
            let recording = chart.recordings[note.signed.noteID]
            rows.append(
                ViewRow(
                    section: "note", key: note.signed.noteID.description,
                    fields: [
                        ViewField("encounterID", note.signed.encounterID.description),
                        ViewField("author", note.signed.authorStaffID.value),
                        ViewField("time", recording.map { localTime($0.effectiveTimeMicroseconds, calendar) } ?? ""),
                        ViewField("text", note.signed.text),
                    ]))
            for addendum in note.addenda {
                rows.append(
                    ViewRow(
                        section: "addendum", key: addendum.addendumID.description,
                        fields: [
                            ViewField("noteID", addendum.noteID.description),
                            ViewField("author", addendum.authorStaffID.value), ViewField("text", addendum.text),
                        ]))
            }
        }
        rows += entries.amendmentsInRequestOrder.map { entry in
            ViewRow(
                section: "amendment", key: entry.requested.amendmentID.description,
                fields: [
                    ViewField("request", entry.requested.request),
                    ViewField("amends", entry.requested.amendedEntryIDs.map(\.description).joined(separator: ",")),
                    ViewField("status", words(entry.status)),
                    ViewField(
                        "correctedBy",
                        entry.accepted?.correctingEntryIDs.map(\.description).joined(separator: ",") ?? ""),
                ])
        }
        rows += consentRows(chart.consents, calendar: calendar).filter { $0.section == "consent" }
        return rows
    }

    /// A patient record's status in words: `active`, `deceased`, `merged into <id>`, `erased`, `unregistered`.
    static func status(_ record: PatientRecordState) -> String {
        switch record.status {
        case .unregistered: "unregistered"
        case .active: record.isDeceased ? "deceased" : "active"
        case .mergedInto(let survivor): "merged into \(survivor)"
        case .erased: "erased"
        }
    }

    // MARK: Consent

    /// The rows of one patient's consent view: privacy notices acknowledged, consents, authorizations, restrictions
    /// and disclosures.
    public static func consent(_ state: ConsentState, calendar: ViewCalendar) -> [ViewRow] {
        consentRows(state, calendar: calendar)
    }

    private static func consentRows(_ state: ConsentState, calendar: ViewCalendar) -> [ViewRow] {
        var rows: [ViewRow] = state.noticeAcknowledgements.enumerated().map { index, notice in
            ViewRow(
                section: "notice", key: "\(index + 1)",
                fields: [
                    ViewField("version", notice.noticeVersion),
                    ViewField("acknowledged", localTime(notice.acknowledgedAtMicroseconds, calendar)),
                ])
        }
        rows += state.consents.values.sorted { $0.granted.consentID < $1.granted.consentID }.map { record in
            ViewRow(
                section: "consent", key: record.granted.consentID.description,
                fields: scopeFields(record.granted.scope) + [
                    ViewField("from", localTime(record.granted.effectiveFromMicroseconds, calendar)),
                    ViewField("expires", record.granted.expiresAtMicroseconds.map { localTime($0, calendar) } ?? ""),
                    ViewField("revokedFrom", record.revokedFromMicroseconds.map { localTime($0, calendar) } ?? ""),
                ])
        }
        rows += state.authorizations.values.sorted { $0.recorded.authorizationID < $1.recorded.authorizationID }.map {
            record in
            let recorded = record.recorded
            return ViewRow(
                section: "authorization", key: recorded.authorizationID.description,
                fields: recipientFields(recorded.recipient) + [
                    ViewField("purpose", words(recorded.purpose)),
                    ViewField("information", recorded.informationDescription),
                    ViewField("expires", recorded.expiresAtMicroseconds.map { localTime($0, calendar) } ?? ""),
                    ViewField("expiryEvent", recorded.expiryEvent ?? ""), ViewField("signedBy", recorded.signedBy),
                    ViewField("signed", localTime(recorded.signedAtMicroseconds, calendar)),
                    ViewField("revokedFrom", record.revokedFromMicroseconds.map { localTime($0, calendar) } ?? ""),
                ])
        }
        rows += state.restrictions.values.sorted { $0.requested.restrictionID < $1.requested.restrictionID }.map {
            record in
            ViewRow(
                section: "restriction", key: record.requested.restrictionID.description,
                fields: scopeFields(record.requested.scope) + [
                    ViewField("information", record.requested.informationDescription),
                    ViewField("requested", localTime(record.requested.requestedAtMicroseconds, calendar)),
                    ViewField("agreedFrom", record.agreedFromMicroseconds.map { localTime($0, calendar) } ?? ""),
                ])
        }
        rows += state.disclosures.map { disclosure in
            ViewRow(
                section: "disclosure", key: disclosure.disclosureID.description,
                fields: [ViewField("date", localTime(disclosure.disclosedAtMicroseconds, calendar))]
                    + recipientFields(disclosure.recipient) + [
                        ViewField("purpose", words(disclosure.purpose)),
                        ViewField("information", disclosure.informationDescription),
                        ViewField("basis", basis(disclosure.legalBasis)),
                    ])
        }
        return rows
    }

    private static func scopeFields(_ scope: DisclosureScope) -> [ViewField] {
        [
            ViewField("recipients", scope.recipientNames.joined(separator: ", ")),
            ViewField("recipientCategories", scope.recipientCategories.map(words).joined(separator: ", ")),
            ViewField("purposes", scope.purposes.map(words).joined(separator: ", ")),
        ]
    }

    private static func recipientFields(_ recipient: DisclosureRecipient) -> [ViewField] {
        [
            ViewField("recipient", recipient.name), ViewField("category", words(recipient.category)),
            ViewField("address", recipient.address ?? ""),
        ]
    }

    private static func basis(_ basis: DisclosureLegalBasis) -> String {
        switch basis {
        case .treatment: "treatment"
        case .payment: "payment"
        case .healthCareOperations: "health care operations"
        case .consent(let id): "consent \(id)"
        case .authorization(let id): "authorization \(id)"
        case .requiredOrPermittedByLaw: "required or permitted by law"
        case .exempt(let category): "exempt: \(words(category))"
        }
    }

    // MARK: Ledger

    /// The rows of one patient's ledger: a `balances` row (what the patient and each insurance level owe, money
    /// unapplied, the balance) and one `posting` row per posting, keyed by its log position.
    public static func patientLedger(_ ledger: LedgerView.AccountLedger) -> [ViewRow] {
        let account = ledger.account
        let balances = [
            ViewRow(
                section: "balances", key: "account",
                fields: [
                    ViewField("patient", money(account.owedCents(by: .patient))),
                    ViewField(
                        "insurance",
                        money(
                            Responsibility.insuranceLevels.map { account.owedCents(by: .insurance(level: $0)) }.reduce(
                                0, +))),
                    ViewField("unapplied", money(account.unappliedCents)),
                    ViewField("balance", money(account.balanceCents)),
                ])
        ]
        return balances
            + ledger.entries.map { entry in
                ViewRow(
                    section: "posting", key: "\(entry.position)",
                    fields: [
                        ViewField("kind", entry.kind.name), ViewField("amount", money(entry.kind.amountCents)),
                        ViewField("chargeID", entry.kind.chargeID?.description ?? ""),
                        ViewField("paymentID", entry.kind.paymentID?.description ?? ""),
                        ViewField("detail", detail(entry.kind)),
                        ViewField("effectiveDate", UTCTime.date(daysSince1970: entry.effectiveDaysSince1970)),
                        ViewField("postedDate", UTCTime.date(daysSince1970: entry.postedDaysSince1970)),
                        ViewField("staff", entry.staffID.value), ViewField("late", entry.isLateEntry ? "yes" : "no"),
                        ViewField("balanceAfter", money(entry.balances.balanceCents)),
                    ])
            }
    }

    private static func detail(_ kind: LedgerEntry.Kind) -> String {
        switch kind {
        case .charge(_, _, let procedure, let units, _): "\(procedure) × \(units)"
        case .payment(_, let payer, let method, _), .paymentVoid(_, let payer, let method, _):
            "\(payerWords(payer)), \(words(method))"
        case .application(_, _, let responsibility, _, let isCredit):
            "\(responsibility)" + (isCredit ? ", credit" : "")
        case .adjustment(_, _, let responsibility, _, let reasonCode): "\(reasonCode.code), \(responsibility)"
        case .refund(_, let method, _): words(method)
        case .transfer(_, let from, let to, _): "\(from) to \(to)"
        case .chargeVoid: ""
        }
    }

    private static func payerWords(_ payer: Payer) -> String {
        switch payer {
        case .patient: "patient"
        case .insurance(let payerID, let level): "insurance \(level) \(payerID)"
        }
    }

    /// The rows of a day sheet: a `day` row (closed, reconciles, matches the closed totals), the `summary` rows of
    /// `DaySheet.tableRows()` keyed `office`, `provider <key>` and `staff <key>`, and the `posting` rows of
    /// `DaySheet.postingRows()` keyed by log position.
    public static func daySheet(_ sheet: DaySheet) -> [ViewRow] {
        var rows = [
            ViewRow(
                section: "day", key: UTCTime.date(daysSince1970: sheet.daysSince1970),
                fields: [
                    ViewField("closed", sheet.isClosed ? "yes" : "no"),
                    ViewField("reconciles", sheet.reconciles ? "yes" : "no"),
                    ViewField("matchesClosedTotals", sheet.matchesClosedTotals.map { $0 ? "yes" : "no" } ?? ""),
                ])
        ]
        let summary = sheet.tableRows()
        let summaryColumns = summary.first ?? []
        for row in summary.dropFirst() {
            let key = row[1].isEmpty ? row[0] : row[0] + " " + row[1]
            rows.append(
                ViewRow(
                    section: "summary", key: key,
                    fields: zip(summaryColumns, row).dropFirst(2).map { ViewField($0, $1) }))
        }
        let postings = sheet.postingRows()
        let postingColumns = postings.first ?? []
        for row in postings.dropFirst() {
            rows.append(
                ViewRow(
                    section: "posting", key: row[0],
                    fields: zip(postingColumns, row).dropFirst().map { ViewField($0, $1) }))
        }
        return rows
    }

    // MARK: Schedule

    /// The rows of a day's schedule: one `provider` row per provider with a schedule (free slots, conflicts,
    /// overbooked appointments) and one `appointment` row per appointment starting that day, by provider then start.
    public static func schedule(_ days: [ProviderDay]) -> [ViewRow] {
        var rows: [ViewRow] = days.map { day in
            ViewRow(
                section: "provider", key: day.providerStaffID.value,
                fields: [
                    ViewField("freeSlots", "\(day.freeSlots.count)"), ViewField("conflicts", "\(day.conflicts.count)"),
                    ViewField("overbooked", "\(day.overbookedAppointmentIDs.count)"),
                ])
        }
        for day in days {
            for row in day.rows {
                let minuteOfDay = row.startLocalMinutesSince1970 - day.daysSince1970 * 1440
                rows.append(
                    ViewRow(
                        section: "appointment", key: row.appointmentID.description,
                        fields: [
                            ViewField("provider", day.providerStaffID.value),
                            ViewField(
                                "start",
                                UTCTime.date(daysSince1970: day.daysSince1970) + " " + clock(minuteOfDay: minuteOfDay)),
                            ViewField("minutes", "\(row.durationMinutes)"),
                            ViewField("patientID", row.patientID?.description ?? ""),
                            ViewField("patient", row.patientName.description), ViewField("status", words(row.status)),
                            ViewField("room", row.room ?? ""),
                        ]))
            }
        }
        return rows
    }

    // MARK: Text

    /// The words of an enumeration value: `enteredInError` is "entered in error".
    static func words(_ value: some Any) -> String {
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

    /// Cents as a decimal amount with two digits: `125.00`, `-5.00`.
    static func money(_ cents: Int64) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// Thousandths as a decimal without trailing zeros: `36.6`, `120`.
    static func decimal(_ thousandths: Int64) -> String {
        let whole = thousandths / 1000
        var fraction = String(abs(thousandths % 1000))
        guard fraction != "0" else { return "\(whole)" }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (thousandths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    /// `HH:MM` of a minute of the day.
    static func clock(minuteOfDay: Int64) -> String {
        let hours = minuteOfDay / 60
        let minutes = minuteOfDay % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }

    /// An instant as office-local `YYYY-MM-DD HH:MM`: what office clocks showed, at the calendar's offset then.
    public static func localTime(_ microseconds: Int64, _ calendar: ViewCalendar) -> String {
        let day = calendar.day(ofMicroseconds: microseconds)
        let minute = (calendar.localMicroseconds(atMicroseconds: microseconds) - day * 86_400_000_000) / 60_000_000
        return UTCTime.date(daysSince1970: day) + " " + clock(minuteOfDay: minute)
    }
}
