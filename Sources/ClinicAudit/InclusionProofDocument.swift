import RecordLog

/// A proof that one record is in the log as a signed checkpoint saw it (`cliniclog.inclusion-proof.v1`): the record's
/// bytes, its RFC 6962 audit path and the exported checkpoint it leads to.
public struct InclusionProofDocument: Sendable, Equatable {
    /// The document's `format` value.
    public static let format = "cliniclog.inclusion-proof.v1"

    /// The checkpoint the proof is against.
    public var checkpoint: CheckpointDocument
    /// The record's position: its leaf index.
    public var position: UInt64
    /// The tree size of the proof: the checkpoint's.
    public var treeSize: UInt64
    /// The record bytes, exactly as the Merkle leaf hashes them (`docs/log-format.md` section 6.1).
    public var record: [UInt8]
    /// The record's fields as the document states them in clear (checked against ``record``).
    public var recordFields: JSONValue
    /// SHA-256(0x00 || record).
    public var leafHash: MerkleDigest
    /// The audit path, from the leaf's sibling up to the child of the root.
    public var path: [MerkleDigest]
    /// The root the path leads to: the checkpoint's.
    public var root: MerkleDigest

    /// A proof made from a record's bytes, its path and the checkpoint.
    public init(checkpoint: SignedCheckpoint, position: UInt64, record: [UInt8], path: [MerkleDigest]) {
        self.checkpoint = CheckpointDocument(checkpoint)
        self.position = position
        treeSize = checkpoint.treeSize
        self.record = record
        recordFields = RecordFields(recordBytes: record)?.json ?? .null
        leafHash = MerkleHash.leaf(record)
        self.path = path
        root = checkpoint.root
    }

    /// Reads an inclusion proof document from its JSON bytes.
    public init(jsonBytes: [UInt8]) throws(AuditError) {
        guard let value = JSONValue.parse(jsonBytes) else {
            throw .malformedDocument(field: "(document)", reason: "not JSON")
        }
        try self.init(fields: DocumentFields(value, path: ""))
    }

    init(fields: DocumentFields) throws(AuditError) {
        try fields.requireFormat(Self.format)
        checkpoint = try CheckpointDocument(fields: fields.object("checkpoint"))
        position = try fields.unsigned("position")
        treeSize = try fields.unsigned("treeSize")
        record = try fields.hex("record")
        recordFields = try fields.object("recordFields").value
        leafHash = try fields.digest("leafHash")
        path = try fields.digests("path")
        root = try fields.digest("root")
    }

    /// The document as JSON, its members in the documented order.
    public var json: JSONValue {
        .object([
            JSONMember("format", .string(Self.format)),
            JSONMember("checkpoint", checkpoint.json),
            JSONMember("position", .number(position)),
            JSONMember("treeSize", .number(treeSize)),
            JSONMember("record", .string(Hex.encode(record))),
            JSONMember("recordFields", recordFields),
            JSONMember("leafHash", .string(leafHash.description)),
            JSONMember("path", .array(path.map { .string($0.description) })),
            JSONMember("root", .string(root.description)),
        ])
    }

    /// Checks the checkpoint, then the record and its path step by step up to the checkpoint's root.
    public func verify(trustedPublicKeys: [[UInt8]] = []) -> ProofVerification {
        var result = ProofVerification()
        result.include(checkpoint.verify(trustedPublicKeys: trustedPublicKeys), prefix: "checkpoint: ")
        result.check(
            treeSize == checkpoint.treeSize && root == checkpoint.root,
            "the proof's tree size \(treeSize) and root are the checkpoint's",
            failure: "the proof's tree size or root is not the checkpoint's")
        checkRecord(
            RecordProofParts(position: position, record: record, recordFields: recordFields, leafHash: leafHash),
            into: &result)
        checkPath(
            leafHash: leafHash, position: position, treeSize: treeSize, path: path, root: root, into: &result)
        return result
    }
}

/// The record part of an inclusion proof, checked the same way in single proofs and bundles.
struct RecordProofParts {
    var position: UInt64
    var record: [UInt8]
    var recordFields: JSONValue
    var leafHash: MerkleDigest
}

/// Checks that the record bytes are well formed, at the stated position, stated in clear as they are, and hashed to
/// the stated leaf.
func checkRecord(_ parts: RecordProofParts, into result: inout ProofVerification) {
    let fields = RecordFields(recordBytes: parts.record)
    result.check(
        fields != nil, "the record is \(parts.record.count) well-formed record bytes",
        failure: "the record bytes are not a well-formed record")
    guard let fields else { return }
    result.check(
        fields.position == parts.position, "the record states position \(fields.position)",
        failure: "the record states position \(fields.position), not \(parts.position)")
    result.check(
        fields.json.normalized == parts.recordFields.normalized,
        "the record's fields in clear (stream \(fields.stream), version \(fields.streamVersion), event "
            + "\(fields.eventID)) are those of the record bytes",
        failure: "the record's fields in clear are not those of the record bytes")
    result.check(
        MerkleHash.leaf(parts.record) == parts.leafHash, "leaf hash SHA-256(00 || record) = \(parts.leafHash)",
        failure: "the leaf hash is not SHA-256(00 || record)")
}

/// Checks an RFC 6962 audit path one node at a time (RFC 9162 section 2.1.3.2): every node of the path is used, in
/// order, and the last one must give the root exactly when the path runs out.
func checkPath(
    leafHash: MerkleDigest, position: UInt64, treeSize: UInt64, path: [MerkleDigest], root: MerkleDigest,
    into result: inout ProofVerification
) {
    guard
        result.check(
            position < treeSize, "position \(position) is inside the tree of \(treeSize) records",
            failure: "position \(position) is not inside a tree of \(treeSize) records")
    else { return }
    var fn = position
    var sn = treeSize - 1
    var computed = leafHash
    for (number, sibling) in path.enumerated() {
        guard sn > 0 else {
            result.check(
                false, "path node \(number) is below the root",
                failure: "the path has more nodes than a tree of \(treeSize) records allows")
            return
        }
        if fn & 1 == 1 || fn == sn {
            computed = MerkleHash.node(sibling, computed)
            while fn & 1 == 0 && fn != 0 {
                fn >>= 1
                sn >>= 1
            }
            result.check(
                true, "step \(number + 1): node = SHA-256(01 || path[\(number)] || node) = \(computed)", failure: "")
        } else {
            computed = MerkleHash.node(computed, sibling)
            result.check(
                true, "step \(number + 1): node = SHA-256(01 || node || path[\(number)]) = \(computed)", failure: "")
        }
        fn >>= 1
        sn >>= 1
    }
    result.check(
        sn == 0, "the path reaches the top of the tree",
        failure: "the path has fewer nodes than a tree of \(treeSize) records needs")
    result.check(
        computed == root, "the last node is the root \(root)", failure: "the path does not lead to the root")
}
