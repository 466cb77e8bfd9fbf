import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic chart PATIENT`: the patient's chart.
struct ChartShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Show a patient's chart: demographics, coverage, allergies, medications, problems, vitals, "
            + "visits with notes, amendments, consents.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var access: AccessOptions
    @Argument(help: "The patient id (or its first digits).") var patient: String
    @Option(
        name: .customLong("break-glass"),
        help: "Emergency access: open the chart although your role may not, stating why (logged and flagged).")
    var breakGlass: String?

    func run() throws {
        try ReadContext.run(
            options, access, .viewChart, patient: patient, breakGlassReason: breakGlass, logsAccess: true
        ) { context in
            let reader = context.reader
            let views = try context.views()
            let id = try Lookup.patient(patient, in: views)
            if try context.recordAccess(of: id) == .brokeGlass {
                StandardStream.error.write(
                    "clinic: break-glass access recorded; the compliance officer reviews every use.\n")
            }
            switch try views.chart.lookUp(id) {
            case .erased:
                if options.json {
                    try Output.json(["patientID": id.description, "status": "erased"])
                } else {
                    Output.print("Patient \(shortID(id)) was erased; their chart can no longer be read.\n")
                }
            case .unknown:
                throw CLIError.notFound("Patient \(shortID(id)) has no chart yet.")
            case .chart(let chart):
                let text = ChartText(
                    chart: chart, encounters: try views.chart.encounters(of: id), calendar: reader.calendar)
                if options.json {
                    try Output.json(text.json)
                } else {
                    Output.print(text.rendered)
                }
            }
        }
    }
}

/// A chart as text and as JSON (the JSON shape is documented in docs/cli.md).
struct ChartText {
    let chart: ChartView.PatientChart
    let encounters: [ChartView.Encounter]
    let calendar: OfficeCalendar

    func when(_ microseconds: Int64) -> String {
        Parse.localMinutesText(calendar.localMinutes(atMicroseconds: microseconds))
    }

    var allergies: [[String: String]] {
        chart.chart.allergies.values.sorted { $0.sequence < $1.sequence }.map { entry in
            [
                "id": entry.recorded.allergyID.description, "substance": entry.recorded.substance,
                "reaction": entry.recorded.reaction, "severity": "\(entry.recorded.severity)",
                "verification": "\(entry.recorded.verification)", "status": "\(entry.status)",
            ]
        }
    }

    var medications: [[String: String]] {
        chart.chart.medications.values.sorted { $0.sequence < $1.sequence }.map { entry in
            [
                "id": entry.started.medicationID.description, "name": entry.started.name, "dose": entry.started.dose,
                "route": "\(entry.started.route)", "frequency": entry.started.frequency,
                "for": entry.started.reason, "status": "\(entry.status)",
            ]
        }
    }

    var problems: [[String: String]] {
        chart.chart.problems.values.sorted { $0.sequence < $1.sequence }.map { entry in
            [
                "id": entry.added.problemID.description, "code": entry.added.diagnosis.code,
                "onset": entry.added.onsetDaysSince1970.map(Parse.dateText) ?? "", "status": "\(entry.status)",
            ]
        }
    }

    var vitals: [[String: String]] {
        chart.vitals.flatMap { entry in
            entry.recorded.measurements.map { sign in
                [
                    "time": when(entry.recording.effectiveTimeMicroseconds), "loinc": sign.kind.loincCode,
                    "kind": "\(sign.kind)", "value": Self.decimal(sign.valueThousandths), "unit": sign.kind.ucumUnit,
                    "recordedBy": entry.recording.staffID.value,
                ]
            }
        }
    }

    var visits: [[String: String]] {
        encounters.flatMap { encounter in
            encounter.notes.map { note in
                [
                    "encounterID": encounter.encounterID.description, "noteID": note.signed.noteID.description,
                    "author": note.signed.authorStaffID.value, "text": note.signed.text,
                    "addenda": note.addenda.map(\.text).joined(separator: "\n---\n"),
                ]
            }
        }
    }

    var amendments: [[String: String]] {
        chart.chart.amendments.values.sorted { $0.sequence < $1.sequence }.map { entry in
            [
                "id": entry.requested.amendmentID.description, "request": entry.requested.request,
                "status": "\(entry.status)",
                "amends": entry.requested.amendedEntryIDs.map(\.description).joined(separator: ","),
            ]
        }
    }

    var coverages: [[String: String]] {
        chart.coverage.coverages.values.sorted { $0.added.effectiveDaysSince1970 < $1.added.effectiveDaysSince1970 }
            .map { entry in
                [
                    "id": entry.added.coverageID.description, "payerID": entry.added.payerID.description,
                    "order": "\(entry.added.order)", "memberID": entry.added.memberID,
                    "copay": Parse.moneyText(entry.added.copayCents),
                    "from": Parse.dateText(entry.added.effectiveDaysSince1970),
                    "until": entry.terminationDaysSince1970.map(Parse.dateText) ?? "",
                ]
            }
    }

    var consents: [[String: String]] {
        chart.consents.consents.values.map { record in
            [
                "id": record.granted.consentID.description,
                "revoked": record.revokedFromMicroseconds.map(when) ?? "",
            ]
        }
    }

    static func decimal(_ thousandths: Int64) -> String {
        let whole = thousandths / 1000
        let fraction = abs(thousandths % 1000)
        guard fraction != 0 else { return "\(whole)" }
        var digits = Parse.zeroPadded(fraction, width: 3)
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    var json: ChartJSON {
        ChartJSON(
            patient: PatientJSON(chart.record), coverages: coverages, allergies: allergies, medications: medications,
            problems: problems, vitals: vitals, visits: visits, amendments: amendments, consents: consents)
    }

    var rendered: String {
        var text =
            "Chart of \(PatientJSON.displayName(chart.record)) (\(shortID(chart.record.patientID))), born "
            + (chart.record.birthDateDaysSince1970.map(Parse.dateText) ?? "?")
            + ", \(PatientJSON.status(chart.record))\n"
        func section(_ title: String, _ rows: [[String: String]], _ columns: [String]) {
            text += "\n\(title)\n"
            guard !rows.isEmpty else {
                text += "  none recorded\n"
                return
            }
            var table = Table(columns.map { $0.uppercased() })
            for row in rows {
                table.add(
                    columns.map { column in
                        column == "id" || column.hasSuffix("ID") ? shortID(row[column] ?? "") : row[column] ?? ""
                    })
            }
            text += table.rendered().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        section("Coverage", coverages, ["id", "order", "memberID", "copay", "from", "until"])
        section("Allergies", allergies, ["id", "substance", "reaction", "severity", "status"])
        section("Medications", medications, ["id", "name", "dose", "route", "frequency", "status"])
        section("Problems", problems, ["id", "code", "onset", "status"])
        section("Vitals", vitals, ["time", "kind", "value", "unit"])
        section(
            "Visit notes", visits.map { row in row.merging(["text": String((row["text"] ?? "").prefix(60))]) { $1 } },
            ["noteID", "author", "text"])
        section("Amendments", amendments, ["id", "request", "status"])
        return text
    }
}

/// The JSON shape of `clinic chart --json`.
struct ChartJSON: Encodable {
    let patient: PatientJSON
    let coverages: [[String: String]]
    let allergies: [[String: String]]
    let medications: [[String: String]]
    let problems: [[String: String]]
    let vitals: [[String: String]]
    let visits: [[String: String]]
    let amendments: [[String: String]]
    let consents: [[String: String]]
}
