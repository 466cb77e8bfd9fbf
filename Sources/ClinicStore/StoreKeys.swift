import ClinicEvents
import Crypto
import RecordLog
import Synchronization

/// The store's secrets: the master key (read from its file), the keyring it wraps, and the keys derived from it.
///
/// The checkpoint signing key and the view checkpoint key are derived from the master key with HKDF-SHA256 (salt
/// `ClinicLog store keys v1`, infos `checkpoint-signing` and `view-checkpoints`), so they need no file of their own
/// and rotate with it.
struct StoreKeys: Sendable {
    let masterKey: MasterKey
    let keyringSource: KeyringSource
    var keyring: PatientKeyring { keyringSource.current }
    let checkpointSigner: CheckpointSigner
    let viewCheckpointKeyBytes: [UInt8]

    /// The key that encrypts the views' checkpoints.
    var viewCheckpointKey: SymmetricKey { SymmetricKey(data: viewCheckpointKeyBytes) }

    static func load(location: StoreLocation, environment: StoreEnvironment) throws(StoreError) -> StoreKeys {
        let fileSystem = environment.fileSystem
        let masterKey: MasterKey
        do {
            masterKey = try MasterKey(keyMaterial: try fileSystem.readWholeFile(location.masterKeyPath))
        } catch {
            throw StoreError(
                .storage, code: "masterKey",
                message: "The master key at \(location.masterKeyPath) could not be read; pass --master-key or "
                    + "restore it from your backup (without it no patient data can be read).")
        }
        let keyring = try KeyringSource.read(
            location: location, fileSystem: fileSystem, masterKey: masterKey, random: environment.random)
        let material = SymmetricKey(data: masterKey.keyMaterial)
        let salt = Array("ClinicLog store keys v1".utf8)
        let signingSeed = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: salt, info: Array("checkpoint-signing".utf8), outputByteCount: 32)
        let signer: CheckpointSigner
        do {
            signer = try CheckpointSigner(privateKeyBytes: signingSeed.withUnsafeBytes { Array($0) })
        } catch {
            preconditionFailure("32 bytes make an Ed25519 private key")
        }
        let viewKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: salt, info: Array("view-checkpoints".utf8), outputByteCount: 32)
        return StoreKeys(
            masterKey: masterKey,
            keyringSource: KeyringSource(
                keyring: keyring, location: location, fileSystem: fileSystem, masterKey: masterKey,
                random: environment.random),
            checkpointSigner: signer,
            viewCheckpointKeyBytes: viewKey.withUnsafeBytes { Array($0) })
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
