import ClinicEvents
import RecordLog

/// Where a store keeps its files: the log, the keyring, the views' checkpoints, and the master key.
///
/// ```
/// ROOT/
///   log/                 the RecordLog directory (segments, indexes, manifest, checkpoints, lock)
///   keys/patient-keys    the keyring: every patient's data key, wrapped by the master key ("CLKR")
///   keys/staff-credentials  each staff member's scrypt passphrase hash (docs/security.md), mode 0600
///   keys/sign-in-failures   failed sign-ins in a row per staff id, for throttling
///   sessions/STAFF.session  a signed-in staff member's session (HMAC-signed, ends after inactivity)
///   views/               the projections' encrypted checkpoints
///   views/streams.cache  a signed copy of the staff stream's records (`StreamRecordCache`)
///   store.settings       the office settings (time zone), plain text, no patient data
/// MASTER KEY FILE        32 random bytes, mode 0600; by default ROOT/master.key, anywhere else by choice
/// MASTER KEY FILE.rotating  the new master key while `clinic keys rotate` runs (docs/security.md)
/// ```
///
/// The master key never lives in the log directory, so a copy of the log alone reveals no patient data.
public struct StoreLocation: Hashable, Sendable {
    /// The store's root directory.
    public var root: String
    /// The master key file.
    public var masterKeyPath: String

    /// Creates a location; the master key defaults to `ROOT/master.key`.
    public init(root: String, masterKeyPath: String? = nil) {
        self.root = root
        self.masterKeyPath = masterKeyPath ?? joinPath(root, "master.key")
    }

    /// The log directory.
    public var logDirectory: String { joinPath(root, "log") }
    /// The directory of the keyring.
    public var keysDirectory: String { joinPath(root, "keys") }
    /// The keyring file.
    public var keyringPath: String { joinPath(keysDirectory, "patient-keys") }
    /// The directory of the views' checkpoints.
    public var viewsDirectory: String { joinPath(root, "views") }
    /// The settings file.
    public var settingsPath: String { joinPath(root, "store.settings") }
    /// The staff credentials file (passphrase hashes).
    public var credentialsPath: String { joinPath(keysDirectory, "staff-credentials") }
    /// The file of failed sign-ins in a row per staff id.
    public var signInFailuresPath: String { joinPath(keysDirectory, "sign-in-failures") }
    /// The directory of the sessions of signed-in staff.
    public var sessionsDirectory: String { joinPath(root, "sessions") }
    /// The new master key while a rotation is under way.
    public var rotatingMasterKeyPath: String { masterKeyPath + ".rotating" }

    /// The session file of `staffID`.
    public func sessionPath(of staffID: StaffID) -> String {
        joinPath(sessionsDirectory, staffID.value + ".session")
    }
}
