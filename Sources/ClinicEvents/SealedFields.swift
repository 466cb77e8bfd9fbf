import RecordLog

import struct FoundationEssentials.Data

/// What seals patient data on the way to the log: the keyring that holds every patient's data key, and the random
/// source the nonces come from (`RandomByteSource.system()` in production).
public struct PatientDataSealer: Sendable {
    /// The keyring that holds the patients' data keys.
    public let keyring: PatientKeyring
    /// The source of the nonces.
    public let random: RandomByteSource

    /// Creates a sealer over `keyring`, drawing nonces from `random`.
    public init(keyring: PatientKeyring, random: RandomByteSource) {
        self.keyring = keyring
        self.random = random
    }
}

/// Why a sealed value was replaced by a placeholder when it was read.
public enum PatientDataWithholding: Hashable, Sendable {
    /// The reader asked for no patient data (no keyring given): the value was skipped without decryption.
    case withheld
    /// The patient was erased (their data key destroyed): the value can never be opened again.
    case erased

    /// The text a sealed text field decodes to: `[withheld]` or `[erased]`.
    public var placeholderText: String {
        switch self {
        case .withheld: "[withheld]"
        case .erased: "[erased]"
        }
    }
}

/// How an encoder seals: the sealer, the event the values belong to, and the last data key used.
struct SealingContext: Sendable {
    let sealer: PatientDataSealer
    let eventID: EventID
    var cachedKey: (patientID: EventID, key: PatientDataKey)?
}

/// How a decoder opens: the keyring, the event the values belong to, and the last data key used.
///
/// A class, so that a decoder holding one stays a plain value that copies with one reference count: one context
/// belongs to the decoding of one event, on one thread.
final class OpeningContext {
    let keyring: PatientKeyring
    let eventID: EventID
    var cachedKey: (patientID: EventID, key: PatientDataKey)?

    init(keyring: PatientKeyring, eventID: EventID) {
        self.keyring = keyring
        self.eventID = eventID
    }
}

extension BinaryEncoder {
    /// The tag of a sealed field written in clear.
    public static let sealedClearTag: UInt8 = 0x00
    /// The tag of a sealed field written sealed.
    public static let sealedValueTag: UInt8 = 0x01

    /// Writes a `sealed` field named `field` of the patient `patient`: the value `writeValue` writes, sealed with the
    /// patient's data key when the encoder has a sealer, or in clear when it has none.
    ///
    /// Sealed: the tag `0x01`, a varint length and the `SealedPatientData` bytes, whose plaintext is exactly what
    /// `writeValue` writes and whose associated data binds the patient, the event and `field`. In clear: the tag
    /// `0x00` and the value. A failure to seal (no patient, no key, an erased patient) writes nothing and is kept in
    /// `sealingFailure`; the bytes are then unusable.
    public mutating func writeSealed(
        field: String, patient: EventID?, _ writeValue: (inout BinaryEncoder) -> Void
    ) {
        guard var sealing else {
            writeUInt8(Self.sealedClearTag)
            writeValue(&self)
            return
        }
        guard sealingFailure == nil else { return }
        guard let patient else {
            sealingFailure = .patientUnknown(field: field)
            return
        }
        var plain = BinaryEncoder(capacityBytes: 64)
        writeValue(&plain)
        do {
            let key: PatientDataKey
            if let cached = sealing.cachedKey, cached.patientID == patient {
                key = cached.key
            } else {
                key = try sealing.sealer.keyring.dataKey(for: patient)
                sealing.cachedKey = (patient, key)
                self.sealing = sealing
            }
            let sealed = try SealedPatientData.seal(
                plain.bytes, for: PatientDataContext(patientID: patient, eventID: sealing.eventID, fieldName: field),
                using: key, random: sealing.sealer.random)
            writeUInt8(Self.sealedValueTag)
            writeBytes(sealed.bytes)
        } catch {
            sealingFailure = .sealingFailed(field: field, error)
        }
    }

    /// Writes a `sealed(string)` field: `writeSealed` with the string as the value.
    public mutating func writeSealedString(_ value: String, field: String, patient: EventID?) {
        writeSealed(field: field, patient: patient) { $0.writeString(value) }
    }
}

extension BinaryDecoder {
    /// Reads a `sealed` field named `field` of the patient `patient`, written by `BinaryEncoder.writeSealed`.
    ///
    /// A value in clear is read with `readValue`. A sealed value is at least `SealedPatientData.overheadByteCount` and
    /// at most `sealedByteCountMax` bytes, must name `patient` in its header, and then:
    /// - with no keyring (withheld), is skipped without decryption and `placeholder(.withheld)` is returned;
    /// - for an erased patient, `placeholder(.erased)` is returned;
    /// - otherwise is opened with the patient's key (checking the event and field it was sealed for) and its plaintext
    ///   read completely with `readValue`.
    ///
    /// Errors: `sealedValueUnreadable` for a value that names another patient, has no key, or fails to open; any error
    /// of `readValue` inside the plaintext is reported at the offset where the field begins.
    public mutating func readSealed<Value>(
        field: String, patient: EventID?, sealedByteCountMax: Int,
        placeholder: (PatientDataWithholding) -> Value, read readValue: (inout BinaryDecoder) throws -> Value
    ) throws -> Value {
        let start = offset
        switch try readUInt8(field: field) {
        case BinaryEncoder.sealedClearTag: return try readValue(&self)
        case BinaryEncoder.sealedValueTag: break
        default: throw EventDecodingError(.invalidFlagByte, field: field, offset: start)
        }
        let bytes = try readSealedBytes(field: field, sealedByteCountMax: sealedByteCountMax)
        guard bytes[0] == SealedPatientData.format else {
            throw EventDecodingError(.sealedValueUnreadable(.unsupportedFormat(bytes[0])), field: field, offset: start)
        }
        let high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
        let low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt64.self))
        guard let patient, EventID(high: high, low: low) == patient else {
            throw EventDecodingError(.sealedValueUnreadable(.patientMismatch), field: field, offset: start)
        }
        guard let opening else { return withhold(.withheld, placeholder) }
        if opening.keyring.isErased(patient) { return withhold(.erased, placeholder) }
        let plaintext: Data
        do {
            let key: PatientDataKey
            if let cached = opening.cachedKey, cached.patientID == patient {
                key = cached.key
            } else {
                key = try opening.keyring.dataKey(for: patient)
                opening.cachedKey = (patient, key)
            }
            plaintext = try SealedPatientData.open(
                encoded: bytes,
                for: PatientDataContext(patientID: patient, eventID: opening.eventID, fieldName: field), using: key)
        } catch .patientErased {
            return withhold(.erased, placeholder)
        } catch {
            throw EventDecodingError(.sealedValueUnreadable(error), field: field, offset: start)
        }
        do {
            return try plaintext.withUnsafeBytes { plain in try BinaryDecoder.decode(plain) { try readValue(&$0) } }
        } catch var error as EventDecodingError {
            error.offset = start
            throw error
        }
    }

    /// Reads a `sealed(string(byteCountMax))` field; a withheld value reads as `[withheld]`, an erased one as
    /// `[erased]`.
    public mutating func readSealedString(field: String, byteCountMax: Int, patient: EventID?) throws -> String {
        try readSealed(
            field: field, patient: patient,
            sealedByteCountMax: SealedPatientData.overheadByteCount
                + FieldKind.stringEncodedByteCountMax(byteCountMax: byteCountMax),
            placeholder: \.placeholderText, read: { try $0.readString(field: field, byteCountMax: byteCountMax) })
    }

    /// Reads the varint length and bytes of a sealed value, refusing fewer than the sealing overhead or more than
    /// `sealedByteCountMax`.
    mutating func readSealedBytes(field: String, sealedByteCountMax: Int) throws -> UnsafeRawBufferPointer {
        let start = offset
        let count = try readCount(field: field, limit: sealedByteCountMax)
        guard count >= SealedPatientData.overheadByteCount else {
            throw EventDecodingError(.sealedValueUnreadable(.malformed(offset: count)), field: field, offset: start)
        }
        return try take(count, field: field)
    }

    /// Records why a value was withheld (erasure outranks a plain withholding) and returns its placeholder.
    private mutating func withhold<Value>(
        _ reason: PatientDataWithholding, _ placeholder: (PatientDataWithholding) -> Value
    ) -> Value {
        if patientDataWithholding != .erased { patientDataWithholding = reason }
        return placeholder(reason)
    }
}

extension EventFields {
    /// The upcaster of a version 1 body with a `reason` to a version 2 that added an optional `patientID`: the patient
    /// is absent (version 1 did not record it) and the reason is held in clear in its sealed field.
    @Sendable static func upcastAddingPatient(_ fields: EventFields) throws -> EventFields {
        var upcast = fields
        upcast["patientID"] = .optional(nil)
        try upcast.sealInClear("reason")
        return upcast
    }
}
