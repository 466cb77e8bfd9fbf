import Crypto
import RecordLog
import Synchronization

import struct FoundationEssentials.Data

/// Every patient's data key, wrapped by the master key (AES key wrap, RFC 3394), with erasure and master key rotation.
///
/// The keyring holds wrapped keys only; a clear data key exists just for the length of one `dataKey(for:)` call and
/// its caller's use. Destroying a patient's key (crypto-shredding) deletes the wrapped key and remembers the patient
/// as erased, so their sealed data answers `patientErased` forever after. A live key can carry an erasure-pending mark
/// (`markErasurePending(for:)`), written ahead of the `PatientErased` marker so that an erasure interrupted between the
/// marker and the destruction of the key is finished when the store is next opened. All methods are safe to call from
/// any thread: the state is guarded by a lock.
public final class PatientKeyring: Sendable {
    /// The length of a wrapped data key, in bytes: 32 bytes of key plus the 8-byte RFC 3394 integrity block.
    public static let wrappedKeyByteCount = 40

    struct State {
        var masterKey: MasterKey
        var wrappedKeys: [EventID: [UInt8]]
        var erasedPatientIDs: Set<EventID>
        /// Patients with a live key whose erasure has begun: the key stays usable until `destroyKey(for:)`.
        var erasurePendingPatientIDs: Set<EventID> = []
        /// Data keys already unwrapped, so reading a patient's thousandth event does not unwrap the key again.
        /// Dropped on erasure and rotation.
        var unwrappedKeys: [EventID: PatientDataKey] = [:]
    }

    private let state: Mutex<State>
    private let random: RandomByteSource

    /// Creates an empty keyring wrapped by `masterKey`, drawing new keys and nonces from `random`.
    public init(masterKey: MasterKey, random: RandomByteSource) {
        state = Mutex(State(masterKey: masterKey, wrappedKeys: [:], erasedPatientIDs: []))
        self.random = random
    }

    init(state: State, random: RandomByteSource) {
        self.state = Mutex(state)
        self.random = random
    }

    /// The id of the master key that currently wraps the keyring.
    public var masterKeyID: [UInt8] {
        state.withLock { $0.masterKey.id }
    }

    /// The patients that have a live data key, in ascending id order.
    public var patientIDs: [EventID] {
        state.withLock { $0.wrappedKeys.keys.sorted() }
    }

    /// Whether the patient's key was destroyed.
    public func isErased(_ patientID: EventID) -> Bool {
        state.withLock { $0.erasedPatientIDs.contains(patientID) }
    }

    /// The patients with a live key marked erasure-pending, in ascending id order.
    public var erasurePendingPatientIDs: [EventID] {
        state.withLock { $0.erasurePendingPatientIDs.sorted() }
    }

    /// Whether the patient's live key is marked erasure-pending.
    public func isErasurePending(_ patientID: EventID) -> Bool {
        state.withLock { $0.erasurePendingPatientIDs.contains(patientID) }
    }

    /// Marks the patient's live key erasure-pending (the key stays usable); returns false, changing nothing, when the
    /// patient has no live key (never had one, or was erased).
    @discardableResult
    public func markErasurePending(for patientID: EventID) -> Bool {
        state.withLock { state in
            guard state.wrappedKeys[patientID] != nil else { return false }
            state.erasurePendingPatientIDs.insert(patientID)
            return true
        }
    }

    /// Removes the erasure-pending mark of the patient's key (an erasure that was never recorded); the key stays.
    public func clearErasurePending(for patientID: EventID) {
        _ = state.withLock { $0.erasurePendingPatientIDs.remove(patientID) }
    }

    /// The patient's wrapped key as stored, or nil when they have none (never had one, or were erased).
    public func wrappedKey(for patientID: EventID) -> [UInt8]? {
        state.withLock { $0.wrappedKeys[patientID] }
    }

    /// Creates, wraps and stores a new random data key for the patient, and returns it.
    ///
    /// Refuses a patient who already has a key (`keyAlreadyExists`) or was erased (`patientErased`).
    @discardableResult
    public func createKey(for patientID: EventID) throws(PatientDataError) -> PatientDataKey {
        let dataKey = PatientDataKey.make(using: random)
        try state.withLock { (state: inout State) throws(PatientDataError) in
            guard !state.erasedPatientIDs.contains(patientID) else { throw .patientErased(patientID: patientID) }
            guard state.wrappedKeys[patientID] == nil else { throw .keyAlreadyExists(patientID: patientID) }
            state.wrappedKeys[patientID] = try Self.wrap(dataKey, with: state.masterKey)
        }
        return dataKey
    }

    /// Unwraps and returns the patient's data key.
    ///
    /// Throws `patientErased` after `destroyKey(for:)`, and `noKey` for a patient the keyring has never seen.
    public func dataKey(for patientID: EventID) throws(PatientDataError) -> PatientDataKey {
        try state.withLock { (state: inout State) throws(PatientDataError) -> PatientDataKey in
            guard !state.erasedPatientIDs.contains(patientID) else { throw .patientErased(patientID: patientID) }
            if let key = state.unwrappedKeys[patientID] { return key }
            guard let wrapped = state.wrappedKeys[patientID] else { throw .noKey(patientID: patientID) }
            let key = try Self.unwrap(wrapped, with: state.masterKey)
            state.unwrappedKeys[patientID] = key
            return key
        }
    }

    /// Destroys the patient's key (crypto-shredding): the wrapped bytes are dropped, the erasure-pending mark with
    /// them, and the patient marked erased.
    ///
    /// Every value sealed for the patient becomes undecryptable for good. Destroying an erased or unknown patient's key
    /// just records them as erased, so replaying an erasure is harmless. Callers must also persist the keyring and
    /// overwrite every older copy of it; the erasure is only as complete as the oldest copy kept.
    public func destroyKey(for patientID: EventID) {
        state.withLock { state in
            if var wrapped = state.wrappedKeys.removeValue(forKey: patientID) {
                for index in wrapped.indices { wrapped[index] = 0 }
            }
            state.unwrappedKeys[patientID] = nil
            state.erasurePendingPatientIDs.remove(patientID)
            state.erasedPatientIDs.insert(patientID)
        }
    }

    /// Rewraps every data key with `newMasterKey` (master key rotation); sealed data stays as it is and decryptable.
    ///
    /// All keys are rewrapped before any is replaced, so on failure the keyring is unchanged.
    public func rewrap(with newMasterKey: MasterKey) throws(PatientDataError) {
        try state.withLock { (state: inout State) throws(PatientDataError) in
            var rewrapped: [EventID: [UInt8]] = [:]
            rewrapped.reserveCapacity(state.wrappedKeys.count)
            for (patientID, wrapped) in state.wrappedKeys {
                rewrapped[patientID] = try Self.wrap(Self.unwrap(wrapped, with: state.masterKey), with: newMasterKey)
            }
            state.wrappedKeys = rewrapped
            state.masterKey = newMasterKey
            state.unwrappedKeys = [:]
        }
    }

    /// Encrypts `plaintext` for `context` with the patient's data key and a fresh random nonce.
    public func seal(
        _ plaintext: some Collection<UInt8>, for context: PatientDataContext
    ) throws(PatientDataError) -> SealedPatientData {
        try SealedPatientData.seal(plaintext, for: context, using: dataKey(for: context.patientID), random: random)
    }

    /// Decrypts `sealed`, checking it belongs to `context`; `patientErased` once the patient's key is destroyed.
    public func open(_ sealed: SealedPatientData, for context: PatientDataContext) throws(PatientDataError) -> [UInt8] {
        guard sealed.patientID == context.patientID else { throw .patientMismatch }
        return try sealed.open(for: context, using: dataKey(for: context.patientID))
    }

    /// The state, read under the lock, for serialization.
    func snapshot() -> State {
        state.withLock { $0 }
    }

    static func wrap(_ dataKey: PatientDataKey, with masterKey: MasterKey) throws(PatientDataError) -> [UInt8] {
        do {
            return Array(try AES.KeyWrap.wrap(dataKey.key, using: masterKey.key))
        } catch {
            throw .invalidKey
        }
    }

    static func unwrap(_ wrapped: [UInt8], with masterKey: MasterKey) throws(PatientDataError) -> PatientDataKey {
        let key: SymmetricKey
        do {
            key = try AES.KeyWrap.unwrap(wrapped, using: masterKey.key)
        } catch {
            throw .invalidKey
        }
        guard key.bitCount == PatientDataKey.byteCount * 8 else { throw .invalidKey }
        return PatientDataKey(key: key)
    }
}
