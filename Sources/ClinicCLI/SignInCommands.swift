import ArgumentParser
import ClinicEvents
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic signin`: signs a staff member in with their passphrase, starting a session.
struct SignInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signin",
        abstract: "Sign in with your passphrase; the session ends after the store's idle time without a command.",
        discussion:
            "The passphrase is read from --passphrase-file, else from the file $CLINIC_PASSPHRASE_FILE names, else "
            + "typed at a prompt (not shown). It is never taken from the command line. Failed sign-ins are logged, and "
            + "each failure in a row doubles the wait before the next try (up to 15 minutes).")
    @OptionGroup var options: StoreOptions
    @Option(name: .customLong("as"), help: "Your staff id (default: $CLINIC_STAFF).") var staff: String?
    @Option(name: .customLong("passphrase-file"), help: "A file (mode 0600) whose first line is your passphrase.")
    var passphraseFile: String?

    func run() throws {
        try runReporting(json: options.json, verbose: options.verbose) { _ in
            guard let text = staff ?? ProcessInfo.processInfo.environment["CLINIC_STAFF"] else {
                throw CLIError.usage("Say who is signing in with --as STAFF-ID (or set CLINIC_STAFF).")
            }
            let staffID = try Parse.staffID(text)
            let passphrase = try PassphraseInput.read(
                file: passphraseFile, prompt: "Passphrase for \(staffID): ", confirm: false)
            let (session, idleMinutes) = try options.withStore { store in
                (try store.signIn(staffID, passphrase: passphrase), try store.sessions().idleMinutes)
            }
            if options.json {
                try Output.json([
                    "staffID": staffID.value, "sessionID": session.sessionID.description,
                    "idleMinutes": "\(idleMinutes)",
                ])
            } else {
                Output.print(
                    "Signed in as \(staffID). The session ends after \(idleMinutes) minutes without a command; "
                        + "`clinic signout` ends it now.\n")
            }
        }
    }
}

/// `clinic signout`: ends a staff member's session.
struct SignOutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "signout", abstract: "End your session now.")
    @OptionGroup var options: StoreOptions
    @Option(name: .customLong("as"), help: "Your staff id (default: $CLINIC_STAFF, else the only one signed in).")
    var staff: String?

    func run() throws {
        try runReporting(json: options.json, verbose: options.verbose) { _ in
            let reader = try options.openReader()
            let staffID = try Acting.staffID(
                staff, sessions: try reader.sessions(environment: options.storeEnvironment()))
            try options.withStore { try $0.signOut(staffID) }
            if options.json {
                try Output.json(["staffID": staffID.value, "signedOut": "true"])
            } else {
                Output.print("Signed out \(staffID).\n")
            }
        }
    }
}

extension StaffCommand {
    /// `clinic staff passphrase STAFF`: sets a staff member's passphrase.
    struct Passphrase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passphrase",
            abstract: "Set a staff member's passphrase (your own, or anyone's as an office manager).",
            discussion:
                "The new passphrase is read from --passphrase-file, else from the file $CLINIC_PASSPHRASE_FILE names, "
                + "else typed twice at a prompt (not shown). Only its scrypt hash is kept (STORE/keys/"
                + "staff-credentials, mode 0600), never in the log. Setting someone else's ends their session.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument(help: "The staff id whose passphrase is set.") var staffID: String
        @Option(name: .customLong("passphrase-file"), help: "A file (mode 0600) whose first line is the passphrase.")
        var passphraseFile: String?

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let target = try Parse.staffID(staffID)
                let passphrase = try PassphraseInput.read(
                    file: passphraseFile, prompt: "New passphrase for \(target): ", confirm: true)
                let receipt = try context.store.setPassphrase(
                    passphrase, of: target, by: context.actor, commandID: context.commandID)
                try context.report(receipt, "Set the passphrase of \(target).")
            }
        }
    }
}

/// `clinic keys ...`: the master key.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the master key.", subcommands: [Rotate.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Replace the master key: every patient key is rewrapped; the log is not rewritten.",
            discussion:
                "The new key is written beside the old one first and replaces it only once the rewrapped keyring is "
                + "on disk; an interrupted rotation is finished by the next command that writes. Back up the new key "
                + "file at once. Everyone signs in again afterwards (sessions are signed with a key derived from it).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions

        func run() throws {
            try runReporting(json: options.json, verbose: options.verbose) { _ in
                let reader = try options.openReader()
                let sessions = try reader.sessions(environment: options.storeEnvironment())
                let actor = try Acting.actor(
                    staff: actorOptions.staff, role: actorOptions.role, directory: try reader.staffDirectory(),
                    sessions: sessions)
                try Acting.resumeSession(of: actor.staffID, sessions: sessions) { staffID in
                    try options.withStore { try $0.signOut(staffID, cause: .inactivity) }
                }
                let location = options.location()
                let rotation = try ClinicStore.rotateMasterKey(
                    at: location, environment: options.storeEnvironment(), by: actor,
                    commandID: try actorOptions.commandID())
                if options.json {
                    try Output.json([
                        "masterKey": location.masterKeyPath, "previousMasterKeyID": rotation.previousMasterKeyID,
                        "newMasterKeyID": rotation.newMasterKeyID,
                        "rewrappedKeys": "\(rotation.rewrappedKeyCount)",
                        "newCheckpointPublicKey": rotation.newCheckpointPublicKey,
                    ])
                } else {
                    Output.print(
                        """
                        Rotated the master key: \(rotation.rewrappedKeyCount) patient keys rewrapped; new key id \
                        \(rotation.newMasterKeyID) (was \(rotation.previousMasterKeyID)).
                        The new key is at \(location.masterKeyPath) (mode 0600). Back it up now, and destroy the \
                        backups of the old key together with the old keyring backups.
                        Checkpoints are signed from now on with the public key \(rotation.newCheckpointPublicKey).
                        Everyone must sign in again.

                        """)
                }
            }
        }
    }
}
