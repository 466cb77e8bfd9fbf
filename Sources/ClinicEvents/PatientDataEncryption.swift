import RecordLog

/// A refusal from patient-data encryption: a missing or erased key, a wrong key, tampered or malformed bytes.
///
/// Errors carry opaque ids and byte offsets only, never plaintext, key material or ciphertext.
public enum PatientDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The keyring holds no data key for the patient.
    case noKey(patientID: EventID)
    /// The patient's key was destroyed (crypto-shredded): their data can never be decrypted again.
    case patientErased(patientID: EventID)
    /// `createKey(for:)` was asked for a patient who already has a key.
    case keyAlreadyExists(patientID: EventID)
    /// The sealed value names a different patient than the one the caller expected.
    case patientMismatch
    /// The key offered is not the key the value was sealed with (its key id differs).
    case wrongKey
    /// Authentication failed: the bytes were changed, or the value was sealed for another event or field.
    case tampered
    /// The bytes are not a sealed value or keyring of a known layout; `offset` is where reading stopped.
    case malformed(offset: Int)
    /// The format or version byte is not one this code knows.
    case unsupportedFormat(UInt8)
    /// The keyring was wrapped by another master key (its master key id differs).
    case wrongMasterKey
    /// Key material had the wrong length, or a wrapped key failed to unwrap under the right master key.
    case invalidKey
    /// The plaintext is longer than `SealedPatientData.plaintextByteCountMax`.
    case plaintextTooLong

    /// A sentence naming the fault, without any patient data.
    public var description: String {
        switch self {
        case .noKey(let patientID): return "no data key for patient \(patientID)"
        case .patientErased(let patientID): return "patient \(patientID) is erased; their data cannot be decrypted"
        case .keyAlreadyExists(let patientID): return "patient \(patientID) already has a data key"
        case .patientMismatch: return "the sealed value belongs to another patient"
        case .wrongKey: return "the sealed value was encrypted with another key"
        case .tampered: return "the sealed value failed authentication (changed, or moved to another event or field)"
        case .malformed(let offset): return "malformed encrypted data at byte \(offset)"
        case .unsupportedFormat(let byte): return "unsupported encrypted data format \(byte)"
        case .wrongMasterKey: return "the keyring was wrapped with another master key"
        case .invalidKey: return "invalid key material"
        case .plaintextTooLong: return "the data to encrypt is too long"
        }
    }
}

/// Where a piece of patient data belongs: the patient, the event and the field, all bound into its ciphertext.
///
/// A value sealed for one context fails to open in any other, so a ciphertext cannot be moved to another event or
/// field, or presented as another patient's.
public struct PatientDataContext: Hashable, Sendable {
    /// The patient whose key encrypts the data.
    public var patientID: EventID
    /// The event that carries the data.
    public var eventID: EventID
    /// The name of the field within the event, such as `familyName`.
    public var fieldName: String

    /// Creates a context for `fieldName` of event `eventID` about patient `patientID`.
    public init(patientID: EventID, eventID: EventID, fieldName: String) {
        self.patientID = patientID
        self.eventID = eventID
        self.fieldName = fieldName
    }
}
