import Crypto
import RecordLog

/// The key that wraps every patient's data key; it lives outside the log directory and must be backed up.
///
/// Losing it makes every patient's data unreadable. Its id (eight bytes derived from the key by HMAC-SHA-256) is
/// stored in the serialized keyring so a wrong master key is reported as such rather than as corruption.
public struct MasterKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The length of a master key, in bytes (AES-256).
    public static let byteCount = 32

    /// The key material; kept as bytes because `SymmetricKey` is not `Sendable` on every platform.
    private let material: [UInt8]
    /// The key's eight-byte id: the first eight bytes of `HMAC-SHA-256(key, "ClinicLog master key id v1")`.
    public let id: [UInt8]

    /// Creates a master key from exactly 32 bytes of key material, such as those read back from its file.
    public init(keyMaterial: some Collection<UInt8>) throws(PatientDataError) {
        guard keyMaterial.count == Self.byteCount else { throw .invalidKey }
        material = Array(keyMaterial)
        id = Self.derivedID(of: SymmetricKey(data: material), label: "ClinicLog master key id v1")
    }

    /// Makes a new random master key from `random`.
    public static func make(using random: RandomByteSource) -> MasterKey {
        do {
            return try MasterKey(keyMaterial: random.bytes(count: byteCount))
        } catch {
            preconditionFailure("a fresh master key has the right length")
        }
    }

    /// The 32 bytes of key material, to be written to the master key file (mode 0600) and to its backups.
    public var keyMaterial: [UInt8] {
        material
    }

    /// The key's id in hex; never the key material, so a key printed by mistake gives nothing away.
    public var description: String {
        "MasterKey(id: \(Self.hexDigits(id)))"
    }

    /// The same as `description`.
    public var debugDescription: String {
        description
    }

    /// The key, for wrapping and unwrapping.
    var key: SymmetricKey {
        SymmetricKey(data: material)
    }

    /// The key that authenticates a serialized keyring: HKDF-SHA-256(master key, info "ClinicLog keyring mac v1").
    var keyringAuthenticationKey: SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, info: Array("ClinicLog keyring mac v1".utf8), outputByteCount: 32)
    }

    static func hexDigits(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func derivedID(of key: SymmetricKey, label: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(label.utf8), using: key).prefix(8))
    }
}

/// One patient's 256-bit AES-GCM data key, in the clear; obtained from a `PatientKeyring`, never stored unwrapped.
public struct PatientDataKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The length of a data key, in bytes (AES-256).
    public static let byteCount = 32
    /// The length of a key id, in bytes.
    public static let idByteCount = 4

    /// The key material; kept as bytes because `SymmetricKey` is not `Sendable` on every platform.
    private let material: [UInt8]
    /// The key's four-byte id: the first four bytes of `HMAC-SHA-256(key, "ClinicLog data key id v1")`.
    public let id: [UInt8]

    /// Creates a data key from exactly 32 bytes of key material.
    public init(keyMaterial: some Collection<UInt8>) throws(PatientDataError) {
        guard keyMaterial.count == Self.byteCount else { throw .invalidKey }
        self.init(key: SymmetricKey(data: Array(keyMaterial)))
    }

    init(key: SymmetricKey) {
        material = key.withUnsafeBytes { Array($0) }
        id = Array(MasterKey.derivedID(of: key, label: "ClinicLog data key id v1").prefix(Self.idByteCount))
    }

    /// The key's id in hex; never the key material, so a key printed by mistake gives nothing away.
    public var description: String {
        "PatientDataKey(id: \(MasterKey.hexDigits(id)))"
    }

    /// The same as `description`.
    public var debugDescription: String {
        description
    }

    /// The key, for sealing and opening.
    var key: SymmetricKey {
        SymmetricKey(data: material)
    }

    /// Makes a new random data key from `random`.
    public static func make(using random: RandomByteSource) -> PatientDataKey {
        PatientDataKey(key: SymmetricKey(data: random.bytes(count: byteCount)))
    }
}
