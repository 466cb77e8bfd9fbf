import ClinicEvents
import Crypto
import RecordLog
import Synchronization

/// The store's secrets: the master key (read from its file), the keyring it wraps, and the keys derived from it.
///
/// The checkpoint signing key, the view checkpoint key, the session key and the stream cache key are derived from the
/// master key with HKDF-SHA256 (salt `ClinicLog store keys v1`, infos `checkpoint-signing`, `view-checkpoints`,
/// `staff-sessions` and `stream-cache`), so they need no file of their own and rotate with it.
struct StoreKeys: Sendable {
    let masterKey: MasterKey
    let keyringSource: KeyringSource
    var keyring: PatientKeyring { keyringSource.current }
    let checkpointSigner: CheckpointSigner
    let viewCheckpointKeyBytes: [UInt8]
    /// The key that signs session files (HMAC-SHA256).
    let sessionKeyBytes: [UInt8]
    /// The key that signs the stream cache (`views/streams.cache`, HMAC-SHA256).
    let streamCacheKeyBytes: [UInt8]
    /// The new master key of a rotation that did not finish (`MASTER.rotating` exists), for the writer to finish it.
    let pendingRotation: MasterKey?

    /// The key that encrypts the views' checkpoints.
    var viewCheckpointKey: SymmetricKey { SymmetricKey(data: viewCheckpointKeyBytes) }

    static func load(location: StoreLocation, environment: StoreEnvironment) throws(StoreError) -> StoreKeys {
        let fileSystem = environment.fileSystem
        let (masterKey, keyring, pendingRotation) = try openKeyring(location: location, environment: environment)
        let material = SymmetricKey(data: masterKey.keyMaterial)
        let salt = Array(derivationSalt.utf8)
        let signer = checkpointSigner(of: masterKey)
        let viewKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: salt, info: Array("view-checkpoints".utf8), outputByteCount: 32)
        let sessionKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: salt, info: Array("staff-sessions".utf8), outputByteCount: 32)
        let streamCacheKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: salt, info: Array("stream-cache".utf8), outputByteCount: 32)
        return StoreKeys(
            masterKey: masterKey,
            keyringSource: KeyringSource(
                keyring: keyring, location: location, fileSystem: fileSystem, masterKey: masterKey,
                random: environment.random),
            checkpointSigner: signer,
            viewCheckpointKeyBytes: viewKey.withUnsafeBytes { Array($0) },
            sessionKeyBytes: sessionKey.withUnsafeBytes { Array($0) },
            streamCacheKeyBytes: streamCacheKey.withUnsafeBytes { Array($0) }, pendingRotation: pendingRotation)
    }

    private static let derivationSalt = "ClinicLog store keys v1"

    /// The checkpoint signer derived from `masterKey`.
    static func checkpointSigner(of masterKey: MasterKey) -> CheckpointSigner {
        let seed = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: masterKey.keyMaterial), salt: Array(derivationSalt.utf8),
            info: Array("checkpoint-signing".utf8), outputByteCount: 32)
        do {
            return try CheckpointSigner(privateKeyBytes: seed.withUnsafeBytes { Array($0) })
        } catch {
            preconditionFailure("32 bytes make an Ed25519 private key")
        }
    }

    /// Reads the master key and the keyring it wraps; while a rotation is under way (`MASTER.rotating` exists) the
    /// keyring may already be wrapped by the new key, so both are tried, and the key files are read twice at most
    /// (a rotation may finish between reading the key and reading the keyring).
    ///
    /// Refuses a master key file that group or others may read or write.
    private static func openKeyring(
        location: StoreLocation, environment: StoreEnvironment
    ) throws(StoreError) -> (MasterKey, PatientKeyring, pendingRotation: MasterKey?) {
        let fileSystem = environment.fileSystem
        var lastError: StoreError?
        for _ in 0..<2 {
            let current = try readMasterKey(at: location.masterKeyPath, fileSystem: fileSystem)
            let rotating =
                fileSystem.exists(location.rotatingMasterKeyPath)
                ? try? readMasterKey(at: location.rotatingMasterKeyPath, fileSystem: fileSystem) : nil
            for candidate in [current] + (rotating.map { [$0] } ?? []) {
                do {
                    let keyring = try KeyringSource.read(
                        location: location, fileSystem: fileSystem, masterKey: candidate, random: environment.random)
                    return (candidate, keyring, rotating)
                } catch {
                    lastError = error
                }
            }
        }
        throw lastError ?? StoreError(.storage, code: "keyring", message: "The patient keyring could not be opened.")
    }

    /// Reads a master key file, refusing one that group or others may read or write.
    static func readMasterKey(at path: String, fileSystem: any FileSystem) throws(StoreError) -> MasterKey {
        try checkPrivate(path, what: "master key file", fileSystem: fileSystem)
        do {
            return try MasterKey(keyMaterial: try fileSystem.readWholeFile(path))
        } catch {
            throw StoreError(
                .storage, code: "masterKey",
                message: "The master key at \(path) could not be read; pass --master-key or "
                    + "restore it from your backup (without it no patient data can be read).")
        }
    }

    /// Refuses a secret file (master key, credentials) whose mode lets group or others read or write it.
    static func checkPrivate(_ path: String, what: String, fileSystem: any FileSystem) throws(StoreError) {
        guard let bits = try? fileSystem.permissionBits(path), bits & 0o077 != 0 else { return }
        throw StoreError(
            .permissionDenied, code: "keyFileExposed",
            message: "The \(what) \(path) can be read or changed by other users (mode \(String(bits, radix: 8))); "
                + "run `chmod 600 \(path)` and try again.")
    }
}

/// The keyring as last read from its file, which a reader re-reads when it meets a patient registered after it
/// opened (a writer in another process added the key).
final class KeyringSource: Sendable {
    private let state: Mutex<PatientKeyring>
    private let location: StoreLocation
    private let fileSystem: any FileSystem
    private let masterKey: MasterKey
    private let random: RandomByteSource

    init(
        keyring: PatientKeyring, location: StoreLocation, fileSystem: any FileSystem, masterKey: MasterKey,
        random: RandomByteSource
    ) {
        state = Mutex(keyring)
        self.location = location
        self.fileSystem = fileSystem
        self.masterKey = masterKey
        self.random = random
    }

    /// The keyring now.
    var current: PatientKeyring { state.withLock { $0 } }

    /// Reads the keyring file again; returns false when it could not be read (the old keyring stays).
    func reload() -> Bool {
        guard
            let keyring = try? Self.read(
                location: location, fileSystem: fileSystem, masterKey: masterKey, random: random)
        else { return false }
        state.withLock { $0 = keyring }
        return true
    }

    static func read(
        location: StoreLocation, fileSystem: any FileSystem, masterKey: MasterKey, random: RandomByteSource
    ) throws(StoreError) -> PatientKeyring {
        do {
            return try PatientKeyring(
                serialized: try fileSystem.readWholeFile(location.keyringPath), masterKey: masterKey, random: random)
        } catch {
            throw StoreError(
                .storage, code: "keyring",
                message: "The patient keyring \(location.keyringPath) could not be opened with this master key: "
                    + "\(error).")
        }
    }
}
