import Crypto
import RecordLog

import struct FoundationEssentials.Data

/// A byte string of patient data encrypted with the patient's data key (AES-256-GCM), bound to its event and field.
///
/// Layout of `bytes` (see `docs/encryption.md`):
///
/// | offset | length | content |
/// |---|---|---|
/// | 0 | 1 | format byte, `0x01` |
/// | 1 | 16 | patient id, big-endian |
/// | 17 | 4 | data key id |
/// | 21 | 12 | nonce |
/// | 33 | n | ciphertext (as long as the plaintext) |
/// | 33 + n | 16 | GCM tag |
///
/// The associated data authenticated with the ciphertext is the first 21 bytes, then the 16-byte event id, then the
/// field name as a varint byte count and its UTF-8 bytes.
public struct SealedPatientData: Hashable, Sendable {
    /// The format byte this code writes and reads.
    public static let format: UInt8 = 0x01
    /// The length of a nonce, in bytes.
    public static let nonceByteCount = 12
    /// The length of a GCM tag, in bytes.
    public static let tagByteCount = 16
    /// The bytes a sealed value adds to its plaintext: format, patient id, key id, nonce and tag.
    public static let overheadByteCount = 1 + 16 + PatientDataKey.idByteCount + nonceByteCount + tagByteCount
    /// The longest plaintext accepted, in bytes.
    public static let plaintextByteCountMax = 1 << 20

    /// The patient whose key sealed the value.
    public let patientID: EventID
    /// The id of the data key that sealed the value.
    public let keyID: [UInt8]
    /// The 12-byte nonce.
    public let nonce: [UInt8]
    /// The ciphertext, as long as the plaintext.
    public let ciphertext: [UInt8]
    /// The 16-byte GCM tag.
    public let tag: [UInt8]

    /// The complete encoding, as documented on the type.
    public var bytes: [UInt8] {
        var bytes = header
        bytes.reserveCapacity(Self.overheadByteCount + ciphertext.count)
        bytes += nonce
        bytes += ciphertext
        bytes += tag
        return bytes
    }

    /// The first 21 bytes: format byte, patient id and key id.
    private var header: [UInt8] {
        var encoder = BinaryEncoder(capacityBytes: 21)
        encoder.writeUInt8(Self.format)
        encoder.writeEventID(patientID)
        var bytes = encoder.bytes
        bytes += keyID
        return bytes
    }

    /// Reads a sealed value from its encoding, checking the layout (not yet the authentication).
    public init(bytes: some Collection<UInt8>) throws(PatientDataError) {
        let bytes = Array(bytes)
        guard let format = bytes.first else { throw .malformed(offset: 0) }
        guard format == Self.format else { throw .unsupportedFormat(format) }
        guard bytes.count >= Self.overheadByteCount else { throw .malformed(offset: bytes.count) }
        guard let patientID = EventID(bytes: bytes[1..<17]) else { throw .malformed(offset: 1) }
        let keyIDEnd = 17 + PatientDataKey.idByteCount
        let nonceEnd = keyIDEnd + Self.nonceByteCount
        let tagStart = bytes.count - Self.tagByteCount
        guard tagStart - nonceEnd <= Self.plaintextByteCountMax else { throw .malformed(offset: nonceEnd) }
        self.patientID = patientID
        keyID = Array(bytes[17..<keyIDEnd])
        nonce = Array(bytes[keyIDEnd..<nonceEnd])
        ciphertext = Array(bytes[nonceEnd..<tagStart])
        tag = Array(bytes[tagStart...])
    }

    private init(patientID: EventID, keyID: [UInt8], nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
        self.patientID = patientID
        self.keyID = keyID
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.tag = tag
    }

    /// Encrypts `plaintext` for `context` with `key`, drawing the nonce from `random`.
    ///
    /// The caller must pass the data key of `context.patientID`; `PatientKeyring.seal(_:for:)` does that lookup.
    public static func seal(
        _ plaintext: some Collection<UInt8>, for context: PatientDataContext, using key: PatientDataKey,
        random: RandomByteSource
    ) throws(PatientDataError) -> SealedPatientData {
        guard plaintext.count <= plaintextByteCountMax else { throw .plaintextTooLong }
        let nonceBytes = random.bytes(count: nonceByteCount)
        let unsealed = SealedPatientData(
            patientID: context.patientID, keyID: key.id, nonce: nonceBytes, ciphertext: [], tag: [])
        do {
            let box = try AES.GCM.seal(
                Array(plaintext), using: key.key, nonce: try AES.GCM.Nonce(data: nonceBytes),
                authenticating: unsealed.associatedData(for: context))
            return SealedPatientData(
                patientID: context.patientID, keyID: key.id, nonce: nonceBytes, ciphertext: Array(box.ciphertext),
                tag: Array(box.tag))
        } catch {
            preconditionFailure("AES-GCM sealing with a 32-byte key and a 12-byte nonce cannot fail")
        }
    }

    /// Decrypts the value with `key`, checking that it was sealed for exactly `context`.
    ///
    /// Throws `patientMismatch` when it names another patient, `wrongKey` when another key sealed it, and `tampered`
    /// when any byte changed or it was sealed for another event or field. Errors never carry the plaintext.
    public func open(for context: PatientDataContext, using key: PatientDataKey) throws(PatientDataError) -> [UInt8] {
        guard context.patientID == patientID else { throw .patientMismatch }
        guard key.id == keyID else { throw .wrongKey }
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
        } catch {
            throw .malformed(offset: 21)
        }
        do {
            return Array(try AES.GCM.open(box, using: key.key, authenticating: associatedData(for: context)))
        } catch {
            throw .tampered
        }
    }

    /// Decrypts the sealed value encoded in `bytes` without copying its parts out first: the checks of `init(bytes:)`
    /// then of `open(for:using:)`, in the same order and with the same errors, on the borrowed bytes.
    static func open(
        encoded bytes: UnsafeRawBufferPointer, for context: PatientDataContext, using key: PatientDataKey
    ) throws(PatientDataError) -> Data {
        guard let format = bytes.first else { throw .malformed(offset: 0) }
        guard format == Self.format else { throw .unsupportedFormat(format) }
        guard bytes.count >= Self.overheadByteCount else { throw .malformed(offset: bytes.count) }
        let keyIDEnd = 17 + PatientDataKey.idByteCount
        let nonceEnd = keyIDEnd + Self.nonceByteCount
        let tagStart = bytes.count - Self.tagByteCount
        guard tagStart - nonceEnd <= Self.plaintextByteCountMax else { throw .malformed(offset: nonceEnd) }
        let patientID = EventID(
            high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self)),
            low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt64.self)))
        guard context.patientID == patientID else { throw .patientMismatch }
        guard key.id.elementsEqual(bytes[17..<keyIDEnd]) else { throw .wrongKey }
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(combined: UnsafeRawBufferPointer(rebasing: bytes[keyIDEnd...]))
        } catch {
            throw .malformed(offset: 21)
        }
        var associatedData = BinaryEncoder(capacityBytes: 64)
        for byte in bytes[0..<keyIDEnd] { associatedData.writeUInt8(byte) }
        associatedData.writeEventID(context.eventID)
        associatedData.writeString(context.fieldName)
        do {
            return try AES.GCM.open(box, using: key.key, authenticating: associatedData.bytes)
        } catch {
            throw .tampered
        }
    }

    /// The associated data: the 21-byte header, the event id, and the field name as a length-prefixed string.
    private func associatedData(for context: PatientDataContext) -> [UInt8] {
        var encoder = BinaryEncoder(capacityBytes: 64)
        for byte in header { encoder.writeUInt8(byte) }
        encoder.writeEventID(context.eventID)
        encoder.writeString(context.fieldName)
        return encoder.bytes
    }
}
