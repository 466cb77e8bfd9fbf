import RecordLog

/// Inclusion proofs of many records against one exported checkpoint (`cliniclog.proof-bundle.v1`): what a patient
/// export carries so that a third party can check every event it lists without our code.
public struct ProofBundle: Sendable, Equatable {
    /// The document's `format` value.
    public static let format = "cliniclog.proof-bundle.v1"

    /// One record's bytes and audit path in the bundle's tree.
    public struct RecordProof: Sendable, Equatable {
        /// The record's position: its leaf index.
        public var position: UInt64
        /// The record bytes, exactly as the Merkle leaf hashes them.
        public var record: [UInt8]
        /// The record's fields as the document states them in clear (checked against ``record``).
        public var recordFields: JSONValue
        /// SHA-256(0x00 || record).
        public var leafHash: MerkleDigest
        /// The audit path, from the leaf's sibling up to the child of the root.
        public var path: [MerkleDigest]

        /// A proof of a record's bytes with its path.
        public init(position: UInt64, record: [UInt8], path: [MerkleDigest]) {
            self.position = position
            self.record = record
            recordFields = RecordFields(recordBytes: record)?.json ?? .null
            leafHash = MerkleHash.leaf(record)
            self.path = path
        }

        init(fields: DocumentFields) throws(AuditError) {
            position = try fields.unsigned("position")
            record = try fields.hex("record")
            recordFields = try fields.object("recordFields").value
            leafHash = try fields.digest("leafHash")
            path = try fields.digests("path")
        }

        var json: JSONValue {
            .object([
                JSONMember("position", .number(position)),
                JSONMember("record", .string(Hex.encode(record))),
                JSONMember("recordFields", recordFields),
                JSONMember("leafHash", .string(leafHash.description)),
                JSONMember("path", .array(path.map { .string($0.description) })),
            ])
        }
    }

    /// The checkpoint every proof leads to.
    public var checkpoint: CheckpointDocument
    /// The proofs, in position order.
    public var proofs: [RecordProof]

    /// A bundle of proofs against `checkpoint`.
    public init(checkpoint: SignedCheckpoint, proofs: [RecordProof]) {
        self.checkpoint = CheckpointDocument(checkpoint)
        self.proofs = proofs
    }

    /// Reads a proof bundle document from its JSON bytes.
    public init(jsonBytes: [UInt8]) throws(AuditError) {
        guard let value = JSONValue.parse(jsonBytes) else {
            throw .malformedDocument(field: "(document)", reason: "not JSON")
        }
        try self.init(fields: DocumentFields(value, path: ""))
    }

    init(fields: DocumentFields) throws(AuditError) {
        try fields.requireFormat(Self.format)
        checkpoint = try CheckpointDocument(fields: fields.object("checkpoint"))
        var proofs: [RecordProof] = []
        for proof in try fields.objects("proofs") { proofs.append(try RecordProof(fields: proof)) }
        self.proofs = proofs
    }

    /// The document as JSON, its members in the documented order.
    public var json: JSONValue {
        .object([
            JSONMember("format", .string(Self.format)),
            JSONMember("checkpoint", checkpoint.json),
            JSONMember("proofs", .array(proofs.map(\.json))),
        ])
    }

    /// Checks the checkpoint once, then every record and its path step by step up to the checkpoint's root.
    public func verify(trustedPublicKeys: [[UInt8]] = []) -> ProofVerification {
        var result = ProofVerification()
        result.include(checkpoint.verify(trustedPublicKeys: trustedPublicKeys), prefix: "checkpoint: ")
        result.check(
            Set(proofs.map(\.position)).count == proofs.count,
            "each of the \(proofs.count) proofs is of its own position",
            failure: "two proofs are of the same position")
        for (number, proof) in proofs.enumerated() {
            var nested = ProofVerification()
            checkRecord(
                RecordProofParts(
                    position: proof.position, record: proof.record, recordFields: proof.recordFields,
                    leafHash: proof.leafHash), into: &nested)
            checkPath(
                leafHash: proof.leafHash, position: proof.position, treeSize: checkpoint.treeSize, path: proof.path,
                root: checkpoint.root, into: &nested)
            result.include(nested, prefix: "proof \(number) (position \(proof.position)): ")
        }
        return result
    }
}

/// Makes checkpoint documents, inclusion and consistency proofs and proof bundles from a log, read-only and without
/// the writer lock. Every proof is made against a stored checkpoint whose root the records still give.
public struct ProofIssuer: Sendable {
    /// The reader of the log.
    public let reader: LogReader

    /// Creates an issuer over `reader`.
    public init(reader: LogReader) {
        self.reader = reader
    }

    /// The stored checkpoints, oldest first.
    public func checkpoints() throws(AuditError) -> [SignedCheckpoint] {
        do { return try reader.checkpoints() } catch { throw .log(error) }
    }

    /// The latest stored checkpoint that covers the first `treeSize` records.
    public func latestCheckpoint(covering treeSize: UInt64 = 0) throws(AuditError) -> SignedCheckpoint {
        let stored = try checkpoints()
        guard let latest = stored.last, latest.treeSize >= treeSize else {
            throw .noCoveringCheckpoint(neededTreeSize: treeSize, latestTreeSize: stored.last?.treeSize)
        }
        return latest
    }

    /// The position of the event with id `eventID` (a scan of the log).
    public func position(of eventID: EventID) throws(AuditError) -> UInt64 {
        var found: UInt64?
        do {
            try reader.forEachRecordView { view in
                if view.eventID == eventID { found = view.position }
                return found == nil
            }
        } catch { throw .log(error) }
        guard let found else { throw .eventNotFound(eventID) }
        return found
    }

    /// The record bytes (what the Merkle leaf hashes) at `position`.
    public func recordBytes(at position: UInt64) throws(AuditError) -> [UInt8] {
        var bytes: [UInt8]?
        do {
            try reader.forEachRecordView(from: position) { view in
                if view.position == position { bytes = Array(view.bytes) }
                return false
            }
        } catch { throw .log(error) }
        guard let bytes else { throw .log(.notFound(what: "position \(position)")) }
        return bytes
    }

    /// A proof that the record at `position` is among the records `checkpoint` covers.
    public func inclusionProof(
        position: UInt64, against checkpoint: SignedCheckpoint
    ) throws(AuditError) -> InclusionProofDocument {
        guard position < checkpoint.treeSize else {
            throw .noCoveringCheckpoint(neededTreeSize: position + 1, latestTreeSize: checkpoint.treeSize)
        }
        let tree = try matchingTree(checkpoint)
        let path: [MerkleDigest]
        do {
            path = try MerkleProof.inclusionPath(leafIndex: position, treeSize: checkpoint.treeSize, source: tree)
        } catch { throw .log(.notFound(what: "position \(position) in a tree of \(checkpoint.treeSize)")) }
        return InclusionProofDocument(
            checkpoint: checkpoint, position: position, record: try recordBytes(at: position), path: path)
    }

    /// A proof that the log at `new` extends the log at `old` unchanged.
    public func consistencyProof(
        from old: SignedCheckpoint, to new: SignedCheckpoint
    ) throws(AuditError) -> ConsistencyProofDocument {
        guard old.treeSize <= new.treeSize else {
            throw .checkpointsOutOfOrder(oldTreeSize: old.treeSize, newTreeSize: new.treeSize)
        }
        let tree = try matchingTree(new)
        let oldRoot: MerkleDigest
        let path: [MerkleDigest]
        do {
            oldRoot = try MerkleProof.root(size: old.treeSize, source: tree)
            path = try MerkleProof.consistencyPath(oldSize: old.treeSize, newSize: new.treeSize, source: tree)
        } catch { throw .log(.notFound(what: "a consistency proof from \(old.treeSize) to \(new.treeSize)")) }
        guard oldRoot == old.root else {
            throw .checkpointDoesNotMatchLog(
                treeSize: old.treeSize, reason: "the records' Merkle root differs from the checkpoint's")
        }
        return ConsistencyProofDocument(old: old, new: new, path: path)
    }

    /// Inclusion proofs of the records at `positions` against `checkpoint`, in position order (each position once).
    public func bundle(positions: [UInt64], against checkpoint: SignedCheckpoint) throws(AuditError) -> ProofBundle {
        let positions = Array(Set(positions)).sorted()
        if let last = positions.last, last >= checkpoint.treeSize {
            throw .noCoveringCheckpoint(neededTreeSize: last + 1, latestTreeSize: checkpoint.treeSize)
        }
        let tree = try matchingTree(checkpoint)
        var proofs: [ProofBundle.RecordProof] = []
        for position in positions {
            let path: [MerkleDigest]
            do {
                path = try MerkleProof.inclusionPath(leafIndex: position, treeSize: checkpoint.treeSize, source: tree)
            } catch { throw .log(.notFound(what: "position \(position) in a tree of \(checkpoint.treeSize)")) }
            proofs.append(
                ProofBundle.RecordProof(position: position, record: try recordBytes(at: position), path: path))
        }
        return ProofBundle(checkpoint: checkpoint, proofs: proofs)
    }

    /// The Merkle tree of the records `checkpoint` covers, after checking that its root is the checkpoint's.
    private func matchingTree(_ checkpoint: SignedCheckpoint) throws(AuditError) -> InMemoryMerkleTree {
        let tree: InMemoryMerkleTree
        do { tree = try reader.merkleTree(size: checkpoint.treeSize) } catch {
            throw .checkpointDoesNotMatchLog(
                treeSize: checkpoint.treeSize, reason: "the log does not hold that many records")
        }
        guard (try? MerkleProof.root(size: checkpoint.treeSize, source: tree)) == checkpoint.root else {
            throw .checkpointDoesNotMatchLog(
                treeSize: checkpoint.treeSize, reason: "the records' Merkle root differs from the checkpoint's")
        }
        return tree
    }
}
