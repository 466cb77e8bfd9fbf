import ClinicEvents
import RecordLog

extension ClinicStore {
    /// Replaces the master key of the store at `location`: a new random key wraps every patient data key again (the
    /// log is never re-encrypted: sealed values depend on the data keys, which do not change), and checkpoints are
    /// signed from then on with the key derived from the new master key.
    ///
    /// Crash-safe: the new key is written to `MASTER.rotating` first; the `MasterKeyRotated` event is appended (its
    /// id derived from the new key, so it is appended once); the rewrapped keyring is written atomically (the
    /// commit); and only then does `MASTER.rotating` replace the master key file, so the old key stays on disk until
    /// the new keyring is durable. A writer that opens a store with a `MASTER.rotating` file finishes the rotation.
    /// Sessions are signed with a key derived from the master key, so every staff member signs in again afterwards.
    ///
    /// Needs an office manager (`StoreAction.rotateKeys`); a refusal appends `AccessDenied`.
    @discardableResult
    public static func rotateMasterKey(
        at location: StoreLocation, environment: StoreEnvironment, by actor: StaffActor, commandID: EventID
    ) throws(StoreError) -> MasterKeyRotated {
        let store = try open(at: location, environment: environment)
        defer { store.close() }
        return try store.commandState.withLock { (state: inout CommandState) throws(StoreError) -> MasterKeyRotated in
            let now = environment.clock.nowMicroseconds()
            guard state.batch == nil else {
                throw StoreError(.usage, code: "rotationInBatch", message: "Commit the batch before rotating keys.")
            }
            if let refusal = Permissions.refusal(of: .rotateKeys, by: actor, in: try store.staffDirectory(&state.cache))
            {
                try store.recordDenial(refusal, patientID: nil, commandID: commandID, now: now, state: &state)
                throw refusal.error
            }
            let newKey = MasterKey.make(using: environment.random)
            do {
                try environment.fileSystem.writeAtomically(newKey.keyMaterial, to: location.rotatingMasterKeyPath)
            } catch {
                throw StoreError(
                    .storage, code: "rotationWrite",
                    message: "The new master key could not be written beside the old one (\(error)); nothing changed.")
            }
            return try store.finishRotation(to: newKey, by: actor, now: now, state: &state)
        }
    }

    /// Finishes a rotation to `newKey` whose key file `MASTER.rotating` is written: appends the event unless it is
    /// stored, rewraps and writes the keyring unless it is already wrapped by `newKey`, then moves the new key file
    /// over the old one.
    func finishRotation(
        to newKey: MasterKey, by actor: StaffActor, now: Int64, state: inout CommandState
    ) throws(StoreError) -> MasterKeyRotated {
        let fileSystem = environment.fileSystem
        let eventID = EventID.derived(from: newKey.id + Array("master key rotated".utf8))
        let rotation: MasterKeyRotated
        do {
            rotation = try MasterKeyRotated(
                previousMasterKeyID: hex(keys.masterKey.id), newMasterKeyID: hex(newKey.id),
                previousCheckpointPublicKey: hex(keys.checkpointSigner.publicKey),
                newCheckpointPublicKey: hex(StoreKeys.checkpointSigner(of: newKey).publicKey),
                rewrappedKeyCount: UInt64(keyring.patientIDs.count))
        } catch {
            preconditionFailure("key ids and public keys have fixed lengths")
        }
        let stored: UInt64?
        do {
            stored = try log.position(of: eventID)
        } catch {
            throw StoreError.storage(error)
        }
        if stored == nil, keys.masterKey.id != newKey.id {
            _ = try appendUndecided(
                [.masterKeyRotated(rotation)], to: Self.keysStreamName, by: actor, commandID: eventID, now: now,
                state: &state)
        }
        if keys.masterKey.id != newKey.id {
            let rewrapped: PatientKeyring
            do {
                rewrapped = try PatientKeyring(
                    serialized: try fileSystem.readWholeFile(location.keyringPath), masterKey: keys.masterKey,
                    random: environment.random)
                try rewrapped.rewrap(with: newKey)
                try fileSystem.writeAtomically(rewrapped.serialized(), to: location.keyringPath)
            } catch {
                throw StoreError(
                    .storage, code: "rotationKeyring",
                    message: "The keyring could not be rewrapped with the new master key (\(error)); the old key "
                        + "still opens the store, and the next writer to open it retries the rotation.")
            }
        }
        do {
            try fileSystem.rename(location.rotatingMasterKeyPath, to: location.masterKeyPath)
            try fileSystem.syncDirectory(parentDirectory(of: location.masterKeyPath))
        } catch {
            throw StoreError(
                .storage, code: "rotationRename",
                message: "The new master key could not replace the old key file (\(error)); the next writer to open "
                    + "the store finishes the rotation.")
        }
        environment.logger.info("master key rotated", metadata: ["keyID": "\(hex(newKey.id))"])
        return rotation
    }

    /// Finishes a rotation that a crash interrupted, when the keys were loaded with a `MASTER.rotating` file present.
    func finishInterruptedRotation() throws(StoreError) {
        guard let pending = keys.pendingRotation else { return }
        let system = StaffActor(staffID: Self.engineStaffID, role: .system)
        try commandState.withLock { (state: inout CommandState) throws(StoreError) in
            _ = try finishRotation(to: pending, by: system, now: environment.clock.nowMicroseconds(), state: &state)
        }
    }

    /// The staff id of the engine itself, for events no person issued.
    static let engineStaffID: StaffID = {
        guard let id = try? StaffID("system") else { preconditionFailure("a valid staff id") }
        return id
    }()
}

extension StoreReader {
    /// Every public key that signed this store's checkpoints: the current one and those named by master key
    /// rotations, so checkpoints signed before a rotation still verify.
    public func checkpointPublicKeys() throws(StoreError) -> [[UInt8]] {
        var keys = [checkpointPublicKey]
        for stored in try events(inStream: ClinicStore.keysStreamName) {
            guard case .masterKeyRotated(let rotation) = stored.event else { continue }
            for text in [rotation.previousCheckpointPublicKey, rotation.newCheckpointPublicKey] {
                if let key = decodeHex(text), !keys.contains(key) { keys.append(key) }
            }
        }
        return keys
    }
}

/// Lowercase hex digits of `bytes`.
func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}

/// The bytes that the hex digits of `text` spell, or nil when it is not an even count of hex digits.
func decodeHex(_ text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x61...0x66: digit - 0x61 + 10
        case 0x41...0x46: digit - 0x41 + 10
        default: nil
        }
    }
    var result: [UInt8] = []
    result.reserveCapacity(digits.count / 2)
    for index in stride(from: 0, to: digits.count, by: 2) {
        guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
        result.append(high << 4 | low)
    }
    return result
}
