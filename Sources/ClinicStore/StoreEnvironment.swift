import ClinicEvents
import Logging
import RecordLog

/// What a store is given from outside: the file system, the clock, the random source and the logger.
///
/// The CLI passes the real ones; tests pass a simulated file system, a manual clock and a seeded random source.
public struct StoreEnvironment: Sendable {
    /// The file system every store file goes through.
    public var fileSystem: any FileSystem
    /// The wall clock: recorded times, "now" for the rules.
    public var clock: any WallClock
    /// The random source for keys, nonces and new ids.
    public var random: RandomByteSource
    /// The logger; it never receives patient data.
    public var logger: Logger
    /// The size at which a log segment is sealed and a new one started.
    public var segmentBytesMax: Int64
    /// How long a command waits for another process's write to finish before giving up.
    public var lockTimeoutMilliseconds: Int
    /// The scrypt cost of new passphrase hashes (`PassphraseHashCost.standard`; tests pass a cheaper one).
    public var passphraseHashCost: PassphraseHashCost

    /// Creates an environment.
    public init(
        fileSystem: any FileSystem, clock: any WallClock, random: RandomByteSource, logger: Logger,
        segmentBytesMax: Int64 = 64 << 20, lockTimeoutMilliseconds: Int = 30_000,
        passphraseHashCost: PassphraseHashCost = .standard
    ) {
        self.fileSystem = fileSystem
        self.clock = clock
        self.random = random
        self.logger = logger
        self.segmentBytesMax = segmentBytesMax
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        self.passphraseHashCost = passphraseHashCost
    }

    /// The log configuration for this environment.
    var logConfiguration: LogConfiguration {
        var configuration = LogConfiguration(clock: clock, logger: logger)
        configuration.segmentBytesMax = segmentBytesMax
        configuration.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        return configuration
    }
}

/// The staff member issuing a command and the role they act in.
public struct StaffActor: Hashable, Sendable {
    /// The staff member.
    public var staffID: StaffID
    /// The role they act in; they must hold it.
    public var role: StaffRole

    /// Creates an actor.
    public init(staffID: StaffID, role: StaffRole) {
        self.staffID = staffID
        self.role = role
    }
}
