import RecordLog

/// A proof that the log at one signed checkpoint extends the log at an earlier one, unchanged
/// (`cliniclog.consistency-proof.v1`): both exported checkpoints and the RFC 6962 consistency path.
public struct ConsistencyProofDocument: Sendable, Equatable {
    /// The document's `format` value.
    public static let format = "cliniclog.consistency-proof.v1"

    /// The earlier checkpoint.
    public var old: CheckpointDocument
    /// The later checkpoint.
    public var new: CheckpointDocument
    /// The earlier tree size: the old checkpoint's.
    public var oldSize: UInt64
    /// The later tree size: the new checkpoint's.
    public var newSize: UInt64
    /// The earlier root: the old checkpoint's.
    public var oldRoot: MerkleDigest
    /// The later root: the new checkpoint's.
    public var newRoot: MerkleDigest
    /// The consistency path, RFC 6962 `PROOF(oldSize, D[newSize])`.
    public var path: [MerkleDigest]

    /// A proof between two checkpoints.
    public init(old: SignedCheckpoint, new: SignedCheckpoint, path: [MerkleDigest]) {
        self.old = CheckpointDocument(old)
        self.new = CheckpointDocument(new)
        oldSize = old.treeSize
        newSize = new.treeSize
        oldRoot = old.root
        newRoot = new.root
        self.path = path
    }

    /// Reads a consistency proof document from its JSON bytes.
    public init(jsonBytes: [UInt8]) throws(AuditError) {
        guard let value = JSONValue.parse(jsonBytes) else {
            throw .malformedDocument(field: "(document)", reason: "not JSON")
        }
        try self.init(fields: DocumentFields(value, path: ""))
    }

    init(fields: DocumentFields) throws(AuditError) {
        try fields.requireFormat(Self.format)
        old = try CheckpointDocument(fields: fields.object("old"))
        new = try CheckpointDocument(fields: fields.object("new"))
        oldSize = try fields.unsigned("oldSize")
        newSize = try fields.unsigned("newSize")
        oldRoot = try fields.digest("oldRoot")
        newRoot = try fields.digest("newRoot")
        path = try fields.digests("path")
    }

    /// The document as JSON, its members in the documented order.
    public var json: JSONValue {
        .object([
            JSONMember("format", .string(Self.format)),
            JSONMember("old", old.json),
            JSONMember("new", new.json),
            JSONMember("oldSize", .number(oldSize)),
            JSONMember("newSize", .number(newSize)),
            JSONMember("oldRoot", .string(oldRoot.description)),
            JSONMember("newRoot", .string(newRoot.description)),
            JSONMember("path", .array(path.map { .string($0.description) })),
        ])
    }

    /// Checks both checkpoints, then rebuilds both roots from the path one node at a time (RFC 9162 section
    /// 2.1.4.2): every node is used, and both roots must come out exactly when the path runs out.
    public func verify(trustedPublicKeys: [[UInt8]] = []) -> ProofVerification {
        var result = ProofVerification()
        result.include(old.verify(trustedPublicKeys: trustedPublicKeys), prefix: "old checkpoint: ")
        result.include(new.verify(trustedPublicKeys: trustedPublicKeys), prefix: "new checkpoint: ")
        result.check(
            old.logID == new.logID, "both checkpoints belong to log \(Hex.encode(old.logID))",
            failure: "the checkpoints belong to different logs")
        result.check(
            oldSize == old.treeSize && oldRoot == old.root && newSize == new.treeSize && newRoot == new.root,
            "the proof's sizes \(oldSize) and \(newSize) and roots are the checkpoints'",
            failure: "the proof's sizes or roots are not the checkpoints'")
        result.check(
            oldSize <= newSize, "the old tree (\(oldSize)) is not larger than the new one (\(newSize))",
            failure: "the old tree is larger than the new one")
        guard result.isValid else { return result }
        if oldSize == newSize || oldSize == 0 {
            result.check(
                path.isEmpty, "no path is needed between trees of \(oldSize) and \(newSize) records",
                failure: "the path must be empty between trees of \(oldSize) and \(newSize) records")
            if oldSize == newSize {
                result.check(
                    oldRoot == newRoot, "equal sizes have equal roots", failure: "equal sizes, different roots")
            }
            return result
        }
        checkConsistencyPath(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, into: &result)
        return result
    }

    private func checkConsistencyPath(
        oldSize: UInt64, newSize: UInt64, oldRoot: MerkleDigest, newRoot: MerkleDigest,
        into result: inout ProofVerification
    ) {
        guard result.check(!path.isEmpty, "the path is not empty", failure: "the path is empty") else { return }
        let oldIsPerfect = oldSize.nonzeroBitCount == 1
        var nodes = path[...]
        let seed = oldIsPerfect ? oldRoot : nodes.removeFirst()
        result.check(
            true,
            oldIsPerfect
                ? "the old tree is perfect: its root is the starting node"
                : "the starting node is path[0]",
            failure: "")
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldComputed = seed
        var newComputed = seed
        let offset = oldIsPerfect ? 0 : 1
        for (number, node) in nodes.enumerated() {
            let index = number + offset
            guard sn > 0 else {
                result.check(
                    false, "path node \(index) is below the root",
                    failure: "the path has more nodes than trees of \(oldSize) and \(newSize) records allow")
                return
            }
            if fn & 1 == 1 || fn == sn {
                oldComputed = MerkleHash.node(node, oldComputed)
                newComputed = MerkleHash.node(node, newComputed)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
                result.check(
                    true,
                    "step \(index): both nodes = SHA-256(01 || path[\(index)] || node): old \(oldComputed), "
                        + "new \(newComputed)", failure: "")
            } else {
                newComputed = MerkleHash.node(newComputed, node)
                result.check(
                    true, "step \(index): new node = SHA-256(01 || node || path[\(index)]) = \(newComputed)",
                    failure: "")
            }
            fn >>= 1
            sn >>= 1
        }
        result.check(
            sn == 0, "the path reaches the top of the new tree",
            failure: "the path has fewer nodes than trees of \(oldSize) and \(newSize) records need")
        result.check(
            oldComputed == oldRoot, "the old root comes out: \(oldRoot)",
            failure: "the path does not rebuild the old root")
        result.check(
            newComputed == newRoot, "the new root comes out: \(newRoot)",
            failure: "the path does not rebuild the new root")
    }
}
