import Crypto
import RecordLog

/// A signed checkpoint exported as a self-contained JSON document (`cliniclog.checkpoint.v1`), for the compliance
/// officer to keep off the machine and for anyone to check with SHA-256 and Ed25519 alone.
///
/// The fields are those of a stored checkpoint (`docs/log-format.md` section 11), in hex, plus the exact 88-byte
/// message the signature covers and the time as text; `docs/audit.md` documents every field.
public struct CheckpointDocument: Sendable, Equatable {
    /// The document's `format` value.
    public static let format = "cliniclog.checkpoint.v1"

    /// The id of the log the checkpoint belongs to (16 bytes).
    public var logID: [UInt8]
    /// The number of records covered: positions `0 ..< treeSize`.
    public var treeSize: UInt64
    /// When the checkpoint was taken, in microseconds since 1970-01-01T00:00:00Z.
    public var timeMicroseconds: Int64
    /// ``timeMicroseconds`` as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    public var time: String
    /// The RFC 6962 root of the first ``treeSize`` records.
    public var root: MerkleDigest
    /// The first 8 bytes of SHA-256 of ``publicKey``.
    public var keyID: [UInt8]
    /// The Ed25519 public key that signed (32 bytes).
    public var publicKey: [UInt8]
    /// The Ed25519 signature (64 bytes).
    public var signature: [UInt8]
    /// The 88 bytes signed: `ClinicLog checkpoint v1\n`, log id, tree size (u64 LE), time (i64 LE), root.
    public var signedMessage: [UInt8]

    /// The document of a stored checkpoint.
    public init(_ checkpoint: SignedCheckpoint) {
        logID = checkpoint.logID
        treeSize = checkpoint.treeSize
        timeMicroseconds = checkpoint.timeMicroseconds
        time = UTCTime.iso8601(microseconds: checkpoint.timeMicroseconds)
        root = checkpoint.root
        keyID = checkpoint.keyID
        publicKey = checkpoint.publicKey
        signature = checkpoint.signature
        signedMessage = checkpoint.signedMessage
    }

    /// Reads a checkpoint document from its JSON bytes.
    public init(jsonBytes: [UInt8]) throws(AuditError) {
        guard let value = JSONValue.parse(jsonBytes) else {
            throw .malformedDocument(field: "(document)", reason: "not JSON")
        }
        try self.init(fields: DocumentFields(value, path: ""))
    }

    init(fields: DocumentFields) throws(AuditError) {
        try fields.requireFormat(Self.format)
        logID = try fields.hex("logId", count: 16)
        treeSize = try fields.unsigned("treeSize")
        timeMicroseconds = try fields.signed("timeMicroseconds")
        time = try fields.string("time")
        root = try fields.digest("root")
        keyID = try fields.hex("keyId", count: 8)
        publicKey = try fields.hex("publicKey", count: 32)
        signature = try fields.hex("signature", count: 64)
        signedMessage = try fields.hex("signedMessage", count: 88)
    }

    /// The message the fields call for: what ``signedMessage`` must be.
    public var expectedSignedMessage: [UInt8] {
        var message = Array("ClinicLog checkpoint v1\n".utf8) + logID
        message += (0..<8).map { UInt8(truncatingIfNeeded: treeSize >> (8 * UInt64($0))) }
        message += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: timeMicroseconds) >> (8 * UInt64($0))) }
        return message + root.bytes
    }

    /// The checkpoint as the log stores it; nil when the key id is not that of the public key.
    public var signedCheckpoint: SignedCheckpoint? {
        var entry: [UInt8] = [0x43, 0x4C, 0x43, 0x31, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
        entry += (0..<8).map { UInt8(truncatingIfNeeded: treeSize >> (8 * UInt64($0))) }
        entry += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: timeMicroseconds) >> (8 * UInt64($0))) }
        entry += root.bytes + logID + keyID + publicKey + signature
        let crc = CRC32C.checksum(entry[8...])
        for index in 0..<4 { entry[4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
        return SignedCheckpoint.decode(entry)
    }

    /// The document as JSON, its members in the documented order.
    public var json: JSONValue {
        .object([
            JSONMember("format", .string(Self.format)),
            JSONMember("logId", .string(Hex.encode(logID))),
            JSONMember("treeSize", .number(treeSize)),
            JSONMember("timeMicroseconds", .integer(timeMicroseconds)),
            JSONMember("time", .string(time)),
            JSONMember("root", .string(root.description)),
            JSONMember("keyId", .string(Hex.encode(keyID))),
            JSONMember("publicKey", .string(Hex.encode(publicKey))),
            JSONMember("signature", .string(Hex.encode(signature))),
            JSONMember("signedMessage", .string(Hex.encode(signedMessage))),
        ])
    }

    /// Checks the document step by step: key id, signed message, time text, trusted key (when `trustedPublicKeys`
    /// is not empty) and the Ed25519 signature.
    public func verify(trustedPublicKeys: [[UInt8]] = []) -> ProofVerification {
        var result = ProofVerification()
        result.check(
            keyID == Array(SHA256.hash(data: publicKey).prefix(8)),
            "key id \(Hex.encode(keyID)) is the first 8 bytes of SHA-256 of the public key",
            failure: "the key id is not the first 8 bytes of SHA-256 of the public key")
        result.check(
            signedMessage == expectedSignedMessage,
            "the signed message is the 88 bytes made of the log id, tree size \(treeSize), time and root",
            failure: "the signed message is not the one the log id, tree size, time and root call for")
        result.check(
            time == UTCTime.iso8601(microseconds: timeMicroseconds), "the time text is \(time)",
            failure: "the time text does not state timeMicroseconds")
        if !trustedPublicKeys.isEmpty {
            result.check(
                trustedPublicKeys.contains(publicKey), "the public key is a trusted key",
                failure: "the public key is not a trusted key")
        }
        let signatureValid =
            (try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey))?.isValidSignature(
                signature, for: signedMessage) ?? false
        result.check(
            signatureValid, "the Ed25519 signature over the signed message is valid",
            failure: "the Ed25519 signature is not valid for the public key and the signed message")
        return result
    }
}
