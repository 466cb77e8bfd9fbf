import ClinicEvents
import Foundation
import Logging
import RecordLog
import RecordLogTesting
import Synchronization

/// A wall clock that reads the time it was last set to, so that a log written from a history records the history's
/// times rather than the time of the run.
public final class HistoryClock: WallClock {
    private let now = Mutex<Int64>(0)

    /// Creates a clock at the epoch.
    public init() {}

    /// Sets the time the next reading gives.
    public func set(_ microseconds: Int64) {
        now.withLock { $0 = microseconds }
    }

    /// The time last set.
    public func nowMicroseconds() -> Int64 {
        now.withLock { $0 }
    }
}

/// Writes a generated history into a ClinicLog log, one durable append per batch of events.
public struct HistoryLogWriter {
    /// The log, open for writing.
    public let log: RecordLog
    /// The clock the log's recorded times come from.
    public let clock: HistoryClock

    /// Opens (creating) the log in `directory` with the default configuration (64 MiB preallocated segments) and a
    /// ``HistoryClock``; a new log's id is drawn from `logIDSeed` when given (so the same history writes the same
    /// files), else from the system.
    public init(directory: String, logger: Logger, logIDSeed: UInt64? = nil) throws {
        let clock = HistoryClock()
        self.clock = clock
        let randomSource: any RandomSource =
            logIDSeed.map { SeededLogIDSource(seed: $0) } ?? SystemRandomSource()
        log = try RecordLog.open(
            directory: directory, configuration: LogConfiguration(clock: clock, logger: logger),
            randomSource: randomSource)
    }

    /// Appends `events` as one atomic append with their expected versions, recorded at the last event's recorded
    /// time; durable when it returns.
    public func append(_ events: some Collection<HistoryEvent>) throws {
        guard let last = events.reversed().first else { return }
        clock.set(last.recordedTimeMicroseconds)
        let result = try log.appendAndWait(Array(events).streamAppends())
        precondition(!result.alreadyStored, "a generated event was already stored")
    }

    /// Closes the log.
    public func close() { log.close() }
}

/// Log ids drawn from a seed.
struct SeededLogIDSource: RandomSource {
    let source: RandomByteSource

    init(seed: UInt64) {
        source = RandomByteSource(SeededRandomNumberGenerator(seed: seed))
    }

    func bytes(count: Int) -> [UInt8] { source.bytes(count: count) }
}

/// The files of a ClinicStore directory besides its log, so that a generated history opens as a store
/// (`clinic --store DIR`): the master key, the patients' keyring, the settings and the views' directory.
public enum StoreFiles {
    /// Writes `ROOT/master.key`, `ROOT/keys/patient-keys`, `ROOT/store.settings` (time zone UTC) and `ROOT/views/`, as
    /// `StoreLocation` lays them out.
    public static func write(root: String, masterKey: MasterKey, keyring: PatientKeyring) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/keys", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/views", withIntermediateDirectories: true)
        try Data(masterKey.keyMaterial).write(to: URL(fileURLWithPath: root + "/master.key"))
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root + "/master.key")
        try Data(keyring.serialized()).write(to: URL(fileURLWithPath: root + "/keys/patient-keys"))
        try Data("format=1\ntimeZone=UTC\n".utf8).write(to: URL(fileURLWithPath: root + "/store.settings"))
    }

    /// Reads the keyring of a store written by ``write(root:masterKey:keyring:)``.
    public static func readKeyring(root: String) throws -> PatientKeyring {
        let master = try MasterKey(keyMaterial: [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/master.key"))))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/keys/patient-keys")))
        return try PatientKeyring(serialized: bytes, masterKey: master, random: RandomByteSource.system())
    }
}
