// libFuzzer target: the keyring deserializer (`PatientKeyring(serialized:masterKey:random:)`).
//
// Input: one mode byte, then bytes. With the mode byte's bit 0 clear, the bytes are the whole serialized keyring.
// With it set, they are the entry section (entry count onwards) and the harness adds the header and the HMAC that
// the fixed master key gives, as docs/encryption.md defines it, so mutations get past the authentication and reach
// the entry parser. A keyring that loads must serialize back to exactly the bytes it was read from.
import ClinicEvents
import Crypto
import RecordLogTesting

private let masterKey: MasterKey? = try? MasterKey(keyMaterial: (0..<32).map { UInt8($0) &* 13 &+ 5 })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyring(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard let masterKey else { preconditionFailure("32 bytes make a master key") }
    guard count >= 1 else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    if data[0] & 1 == 1 {
        bytes = PatientKeyring.serializationMagic + [PatientKeyring.serializationVersion] + masterKey.id + bytes
        let macKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: masterKey.keyMaterial), info: Array("ClinicLog keyring mac v1".utf8),
            outputByteCount: 32)
        bytes += Array(HMAC<SHA256>.authenticationCode(for: bytes, using: macKey))
    }
    let random = RandomByteSource(SeededRandomNumberGenerator(seed: 1))
    guard let keyring = try? PatientKeyring(serialized: bytes, masterKey: masterKey, random: random) else {
        return 0
    }
    precondition(keyring.serialized() == bytes, "a keyring that loads serializes back to its bytes")
    for patientID in keyring.patientIDs where !keyring.isErased(patientID) {
        precondition((try? keyring.dataKey(for: patientID)) != nil, "every live key of a loaded keyring unwraps")
    }
    return 0
}
