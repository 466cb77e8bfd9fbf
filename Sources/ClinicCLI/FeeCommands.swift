import ArgumentParser
import ClinicEvents
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic fee set|withdraw|list`: the office's fee schedule.
struct FeeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fee", abstract: "Keep the office's fee schedule: the standard fee of each procedure.",
        discussion:
            "A fee is the charge for one unit of a CPT or HCPCS code, from a day of service on. A fee set with "
            + "--modifier applies to charges with exactly those modifiers (in any order); without, it is the code's "
            + "default. clinic charge without --amount charges the fee in force on the visit's date of service "
            + "times the units.",
        subcommands: [SetFee.self, WithdrawFee.self, ListFees.self])

    struct SetFee: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the fee of a procedure from a day on (the same fee from the same day appends nothing).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument(help: "CPT (5 digits) or HCPCS (letter + 4 digits) code.") var code: String
        @Option(help: "The fee for one unit, e.g. 125.00.") var amount: String
        @Option(name: .customLong("modifier"), help: "A two-character modifier (repeatable, up to 4).")
        var modifiers: [String] = []
        @Option(help: "The first day of service it applies to (default today).") var from: String?
        @Option(name: .customLong("description"), help: "The procedure's name in the fee list (no patient data).")
        var label: String?

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let procedure = try Parse.procedure(code, modifiers: modifiers)
                let fee = try Parse.money(amount)
                guard fee.cents > 0 else {
                    throw CLIError.usage("A fee must be above 0.00; give the fee for one unit, such as 125.00.")
                }
                let description = try label.map { try Parse.text($0, what: "description") }
                if let description, description.utf8.count > FeeScheduleLimits.descriptionByteCountMax {
                    throw CLIError.usage(
                        "The description is longer than \(FeeScheduleLimits.descriptionByteCountMax) bytes; shorten "
                            + "it.")
                }
                let day = try postingDay(from, context)
                let receipt = try context.execute(
                    .feeSchedule(
                        .setFee(
                            procedure: procedure, amount: fee, effectiveDaysSince1970: day,
                            procedureDescription: description)))
                try context.report(
                    receipt,
                    "Set the fee of \(procedure) to \(Parse.moneyText(fee.cents)) per unit from "
                        + "\(Parse.dateText(day)).",
                    details: [
                        "procedure": procedure.description, "amountCents": String(fee.cents),
                        "effectiveFrom": Parse.dateText(day),
                    ])
            }
        }
    }

    struct WithdrawFee: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdraw",
            abstract: "Withdraw the fee of a procedure with exactly these modifiers from a day on.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument(help: "CPT or HCPCS code.") var code: String
        @Option(name: .customLong("modifier"), help: "A two-character modifier (repeatable, up to 4).")
        var modifiers: [String] = []
        @Option(help: "The first day of service it no longer applies to (default today).") var from: String?

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let procedure = try Parse.procedure(code, modifiers: modifiers)
                let day = try postingDay(from, context)
                let receipt = try context.execute(
                    .feeSchedule(.withdrawFee(procedure: procedure, effectiveDaysSince1970: day)))
                let after =
                    procedure.modifiers.isEmpty
                    ? "charges of \(procedure.code) without a fee for their modifiers need --amount"
                    : "these charges take the code's default fee"
                try context.report(
                    receipt, "Withdrew the fee of \(procedure) from \(Parse.dateText(day)); from then on \(after).",
                    details: ["procedure": procedure.description, "effectiveFrom": Parse.dateText(day)])
            }
        }
    }

    struct ListFees: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the fees in force on a day, by code, or the schedule's whole history.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions
        @Option(name: .customLong("as-of"), help: "The day of service (default today).") var asOf: String?
        @Flag(help: "List every fee set or withdrawn, by code and effective day, instead of the fees of one day.")
        var history = false
        @Flag(help: "Print CSV.") var csv = false

        func validate() throws {
            if history, asOf != nil { throw ValidationError("--history lists every day's fees; leave out --as-of.") }
        }

        func run() throws {
            try ReadContext.run(options, access, .viewFeeSchedule) { context in
                let reader = context.reader
                if history {
                    try printHistory(try reader.feeSchedule().history())
                    return
                }
                let asOf = asOf ?? "today"
                let day = try Parse.day(asOf, calendar: reader.calendar, now: SystemClockNow.microseconds())
                let fees = try reader.feeSchedule().fees(onDaysSince1970: day)
                if options.json {
                    try Output.json(FeeListJSON(asOf: Parse.dateText(day), fees: fees.map(FeeJSON.init)))
                    return
                }
                var table = Table(["CODE", "MODIFIERS", "AMOUNT", "FROM", "DESCRIPTION"], rightAligned: [2])
                for fee in fees {
                    table.add([
                        fee.procedure.code, fee.procedure.modifiers.joined(separator: ","),
                        Parse.moneyText(fee.amount.cents), Parse.dateText(fee.effectiveDaysSince1970),
                        fee.procedureDescription ?? "",
                    ])
                }
                if csv {
                    Output.print(table.csv())
                } else if fees.isEmpty {
                    Output.print("No fee is in force on \(Parse.dateText(day)); set one with clinic fee set.\n")
                } else {
                    Output.print("Fees in force on \(Parse.dateText(day))\n" + table.rendered())
                }
            }
        }

        private func printHistory(_ entries: [FeeSchedule.HistoryEntry]) throws {
            if options.json {
                try Output.json(FeeHistoryJSON(history: entries.map(FeeHistoryEntryJSON.init)))
                return
            }
            var table = Table(["CODE", "MODIFIERS", "FROM", "AMOUNT", "DESCRIPTION"], rightAligned: [3])
            for entry in entries {
                table.add([
                    entry.code, entry.modifiers.joined(separator: ","), Parse.dateText(entry.effectiveDaysSince1970),
                    entry.fee.map { Parse.moneyText($0.amount.cents) } ?? "withdrawn",
                    entry.fee?.procedureDescription ?? "",
                ])
            }
            if csv {
                Output.print(table.csv())
            } else if entries.isEmpty {
                Output.print("No fee was ever set; set one with clinic fee set.\n")
            } else {
                Output.print("Fee schedule history\n" + table.rendered())
            }
        }
    }
}

/// The JSON shape of `clinic fee list --history --json`.
struct FeeHistoryJSON: Encodable {
    let history: [FeeHistoryEntryJSON]
}

/// One entry of `clinic fee list --history --json`: `amountCents` and `description` are null for a withdrawal.
struct FeeHistoryEntryJSON: Encodable {
    let code: String
    let modifiers: [String]
    let effectiveFrom: String
    let withdrawn: Bool
    let amountCents: Int64?
    let description: String?

    init(_ entry: FeeSchedule.HistoryEntry) {
        code = entry.code
        modifiers = entry.modifiers
        effectiveFrom = Parse.dateText(entry.effectiveDaysSince1970)
        withdrawn = entry.fee == nil
        amountCents = entry.fee?.amount.cents
        description = entry.fee?.procedureDescription
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(modifiers, forKey: .modifiers)
        try container.encode(effectiveFrom, forKey: .effectiveFrom)
        try container.encode(withdrawn, forKey: .withdrawn)
        try container.encode(amountCents, forKey: .amountCents)
        try container.encode(description, forKey: .description)
    }

    private enum CodingKeys: String, CodingKey {
        case code, modifiers, effectiveFrom, withdrawn, amountCents, description
    }
}

/// The JSON shape of `clinic fee list --json`.
struct FeeListJSON: Encodable {
    let asOf: String
    let fees: [FeeJSON]
}

/// One fee of `clinic fee list --json`; `description` is null when none was given.
struct FeeJSON: Encodable {
    let code: String
    let modifiers: [String]
    let amountCents: Int64
    let effectiveFrom: String
    let description: String?

    init(_ fee: ScheduledFee) {
        code = fee.procedure.code
        modifiers = fee.procedure.modifiers
        amountCents = fee.amount.cents
        effectiveFrom = Parse.dateText(fee.effectiveDaysSince1970)
        description = fee.procedureDescription
    }

    private enum CodingKeys: String, CodingKey {
        case code, modifiers, amountCents, effectiveFrom, description
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(modifiers, forKey: .modifiers)
        try container.encode(amountCents, forKey: .amountCents)
        try container.encode(effectiveFrom, forKey: .effectiveFrom)
        try container.encode(description, forKey: .description)
    }
}
