import RecordLog

/// Verifies a log for the compliance officer, read-only and without the writer lock: everything `LogVerifier` checks,
/// plus the checkpoints the officer exported and keeps off the machine, gapless stream versions and unique event ids,
/// and, since an exported checkpoint, a consistency proof from it to the log as it is now.
///
/// An exported checkpoint is the trust anchor: an insider who can rewrite every file of the log, and even re-sign the
/// stored checkpoints, cannot make the log match a root the officer holds elsewhere. When no trusted key is given,
/// the public keys of the exported checkpoints are trusted (and, without exported checkpoints, each stored
/// checkpoint's own key, which proves integrity but not who signed).
public struct AuditVerifier: Sendable {
    /// The most problems one check lists; one more line then says how many were left out.
    public static let problemsPerCheckMax = 50

    /// The log directory.
    public let directory: String
    private let fileSystem: any FileSystem

    /// Creates a verifier of the log in `directory`.
    public init(directory: String, fileSystem: any FileSystem = PosixFileSystem()) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// Verifies the whole log, and that it still matches every checkpoint in `exportedCheckpoints`.
    ///
    /// `progress` is called after each segment with the bytes checked so far and the total.
    public func verify(
        trustedPublicKeys: [[UInt8]] = [], exportedCheckpoints: [SignedCheckpoint] = [],
        progress: (AuditProgress) -> Void = { _ in }
    ) throws(AuditError) -> AuditReport {
        try run(
            start: VerificationStart(), exported: exportedCheckpoints, since: nil,
            trustedPublicKeys: trustedPublicKeys, progress: progress)
    }

    /// Verifies only what was added after `exported`: the log must still match it (its root is rebuilt from the
    /// Merkle frontier the log stores at the last segment boundary before it and the records from there on), a
    /// consistency proof from it to the latest stored checkpoint (or to the whole log) must verify, and every batch
    /// after that boundary is checked as in a whole-log verification.
    ///
    /// Records before that boundary are not read: run ``verify(trustedPublicKeys:exportedCheckpoints:progress:)``
    /// to check them.
    public func verify(
        since exported: SignedCheckpoint, trustedPublicKeys: [[UInt8]] = [],
        progress: (AuditProgress) -> Void = { _ in }
    ) throws(AuditError) -> AuditReport {
        let start: VerificationStart
        do {
            start = try LogVerifier(directory: directory, fileSystem: fileSystem).storedStart(
                atOrBefore: exported.treeSize)
        } catch { throw .log(error) }
        return try run(
            start: start, exported: [exported], since: exported, trustedPublicKeys: trustedPublicKeys,
            progress: progress)
    }

    private func run(
        start: VerificationStart, exported: [SignedCheckpoint], since: SignedCheckpoint?,
        trustedPublicKeys: [[UInt8]], progress: (AuditProgress) -> Void
    ) throws(AuditError) -> AuditReport {
        let exported = exported.sorted { $0.treeSize < $1.treeSize }
        var trusted = trustedPublicKeys
        if trusted.isEmpty {
            for checkpoint in exported where !trusted.contains(checkpoint.publicKey) {
                trusted.append(checkpoint.publicKey)
            }
        }
        let stored = (try? LogReader(directory: directory, fileSystem: fileSystem).checkpoints()) ?? []
        let segments = try segmentFiles()
        let total = segments.filter { $0.base >= start.position }.reduce(Int64(0)) { $0 + $1.size }
        let observer = RecordObserver(
            start: start, checkedSizes: exported.map(\.treeSize) + stored.map(\.treeSize),
            collectLeavesFrom: since?.treeSize)
        let verification: VerificationReport
        do {
            verification = try LogVerifier(directory: directory, fileSystem: fileSystem).verify(
                from: start, trustedPublicKeys: trusted, observe: { observer.observe($0) },
                progress: { progress(AuditProgress(bytesChecked: $0, bytesTotal: total)) })
        } catch { throw .log(error) }

        var report = AuditReport()
        report.firstPositionChecked = start.position
        report.endPosition = observer.size
        report.recordsChecked = verification.recordCount
        report.batchesChecked = verification.batchCount
        report.bytesChecked = verification.segmentBytes
        report.root = verification.root
        report.storedCheckpointsVerified = verification.checkpointsVerified
        report.storedCheckpointsBeforeStart = verification.checkpointsBeforeStart
        report.unfinishedTail = verification.unfinishedTail
        // Stream versions and event ids are reported by the observer's own checks (with the stream's name), not
        // twice.
        report.problems = verification.problems.filter { $0.kind == .storage }.map {
            AuditProblem(check: .storage, location: $0.location, reason: $0.reason)
        }
        report.problems += observer.allProblems

        var matchedExportedSizes: [UInt64] = []
        for checkpoint in exported {
            let problems = checkExported(
                checkpoint, observer: observer, logID: verification.logID, stored: stored, trusted: trusted,
                userTrustedKeys: !trustedPublicKeys.isEmpty, matchedExportedSizes: matchedExportedSizes,
                segments: segments)
            if problems.isEmpty {
                report.exportedCheckpointsVerified += 1
                matchedExportedSizes.append(checkpoint.treeSize)
            }
            report.problems += problems
        }
        if let since, matchedExportedSizes.contains(since.treeSize) {
            let (proof, problem) = consistency(
                from: since, observer: observer, endRoot: verification.root, stored: stored, segments: segments)
            report.consistencyProof = proof
            if let problem { report.problems.append(problem) }
        }
        return report
    }

    /// What is wrong with one exported checkpoint: signature, log id, root, and its copy in the checkpoint file.
    private func checkExported(
        _ checkpoint: SignedCheckpoint, observer: RecordObserver, logID: [UInt8]?, stored: [SignedCheckpoint],
        trusted: [[UInt8]], userTrustedKeys: Bool, matchedExportedSizes: [UInt64], segments: [SegmentFile]
    ) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        let size = checkpoint.treeSize
        let taken = UTCTime.iso8601(microseconds: checkpoint.timeMicroseconds)
        let described = "the exported checkpoint of \(size) records (taken \(taken))"
        let checkpointFile = LogLocation(file: "checkpoints", positions: 0..<size)
        if !checkpoint.hasValidSignature(trusting: checkpoint.publicKey) {
            problems.append(
                AuditProblem(
                    check: .exportedCheckpoint, location: checkpointFile,
                    reason: "\(described) has an invalid signature: the exported file was altered"))
        } else if userTrustedKeys, !trusted.contains(checkpoint.publicKey) {
            problems.append(
                AuditProblem(
                    check: .exportedCheckpoint, location: checkpointFile,
                    reason: "\(described) is not signed by a trusted key"))
        }
        if let logID, checkpoint.logID != logID {
            problems.append(
                AuditProblem(
                    check: .exportedCheckpoint, location: LogLocation(file: "manifest"),
                    reason: "\(described) belongs to another log (its log id differs from the manifest's)"))
        }
        if size > observer.size {
            let last = segments.last?.name ?? "manifest"
            problems.append(
                AuditProblem(
                    check: .exportedCheckpoint,
                    location: LogLocation(file: last, positions: observer.size..<size),
                    reason: "\(described) covers \(size) records but the log holds \(observer.size): "
                        + "records \(observer.size)..<\(size) were removed"))
        } else if let root = observer.root(atSize: size), root != checkpoint.root {
            problems.append(
                rootMismatch(
                    checkpoint, described: described, observer: observer, stored: stored, trusted: trusted,
                    matchedExportedSizes: matchedExportedSizes, segments: segments))
        }
        let sameSize = stored.enumerated().filter { $0.element.treeSize == size }
        if sameSize.isEmpty {
            problems.append(
                AuditProblem(
                    check: .exportedCheckpoint, location: checkpointFile,
                    reason: "\(described) is no longer in the checkpoint file: the file was replaced or cut"))
        } else if !sameSize.contains(where: { $0.element == checkpoint }) {
            let (number, copy) = sameSize[0]
            var differences: [String] = []
            if copy.root != checkpoint.root { differences.append("root") }
            if copy.timeMicroseconds != checkpoint.timeMicroseconds { differences.append("time") }
            if copy.logID != checkpoint.logID { differences.append("log id") }
            if copy.publicKey != checkpoint.publicKey { differences.append("key") }
            if copy.signature != checkpoint.signature { differences.append("signature") }
            problems.append(
                AuditProblem(
                    check: .exportedCheckpoint,
                    location: LogLocation(
                        file: "checkpoints", offset: Int64(number * SignedCheckpoint.byteCount), positions: 0..<size),
                    reason: "the stored checkpoint of \(size) records differs from \(described) in "
                        + "\(differences.joined(separator: ", ")): the checkpoint file was replaced or rewritten"))
        }
        return problems
    }

    /// The problem of an exported checkpoint whose root the records no longer give, narrowed as far as can be told.
    private func rootMismatch(
        _ checkpoint: SignedCheckpoint, described: String, observer: RecordObserver, stored: [SignedCheckpoint],
        trusted: [[UInt8]], matchedExportedSizes: [UInt64], segments: [SegmentFile]
    ) -> AuditProblem {
        let size = checkpoint.treeSize
        let lower = max(matchedExportedSizes.filter { $0 < size }.max() ?? 0, observer.firstPosition)
        var reason =
            "the Merkle root of the first \(size) records does not match \(described): records were altered, "
            + "removed, inserted or reordered"
        if lower > observer.firstPosition {
            reason += "; records 0..<\(lower) still match the exported checkpoint of \(lower) records"
        } else if observer.firstPosition > 0 {
            reason +=
                " in positions \(observer.firstPosition)..<\(size), or the Merkle frontier stored for position "
                + "\(observer.firstPosition) is wrong (verify the whole log to tell)"
        }
        let storedMatch = stored.filter { candidate in
            candidate.treeSize > lower && candidate.treeSize < size && trusted.contains(candidate.publicKey)
                && candidate.hasValidSignature(trusting: candidate.publicKey)
                && observer.root(atSize: candidate.treeSize) == candidate.root
        }.map(\.treeSize).max()
        if let storedMatch {
            reason +=
                "; the stored checkpoint of \(storedMatch) records still matches, so unless its signing key was "
                + "compromised the change lies in positions \(storedMatch)..<\(size)"
        }
        let range = lower..<size
        let first = segments.last { $0.base <= range.lowerBound }
        let last = segments.last { $0.base < range.upperBound }
        if let first, let last, first.name != last.name { reason += " (segments \(first.name) to \(last.name))" }
        return AuditProblem(
            check: .exportedCheckpoint, location: LogLocation(file: first?.name ?? "manifest", positions: range),
            reason: reason)
    }

    /// The consistency proof from `exported` to the latest stored checkpoint above it (or to the whole log),
    /// built from the frontier at its size and the records after it, and whether it verifies.
    private func consistency(
        from exported: SignedCheckpoint, observer: RecordObserver, endRoot: MerkleDigest, stored: [SignedCheckpoint],
        segments: [SegmentFile]
    ) -> (ConsistencyProof?, AuditProblem?) {
        let oldSize = exported.treeSize
        guard let oldFrontier = observer.frontier(atSize: oldSize) else { return (nil, nil) }
        let target = stored.last { $0.treeSize > oldSize }
        let newSize = target?.treeSize ?? observer.size
        let newRoot = target?.root ?? endRoot
        let source = SplitMerkleSource(
            oldFrontier: oldFrontier, newLeaves: InMemoryMerkleTree(leafHashes: observer.collectedLeaves))
        let location = LogLocation(
            file: target == nil ? (segments.last?.name ?? "manifest") : "checkpoints",
            positions: oldSize..<newSize)
        guard let path = try? MerkleProof.consistencyPath(oldSize: oldSize, newSize: newSize, source: source) else {
            return (
                nil,
                AuditProblem(
                    check: .consistency, location: location,
                    reason: "no consistency proof from \(oldSize) to \(newSize) records can be built from the log")
            )
        }
        let proof = ConsistencyProof(
            oldSize: oldSize, newSize: newSize, oldRoot: exported.root, newRoot: newRoot, path: path)
        guard proof.verify() else {
            let what = target == nil ? "the log's \(newSize) records" : "the stored checkpoint of \(newSize) records"
            return (
                proof,
                AuditProblem(
                    check: .consistency, location: location,
                    reason: "the consistency proof from the exported checkpoint of \(oldSize) records to \(what) does "
                        + "not verify: the log does not extend the exported checkpoint")
            )
        }
        return (proof, nil)
    }

    /// The segment files of the log, by base position, with their sizes.
    private func segmentFiles() throws(AuditError) -> [SegmentFile] {
        let names: [String]
        do { names = try fileSystem.contentsOfDirectory(directory) } catch { throw .log(.fileSystem(error)) }
        var files: [SegmentFile] = []
        for name in names {
            guard let base = SegmentFile.base(ofName: name) else { continue }
            var size: Int64 = 0
            if let handle = try? fileSystem.open(joinPath(directory, name), mode: .readOnly) {
                size = (try? handle.size()) ?? 0
                handle.close()
            }
            files.append(SegmentFile(base: base, name: name, size: size))
        }
        return files.sorted { $0.base < $1.base }
    }
}

/// A segment file as the directory lists it.
struct SegmentFile: Equatable {
    var base: UInt64
    var name: String
    var size: Int64

    /// The base position of a file named as a segment (`<20 digits>.segment`); nil for any other name.
    static func base(ofName name: String) -> UInt64? {
        let suffix = ".segment"
        guard name.hasSuffix(suffix) else { return nil }
        let digits = name.dropLast(suffix.count)
        guard digits.utf8.count == 20, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return UInt64(digits)
    }
}

/// The checks a verification makes on each record, in log order: stream versions, event ids, and the roots and
/// frontiers at the tree sizes of the checkpoints.
final class RecordObserver {
    let firstPosition: UInt64
    /// The number of records seen so far, those before the start included.
    private(set) var size: UInt64
    private(set) var problems: [AuditProblem] = []
    private(set) var collectedLeaves: [MerkleDigest] = []
    private let collectLeavesFrom: UInt64?
    private let checkedSizes: [UInt64]
    private var nextCheckedSize = 0
    private var frontiers: [UInt64: MerkleFrontier] = [:]
    private var streamVersions: [String: UInt64] = [:]
    private var eventIDs = EventIDSet()
    private var omitted: [AuditProblem.Check: Int] = [:]

    init(start: VerificationStart, checkedSizes: [UInt64], collectLeavesFrom: UInt64?) {
        firstPosition = start.position
        size = start.position
        self.collectLeavesFrom = collectLeavesFrom
        self.checkedSizes = Array(Set(checkedSizes.filter { $0 >= start.position })).sorted()
        capture(start.frontier)
    }

    /// The root of the first `size` records, when the verification passed that size.
    func root(atSize size: UInt64) -> MerkleDigest? { frontiers[size]?.root }

    /// The frontier of the first `size` records, when the verification passed that size.
    func frontier(atSize size: UInt64) -> MerkleFrontier? { frontiers[size] }

    func observe(_ record: VerifiedRecord) {
        size = record.frontier.size
        let position = record.view.position
        if let from = collectLeavesFrom, position >= from { collectedLeaves.append(record.leafHash) }
        capture(record.frontier)
        let location = LogLocation(file: record.segment, offset: record.batchOffset, positions: position..<position + 1)
        let stream = record.view.stream
        let version = record.view.streamVersion
        if let last = streamVersions[stream] {
            if version != last + 1 {
                report(
                    .streamVersions, location,
                    "stream \(stream) goes from version \(last) to \(version): records of the stream were removed, "
                        + "inserted or reordered")
            }
        } else if version != 1, firstPosition == 0 {
            report(
                .streamVersions, location,
                "stream \(stream) starts at version \(version), not 1: records of the stream were removed or "
                    + "reordered")
        }
        streamVersions[stream] = version
        let inserted = eventIDs.insert(record.view.eventID)
        if !inserted {
            report(
                .eventIDs, location,
                "event \(record.view.eventID) is stored a second time: an event was copied or replayed")
        }
    }

    /// Keeps the frontier when its size is one a checkpoint is checked at (only then, so the verifier's own frontier
    /// is not copied at every record).
    private func capture(_ frontier: MerkleFrontier) {
        while nextCheckedSize < checkedSizes.count, checkedSizes[nextCheckedSize] <= frontier.size {
            if checkedSizes[nextCheckedSize] == frontier.size { frontiers[frontier.size] = frontier }
            nextCheckedSize += 1
        }
    }

    private func report(_ check: AuditProblem.Check, _ location: LogLocation, _ reason: String) {
        let count = problems.count { $0.check == check }
        guard count < AuditVerifier.problemsPerCheckMax else {
            omitted[check, default: 0] += 1
            return
        }
        problems.append(AuditProblem(check: check, location: location, reason: reason))
    }

    /// The problems found, with one line per check that had more than the maximum.
    var allProblems: [AuditProblem] {
        problems
            + omitted.sorted { $0.key.rawValue < $1.key.rawValue }.map { check, count in
                AuditProblem(
                    check: check, location: LogLocation(file: "manifest"),
                    reason: "\(count) more problems of this kind were found and not listed")
            }
    }
}

/// A set of event ids for the uniqueness check: open addressing with linear probing and a cheap mixing hash, so an
/// insert costs a few nanoseconds instead of a SipHash of the id (the all-zero id, which marks an empty slot, is kept
/// by a flag).
struct EventIDSet {
    private var slots = [EventID](repeating: EventID(high: 0, low: 0), count: 1 << 16)
    private var containsZero = false
    /// The number of ids in the set.
    private(set) var count = 0

    /// Adds `id`; false when it was there already.
    mutating func insert(_ id: EventID) -> Bool {
        if id.high == 0, id.low == 0 {
            defer { containsZero = true }
            return !containsZero
        }
        if (count + 1) * 10 > slots.count * 7 { grow() }
        let inserted = Self.insert(id, into: &slots)
        if inserted { count += 1 }
        return inserted
    }

    private static func insert(_ id: EventID, into slots: inout [EventID]) -> Bool {
        let mask = slots.count - 1
        var mixed = id.high ^ (id.low &* 0x9E37_79B9_7F4A_7C15)
        mixed = (mixed ^ (mixed >> 31)) &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 29
        var index = Int(truncatingIfNeeded: mixed) & mask
        return slots.withUnsafeMutableBufferPointer { slots in
            while true {
                let slot = slots[index]
                if slot.high == 0, slot.low == 0 {
                    slots[index] = id
                    return true
                }
                if slot == id { return false }
                index = (index + 1) & mask
            }
        }
    }

    private mutating func grow() {
        var larger = [EventID](repeating: EventID(high: 0, low: 0), count: slots.count * 2)
        for slot in slots where slot.high != 0 || slot.low != 0 { _ = Self.insert(slot, into: &larger) }
        slots = larger
    }
}

/// Subtree hashes for a consistency proof: below the old size from the old tree's frontier (the only nodes of the old
/// tree a proof uses), from the old size on from the leaves read after it.
struct SplitMerkleSource: MerkleSubtreeSource {
    let oldFrontier: MerkleFrontier
    let newLeaves: InMemoryMerkleTree

    func subtreeHash(_ range: Range<UInt64>) throws -> MerkleDigest {
        let oldSize = oldFrontier.size
        if range.upperBound <= oldSize {
            var start: UInt64 = 0
            var hashes = oldFrontier.hashes.makeIterator()
            for bit in (0..<64).reversed() where oldSize & (1 << UInt64(bit)) != 0 {
                let node = start..<start + (1 << UInt64(bit))
                let hash = hashes.next()
                if node == range, let hash { return hash }
                start = node.upperBound
            }
            throw MerkleProofError.subtreeOutOfRange(range: range, leafCount: oldSize)
        }
        guard range.lowerBound >= oldSize else {
            throw MerkleProofError.subtreeOutOfRange(range: range, leafCount: oldSize)
        }
        return try newLeaves.subtreeHash((range.lowerBound - oldSize)..<(range.upperBound - oldSize))
    }
}
