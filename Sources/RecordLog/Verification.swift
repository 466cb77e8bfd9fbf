import Dispatch
import Synchronization

/// One thing verification found wrong, and where.
public struct VerificationProblem: Sendable, Equatable, CustomStringConvertible {
    /// Which check found a problem.
    public enum Kind: Sendable, Equatable {
        /// The files themselves: checksums, framing, indexes, the manifest, checkpoints, the Merkle tree.
        case storage
        /// A stream's versions do not run 1, 2, 3 ... along the log.
        case streamVersions
        /// An event id is stored more than once.
        case eventIDs
    }

    /// Where the problem is.
    public var location: LogLocation
    /// What is wrong.
    public var reason: String
    /// Which check found it.
    public var kind: Kind

    /// Creates a problem report.
    public init(location: LogLocation, reason: String, kind: Kind = .storage) {
        self.location = location
        self.reason = reason
        self.kind = kind
    }

    public var description: String { "\(location): \(reason)" }
}

/// What a full verification of a log found.
public struct VerificationReport: Sendable, Equatable {
    /// Everything found wrong; empty when the log verified.
    public var problems: [VerificationProblem] = []
    /// Records read and checked.
    public var recordCount: UInt64 = 0
    /// Batches read and checked.
    public var batchCount: Int = 0
    /// Segment bytes read.
    public var segmentBytes: Int64 = 0
    /// Checkpoints whose root was recomputed and matched.
    public var checkpointsVerified: Int = 0
    /// The Merkle root of the whole readable log.
    public var root: MerkleDigest = MerkleHash.emptyTree
    /// A damaged or unfinished tail of the last segment (an append in flight, or a torn tail the next open cuts).
    public var unfinishedTail: LogLocation?
    /// The first position read: 0, or the start given to
    /// ``LogVerifier/verify(from:trustedPublicKeys:observe:progress:)``. Records before it were not read; their place
    /// in the Merkle tree is the start's frontier.
    public var firstPositionChecked: UInt64 = 0
    /// Stored checkpoints that cover fewer records than the first position checked: their signatures were checked,
    /// their roots could not be recomputed.
    public var checkpointsBeforeStart: Int = 0
    /// The log id in the manifest, when the manifest could be read.
    public var logID: [UInt8]?

    /// True when nothing is wrong.
    public var isValid: Bool { problems.isEmpty }
}

/// Checks a whole log without the writer lock: every batch checksum and record framing, position and time
/// continuity, gapless stream versions and unique event ids along the log, sealed segments against the manifest
/// (length, record count, last recorded time, whole-file CRC-32C), index files against indexes rebuilt from their
/// segments (Bloom filters included), the Merkle root at every stored checkpoint, and checkpoint signatures.
public struct LogVerifier: Sendable {
    /// The log directory.
    public let directory: String
    private let fileSystem: any FileSystem

    /// Creates a verifier of the log in `directory`.
    public init(directory: String, fileSystem: any FileSystem = PosixFileSystem()) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    /// Verifies everything. Checkpoints must be signed by one of `trustedPublicKeys` (when it is empty, each
    /// checkpoint's own key is used, which proves integrity but not who signed). `progress` gets the segment bytes
    /// checked so far.
    public func verify(
        trustedPublicKeys: [[UInt8]] = [], progress: (Int64) -> Void = { _ in }
    ) throws(RecordLogError) -> VerificationReport {
        try verify(from: VerificationStart(), trustedPublicKeys: trustedPublicKeys, observe: nil, progress: progress)
    }

    /// Verifies the segments from the one that starts at `start.position` on, taking the records before it as
    /// summarized by `start.frontier` (checkpoints and the manifest frontier are compared with roots built on it),
    /// and calls `observe`, when given, with every record checked, in log order. Stored checkpoints covering fewer
    /// records than the start have their signatures checked but not their roots
    /// (``VerificationReport/checkpointsBeforeStart``). Throws `notFound` when no segment starts at `start.position`
    /// (a start other than 0 must be a segment boundary).
    public func verify(
        from start: VerificationStart, trustedPublicKeys: [[UInt8]] = [],
        observe: ((VerifiedRecord) -> Void)? = nil, progress: (Int64) -> Void = { _ in }
    ) throws(RecordLogError) -> VerificationReport {
        try verify(
            from: start, trustedPublicKeys: trustedPublicKeys, observe: observe, progress: progress, concurrently: true)
    }

    /// ``verify(from:trustedPublicKeys:observe:progress:)``, with the segment side (reading, checksums,
    /// decompression, framing, indexes) on a second thread when `concurrently` is set, else all on the caller's. The
    /// segment side also hashes the leaves of the batches it hands over while at least `segmentSideHashingQueuedGroups`
    /// groups of batches wait (the tests set 0: always).
    func verify(
        from start: VerificationStart, trustedPublicKeys: [[UInt8]], observe: ((VerifiedRecord) -> Void)?,
        progress: (Int64) -> Void, concurrently: Bool,
        segmentSideHashingQueuedGroups: Int = SegmentEventChannel.groupsQueuedMax / 2
    ) throws(RecordLogError) -> VerificationReport {
        var report = VerificationReport()
        report.firstPositionChecked = start.position
        let manifest: Manifest?
        do {
            manifest = try Manifest.decode(fileSystem.readWholeFile(path(Manifest.fileName))).get()
        } catch let error as IndexDefect {
            report.problems.append(
                VerificationProblem(
                    location: LogLocation(file: Manifest.fileName, offset: Int64(error.offset)),
                    reason: "manifest is damaged: \(error.reason)"))
            manifest = nil
        } catch let error as FileSystemError where error.code == .notFound {
            report.problems.append(
                VerificationProblem(
                    location: LogLocation(file: Manifest.fileName), reason: "manifest is missing"))
            manifest = nil
        } catch {
            throw RecordLogError(wrapping: error)
        }
        report.logID = manifest?.logID
        let checkpoints = readCheckpoints(&report)
        var pendingCheckpoints = checkpoints[...]
        let bases: [UInt64]
        do { bases = try SegmentFile.bases(in: directory, fileSystem: fileSystem) } catch { throw .fileSystem(error) }
        guard start.position == 0 || bases.contains(start.position) else {
            throw .notFound(what: "a segment starting at position \(start.position)")
        }
        var frontier = start.frontier
        // A manifest frontier below the start cannot be rebuilt from what is read: it is not compared.
        let manifestFrontierCheckable = (manifest?.frontier.size ?? 0) >= start.position
        var frontierAtManifest: MerkleFrontier? = manifest?.frontier.size == start.position ? frontier : nil
        while let checkpoint = pendingCheckpoints.first, checkpoint.treeSize <= start.position {
            pendingCheckpoints.removeFirst()
            if checkpoint.treeSize < start.position {
                report.checkpointsBeforeStart += 1
            } else if checkpoint.root == frontier.root {
                report.checkpointsVerified += 1
            } else {
                report.problems.append(
                    VerificationProblem(
                        location: LogLocation(file: CheckpointFile.fileName, positions: 0..<checkpoint.treeSize),
                        reason: "the Merkle root of the first \(checkpoint.treeSize) records does not match the "
                            + "signed checkpoint: records were altered, removed or reordered"))
            }
        }
        // Reading, checksums, decompression, framing and the indexes (the segment side) run on a second thread when
        // `concurrently` is set, with the stream versions along the log, while this thread hashes the Merkle tree,
        // compares checkpoints, checks event ids along the log and calls `observe`, in log order. Both sides run the
        // same code in either mode, so the problems found are the same.
        var capturedFrontier: MerkleFrontier?
        var merkleProblem: VerificationProblem?
        var failure: RecordLogError?
        var versionProblems: [VerificationProblem] = []
        // Every event id read, in one table for the whole log, to find ids stored twice. Sized from the manifest
        // (bounded: a damaged one may claim any count).
        let listed = manifest?.sealed.reduce(UInt64(0)) {
            $0 + ($1.basePosition >= start.position ? $1.recordCount : 0)
        }
        var eventIDs = EventIDCheck(expectedCount: Int(min(listed ?? 0, 1 << 22)))
        func handle(_ event: SegmentEvent) {
            switch event {
            case .segmentStart(let problem):
                if let problem { report.problems.append(problem) }
                capturedFrontier = nil
                merkleProblem = nil
            case .batch(let name, let offset, let batch, let capture, let leafHashes):
                eventIDs.check(batch, segment: name, batchOffset: offset)
                var recordNumber = 0
                batch.forEachRecordBytes { record in
                    let leafHash = leafHashes.isEmpty ? MerkleHash.leaf(record) : leafHashes[recordNumber]
                    recordNumber += 1
                    frontier.append(leafHash: leafHash)
                    if let observe {
                        observe(
                            VerifiedRecord(
                                view: LogRecordView(bytes: record), leafHash: leafHash, frontier: frontier,
                                segment: name, batchOffset: Int64(offset)))
                    }
                    if frontier.size == manifest?.frontier.size { frontierAtManifest = frontier }
                    while let checkpoint = pendingCheckpoints.first, checkpoint.treeSize == frontier.size {
                        pendingCheckpoints.removeFirst()
                        if checkpoint.root == frontier.root {
                            report.checkpointsVerified += 1
                        } else if merkleProblem == nil {
                            merkleProblem = VerificationProblem(
                                location: LogLocation(
                                    file: name, offset: Int64(offset), positions: 0..<checkpoint.treeSize),
                                reason: "the Merkle root of the first \(checkpoint.treeSize) records does not "
                                    + "match the signed checkpoint: records were altered, removed or reordered")
                        }
                    }
                }
                if capture { capturedFrontier = frontier }
            case .segmentEnd(let summary):
                if let merkleProblem { report.problems.append(merkleProblem) }
                report.batchCount += summary.batchCount
                report.recordCount += summary.recordCount
                report.segmentBytes += summary.byteCount
                progress(report.segmentBytes)
                report.problems += summary.endProblems
                if let tail = summary.unfinishedTail { report.unfinishedTail = tail }
                if let indexCheck = summary.indexCheck {
                    if let problem = indexCheck.problem(rebuiltFrontier: capturedFrontier) {
                        report.problems.append(problem)
                    }
                }
                report.problems += summary.laterProblems
            case .streamVersionProblems(let problems):
                versionProblems = problems
            case .failed(let error):
                failure = error
            }
        }
        let segmentBases = bases.filter { $0 >= start.position }
        let lastBase = bases.last
        if concurrently {
            // Events cross in groups of up to `SegmentEventChannel.groupBatchesMax` batches or
            // `groupPayloadBytesMax` payload bytes, so that the two threads seldom wait for each other one batch at a
            // time; up to `groupsQueuedMax` groups wait, so that this thread has batches to hash while the other
            // finishes a segment (whole-file checksum, index comparison) and reads the next. While at least half of
            // that many wait (`segmentSideHashingQueuedGroups`), the segment side is ahead, and hashes the leaves of the
            // groups it pushes itself.
            let channel = SegmentEventChannel(capacity: SegmentEventChannel.groupsQueuedMax)
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                var group: [SegmentEvent] = []
                var groupBytes = 0
                func pushGroup() {
                    if channel.queuedCount >= segmentSideHashingQueuedGroups { Self.hashLeaves(of: &group) }
                    channel.push(group)
                    group = []
                    groupBytes = 0
                }
                checkSegments(segmentBases, lastBase: lastBase, start: start.position, manifest: manifest) { event in
                    if case .batch(_, _, let batch, _, _) = event { groupBytes += batch.payload.count }
                    group.append(event)
                    if group.count >= SegmentEventChannel.groupBatchesMax
                        || groupBytes >= SegmentEventChannel.groupPayloadBytesMax
                    {
                        pushGroup()
                    }
                }
                if !group.isEmpty { pushGroup() }
                channel.finish()
            }
            while let events = channel.pop() {
                for event in events { handle(event) }
            }
        } else {
            checkSegments(segmentBases, lastBase: lastBase, start: start.position, manifest: manifest) { handle($0) }
        }
        if let failure { throw failure }
        report.problems += versionProblems + eventIDs.problems.all
        if let manifest, manifestFrontierCheckable, frontierAtManifest != manifest.frontier {
            report.problems.append(
                VerificationProblem(
                    location: LogLocation(file: Manifest.fileName),
                    reason: "the manifest's Merkle frontier does not match the sealed segments"))
        }
        for checkpoint in pendingCheckpoints {
            report.problems.append(
                VerificationProblem(
                    location: LogLocation(
                        file: CheckpointFile.fileName, positions: frontier.size..<checkpoint.treeSize),
                    reason: "a checkpoint covers \(checkpoint.treeSize) records but the log holds \(frontier.size): "
                        + "records are missing"))
        }
        for (number, checkpoint) in checkpoints.enumerated() {
            checkSignature(checkpoint, number: number, manifest: manifest, trusted: trustedPublicKeys, report: &report)
        }
        report.root = frontier.root
        return report
    }

    /// The segment side of a verification: reads each segment of `bases` (in order, the first at `start`) and its index
    /// file, checks every batch (checksum, decompression, framing, position and time continuity) and the stream
    /// versions along the log, rebuilds the index, and compares the segment's end, index file and manifest entry; hands
    /// each batch and each segment's findings to `emit`, in log order, then the version problems. A file that cannot be
    /// read ends it with ``SegmentEvent/failed(_:)``.
    private func checkSegments(
        _ bases: [UInt64], lastBase: UInt64?, start: UInt64, manifest: Manifest?, emit: (SegmentEvent) -> Void
    ) {
        var expectedBase = start
        var lastTime = Int64.min
        // The event ids of the segment read, by position: they stand in for the event table of its rebuilt index.
        var eventIDs = SegmentEventIDs(basePosition: start)
        var versionCheck = StreamVersionCheck(startsAtZero: start == 0)
        var scratch: [UInt8] = []
        for base in bases {
            let name = SegmentFile.name(base: base)
            let isLast = base == lastBase
            eventIDs.reset(basePosition: base)
            emit(
                .segmentStart(
                    base == expectedBase
                        ? nil
                        : VerificationProblem(
                            location: LogLocation(
                                file: name, positions: min(base, expectedBase)..<max(base, expectedBase)),
                            reason: "segment starts at position \(base), but the previous one ends at \(expectedBase)"))
            )
            let bytes: [UInt8]
            do {
                bytes = try fileSystem.readWholeFile(path(name))
            } catch {
                emit(.failed(.fileSystem(error)))
                return
            }
            let indexName = SegmentFile.indexName(base: base)
            let storedIndexBytes: [UInt8]?
            do {
                storedIndexBytes = try fileSystem.readWholeFile(path(indexName))
            } catch let error where error.code == .notFound {
                storedIndexBytes = nil
            } catch {
                emit(.failed(.fileSystem(error)))
                return
            }
            // The stored event table is checked as it is decoded, then compared in place (no table of its own).
            let storedIndexDecoding = storedIndexBytes.map {
                SegmentIndex.decodeKeepingFilters($0, includingEvents: true, fillingEventTable: false)
            }
            let storedDecoded = try? storedIndexDecoding?.get()
            let storedIndex = storedDecoded?.index
            let storedEvents = storedDecoded == nil ? nil : storedIndexBytes.flatMap(IndexFileEventEntries.init(file:))
            var index = SegmentIndex(basePosition: base)
            // Sized from the stored index so the table does not grow record by record; bounded by the segment's size,
            // since a damaged index may claim any count (a wrong guess costs only a later growth).
            let expectedStreams = storedIndex.map { min($0.streams.count, bytes.count / 64) } ?? 0
            var streams = SegmentStreamTable(expectedStreams: expectedStreams)
            var indexAtStoredLength: (index: SegmentIndex, streams: SegmentStreamTable)?
            let scan = bytes.withUnsafeBytes { raw in
                SegmentScan.scan(raw, basePosition: base, previousRecordedTime: lastTime, reusing: &scratch) {
                    offset, expanded in
                    // Every batch is expanded into `scratch`; the batch handed on holds a copy of just its payload, so
                    // that the next one expands into `scratch` in place (a buffer still shared would be copied whole).
                    let batch = DecodedBatch(
                        header: expanded.header,
                        payload: Array(expanded.payload[0..<Int(expanded.header.uncompressedLength)]),
                        recordRanges: expanded.recordRanges)
                    // The rebuilt index keeps no event table of its own: the ids are kept by position, and its streams
                    // by their bytes.
                    index.add(
                        batch: batch, at: UInt64(offset), intervalBytes: 4096, recordingEventIDs: false,
                        recordingStreams: false)
                    streams.add(batch)
                    eventIDs.add(batch)
                    versionCheck.check(batch, segment: name, batchOffset: offset)
                    let capture = index.dataLength == storedIndex?.dataLength
                    if capture { indexAtStoredLength = (index, streams) }
                    emit(.batch(segment: name, offset: offset, batch, captureFrontier: capture, leafHashes: []))
                }
            }
            var checksums = SegmentChecksums(bytes: bytes)
            var summary = SegmentSummary(
                batchCount: scan.batches.count, recordCount: index.recordCount, byteCount: Int64(bytes.count))
            var endReport = VerificationReport()
            checkEnd(of: scan, name: name, bytes: bytes, isLast: isLast, report: &endReport)
            summary.endProblems = endReport.problems
            summary.unfinishedTail = endReport.unfinishedTail
            lastTime = scan.lastRecordedTime
            expectedBase = scan.nextPosition
            if case .failure(let defect) = storedIndexDecoding {
                summary.indexCheck = .settled(
                    VerificationProblem(
                        location: LogLocation(file: indexName, offset: Int64(defect.offset)),
                        reason: "index file is damaged: \(defect.reason)"))
            } else if storedIndexBytes != nil || !isLast {
                summary.indexCheck = indexCheck(
                    file: indexName, segment: name, stored: storedIndex, storedEvents: storedEvents,
                    storedFilters: storedDecoded?.filters,
                    rebuilt: indexAtStoredLength, eventIDs: eventIDs, bytes: bytes, checksums: &checksums,
                    mustCoverSegment: !isLast)
            }
            var laterReport = VerificationReport()
            if !isLast {
                checkSealed(
                    base: base, name: name, bytes: bytes, index: index, manifest: manifest, checksums: &checksums,
                    report: &laterReport)
            } else if let manifest, manifest.activeBase != base {
                laterReport.problems.append(
                    VerificationProblem(
                        location: LogLocation(file: name),
                        reason: "the manifest names segment \(manifest.activeBase) as the active one"))
            }
            summary.laterProblems = laterReport.problems
            emit(.segmentEnd(summary))
        }
        emit(.streamVersionProblems(versionCheck.problems.all))
    }

    /// Computes the leaf hashes of the batches in `events` that do not carry them yet.
    private static func hashLeaves(of events: inout [SegmentEvent]) {
        for number in events.indices {
            guard case .batch(let name, let offset, let batch, let capture, let leafHashes) = events[number],
                leafHashes.isEmpty
            else { continue }
            var hashes: [MerkleDigest] = []
            hashes.reserveCapacity(batch.recordRanges.count)
            batch.forEachRecordBytes { hashes.append(MerkleHash.leaf($0)) }
            events[number] = .batch(
                segment: name, offset: offset, batch, captureFrontier: capture, leafHashes: hashes)
        }
    }

    private func readCheckpoints(_ report: inout VerificationReport) -> [SignedCheckpoint] {
        let filePath = path(CheckpointFile.fileName)
        guard fileSystem.exists(filePath) else { return [] }
        guard let bytes = try? fileSystem.readWholeFile(filePath) else {
            report.problems.append(
                VerificationProblem(
                    location: LogLocation(file: CheckpointFile.fileName), reason: "the checkpoint file cannot be read"))
            return []
        }
        switch CheckpointFile.decodeAll(bytes) {
        case .success(let checkpoints):
            return checkpoints
        case .failure(let defect):
            report.problems.append(
                VerificationProblem(
                    location: LogLocation(file: CheckpointFile.fileName, offset: Int64(defect.offset)),
                    reason: defect.reason))
            let whole = defect.offset / SignedCheckpoint.byteCount * SignedCheckpoint.byteCount
            return (try? CheckpointFile.decodeAll(Array(bytes[0..<whole])).get()) ?? []
        }
    }

    private func checkEnd(
        of scan: SegmentScan, name: String, bytes: [UInt8], isLast: Bool, report: inout VerificationReport
    ) {
        switch scan.end {
        case .endOfFile:
            return
        case .zeroFilled(let offset):
            guard !bytes.withUnsafeBytes({ isAllZero(UnsafeRawBufferPointer(rebasing: $0[offset...])) }) else {
                if !isLast {
                    report.problems.append(
                        VerificationProblem(
                            location: LogLocation(file: name, offset: Int64(offset)),
                            reason: "a sealed segment holds zero-filled space"))
                }
                return
            }
            fallthrough
        default:
            let offset: Int = if case .defect(let at, _) = scan.end { at } else { scan.validByteCount }
            let reason = if case .defect(_, let defect) = scan.end { defect.description } else { "data after zeros" }
            let location = LogLocation(
                file: name, offset: Int64(offset), positions: scan.nextPosition..<scan.nextPosition + 1)
            let laterBatch = bytes.withUnsafeBytes { SegmentScan.containsValidBatch($0, after: offset) }
            if isLast, laterBatch == nil {
                report.unfinishedTail = location
            } else {
                report.problems.append(VerificationProblem(location: location, reason: reason))
            }
        }
    }

    private func checkSealed(
        base: UInt64, name: String, bytes: [UInt8], index: SegmentIndex, manifest: Manifest?,
        checksums: inout SegmentChecksums, report: inout VerificationReport
    ) {
        if let manifest {
            if let sealed = manifest.sealed.first(where: { $0.basePosition == base }) {
                var differences: [String] = []
                if sealed.dataLength != UInt64(bytes.count) { differences.append("length") }
                if sealed.recordCount != index.recordCount { differences.append("record count") }
                if sealed.lastRecordedTime != index.lastRecordedTime { differences.append("last recorded time") }
                if sealed.fileChecksum != checksums.checksum(ofFirst: bytes.count) {
                    differences.append("whole-file CRC-32C")
                }
                if !differences.isEmpty {
                    report.problems.append(
                        VerificationProblem(
                            location: LogLocation(file: name, positions: base..<base + index.recordCount),
                            reason: "sealed segment differs from the manifest in \(differences.joined(separator: ", "))"
                        ))
                }
            } else {
                report.problems.append(
                    VerificationProblem(
                        location: LogLocation(file: name), reason: "sealed segment is not in the manifest"))
            }
        }
    }

    /// What is wrong with a segment's index file, compared with the index rebuilt from the segment up to the length
    /// the file covers (the whole segment for a sealed one), its Bloom filters with the filters rebuilt from the
    /// covered records' stream ids and event ids; the Merkle frontier, which the other thread builds, is compared when
    /// the check is settled (``IndexCheck/problem(rebuiltFrontier:)``).
    private func indexCheck(
        file: String, segment: String, stored: SegmentIndex?, storedEvents: IndexFileEventEntries?,
        storedFilters: IndexFileFilters?,
        rebuilt: (index: SegmentIndex, streams: SegmentStreamTable)?, eventIDs: SegmentEventIDs, bytes: [UInt8],
        checksums: inout SegmentChecksums,
        mustCoverSegment: Bool
    ) -> IndexCheck {
        func settled(_ reason: String) -> IndexCheck {
            .settled(VerificationProblem(location: LogLocation(file: file), reason: reason))
        }
        guard let stored, let storedEvents else {
            return settled("index file is missing (reopening the log rebuilds it)")
        }
        guard let (index, streams) = rebuilt, !mustCoverSegment || stored.dataLength == UInt64(bytes.count) else {
            return settled("index file covers \(stored.dataLength) bytes, which do not end at a batch of the segment")
        }
        var differences: [String] = []
        if stored.basePosition != index.basePosition || stored.recordCount != index.recordCount {
            differences.append("record count")
        }
        if !streams.matches(stored.streams) { differences.append("stream table") }
        let eventTableMatches = eventIDs.matches(storedEvents, recordsAt: index.basePosition..<index.nextPosition)
        if !eventTableMatches { differences.append("event table") }
        if stored.firstRecordedTime != index.firstRecordedTime || stored.lastRecordedTime != index.lastRecordedTime {
            differences.append("recorded times")
        }
        // A filter bit cleared would make the writer skip this segment when it looks for a stored event id (and store
        // a retried event twice) or a stream's version; a bit set only costs a look-up, but is damage all the same.
        // The event filter is built from the stored event table once that is known to hold exactly the covered ids.
        if let storedFilters {
            if storedFilters.streams != streams.streamFilter() { differences.append("stream Bloom filter") }
            if eventTableMatches, storedFilters.events != storedEvents.eventFilter() {
                differences.append("event-id Bloom filter")
            }
        }
        if stored.dataChecksum != checksums.checksum(ofFirst: Int(stored.dataLength)) {
            differences.append("data checksum")
        }
        let sparseValid = bytes.withUnsafeBytes { raw in
            stored.sparse.allSatisfy { entry in
                guard entry.offset < stored.dataLength,
                    case .success(let header) = BatchHeader.parse(
                        UnsafeRawBufferPointer(rebasing: raw[Int(entry.offset)...]))
                else { return false }
                return header.basePosition == entry.position && header.firstRecordedTime == entry.recordedTime
            }
        }
        return .compare(
            file: file, segment: segment, differencesBefore: differences, storedFrontier: stored.frontier,
            differencesAfter: sparseValid ? [] : ["sparse entries"])
    }

    private func checkSignature(
        _ checkpoint: SignedCheckpoint, number: Int, manifest: Manifest?, trusted: [[UInt8]],
        report: inout VerificationReport
    ) {
        let location = LogLocation(
            file: CheckpointFile.fileName, offset: Int64(number * SignedCheckpoint.byteCount),
            positions: 0..<checkpoint.treeSize)
        if let manifest, checkpoint.logID != manifest.logID {
            report.problems.append(VerificationProblem(location: location, reason: "checkpoint belongs to another log"))
        }
        let keys = trusted.isEmpty ? [checkpoint.publicKey] : trusted
        if !keys.contains(where: { checkpoint.hasValidSignature(trusting: $0) }) {
            report.problems.append(
                VerificationProblem(
                    location: location,
                    reason: trusted.isEmpty
                        ? "checkpoint signature is invalid" : "checkpoint is not signed by a trusted key"))
        }
    }
}

/// Where a verification starts: the first position it reads, and the Merkle frontier of the records before it.
public struct VerificationStart: Sendable, Equatable {
    /// The Merkle frontier of the records before the start; its size is the first position read.
    public var frontier: MerkleFrontier

    /// A start at position 0, with the empty frontier.
    public init() {
        frontier = MerkleFrontier()
    }

    /// A start after the `frontier.size` records that `frontier` summarizes.
    public init(frontier: MerkleFrontier) {
        self.frontier = frontier
    }

    /// The first position read.
    public var position: UInt64 { frontier.size }
}

/// A record that a verification checked, handed to its observer in log order.
public struct VerifiedRecord {
    /// The record; valid only during the call.
    public let view: LogRecordView
    /// The record's Merkle leaf hash: SHA-256(0x00 || record bytes).
    public let leafHash: MerkleDigest
    /// The Merkle frontier of the log up to and including this record.
    public let frontier: MerkleFrontier
    /// The segment file that holds the record.
    public let segment: String
    /// The byte offset in that file of the batch that holds the record.
    public let batchOffset: Int64
}

extension LogVerifier {
    /// The latest segment boundary at or before `position` for which the log stores a Merkle frontier (the manifest's,
    /// or a sealed segment's index file's), as a start for ``verify(from:trustedPublicKeys:observe:progress:)``;
    /// position 0 when there is none.
    ///
    /// The stored frontier is not trusted: a verification that starts from it compares the roots it builds on it with
    /// signed checkpoints, so a wrong frontier shows up as a root mismatch.
    public func storedStart(atOrBefore position: UInt64) throws(RecordLogError) -> VerificationStart {
        var candidates: [MerkleFrontier] = []
        if let bytes = try? fileSystem.readWholeFile(joinPath(directory, Manifest.fileName)),
            case .success(let manifest) = Manifest.decode(bytes)
        {
            candidates.append(manifest.frontier)
        }
        let bases: [UInt64]
        do { bases = try SegmentFile.bases(in: directory, fileSystem: fileSystem) } catch { throw .fileSystem(error) }
        for (number, base) in bases.enumerated().dropFirst() where base <= position {
            let previous = bases[number - 1]
            guard let bytes = try? fileSystem.readWholeFile(joinPath(directory, SegmentFile.indexName(base: previous))),
                case .success(let index) = SegmentIndex.decode(bytes, includingEvents: false),
                index.basePosition == previous, let frontier = index.frontier, frontier.size == base
            else { continue }
            candidates.append(frontier)
        }
        let usable = candidates.filter { $0.size <= position && ($0.size == 0 || bases.contains($0.size)) }
        guard let best = usable.max(by: { $0.size < $1.size }) else { return VerificationStart() }
        return VerificationStart(frontier: best)
    }
}

/// What the segment side of a verification hands to the side that hashes the Merkle tree, in log order.
enum SegmentEvent: Sendable {
    /// A segment is about to be read; the problem when it does not start where the previous one ended.
    case segmentStart(VerificationProblem?)
    /// A checked batch at `offset` of `segment`; `captureFrontier` asks for the Merkle frontier after it, for the
    /// comparison with the segment's index file. `leafHashes` are its records' leaf hashes when the segment side
    /// computed them (it does when it is ahead), else empty.
    case batch(segment: String, offset: Int, DecodedBatch, captureFrontier: Bool, leafHashes: [MerkleDigest])
    /// The segment's batches are done: its counts and findings.
    case segmentEnd(SegmentSummary)
    /// Every segment was read: the stream versions found out of order along the log.
    case streamVersionProblems([VerificationProblem])
    /// A file could not be read; nothing follows.
    case failed(RecordLogError)
}

/// What the segment side found in one segment, besides its batches.
struct SegmentSummary: Sendable {
    var batchCount: Int
    var recordCount: UInt64
    var byteCount: Int64
    /// Problems with how the segment ends (damage, zeros in a sealed segment).
    var endProblems: [VerificationProblem] = []
    /// A torn tail of the last segment.
    var unfinishedTail: LogLocation?
    /// The comparison with the index file, when there is one to make.
    var indexCheck: IndexCheck?
    /// Problems with the segment's manifest entry.
    var laterProblems: [VerificationProblem] = []
}

/// CRC-32Cs of prefixes of one segment's bytes, the whole segment's computed once for both the index file's data
/// checksum and the manifest's whole-file checksum, which cover the same bytes for a sealed segment.
struct SegmentChecksums {
    let bytes: [UInt8]
    private var whole: UInt32?

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The CRC-32C of the first `count` bytes (at most all of them).
    mutating func checksum(ofFirst count: Int) -> UInt32 {
        guard count >= bytes.count else { return CRC32C.checksum(bytes[0..<count]) }
        if let whole { return whole }
        let checksum = CRC32C.checksum(bytes)
        whole = checksum
        return checksum
    }
}

/// The comparison of an index file with the index rebuilt from its segment: settled, or waiting for the Merkle
/// frontier at the length the file covers.
enum IndexCheck: Sendable {
    case settled(VerificationProblem?)
    case compare(
        file: String, segment: String, differencesBefore: [String], storedFrontier: MerkleFrontier?,
        differencesAfter: [String])

    /// The problem, given the frontier the Merkle side built at the length the index file covers.
    func problem(rebuiltFrontier: MerkleFrontier?) -> VerificationProblem? {
        switch self {
        case .settled(let problem):
            return problem
        case .compare(let file, let segment, let before, let storedFrontier, let after):
            var differences = before
            if let storedFrontier, storedFrontier != rebuiltFrontier { differences.append("Merkle frontier") }
            differences += after
            guard !differences.isEmpty else { return nil }
            return VerificationProblem(
                location: LogLocation(file: file),
                reason: "index file does not match its segment \(segment) in \(differences.joined(separator: ", "))")
        }
    }
}

/// A bounded queue of groups of segment events from the thread that reads and checks segments to the one that hashes
/// them: `push` waits while `capacity` groups are queued; `pop` waits for the next, and returns nil after `finish`.
final class SegmentEventChannel: Sendable {
    /// The most batches the segment side puts in one group.
    static let groupBatchesMax = 256
    /// The payload bytes after which the segment side pushes a group (a group holds about that much memory).
    static let groupPayloadBytesMax = 1 << 20
    /// The most groups queued (so about 32 MiB of payload at most).
    static let groupsQueuedMax = 32

    private let queue = Mutex<(groups: [[SegmentEvent]], finished: Bool)>(([], false))
    private let available = DispatchSemaphore(value: 0)
    private let space: DispatchSemaphore

    init(capacity: Int) {
        space = DispatchSemaphore(value: capacity)
    }

    /// The number of groups queued.
    var queuedCount: Int { queue.withLock { $0.groups.count } }

    /// Queues `events`, in order after those queued before, waiting for room.
    func push(_ events: sending [SegmentEvent]) {
        space.wait()
        queue.withLock { $0.groups.append(events) }
        available.signal()
    }

    /// Marks the end: `pop` returns nil once the queued groups are taken.
    func finish() {
        queue.withLock { $0.finished = true }
        available.signal()
    }

    /// The next group of events, waiting for it; nil (once) after the last one when ``finish()`` was called.
    func pop() -> [SegmentEvent]? {
        available.wait()
        let events: [SegmentEvent]? = queue.withLock { $0.groups.isEmpty ? nil : $0.groups.removeFirst() }
        if events != nil { space.signal() }
        return events
    }
}
