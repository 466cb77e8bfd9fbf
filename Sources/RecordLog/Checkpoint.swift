import Crypto
import FoundationEssentials

/// A signed statement of the log's Merkle tree at some size: the root that every later consistency proof extends.
///
/// Stored in the file `checkpoints`, 184 bytes each, appended and fsynced (little-endian; see docs/log-format.md):
/// ```
///      0    4 magic "CLC1" (0x43 0x4C 0x43 0x31)
///      4    4 CRC-32C of bytes 8 ..< 184
///      8    2 format version (1)
///     10    6 reserved, zero
///     16    8 tree size (records covered: positions 0 ..< size)
///     24    8 checkpoint time, i64 microseconds since the Unix epoch
///     32   32 Merkle tree root (RFC 6962) of the first `size` records
///     64   16 log id
///     80    8 key id: the first 8 bytes of SHA-256 of the public key
///     88   32 Ed25519 public key
///    120   64 Ed25519 signature over the signed message
/// ```
/// The signed message (88 bytes): the ASCII text `ClinicLog checkpoint v1` and a line feed (24 bytes), the log id,
/// the tree size (u64 LE), the time (i64 LE) and the root.
public struct SignedCheckpoint: Sendable, Equatable {
    /// Bytes per stored checkpoint.
    public static let byteCount = 184
    static let magic: [UInt8] = [0x43, 0x4C, 0x43, 0x31]
    static let formatVersion: UInt16 = 1
    static let messagePrefix = Array("ClinicLog checkpoint v1\n".utf8)

    /// The number of records the checkpoint covers (positions 0 ..< treeSize).
    public var treeSize: UInt64
    /// When the checkpoint was taken, in microseconds since the Unix epoch.
    public var timeMicroseconds: Int64
    /// The RFC 6962 Merkle root of the first ``treeSize`` records.
    public var root: MerkleDigest
    /// The id of the log the checkpoint belongs to.
    public var logID: [UInt8]
    /// The first 8 bytes of SHA-256 of ``publicKey``.
    public var keyID: [UInt8]
    /// The Ed25519 public key that made the signature.
    public var publicKey: [UInt8]
    /// The Ed25519 signature over ``signedMessage``.
    public var signature: [UInt8]

    /// The exact bytes the signature covers.
    public var signedMessage: [UInt8] {
        var writer = ByteWriter(capacity: 88)
        writer.append(contentsOf: Self.messagePrefix)
        writer.append(contentsOf: logID)
        writer.append(treeSize)
        writer.append(timeMicroseconds)
        writer.append(contentsOf: root.bytes)
        return writer.bytes
    }

    /// Whether the signature is valid for `publicKey` (a key the verifier trusts, kept off the log's machine).
    public func hasValidSignature(trusting publicKey: [UInt8]) -> Bool {
        guard publicKey == self.publicKey,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        else { return false }
        return key.isValidSignature(Data(signature), for: Data(signedMessage))
    }

    /// The 184 stored bytes.
    public func encode() -> [UInt8] {
        var writer = ByteWriter(capacity: Self.byteCount)
        writer.append(contentsOf: Self.magic)
        writer.append(UInt32(0))
        writer.append(Self.formatVersion)
        writer.appendZeros(6)
        writer.append(treeSize)
        writer.append(timeMicroseconds)
        writer.append(contentsOf: root.bytes)
        writer.append(contentsOf: logID)
        writer.append(contentsOf: keyID)
        writer.append(contentsOf: publicKey)
        writer.append(contentsOf: signature)
        writer.sealChecksum()
        return writer.bytes
    }

    /// Decodes 184 stored bytes; nil when they are not a well-formed checkpoint (the signature is not checked here).
    public static func decode(_ bytes: some Collection<UInt8>) -> SignedCheckpoint? {
        let bytes = Array(bytes)
        guard bytes.count == byteCount, Array(bytes[0..<4]) == magic, bytes.hasValidChecksum else { return nil }
        return bytes.withUnsafeBytes { raw -> SignedCheckpoint? in
            guard raw.littleEndian(at: 8, as: UInt16.self) == formatVersion, raw[10..<16].allSatisfy({ $0 == 0 }),
                let root = MerkleDigest(bytes: raw[32..<64])
            else { return nil }
            let publicKey = Array(raw[88..<120])
            let keyID = Array(raw[80..<88])
            guard keyID == Self.keyID(of: publicKey) else { return nil }
            return SignedCheckpoint(
                treeSize: raw.littleEndian(at: 16, as: UInt64.self),
                timeMicroseconds: Int64(bitPattern: raw.littleEndian(at: 24, as: UInt64.self)),
                root: root, logID: Array(raw[64..<80]), keyID: keyID, publicKey: publicKey,
                signature: Array(raw[120..<184]))
        }
    }

    /// The key id of an Ed25519 public key: the first 8 bytes of its SHA-256.
    public static func keyID(of publicKey: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: publicKey).prefix(8))
    }
}

/// Signs checkpoints with an Ed25519 private key that the caller keeps outside the log directory.
public struct CheckpointSigner: Sendable {
    private let privateKeyBytes: [UInt8]
    /// The 32-byte Ed25519 public key that verifies this signer's checkpoints.
    public let publicKey: [UInt8]

    /// Creates a signer from a 32-byte Ed25519 private key (seed).
    public init(privateKeyBytes: [UInt8]) throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKeyBytes)
        self.privateKeyBytes = privateKeyBytes
        publicKey = Array(key.publicKey.rawRepresentation)
    }

    /// Creates a signer from a private key.
    public init(privateKey: Curve25519.Signing.PrivateKey) {
        privateKeyBytes = Array(privateKey.rawRepresentation)
        publicKey = Array(privateKey.publicKey.rawRepresentation)
    }

    func sign(treeSize: UInt64, timeMicroseconds: Int64, root: MerkleDigest, logID: [UInt8]) throws -> SignedCheckpoint
    {
        let privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKeyBytes)
        var checkpoint = SignedCheckpoint(
            treeSize: treeSize, timeMicroseconds: timeMicroseconds, root: root, logID: logID,
            keyID: SignedCheckpoint.keyID(of: publicKey), publicKey: publicKey, signature: [])
        checkpoint.signature = Array(try privateKey.signature(for: Data(checkpoint.signedMessage)))
        return checkpoint
    }
}

/// The file of signed checkpoints, `checkpoints`: whole 184-byte entries, appended and fsynced.
enum CheckpointFile {
    static let fileName = "checkpoints"

    /// Decodes every entry; a damaged entry is a corruption error naming its offset.
    static func decodeAll(_ bytes: [UInt8]) -> Result<[SignedCheckpoint], IndexDefect> {
        var checkpoints: [SignedCheckpoint] = []
        var offset = 0
        while offset + SignedCheckpoint.byteCount <= bytes.count {
            guard let checkpoint = SignedCheckpoint.decode(bytes[offset..<offset + SignedCheckpoint.byteCount]) else {
                return .failure(IndexDefect(offset: offset, reason: "damaged checkpoint entry"))
            }
            if let previous = checkpoints.last, checkpoint.treeSize < previous.treeSize {
                return .failure(IndexDefect(offset: offset, reason: "checkpoint tree size goes backwards"))
            }
            checkpoints.append(checkpoint)
            offset += SignedCheckpoint.byteCount
        }
        guard offset == bytes.count else {
            return .failure(IndexDefect(offset: offset, reason: "partial checkpoint entry"))
        }
        return .success(checkpoints)
    }
}
