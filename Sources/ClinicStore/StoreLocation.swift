import RecordLog

/// Where a store keeps its files: the log, the keyring, the views' checkpoints, and the master key.
///
/// ```
/// ROOT/
///   log/                 the RecordLog directory (segments, indexes, manifest, checkpoints, lock)
///   keys/patient-keys    the keyring: every patient's data key, wrapped by the master key ("CLKR")
///   views/               the projections' encrypted checkpoints
///   store.settings       the office settings (time zone), plain text, no patient data
/// MASTER KEY FILE        32 random bytes, mode 0600; by default ROOT/master.key, anywhere else by choice
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
}
