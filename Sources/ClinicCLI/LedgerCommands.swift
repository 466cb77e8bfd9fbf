import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic ledger PATIENT | daily | aging`.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "A patient's ledger, the day sheet, and accounts receivable aging.",
        subcommands: [Account.self, Daily.self, Aging.self], defaultSubcommand: Account.self)

    struct Account: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "account",
            abstract: "A patient's ledger: every posting with running balances by responsibility.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Argument(help: "The patient id (or its first digits).") var patient: String

        func run() throws {
            try ReadContext.run(options, access, .viewPatientLedger, patient: patient, logsAccess: true) { context in
                let views = try context.views()
                let id = try Lookup.patient(patient, in: views)
                try context.recordAccess(of: id)
                guard let ledger = try views.ledger.account(of: id) else {
                    if options.json {
                        try Output.json(LedgerJSON(patientID: id.description, entries: [], balanceCents: 0))
                    } else {
                        Output.print("No postings for patient \(shortID(id)).\n")
                    }
                    return
                }
                let entries = ledger.entries.map(LedgerEntryJSON.init)
                if options.json {
                    try Output.json(
                        LedgerJSON(
                            patientID: id.description, entries: entries, balanceCents: ledger.account.balanceCents))
                    return
                }
                var table = Table(
                    ["DATE", "POSTING", "ID", "AMOUNT", "PATIENT", "INSURANCE", "UNAPPLIED", "BALANCE", "NOTE"],
                    rightAligned: [3, 4, 5, 6, 7])
                for entry in entries {
                    table.add([
                        entry.postedDate, entry.kind, shortID(entry.id), Parse.moneyText(entry.amountCents),
                        Parse.moneyText(entry.patientBalanceCents), Parse.moneyText(entry.insuranceBalanceCents),
                        Parse.moneyText(entry.unappliedCents), Parse.moneyText(entry.balanceCents), entry.note,
                    ])
                }
                Output.print(
                    "Ledger of patient \(shortID(id))\n" + table.rendered() + "Balance: "
                        + Parse.moneyText(ledger.account.balanceCents) + "\n")
            }
        }
    }

    struct Daily: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "daily",
            abstract: "The day sheet: charges, payments, adjustments and refunds of a day by provider, staff and "
                + "method, with totals that reconcile (or a range of days with --through).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Option(help: "today, yesterday or YYYY-MM-DD.") var date: String = "today"
        @Option(help: "The last day of a range (a month-end run).") var through: String?
        @Flag(help: "Print the summary as CSV.") var csv = false
        @Flag(help: "List every posting of the day.") var postings = false

        func run() throws {
            try ReadContext.run(options, access, .viewDaySheet) { context in
                let (reader, run) = (context.reader, context.run)
                let now = SystemClockNow.microseconds()
                let first = try Parse.day(date, calendar: reader.calendar, now: now)
                let last = try through.map { try Parse.day($0, calendar: reader.calendar, now: now) } ?? first
                guard first <= last, last - first <= 3660 else {
                    throw CLIError.usage("The range must run forward and span at most ten years.")
                }
                let views = try run.views(reader, showProgress: !options.json && !csv)
                let bar = (options.json || csv || first == last) ? nil : ProgressBar("Day sheets")
                let sheets = try views.ledger.daySheets(fromDay: first, throughDay: last) { done, total in
                    bar?.update(done: Int64(done), total: Int64(total))
                }
                bar?.finish()
                if options.json {
                    Output.print(
                        sheets.count == 1
                            ? sheets[0].json() + "\n" : "[" + sheets.map { $0.json() }.joined(separator: ",") + "]\n")
                } else if csv {
                    Output.print(postings ? sheets.map { $0.postingsCSV() }.joined() : sheets.map { $0.csv() }.joined())
                } else {
                    Output.print(sheets.map { DaySheetText.render($0, postings: postings) }.joined(separator: "\n"))
                }
            }
        }
    }

    struct Aging: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "aging",
            abstract: "Accounts receivable by age: 0-30, 31-60, 61-90, 91-120, over 120 days.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Option(help: "The day ages are counted to.") var date: String = "today"
        @Flag(help: "Print CSV.") var csv = false

        func run() throws {
            try ReadContext.run(options, access, .viewAging) { context in
                let (reader, run) = (context.reader, context.run)
                let day = try Parse.day(date, calendar: reader.calendar, now: SystemClockNow.microseconds())
                let views = try run.views(reader, showProgress: !options.json && !csv)
                let report = try views.ledger.aging(asOfDay: day)
                if options.json {
                    try Output.json(AgingJSON(report))
                    return
                }
                var table = Table(
                    ["", "0-30", "31-60", "61-90", "91-120", "OVER 120", "TOTAL"], rightAligned: [1, 2, 3, 4, 5, 6])
                func add(_ label: String, _ buckets: AgingBuckets) {
                    table.add([label] + buckets.cents.map(Parse.moneyText) + [Parse.moneyText(buckets.totalCents)])
                }
                add("patients", report.patientTotal)
                add("insurance", report.insuranceTotal)
                for (payer, buckets) in report.byPayer.sorted(by: { $0.key < $1.key }) {
                    add("  " + ((try views.ledger.payerNames[payer]) ?? payer), buckets)
                }
                if csv {
                    Output.print(table.csv())
                } else {
                    Output.print(
                        "Accounts receivable as of \(Parse.dateText(day))\n" + table.rendered()
                            + "Unapplied credits: \(Parse.moneyText(report.unappliedCents))\n"
                            + "Balance: \(Parse.moneyText(report.balanceCents))\n")
                }
            }
        }
    }
}

/// The JSON shape of `clinic ledger PATIENT --json`.
struct LedgerJSON: Encodable {
    let patientID: String
    let entries: [LedgerEntryJSON]
    let balanceCents: Int64
}

/// One posting in `clinic ledger PATIENT --json`.
struct LedgerEntryJSON: Encodable {
    let position: UInt64
    let kind: String
    let id: String
    let amountCents: Int64
    let effectiveDate: String
    let postedDate: String
    let staff: String
    let patientBalanceCents: Int64
    let insuranceBalanceCents: Int64
    let unappliedCents: Int64
    let balanceCents: Int64
    let note: String

    init(_ entry: LedgerEntry) {
        position = entry.position
        kind = entry.kind.name
        id = (entry.kind.chargeID ?? entry.kind.paymentID)?.description ?? ""
        amountCents = entry.kind.amountCents
        effectiveDate = Parse.dateText(entry.effectiveDaysSince1970)
        postedDate = Parse.dateText(entry.postedDaysSince1970)
        staff = entry.staffID.value
        patientBalanceCents = entry.balances.patientCents
        insuranceBalanceCents = entry.balances.insuranceTotalCents
        unappliedCents = entry.balances.unappliedCents
        balanceCents = entry.balances.balanceCents
        var notes: [String] = []
        switch entry.kind {
        case .charge(_, _, let procedure, let units, _): notes.append("\(procedure) x\(units)")
        case .payment(_, let payer, let method, _):
            notes.append(payer == .patient ? "patient, \(method)" : "insurance, \(method)")
        case .application(_, let charge, let responsibility, _, let credit):
            notes.append("to charge \(shortID(charge)) (\(responsibility))" + (credit ? " as credit" : ""))
        case .adjustment(_, let charge, let responsibility, _, let code):
            notes.append("\(code) on \(shortID(charge)) (\(responsibility))")
        case .transfer(let charge, let from, let to, _): notes.append("\(shortID(charge)) \(from) -> \(to)")
        case .refund(_, let method, _): notes.append("\(method)")
        case .chargeVoid, .paymentVoid: notes.append("void")
        }
        if entry.isLateEntry { notes.append("late entry for \(Parse.dateText(entry.effectiveDaysSince1970))") }
        note = notes.joined(separator: "; ")
    }
}

/// The JSON shape of `clinic ledger aging --json`.
struct AgingJSON: Encodable {
    let asOf: String
    let patientCents: [Int64]
    let insuranceCents: [Int64]
    let byPayerCents: [String: [Int64]]
    let unappliedCents: Int64
    let balanceCents: Int64

    init(_ report: AgingReport) {
        asOf = Parse.dateText(report.asOfDaysSince1970)
        patientCents = report.patientTotal.cents
        insuranceCents = report.insuranceTotal.cents
        byPayerCents = report.byPayer.mapValues(\.cents)
        unappliedCents = report.unappliedCents
        balanceCents = report.balanceCents
    }
}

/// A day sheet for people: the office totals, then one line per provider and per staff member.
enum DaySheetText {
    static func render(_ sheet: DaySheet, postings: Bool) -> String {
        let money = Parse.moneyText
        let figures = sheet.office
        var text = "Day sheet for \(Parse.dateText(sheet.daysSince1970))"
        if let matches = sheet.matchesClosedTotals {
            text += matches ? " (closed; matches the closed totals)" : " (closed; DOES NOT MATCH the closed totals)"
        } else {
            text += " (open)"
        }
        text += "\n"
        text += keyValueText([
            ("opening balance", money(sheet.openingBalanceCents)),
            ("+ charges", money(figures.chargesCents)),
            ("- charge voids", money(figures.chargeVoidsCents)),
            ("- patient payments", money(figures.patientPaymentsCents)),
            ("- insurance payments", money(figures.insurancePaymentsCents)),
            ("+ payment voids", money(figures.paymentVoidsCents)),
            ("- adjustments", money(figures.adjustmentsCents)),
            ("+ refunds", money(figures.refundsCents)),
            ("= closing balance", money(sheet.closingBalanceCents)),
            ("reconciles", sheet.reconciles ? "yes" : "NO"),
        ])
        let methods = ["cash", "card", "check", "eft", "other"]
        let net = (0..<5).map {
            figures.paymentsByMethodCents[$0] - figures.paymentVoidsByMethodCents[$0] - figures.refundsByMethodCents[$0]
        }
        text +=
            "by method (payments - voids - refunds): "
            + zip(methods, net).map { "\($0) \(money($1))" }.joined(separator: ", ") + "\n"
        var table = Table(
            ["BY", "WHO", "CHARGES", "PAYMENTS", "ADJUSTMENTS", "REFUNDS", "NET"], rightAligned: [2, 3, 4, 5, 6])
        for group in sheet.byProvider {
            table.add(row("provider", group))
        }
        for group in sheet.byStaff {
            table.add(row("staff", group))
        }
        if !table.rows.isEmpty { text += table.rendered() }
        if postings {
            var lines = Table(["POS", "PATIENT", "POSTING", "AMOUNT", "PROVIDER", "STAFF", "NOTE"], rightAligned: [3])
            for line in sheet.lines {
                let entry = LedgerEntryJSON(line.entry)
                lines.add([
                    "\(line.entry.position)", shortID(line.patientID), entry.kind, money(entry.amountCents),
                    line.providerStaffID?.value ?? "", entry.staff, entry.note,
                ])
            }
            text += lines.rendered()
        }
        return text
    }

    private static func row(_ section: String, _ group: DaySheet.Group) -> [String] {
        let figures = group.figures
        return [
            section, group.key.isEmpty ? "(none)" : group.key,
            Parse.moneyText(figures.chargesCents - figures.chargeVoidsCents),
            Parse.moneyText(figures.paymentsCents - figures.paymentVoidsCents),
            Parse.moneyText(figures.adjustmentsCents),
            Parse.moneyText(figures.refundsCents), Parse.moneyText(figures.netChangeCents),
        ]
    }
}

/// `clinic day close --date D`.
struct DayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day", abstract: "Close an office day.", subcommands: [Close.self])

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "Close a day: record its totals and sign a checkpoint of the log; the day's figures never "
                + "change afterwards (later corrections post to an open day).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Option(help: "today, yesterday or YYYY-MM-DD.") var date: String = "today"

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let day = try Parse.day(date, calendar: context.calendar, now: context.now)
                guard day <= context.calendar.localDay(atMicroseconds: context.now) else {
                    throw CLIError.usage("A day cannot be closed before it has begun; close it at its end.")
                }
                let views = try context.views()
                let totals: DayTotals
                do {
                    totals = try views.ledger.closingTotals(forDay: day)
                } catch let error as DayCloseError {
                    // Only the totals' own rules are refusals; a view that cannot be read stays a storage failure.
                    let code =
                        switch error {
                        case .negativeTotal: "negativeTotal"
                        case .totalAboveLimit: "totalAboveLimit"
                        case .refused: "dayCloseRefused"
                        }
                    throw StoreError(.refused, code: code, message: error.description)
                }
                let receipt = try context.execute(.closeDay(daysSince1970: day, totals: totals))
                let checkpoint = try context.store.checkpoint()
                let sheet = try views.ledger.daySheet(daysSince1970: day)
                try context.report(
                    receipt,
                    "Closed \(Parse.dateText(day)): charges \(Parse.moneyText(totals.charges.cents)), payments "
                        + "\(Parse.moneyText(totals.payments.cents)), adjustments \(Parse.moneyText(totals.adjustments.cents)), "
                        + "refunds \(Parse.moneyText(totals.refunds.cents)); closing balance \(Parse.moneyText(sheet.closingBalanceCents)). "
                        + "Signed checkpoint at tree size \(checkpoint.treeSize).",
                    details: ["treeSize": "\(checkpoint.treeSize)", "date": Parse.dateText(day)])
            }
        }
    }
}

/// `clinic rebuild`: throws the views' checkpoints away and folds the whole log again.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Rebuild every view from the whole log and write fresh checkpoints.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var access: AccessOptions

    func run() throws {
        try ReadContext.run(options, access, .rebuildViews) { context in
            let reader = context.reader
            let fileManager = FileManager.default
            let directory = reader.location.viewsDirectory
            for name in (try? fileManager.contentsOfDirectory(atPath: directory)) ?? [] {
                try? fileManager.removeItem(atPath: directory + "/" + name)
            }
            let stopwatch = Stopwatch()
            let views = try Views.openAll(reader, showProgress: !options.json)
            do {
                try views.saveCheckpoints()
            } catch {
                throw StoreError(
                    .storage, code: "checkpoints",
                    message: "The views were rebuilt but their checkpoints could not be written (\(error)); free disk "
                        + "space or fix the views directory, then run `clinic rebuild` again.")
            }
            let seconds = stopwatch.seconds
            let hashes = views.stateHashes.mapValues { NumberText.hex($0) }
            if options.json {
                try Output.json(RebuildJSON(events: views.nextPosition, seconds: seconds, stateHashes: hashes))
            } else {
                Output.print(
                    "Rebuilt the views from \(views.nextPosition) events in \(NumberText.fixed(seconds, fractionDigits: 2)) s.\n"
                        + hashes.sorted(by: { $0.key < $1.key }).map { "  \($0.key): \($0.value)" }.joined(
                            separator: "\n")
                        + "\n")
            }
        }
    }
}

/// The JSON shape of `clinic rebuild --json`.
struct RebuildJSON: Encodable {
    let events: UInt64
    let seconds: Double
    let stateHashes: [String: String]
}
