import ArgumentParser
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clinic`: the staff command line of ClinicLog.
///
/// Every command names itself (`commandName:`): ArgumentParser derives a missing name from the type's name through
/// `String(describing:)`, whose first use per type scans every protocol conformance in the binary, and the command
/// tree is built on every start (that was a fifth of a read command's CPU time).
@main
struct Clinic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic",
        abstract: "ClinicLog: the records of a medical office, as an append-only, verifiable log.",
        discussion:
            "Every command works on one store (--store PATH, or $CLINIC_STORE, or the per-user default). "
            + "Staff sign in first (clinic signin --as STAFF-ID); commands that read or change records then act as "
            + "a signed-in staff member (--as STAFF-ID, or $CLINIC_STAFF, or the only one signed in) in one of "
            + "their roles (--role, or $CLINIC_ROLE), as docs/security.md allows. Read commands print aligned "
            + "tables, or JSON with --json. Exit codes: 0 done, 64 usage error, 65 refused by a rule, 66 not found, "
            + "74 storage failure, 75 conflict (retry), 77 permission denied or not signed in. See docs/cli.md.",
        subcommands: [
            InitCommand.self, StatusCommand.self, SignInCommand.self, SignOutCommand.self, KeysCommand.self,
            DemoCommand.self,
            StaffCommand.self, PatientCommand.self,
            AvailabilityCommand.self, BookCommand.self, RescheduleCommand.self, AppointmentStatusCommand.self,
            CancelCommand.self, ScheduleCommand.self, FreeSlotsCommand.self,
            ChartShowCommand.self, VitalsCommand.self, AllergyCommand.self, MedicationCommand.self, ProblemCommand.self,
            NoteCommand.self, AmendmentCommand.self,
            FeeCommand.self, ChargeCommand.self, PaymentCommand.self, ApplyCommand.self, AdjustCommand.self,
            RefundCommand.self,
            TransferCommand.self, VoidCommand.self, LedgerCommand.self, DayCommand.self,
            PayerCommand.self, CoverageGroup.self, EligibilityCommand.self,
            ConsentGroup.self, DisclosureCommand.self,
            RetentionCommand.self, RebuildCommand.self, AuditCommand.self,
        ]
    )

    /// Parses and runs the command; a usage error of the parser is printed without any control or text-direction
    /// character of what was typed (the parser quotes the refused value), with exit code 64.
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitCleanly(error)
        }
        do {
            try refuseRepeatedOptions(of: type(of: command), in: Array(CommandLine.arguments.dropFirst()))
        } catch {
            let path = (["clinic"] + commandPath(Array(CommandLine.arguments.dropFirst()))).joined(separator: " ")
            StandardStream.error.write("Error: \(error)\n  See '\(path) --help' for more information.\n")
            terminate(ExitCode.validationFailure.rawValue)
        }
        do {
            try command.run()
        } catch {
            exitCleanly(error)
        }
    }

    /// Exits for `error`: `--help` and the commands' own exit codes as the parser does, a usage error with its message
    /// made safe for a terminal.
    private static func exitCleanly(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if error is ExitCode || code == .success { exit(withError: error) }
        let message = terminalSafe(fullMessage(for: error), keepingLineFeeds: true)
        StandardStream.error.write(message + "\n")
        terminate(code.rawValue)
    }

    /// Ends the process with `status`.
    private static func terminate(_ status: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }

    /// Refuses an option that takes one value given twice (`--amount 5 --amount 6`): the parser would silently keep
    /// the last. Options that are repeatable by design (`--dx`, `--entry`, ...) are left alone.
    static func refuseRepeatedOptions(of command: any ParsableCommand.Type, in arguments: [String]) throws {
        // The command's options are described (a costly dump of its help) only when some long option is given twice.
        var given: Set<Substring> = []
        var repeated = false
        for argument in arguments {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            if !given.insert(argument.dropFirst(2).prefix { $0 != "=" }).inserted { repeated = true }
        }
        guard repeated else { return }
        guard let help = try? JSONDecoder().decode(HelpDump.self, from: Data(command._dumpHelp().utf8)) else {
            return
        }
        var single: Set<String> = []
        for argument in help.command.arguments ?? [] where argument.kind == "option" && argument.isRepeating != true {
            for name in argument.names ?? [] where name.kind == "long" { single.insert(name.name) }
        }
        var seen: Set<String> = []
        for argument in arguments {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.dropFirst(2).prefix { $0 != "=" })
            guard single.contains(name) else { continue }
            guard seen.insert(name).inserted else {
                throw ValidationError("--\(name) was given more than once; give it once.")
            }
        }
    }

    /// The subcommand names at the start of `arguments` (`["ledger", "daily"]`).
    static func commandPath(_ arguments: [String]) -> [String] {
        var path: [String] = []
        var current: any ParsableCommand.Type = Clinic.self
        for word in arguments {
            guard
                let next = current.configuration.subcommands.first(where: {
                    $0._commandName == word
                })
            else { break }
            path.append(word)
            current = next
        }
        return path
    }
}

/// What `refuseRepeatedOptions` reads of ArgumentParser's help dump (`_dumpHelp()`, the `--experimental-dump-help`
/// JSON): each argument's kind, whether it repeats, and its names.
private struct HelpDump: Decodable {
    struct Command: Decodable {
        var arguments: [Argument]?
    }
    struct Argument: Decodable {
        var kind: String
        var isRepeating: Bool?
        var names: [Name]?
    }
    struct Name: Decodable {
        var kind: String
        var name: String
    }
    var command: Command
}
