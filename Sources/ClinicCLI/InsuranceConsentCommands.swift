import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic payer add|list`.
struct PayerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payer", abstract: "Define insurance payers.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Define a payer.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Option var name: String
        @Option(help: "commercial, medicare, medicaid, military, workersCompensation, other.") var type: String

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let payerID = context.newID("payer")
                let payer: PayerDefined
                do {
                    payer = try PayerDefined(
                        payerID: payerID, name: try Parse.text(name, what: "payer name"),
                        type: try choose(type, from: PayerType.self, what: "payer type"))
                } catch let error as CLIError {
                    throw error
                } catch {
                    throw CLIError.usage("The payer name is too long.")
                }
                try context.report(
                    try context.execute(.definePayer(payer)), "Defined payer \(shortID(payerID)) (id \(payerID)).",
                    details: ["payerID": payerID.description])
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the payers.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var access: AccessOptions

        func run() throws {
            try ReadContext.run(options, access, .listPayers) { context in
                let payers = try context.reader.payerList().payers.values.sorted { $0.name < $1.name }
                if options.json {
                    try Output.json(
                        payers.map { ["payerID": $0.payerID.description, "name": $0.name, "type": "\($0.type)"] })
                } else {
                    var table = Table(["PAYER", "NAME", "TYPE"])
                    for payer in payers { table.add([shortID(payer.payerID), payer.name, "\(payer.type)"]) }
                    Output.print(table.rendered())
                }
            }
        }
    }
}

/// Resolves a payer id typed as a prefix.
func payerID(_ text: String, _ context: WriteContext) throws -> EventID {
    try Lookup.unique(text, among: try context.reader.payerList().payers.keys, what: "payer")
}

/// `clinic coverage add|end`.
struct CoverageGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "Add or end a patient's insurance coverage.",
        subcommands: [Add.self, End.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a coverage.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option var payer: String
        @Option(name: .customLong("member"), help: "The member id on the insurance card.") var memberID: String
        @Option(help: "primary, secondary or tertiary.") var order: String = "primary"
        @Option var copay: String = "0"
        @Option(help: "First covered day (default today).") var from: String?
        @Option(help: "Last covered day.") var until: String?

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let patientID = try context.patient(patient)
                let coverageID = context.newID("coverage")
                let receipt = try context.execute(
                    .coverage(
                        patientID: patientID,
                        .addCoverage(
                            coverageID: coverageID, payerID: try payerID(payer, context),
                            memberID: try Parse.text(memberID, what: "member id"),
                            order: try choose(order, from: CoverageOrder.self, what: "order"),
                            copayCents: try Parse.money(copay).cents,
                            effectiveDaysSince1970: try postingDay(from, context),
                            terminationDaysSince1970: try until.map { try postingDay($0, context) })))
                try context.report(
                    receipt, "Added coverage \(shortID(coverageID)).", details: ["coverageID": coverageID.description])
            }
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end", abstract: "End a coverage on its last covered day.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var coverage: String
        @Option(help: "Last covered day.") var on: String

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let patientID = try context.patient(patient)
                let ids = try context.reader.coverage(of: patientID).coverages.keys
                let coverageID = try Lookup.unique(coverage, among: ids, what: "coverage")
                try context.report(
                    try context.execute(
                        .coverage(
                            patientID: patientID,
                            .endCoverage(coverageID: coverageID, terminationDaysSince1970: try postingDay(on, context)))
                    ),
                    "Ended coverage \(shortID(coverageID)).")
            }
        }
    }
}

/// `clinic eligibility PATIENT COVERAGE --result active`.
struct EligibilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eligibility", abstract: "Record the answer of an eligibility check.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var patient: String
    @Argument var coverage: String
    @Option(help: "active, inactive or unknown.") var result: String

    func run() throws {
        try WriteContext.run(options, actorOptions) { context in
            let patientID = try context.patient(patient)
            let ids = try context.reader.coverage(of: patientID).coverages.keys
            let coverageID = try Lookup.unique(coverage, among: ids, what: "coverage")
            try context.report(
                try context.execute(
                    .coverage(
                        patientID: patientID,
                        .recordEligibility(
                            coverageID: coverageID,
                            result: try choose(result, from: EligibilityResult.self, what: "result"),
                            checkedAtMicroseconds: context.now))),
                "Recorded the eligibility check.")
        }
    }
}

/// Parses a recipient: a name and a category.
func recipient(name: String, category: String, address: String?) throws -> DisclosureRecipient {
    do {
        return try DisclosureRecipient(
            name: try Parse.text(name, what: "recipient"),
            category: try choose(category, from: RecipientCategory.self, what: "recipient category"),
            address: try address.map { try Parse.text($0, what: "address") })
    } catch let error as CLIError {
        throw error
    } catch {
        throw CLIError.usage("The recipient is not valid (\(error)).")
    }
}

/// `clinic consent notice|grant|revoke|authorize|restrict|agree`.
struct ConsentGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Privacy notice, consents, authorizations and restrictions.",
        subcommands: [Notice.self, Grant.self, Revoke.self, Authorize.self, Restrict.self, Agree.self])

    static func step(
        _ options: StoreOptions, _ actorOptions: ActorOptions, patient: String, summary: String,
        _ make: (EventID, inout WriteContext) throws -> (ConsentCommand, EventID?)
    ) throws {
        try WriteContext.run(options, actorOptions) { context in
            let patientID = try context.patient(patient)
            let (command, newID) = try make(patientID, &context)
            let details = newID.map { ["id": $0.description] } ?? [:]
            let suffix = newID.map { " Id \(shortID($0))." } ?? ""
            try context.report(
                try context.execute(.consent(patientID: patientID, command)), summary + suffix, details: details)
        }
    }

    struct Notice: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notice", abstract: "The patient acknowledged the privacy notice.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(name: .customLong("notice-version")) var noticeVersion: String = "1"

        func run() throws {
            try ConsentGroup.step(options, actorOptions, patient: patient, summary: "Recorded the acknowledgement.") {
                _, context in
                (
                    .acknowledgePrivacyNotice(
                        noticeVersion: try Parse.text(noticeVersion, what: "version"),
                        acknowledgedAtMicroseconds: context.now), nil
                )
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant", abstract: "Record the patient's consent to disclosures.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(name: .customLong("to"), help: "A recipient name (repeatable).") var names: [String] = []
        @Option(name: .customLong("category"), help: "A recipient category (repeatable).") var categories: [String] = []
        @Option(name: .customLong("purpose"), help: "A purpose (repeatable): treatment, payment, research, ...")
        var purposes: [String]
        @Option(help: "Last day in force.") var until: String?

        func run() throws {
            try ConsentGroup.step(options, actorOptions, patient: patient, summary: "Recorded the consent.") {
                _, context in
                let scope: DisclosureScope
                do {
                    scope = try DisclosureScope(
                        recipientNames: try names.map { try Parse.text($0, what: "recipient") },
                        recipientCategories: try categories.map {
                            try choose($0, from: RecipientCategory.self, what: "category")
                        },
                        purposes: try purposes.map { try choose($0, from: DisclosurePurpose.self, what: "purpose") })
                } catch let error as CLIError {
                    throw error
                } catch {
                    throw CLIError.usage(
                        "The consent needs at least one recipient (--to or --category) and one --purpose.")
                }
                let id = context.newID("entry")
                let expires = try until.map {
                    context.calendar.microseconds(atStartOfLocalDay: try postingDay($0, context) + 1)
                }
                return (
                    .grantConsent(
                        consentID: id, scope: scope, effectiveFromMicroseconds: context.now,
                        expiresAtMicroseconds: expires), id
                )
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a consent or authorization from now on.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var consent: String

        func run() throws {
            try ConsentGroup.step(options, actorOptions, patient: patient, summary: "Revoked.") { patientID, context in
                let state = try context.reader.consents(of: patientID)
                let ids = Array(state.consents.keys) + Array(state.authorizations.keys)
                return (
                    .revokeConsent(
                        consentID: try Lookup.unique(consent, among: ids, what: "consent"),
                        effectiveFromMicroseconds: context.now), nil
                )
            }
        }
    }

    struct Authorize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "authorize", abstract: "Record a signed HIPAA 164.508 authorization.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(name: .customLong("to")) var recipientName: String
        @Option var category: String
        @Option var address: String?
        @Option var purpose: String
        @Option(help: "What information may be disclosed.") var information: String
        @Option(help: "Last day in force.") var until: String
        @Option(name: .customLong("signed-by"), help: "Who signed (the patient or their representative).") var signedBy:
            String

        func run() throws {
            try ConsentGroup.step(options, actorOptions, patient: patient, summary: "Recorded the authorization.") {
                _, context in
                let id = context.newID("entry")
                return (
                    .recordAuthorization(
                        authorizationID: id,
                        recipient: try recipient(name: recipientName, category: category, address: address),
                        purpose: try choose(purpose, from: DisclosurePurpose.self, what: "purpose"),
                        informationDescription: try Parse.text(information, what: "information"),
                        expiresAtMicroseconds: context.calendar.microseconds(
                            atStartOfLocalDay: try postingDay(until, context) + 1),
                        expiryEvent: nil, signedBy: try Parse.text(signedBy, what: "signer"),
                        signedAtMicroseconds: context.now),
                    id
                )
            }
        }
    }

    struct Restrict: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restrict",
            abstract: "Record the patient's request to restrict disclosures.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Option(name: .customLong("category")) var categories: [String]
        @Option(name: .customLong("purpose")) var purposes: [String]
        @Option var information: String

        func run() throws {
            try ConsentGroup.step(options, actorOptions, patient: patient, summary: "Recorded the restriction request.")
            {
                _, context in
                let scope: DisclosureScope
                do {
                    scope = try DisclosureScope(
                        recipientCategories: try categories.map {
                            try choose($0, from: RecipientCategory.self, what: "category")
                        },
                        purposes: try purposes.map { try choose($0, from: DisclosurePurpose.self, what: "purpose") })
                } catch let error as CLIError {
                    throw error
                } catch {
                    throw CLIError.usage("A restriction needs at least one --category and one --purpose.")
                }
                let id = context.newID("entry")
                return (
                    .requestRestriction(
                        restrictionID: id, scope: scope,
                        informationDescription: try Parse.text(information, what: "information"),
                        requestedAtMicroseconds: context.now), id
                )
            }
        }
    }

    struct Agree: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agree", abstract: "Agree to a requested restriction.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var patient: String
        @Argument var restriction: String

        func run() throws {
            try ConsentGroup.step(options, actorOptions, patient: patient, summary: "Agreed to the restriction.") {
                patientID, context in
                let ids = try context.reader.consents(of: patientID).restrictions.keys
                return (
                    .agreeRestriction(
                        restrictionID: try Lookup.unique(restriction, among: ids, what: "restriction"),
                        effectiveFromMicroseconds: context.now), nil
                )
            }
        }
    }
}

/// `clinic disclose PATIENT --to NAME --category C --purpose P --information I [--basis ...]`.
struct DisclosureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclose", abstract: "Record a disclosure of a patient's information (HIPAA 164.528).")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var patient: String
    @Option(name: .customLong("to")) var recipientName: String
    @Option var category: String
    @Option var address: String?
    @Option var purpose: String
    @Option var information: String
    @Option(help: "treatment, payment, operations, law, consent:ID or authorization:ID.") var basis: String

    func run() throws {
        try ConsentGroup.step(options, actorOptions, patient: patient, summary: "Recorded the disclosure.") {
            patientID, context in
            let legalBasis: DisclosureLegalBasis
            switch basis {
            case "treatment": legalBasis = .treatment
            case "payment": legalBasis = .payment
            case "operations": legalBasis = .healthCareOperations
            case "law": legalBasis = .requiredOrPermittedByLaw
            default:
                let parts = basis.split(separator: ":", maxSplits: 1).map(String.init)
                let state = try context.reader.consents(of: patientID)
                guard parts.count == 2 else {
                    throw CLIError.usage(
                        "The basis must be treatment, payment, operations, law, consent:ID or authorization:ID.")
                }
                if parts[0] == "consent" {
                    legalBasis = .consent(try Lookup.unique(parts[1], among: state.consents.keys, what: "consent"))
                } else if parts[0] == "authorization" {
                    legalBasis = .authorization(
                        try Lookup.unique(parts[1], among: state.authorizations.keys, what: "authorization"))
                } else {
                    throw CLIError.usage(
                        "The basis must be treatment, payment, operations, law, consent:ID or authorization:ID.")
                }
            }
            let id = context.newID("entry")
            return (
                .recordDisclosure(
                    disclosureID: id,
                    recipient: try recipient(name: recipientName, category: category, address: address),
                    purpose: try choose(purpose, from: DisclosurePurpose.self, what: "purpose"),
                    informationDescription: try Parse.text(information, what: "information"), legalBasis: legalBasis,
                    disclosedAtMicroseconds: context.now),
                id
            )
        }
    }
}
