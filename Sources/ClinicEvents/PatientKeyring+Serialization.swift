import Crypto
import RecordLog

/// The keyring's file format: wrapped keys and erased ids only, never a clear key, authenticated by the master key.
///
/// Layout (all documented in `docs/encryption.md`):
///
/// | offset | length | content |
/// |---|---|---|
/// | 0 | 4 | magic `CLKR` (`43 4C 4B 52`) |
/// | 4 | 1 | version, `0x01` |
/// | 5 | 8 | id of the master key that wrapped the keys |
/// | 13 | 4 | entry count, unsigned little-endian |
/// | 17 | … | entries in ascending patient id order |
/// | end − 32 | 32 | HMAC-SHA-256 of every byte before it (key derived from the master key; see the docs) |
///
/// An entry is the 16-byte patient id (big-endian), a state byte, and for states `0x01` (live) and `0x03` (live,
/// erasure pending) the 40-byte wrapped key; state `0x02` (erased) has nothing after it.
extension PatientKeyring {
    /// The magic bytes that open a serialized keyring.
    public static let serializationMagic: [UInt8] = Array("CLKR".utf8)
    /// The serialization version this code writes and reads.
    public static let serializationVersion: UInt8 = 0x01
    /// The most entries a serialized keyring may hold.
    public static let entryCountMax = 100_000_000

    private static let headerByteCount = 17
    private static let checksumByteCount = 32
    private static let liveState: UInt8 = 0x01
    private static let erasedState: UInt8 = 0x02
    private static let erasurePendingState: UInt8 = 0x03

    /// The keyring's compact binary serialization, as documented on this extension.
    public func serialized() -> [UInt8] {
        let state = snapshot()
        var entries: [(patientID: EventID, wrappedKey: [UInt8]?)] = state.wrappedKeys.map { ($0.key, $0.value) }
        entries += state.erasedPatientIDs.map { ($0, nil) }
        entries.sort { $0.patientID < $1.patientID }
        var encoder = BinaryEncoder(capacityBytes: Self.headerByteCount + entries.count * 57 + Self.checksumByteCount)
        for byte in Self.serializationMagic { encoder.writeUInt8(byte) }
        encoder.writeUInt8(Self.serializationVersion)
        for byte in state.masterKey.id { encoder.writeUInt8(byte) }
        encoder.writeFixedUInt32(UInt32(entries.count))
        for entry in entries {
            encoder.writeEventID(entry.patientID)
            if let wrappedKey = entry.wrappedKey {
                let pending = state.erasurePendingPatientIDs.contains(entry.patientID)
                encoder.writeUInt8(pending ? Self.erasurePendingState : Self.liveState)
                for byte in wrappedKey { encoder.writeUInt8(byte) }
            } else {
                encoder.writeUInt8(Self.erasedState)
            }
        }
        var bytes = encoder.bytes
        bytes += Self.checksum(of: bytes, masterKey: state.masterKey)
        return bytes
    }

    /// Reads a serialized keyring, refusing a wrong master key, a failed checksum or a malformed entry.
    ///
    /// Wrapped keys are unwrapped when first used (`dataKey(for:)`, `invalidKey` when one does not unwrap), not here:
    /// the keyed checksum already proves the keyring is as the store wrote it, and opening a store of tens of
    /// thousands of patients must not unwrap every key to answer one command.
    public convenience init(
        serialized bytes: [UInt8], masterKey: MasterKey, random: RandomByteSource
    ) throws(PatientDataError) {
        guard bytes.count >= Self.headerByteCount + Self.checksumByteCount else {
            throw .malformed(offset: bytes.count)
        }
        guard Array(bytes[0..<4]) == Self.serializationMagic else { throw .malformed(offset: 0) }
        guard bytes[4] == Self.serializationVersion else { throw .unsupportedFormat(bytes[4]) }
        guard Array(bytes[5..<13]) == masterKey.id else { throw .wrongMasterKey }
        let bodyEnd = bytes.count - Self.checksumByteCount
        let expected = Self.checksum(of: bytes[..<bodyEnd], masterKey: masterKey)
        guard Self.constantTimeEqual(expected, bytes[bodyEnd...]) else { throw .tampered }
        var wrappedKeys: [EventID: [UInt8]] = [:]
        var erased: Set<EventID> = []
        var pending: Set<EventID> = []
        do {
            try bytes.withUnsafeBytes { raw in
                try BinaryDecoder.decode(UnsafeRawBufferPointer(rebasing: raw[13..<bodyEnd])) { decoder in
                    let count = try decoder.readFixedUInt32(field: "keyring.count")
                    guard count <= Self.entryCountMax, Int(count) <= decoder.remainingByteCount / 17 else {
                        throw decoder.error(.countAboveLimit(limit: Self.entryCountMax), field: "keyring.count")
                    }
                    wrappedKeys.reserveCapacity(Int(count))
                    var previous: EventID?
                    for _ in 0..<count {
                        let patientID = try decoder.readEventID(field: "keyring.patientID")
                        if let previous, previous >= patientID {
                            throw decoder.error(
                                .ruleViolated(rule: "ascending patient ids"), field: "keyring.patientID")
                        }
                        previous = patientID
                        let entryState = try decoder.readUInt8(field: "keyring.state")
                        switch entryState {
                        case Self.liveState, Self.erasurePendingState:
                            // Copied in one piece (a short key is `truncated` at its first byte).
                            wrappedKeys[patientID] = Array(
                                try decoder.take(Self.wrappedKeyByteCount, field: "keyring.wrappedKey"))
                            if entryState == Self.erasurePendingState { pending.insert(patientID) }
                        case Self.erasedState:
                            erased.insert(patientID)
                        default:
                            throw decoder.error(.unknownEnumerationCode, field: "keyring.state")
                        }
                    }
                }
            }
        } catch let error as EventDecodingError {
            throw .malformed(offset: 13 + error.offset)
        } catch {
            throw .malformed(offset: 13)
        }
        self.init(
            state: State(
                masterKey: masterKey, wrappedKeys: wrappedKeys, erasedPatientIDs: erased,
                erasurePendingPatientIDs: pending),
            random: random)
    }

    private static func checksum(of bytes: some Collection<UInt8>, masterKey: MasterKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(bytes), using: masterKey.keyringAuthenticationKey))
    }

    /// Compares two byte strings in time that depends on their length only.
    private static func constantTimeEqual(_ left: [UInt8], _ right: ArraySlice<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (leftByte, rightByte) in zip(left, right) { difference |= leftByte ^ rightByte }
        return difference == 0
    }
}
