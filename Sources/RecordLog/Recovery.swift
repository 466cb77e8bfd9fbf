/// Opening a log: checking the manifest, sealed segments and their indexes, and cutting a torn tail of the active
/// segment or of the checkpoint file back to its last whole entry.
///
/// Rules (docs/log-format.md, "Recovery"):
/// - Damage in the active segment after which no valid batch follows is a torn tail: the bytes from the first bad
///   batch to the last non-zero byte are copied to `<segment>.damaged-<offset>` (or `.damaged-<offset>.<n>` when that
///   side file exists: one is never replaced), then zeroed (or cut off).
/// - Any other damage (a sealed segment changed, a valid batch after a bad one, a gap in positions, a scanned batch
///   whose stream versions do not follow or whose event id a scanned record already has, a missing segment, a
///   damaged manifest) is ``RecordLogError/corruption(_:reason:)`` naming file and offset. Nothing is deleted except
///   empty (all-zero) segment files left by an interrupted roll.
/// - Recovery is idempotent: opening twice after one crash gives the same result.
struct Recovery {
    let directory: String
    let fileSystem: any FileSystem
    let configuration: LogConfiguration
    var report = RecoveryReport()

    init(directory: String, fileSystem: any FileSystem, configuration: LogConfiguration) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.configuration = configuration
    }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    private func corruption(_ file: String, offset: Int64? = nil, _ reason: String) -> RecordLogError {
        .corruption(LogLocation(file: file, offset: offset), reason: reason)
    }

    /// Before a log is created where there is no manifest: removes the all-zero segment 0 a creation that crashed
    /// before writing the manifest leaves behind. Any segment holding data is corruption (the manifest was lost).
    mutating func removeSegmentsOfAnInterruptedCreation() throws {
        for name in try fileSystem.contentsOfDirectory(directory) where SegmentFile.base(ofSegmentNamed: name) != nil {
            let bytes = try fileSystem.readWholeFile(path(name))
            guard SegmentFile.base(ofSegmentNamed: name) == 0, bytes.withUnsafeBytes(isAllZero) else {
                throw corruption(Manifest.fileName, "the manifest is missing but segment \(name) holds records")
            }
            try fileSystem.remove(path(name))
            report.removedEmptySegments.append(name)
        }
    }

    /// Creates the files of an empty log: segment 0, then the manifest, each durable with its directory entry.
    func createLog(logID: [UInt8]) throws {
        try fileSystem.syncDirectory(parentDirectory(of: directory))
        let segment = try SegmentAllocator(fileSystem: fileSystem, configuration: configuration)
            .createSegment(path: path(SegmentFile.name(base: 0)))
        segment.close()
        let manifest = Manifest(logID: logID, sealed: [], activeBase: 0, frontier: MerkleFrontier())
        try fileSystem.writeAtomically(manifest.encode(), to: path(Manifest.fileName))
        try fileSystem.syncDirectory(directory)
    }

    /// Reads and checks everything, repairs a torn tail, and returns the writer's starting state.
    mutating func recover() throws -> LogWriterState {
        let manifest = try readManifest()
        let bases = try SegmentFile.bases(in: directory, fileSystem: fileSystem)
        let sealedBases = manifest.sealed.map(\.basePosition)
        for base in bases where base < manifest.activeBase && !sealedBases.contains(base) {
            throw corruption(SegmentFile.name(base: base), "segment is not in the manifest")
        }
        for base in bases where base > manifest.activeBase {
            try removeLeftoverSegment(base: base)
        }
        // Only the active segment's streams are loaded; the writer looks up a stream of the sealed segments, and their
        // event-id filters, in their index files when an append first needs them.
        var streamVersions: [String: UInt64] = [:]
        for sealed in manifest.sealed {
            try checkSealedSegment(sealed)
        }
        let previousTime = manifest.sealed.last?.lastRecordedTime ?? Int64.min
        var frontier = manifest.frontier
        var analysis = try analyseActiveSegment(
            base: manifest.activeBase, sealedBases: sealedBases, previousTime: previousTime, frontier: &frontier,
            streamVersions: &streamVersions)
        let checkpointAnalysis: CheckpointAnalysis
        do {
            checkpointAnalysis = try analyseCheckpoints(logSize: analysis.index.nextPosition, logID: manifest.logID)
        } catch {
            analysis.handle.close()
            throw error
        }
        // Everything is checked; only now are the torn tails cut, so a refusal above changes nothing on disk.
        if let offset = analysis.damageOffset {
            try cutTail(
                of: SegmentFile.name(base: manifest.activeBase), handle: analysis.handle, bytes: &analysis.bytes,
                from: offset, fileOffset: analysis.start)
        }
        if let cut = checkpointAnalysis.tornTailOffset {
            try cutCheckpointTail(at: cut, bytes: checkpointAnalysis.bytes)
        }
        let active = ActiveSegment(
            handle: analysis.handle, index: analysis.index, fileChecksum: analysis.checksum,
            allocatedBytes: try analysis.handle.size(), indexFileCoverage: UInt64(analysis.start))
        let checkpoints = checkpointAnalysis.checkpoints
        let lastTime = max(
            active.index.recordCount > 0 ? active.index.lastRecordedTime : previousTime,
            checkpoints.last?.timeMicroseconds ?? Int64.min)
        return LogWriterState(
            manifest: manifest, active: active, frontier: frontier, streamVersions: streamVersions,
            sealedEventFilters: [:], checkpointCount: checkpoints.count,
            timeSource: RecordedTimeSource(lastMicroseconds: max(lastTime, 0)))
    }

    private func readManifest() throws -> Manifest {
        let bytes = try fileSystem.readWholeFile(path(Manifest.fileName))
        switch Manifest.decode(bytes) {
        case .success(let manifest): return manifest
        case .failure(let defect):
            throw corruption(Manifest.fileName, offset: Int64(defect.offset), "manifest is damaged: \(defect.reason)")
        }
    }

    /// A segment after the active one can only be the empty file of a roll that crashed before the manifest was
    /// rewritten; it is removed if it holds nothing but zeros.
    private mutating func removeLeftoverSegment(base: UInt64) throws {
        let name = SegmentFile.name(base: base)
        let bytes = try fileSystem.readWholeFile(path(name))
        guard bytes.withUnsafeBytes(isAllZero) else {
            throw corruption(name, "segment after the active segment holds data the manifest does not know")
        }
        try fileSystem.remove(path(name))
        try fileSystem.syncDirectory(directory)
        report.removedEmptySegments.append(name)
        configuration.logger.notice("removed empty segment left by an interrupted roll", metadata: ["file": "\(name)"])
    }

    /// Checks a sealed segment's length against the manifest, and its index file's header (only the header: the
    /// parts are checked against their own checksums when a look-up reads them). An index file that is missing, has a
    /// damaged header, is of another format version or does not match the manifest is rebuilt from the segment.
    private mutating func checkSealedSegment(_ sealed: Manifest.SealedSegment) throws {
        let name = SegmentFile.name(base: sealed.basePosition)
        guard fileSystem.exists(path(name)) else { throw corruption(name, "sealed segment is missing") }
        let handle = try fileSystem.open(path(name), mode: .readOnly)
        let size = try handle.size()
        handle.close()
        guard size == Int64(sealed.dataLength) else {
            throw corruption(
                name, offset: min(size, Int64(sealed.dataLength)),
                "sealed segment is \(size) bytes, the manifest says \(sealed.dataLength)")
        }
        let indexName = SegmentFile.indexName(base: sealed.basePosition)
        if fileSystem.exists(path(indexName)) {
            let file = try fileSystem.open(path(indexName), mode: .readOnly)
            defer { file.close() }
            if let header = try IndexFileView.open(file)?.header, header.basePosition == sealed.basePosition,
                header.recordCount == sealed.recordCount, header.dataLength == sealed.dataLength
            {
                return
            }
        }
        let index = try rebuildIndex(sealed)
        try fileSystem.writeAtomically(index.encode(), to: path(indexName))
        report.rebuiltIndexes.append(indexName)
        configuration.logger.warning("rebuilt a missing or damaged index", metadata: ["file": "\(indexName)"])
    }

    private func rebuildIndex(_ sealed: Manifest.SealedSegment) throws -> SegmentIndex {
        let name = SegmentFile.name(base: sealed.basePosition)
        let bytes = try fileSystem.readWholeFile(path(name))
        var index = SegmentIndex(basePosition: sealed.basePosition)
        let interval = configuration.indexIntervalBytes
        let scan = bytes.withUnsafeBytes { raw in
            SegmentScan.scan(raw, basePosition: sealed.basePosition, previousRecordedTime: Int64.min) { offset, batch in
                index.add(batch: batch, at: UInt64(offset), intervalBytes: interval)
            }
        }
        index.dataChecksum = CRC32C.checksum(bytes)
        guard scan.end == .endOfFile, index.recordCount == sealed.recordCount else {
            let offset: Int64 = if case .defect(let at, _) = scan.end { Int64(at) } else { Int64(scan.validByteCount) }
            throw corruption(name, offset: offset, "sealed segment does not hold the records the manifest lists")
        }
        return index
    }

    /// What the active segment holds, and where a torn tail starts (relative to `start`), before anything is cut.
    struct ActiveAnalysis {
        var handle: any OpenFile
        var index: SegmentIndex
        var checksum: UInt32
        /// The byte offset the scan started from: the end of what the active segment's index covers.
        var start: Int
        /// The segment's bytes from `start` on.
        var bytes: [UInt8]
        var damageOffset: Int?
    }

    private func analyseActiveSegment(
        base: UInt64, sealedBases: [UInt64], previousTime: Int64, frontier: inout MerkleFrontier,
        streamVersions: inout [String: UInt64]
    ) throws -> ActiveAnalysis {
        let name = SegmentFile.name(base: base)
        guard fileSystem.exists(path(name)) else { throw corruption(name, "active segment is missing") }
        guard frontier.size == base else {
            throw corruption(Manifest.fileName, "Merkle frontier does not end at the active segment")
        }
        let handle = try fileSystem.open(path(name), mode: .readWrite)
        let size = try handle.size()
        let snapshot: SegmentIndex?
        do {
            snapshot = try activeIndexSnapshot(base: base, handle: handle, segmentSize: size, frontier: frontier)
        } catch {
            handle.close()
            throw error
        }
        let initialIndex = snapshot ?? SegmentIndex(basePosition: base)
        let start = Int(initialIndex.dataLength)
        let interval = configuration.indexIntervalBytes
        let remaining = Int(size) - start
        // Read the bytes after the snapshot in growing windows: the tail of a preallocated segment is megabytes of
        // zeros, and only the bytes a torn write can have reached (one batch past the last valid one) need checking
        // here; `LogVerifier` checks the whole zero tail.
        let tornWriteReachBytes = configuration.limits.batchBytesMax + BatchHeader.byteCount + 4096
        var window = min(remaining, Self.firstWindowBytes)
        while true {
            let bytes = try handle.read(at: Int64(start), count: window)
            var index = initialIndex
            var checksum = index.dataChecksum
            var leafFrontier = index.frontier ?? frontier
            var versions = streamVersions
            for (stream, entry) in index.streams {
                versions[stream] = entry.firstVersion + UInt64(entry.positions.count) - 1
            }
            index.frontier = nil
            var continuity = ScannedContinuity()
            let scan = bytes.withUnsafeBytes { raw in
                SegmentScan.scan(
                    raw, basePosition: index.nextPosition,
                    previousRecordedTime: index.recordCount > 0 ? index.lastRecordedTime : previousTime
                ) { offset, batch in
                    let idsBefore = index.eventPositions.count
                    index.add(batch: batch, at: UInt64(start + offset), intervalBytes: interval)
                    if index.eventPositions.count - idsBefore != Int(batch.header.recordCount) {
                        continuity.note(
                            offset: offset,
                            "the batch holds an event id that an earlier record of this segment (or of the batch) "
                                + "already has")
                    }
                    checksum = CRC32C.update(
                        checksum, UnsafeRawBufferPointer(rebasing: raw[offset..<offset + batch.header.batchByteCount]))
                    batch.forEachRecordBytes { leafFrontier.append(leafHash: MerkleHash.leaf($0)) }
                    _ = batch.forEachRecordView { record in
                        let stream = record.stream
                        let version = record.streamVersion
                        if let last = versions[stream] {
                            if version != last &+ 1 {
                                continuity.noteVersion(
                                    version, expected: last &+ 1, at: record.position, offset: offset)
                            }
                        } else {
                            continuity.firstRecords.append(
                                (stream: stream, version: version, position: record.position, offset: offset))
                        }
                        versions[stream] = version
                        return true
                    }
                }
            }
            let isWholeRemainder = window == remaining
            // A zero header whose reach goes past the window: the zeros there are read in small pieces rather than
            // into one large buffer; any other byte there sends the scan back to read the whole rest of the file.
            var zerosCheckedPastWindow = false
            if !isWholeRemainder, case .zeroFilled(let offset) = scan.end, offset + tornWriteReachBytes > window,
                bytes.withUnsafeBytes({ isAllZero(UnsafeRawBufferPointer(rebasing: $0[offset...])) })
            {
                let reachEnd = min(remaining, offset + tornWriteReachBytes)
                guard try isZeroFilled(handle, from: Int64(start + window), to: Int64(start + reachEnd)) else {
                    window = remaining
                    continue
                }
                zerosCheckedPastWindow = true
            }
            if !isWholeRemainder, !zerosCheckedPastWindow {
                guard case .zeroFilled(let offset) = scan.end, offset + tornWriteReachBytes <= window else {
                    // Straight to what a zero header found here needs, or four times more while batches continue.
                    let needed = if case .zeroFilled(let offset) = scan.end { offset + tornWriteReachBytes } else { 0 }
                    window = min(remaining, max(window * 4, needed))
                    continue
                }
            }
            var damageOffset: Int?
            switch scan.end {
            case .endOfFile:
                break
            case .zeroFilled(let offset):
                let checkedEnd = isWholeRemainder || zerosCheckedPastWindow ? bytes.count : offset + tornWriteReachBytes
                if !bytes.withUnsafeBytes({ isAllZero(UnsafeRawBufferPointer(rebasing: $0[offset..<checkedEnd])) }) {
                    guard isWholeRemainder else {
                        window = remaining
                        continue
                    }
                    damageOffset = offset
                }
            case .defect(let offset, let defect):
                switch defect {
                case .wrongPosition, .timeWentBackwards:
                    handle.close()
                    throw corruption(name, offset: Int64(start + offset), defect.description)
                default:
                    damageOffset = offset
                }
            }
            do {
                try checkContinuity(
                    continuity, of: name, base: base, start: start, handle: handle, sealedBases: sealedBases)
            } catch {
                handle.close()
                throw error
            }
            return try finishActiveAnalysis(
                name: name, handle: handle, index: index, checksum: checksum, start: start, bytes: bytes,
                damageOffset: damageOffset, leafFrontier: leafFrontier, versions: versions, frontier: &frontier,
                streamVersions: &streamVersions)
        }
    }

    /// The first window of the active segment's bytes after its snapshot that opening reads (it grows when the
    /// batches there go on): small, because the snapshot is normally close to the end of the records.
    static let firstWindowBytes = 64 << 10

    /// The bytes read at once when only checking or checksumming a range: below the allocator's threshold for
    /// mapping fresh pages, so the buffer is reused rather than faulted in anew for every piece.
    static let pieceBytes = 64 << 10

    /// Whether the bytes `from ..< to` of `handle` are all zero (a short read counts as zeros: the file ends there).
    private func isZeroFilled(_ handle: any OpenFile, from start: Int64, to end: Int64) throws -> Bool {
        var offset = start
        while offset < end {
            let piece = try handle.read(at: offset, count: Int(min(end - offset, Int64(Self.pieceBytes))))
            guard !piece.isEmpty else { return true }
            guard piece.withUnsafeBytes({ isAllZero($0) }) else { return false }
            offset += Int64(piece.count)
        }
        return true
    }

    /// What the scan of the active segment found about its records' stream versions and event ids: the first record
    /// the scan saw of each stream (checked against the version the stream had before the scanned bytes once the scan
    /// is done), and the first batch that breaks the rules among the scanned records.
    struct ScannedContinuity {
        var firstRecords: [(stream: String, version: UInt64, position: UInt64, offset: Int)] = []
        /// The first batch found to break the rules, relative to the scan's start, and why.
        var defect: (offset: Int, reason: String)?

        mutating func note(offset: Int, _ reason: String) {
            if let earlier = defect, earlier.offset <= offset { return }
            defect = (offset, reason)
        }

        mutating func noteVersion(_ version: UInt64, expected: UInt64, at position: UInt64, offset: Int) {
            note(offset: offset, Self.versionReason(version, expected: expected, at: position))
        }

        static func versionReason(_ version: UInt64, expected: UInt64, at position: UInt64) -> String {
            "position \(position): stream version \(version), expected \(expected)"
        }
    }

    /// Refuses the scanned batches when one of them breaks gapless stream versions or holds an event id a scanned
    /// record already has: a whole, checksummed batch can only be written whole by a writer, and this writer never
    /// writes such a batch, so it is damage inside the log (a writer bug or an edit), not a torn tail a crash left; it
    /// is never cut, and opening fails with `corruption` at the batch. The first record of each stream the scan saw is
    /// compared with the stream's last version before the scanned bytes: in the active segment's index file (the
    /// snapshot), or in the covered bytes themselves when that file's stream entries cannot be read, then in the
    /// sealed segments, newest first, as the writer looks streams up (docs/log-format.md section 13.3).
    private func checkContinuity(
        _ continuity: ScannedContinuity, of name: String, base: UInt64, start: Int, handle: any OpenFile,
        sealedBases: [UInt64]
    ) throws {
        var found = continuity
        if !continuity.firstRecords.isEmpty {
            let before = try lastVersionsBefore(
                scanStart: start, streams: continuity.firstRecords.map(\.stream), base: base, handle: handle,
                sealedBases: sealedBases)
            for first in continuity.firstRecords {
                let expected = (before[first.stream] ?? 0) &+ 1
                if first.version != expected {
                    found.noteVersion(first.version, expected: expected, at: first.position, offset: first.offset)
                }
            }
        }
        if let defect = found.defect {
            throw corruption(
                name, offset: Int64(start + defect.offset),
                "\(defect.reason): a whole, checksummed batch that breaks the log's rules is not a torn tail a crash "
                    + "can leave, so it is neither taken into the log nor cut")
        }
    }

    /// The last version of each of `streams` in the log before byte `scanStart` of the active segment at `base` (0
    /// for a stream with no record there).
    private func lastVersionsBefore(
        scanStart: Int, streams: [String], base: UInt64, handle: any OpenFile, sealedBases: [UInt64]
    ) throws -> [String: UInt64] {
        var versions: [String: UInt64] = [:]
        var pending = streams
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        if scanStart > 0 {
            let segment = LogReader.SegmentView(base: base, name: SegmentFile.name(base: base), isLast: true)
            if let listed = Self.lastListedVersions(
                of: pending, in: segment, reader: reader, coveringBytes: UInt64(scanStart))
            {
                versions = listed
            } else {
                // The snapshot's stream entries cannot be used: the covered bytes (whose checksum was checked) say.
                let wanted = Set(pending)
                let covered = try handle.read(at: 0, count: scanStart)
                _ = covered.withUnsafeBytes { raw in
                    SegmentScan.scan(raw, basePosition: base, previousRecordedTime: .min) { _, batch in
                        _ = batch.forEachRecordView { record in
                            let stream = record.stream
                            if wanted.contains(stream) { versions[stream] = record.streamVersion }
                            return true
                        }
                    }
                }
            }
            pending.removeAll { versions[$0] != nil }
        }
        // Each sealed segment, newest first, is asked for every stream still pending at once: one open of its index
        // file, its stream filter and directory read once, one read per stream it lists.
        for base in sealedBases.reversed() where !pending.isEmpty {
            let segment = LogReader.SegmentView(base: base, name: SegmentFile.name(base: base), isLast: false)
            if let listed = Self.lastListedVersions(of: pending, in: segment, reader: reader, coveringBytes: nil) {
                versions.merge(listed) { $1 }
            } else {
                // A part of the index cannot be used: the segment's batches say.
                let wanted = Set(pending)
                try reader.forEachBatch(in: segment, expectedBase: base) { batch in
                    _ = batch.forEachRecordView { record in
                        let stream = record.stream
                        if wanted.contains(stream) { versions[stream] = record.streamVersion }
                        return true
                    }
                    return true
                }
            }
            pending.removeAll { versions[$0] != nil }
        }
        return versions
    }

    /// The last version of each of `streams` that the index of `segment` lists (streams it does not list are left
    /// out), or nil when the index is missing, a part of it is unreadable, or it does not cover exactly
    /// `coveringBytes` of the segment (when given).
    private static func lastListedVersions(
        of streams: [String], in segment: LogReader.SegmentView, reader: LogReader, coveringBytes: UInt64?
    ) -> [String: UInt64]? {
        let listed = reader.withIndex(of: segment) { view, file -> [String: UInt64]? in
            if let coveringBytes, view.header.dataLength != coveringBytes { return nil }
            var listed: [String: UInt64] = [:]
            for stream in streams {
                switch view.streamEntry(Array(stream.utf8), from: file) {
                case .listed(let entry): listed[stream] = entry.firstVersion + UInt64(entry.positions.count) - 1
                case .notListed: continue
                case .unreadable: return nil
                }
            }
            return listed
        }
        return listed ?? nil
    }

    private func finishActiveAnalysis(
        name: String, handle: any OpenFile, index: SegmentIndex, checksum: UInt32, start: Int, bytes: [UInt8],
        damageOffset: Int?, leafFrontier: MerkleFrontier, versions: [String: UInt64], frontier: inout MerkleFrontier,
        streamVersions: inout [String: UInt64]
    ) throws -> ActiveAnalysis {
        if let offset = damageOffset,
            let later = bytes.withUnsafeBytes({ SegmentScan.containsValidBatch($0, after: offset) })
        {
            handle.close()
            throw corruption(
                name, offset: Int64(start + offset),
                "damaged batch followed by a valid batch at byte \(start + later): damage inside the log, "
                    + "not a torn tail")
        }
        frontier = leafFrontier
        streamVersions = versions
        return ActiveAnalysis(
            handle: handle, index: index, checksum: checksum, start: start, bytes: bytes, damageOffset: damageOffset)
    }

    /// The index the writer left for the active segment when it was last closed, when it is intact and belongs to
    /// this segment. It covers bytes that were durable before it was written, so when the segment no longer holds
    /// them unchanged (its CRC-32C differs, or the file is shorter) acknowledged records were altered or lost: that is
    /// corruption, not a torn tail.
    private func activeIndexSnapshot(
        base: UInt64, handle: any OpenFile, segmentSize: Int64, frontier: MerkleFrontier
    ) throws -> SegmentIndex? {
        let name = SegmentFile.indexName(base: base)
        guard fileSystem.exists(path(name)), let file = try? fileSystem.open(path(name), mode: .readOnly) else {
            return nil
        }
        defer { file.close() }
        guard var view = try? IndexFileView.open(file), let index = view.snapshot(from: file),
            index.basePosition == base, index.recordCount > 0, let snapshotFrontier = index.frontier,
            snapshotFrontier.size == index.nextPosition, frontier.size == base
        else { return nil }
        let segmentName = SegmentFile.name(base: base)
        guard index.dataLength <= UInt64(segmentSize) else {
            throw corruption(
                segmentName, offset: segmentSize,
                "the segment is \(segmentSize) bytes but held \(index.dataLength) bytes of acknowledged records")
        }
        // Checked in pieces, so that opening does not hold the whole segment in memory.
        var checksum: UInt32 = 0
        var checked: UInt64 = 0
        while checked < index.dataLength {
            let piece = try handle.read(
                at: Int64(checked), count: Int(min(index.dataLength - checked, UInt64(Self.pieceBytes))))
            guard !piece.isEmpty else { break }
            checksum = piece.withUnsafeBytes { CRC32C.update(checksum, $0) }
            checked += UInt64(piece.count)
        }
        guard checked == index.dataLength, checksum == index.dataChecksum else {
            let covered = try handle.read(at: 0, count: Int(index.dataLength))
            let offset = firstDamagedBatch(in: covered, base: base)
            throw corruption(
                segmentName, offset: Int64(offset),
                "acknowledged records changed after they were written (checksum mismatch)")
        }
        return index
    }

    /// The offset of the first batch in `bytes` that does not decode, for error messages.
    private func firstDamagedBatch(in bytes: [UInt8], base: UInt64) -> Int {
        let scan = bytes.withUnsafeBytes { raw in
            SegmentScan.scan(raw, basePosition: base, previousRecordedTime: .min) { _, _ in }
        }
        return scan.validByteCount
    }

    /// Keeps a copy of `bytes[offset...]` (up to the last non-zero byte) in a side file, then zeroes or cuts them.
    /// `bytes` holds the segment from byte `fileOffset` on.
    private mutating func cutTail(
        of name: String, handle: any OpenFile, bytes: inout [UInt8], from offset: Int, fileOffset: Int
    ) throws {
        let lastNonZero = bytes.lastIndex(where: { $0 != 0 }) ?? (offset - 1)
        let removedCount = max(0, lastNonZero + 1 - offset)
        var sideName = "\(name).damaged-\(fileOffset + offset)"
        if removedCount > 0 {
            sideName = try keepAside(Array(bytes[offset...lastNonZero]), cutFrom: name, at: fileOffset + offset)
            if configuration.preallocateSegments {
                try handle.write([UInt8](repeating: 0, count: removedCount), at: Int64(fileOffset + offset))
            } else {
                try handle.truncate(to: Int64(fileOffset + offset))
            }
        } else {
            try handle.truncate(to: Int64(fileOffset + offset))
        }
        try handle.sync()
        for index in offset..<bytes.count { bytes[index] = 0 }
        if !configuration.preallocateSegments { bytes.removeLast(bytes.count - offset) }
        report.tailRepairs.append(
            RecoveryReport.TailRepair(
                file: name, offset: Int64(fileOffset + offset), removedByteCount: Int64(removedCount),
                sideFile: sideName))
        configuration.logger.warning(
            "cut a torn tail back to the last whole batch",
            metadata: ["file": "\(name)", "offset": "\(fileOffset + offset)", "removedBytes": "\(removedCount)"])
    }

    /// The stored checkpoints, and where a torn last entry starts, before anything is cut.
    struct CheckpointAnalysis {
        var checkpoints: [SignedCheckpoint] = []
        var bytes: [UInt8] = []
        var tornTailOffset: Int?
    }

    /// Reads the checkpoints. Only a partial or unreadable last entry is a torn tail; a whole entry that breaks the
    /// order, belongs to another log, or covers more records than the log holds is corruption.
    private func analyseCheckpoints(logSize: UInt64, logID: [UInt8]) throws -> CheckpointAnalysis {
        let name = CheckpointFile.fileName
        guard fileSystem.exists(path(name)) else { return CheckpointAnalysis() }
        var analysis = CheckpointAnalysis()
        analysis.bytes = try fileSystem.readWholeFile(path(name))
        let entry = SignedCheckpoint.byteCount
        var offset = 0
        while offset < analysis.bytes.count {
            let end = offset + entry
            guard end <= analysis.bytes.count,
                let checkpoint = SignedCheckpoint.decode(analysis.bytes[offset..<end])
            else {
                guard end >= analysis.bytes.count else {
                    throw corruption(name, offset: Int64(offset), "damaged checkpoint entry")
                }
                analysis.tornTailOffset = offset
                break
            }
            guard checkpoint.logID == logID else {
                throw corruption(name, offset: Int64(offset), "checkpoint belongs to another log")
            }
            if let previous = analysis.checkpoints.last, checkpoint.treeSize < previous.treeSize {
                throw corruption(name, offset: Int64(offset), "checkpoint tree size goes backwards")
            }
            guard checkpoint.treeSize <= logSize else {
                throw corruption(
                    name, offset: Int64(offset),
                    "checkpoint covers \(checkpoint.treeSize) records but the log holds \(logSize): records are missing"
                )
            }
            analysis.checkpoints.append(checkpoint)
            offset = end
        }
        return analysis
    }

    /// The most side files kept for cuts at one offset of one file.
    static let sideFilesPerOffsetMax = 1000

    /// Writes `removed`, the bytes cut from `name` at `offset`, to a side file, atomically, and returns its name:
    /// `<name>.damaged-<offset>`, or `<name>.damaged-<offset>.<n>` with the smallest `n >= 1` whose file is free when
    /// that one exists. An existing side file is never replaced: it may hold the only copy of bytes an earlier cut
    /// removed. One that already holds exactly `removed` is the copy a recovery interrupted after writing it made, and
    /// is kept as the copy (so a crash during recovery adds no second file).
    private func keepAside(_ removed: [UInt8], cutFrom name: String, at offset: Int) throws -> String {
        let first = "\(name).damaged-\(offset)"
        for number in 0...Self.sideFilesPerOffsetMax {
            let candidate = number == 0 ? first : "\(first).\(number)"
            guard fileSystem.exists(path(candidate)) else {
                try fileSystem.writeAtomically(removed, to: path(candidate))
                return candidate
            }
            if try fileSystem.readWholeFile(path(candidate)) == removed { return candidate }
        }
        throw RecordLogError.fileSystem(
            FileSystemError(.alreadyExists, operation: "create side file", path: path(first)))
    }

    private mutating func cutCheckpointTail(at offset: Int, bytes: [UInt8]) throws {
        let name = CheckpointFile.fileName
        let sideName = try keepAside(Array(bytes[offset...]), cutFrom: name, at: offset)
        let handle = try fileSystem.open(path(name), mode: .readWrite)
        defer { handle.close() }
        try handle.truncate(to: Int64(offset))
        try handle.sync()
        report.tailRepairs.append(
            RecoveryReport.TailRepair(
                file: name, offset: Int64(offset), removedByteCount: Int64(bytes.count - offset), sideFile: sideName))
        configuration.logger.warning("cut a torn checkpoint entry", metadata: ["offset": "\(offset)"])
    }
}

/// Creates segment files, filled with zeros up to the segment size when preallocation is on.
struct SegmentAllocator {
    let fileSystem: any FileSystem
    let configuration: LogConfiguration

    init(fileSystem: any FileSystem, configuration: LogConfiguration) throws {
        self.fileSystem = fileSystem
        self.configuration = configuration
    }

    /// Creates, fills and syncs a new segment file, and syncs its directory.
    func createSegment(path: String) throws -> any OpenFile {
        let handle = try fileSystem.open(path, mode: .createNew)
        do {
            if configuration.preallocateSegments {
                let chunk = [UInt8](repeating: 0, count: 1 << 20)
                var offset: Int64 = 0
                while offset < configuration.segmentBytesMax {
                    let count = Int(min(Int64(chunk.count), configuration.segmentBytesMax - offset))
                    try handle.write(count == chunk.count ? chunk : Array(chunk[0..<count]), at: offset)
                    offset += Int64(count)
                }
            }
            try handle.sync()
            try fileSystem.syncDirectory(parentDirectory(of: path))
        } catch {
            handle.close()
            throw error
        }
        return handle
    }
}

/// Whether every byte is zero, checked eight bytes at a time.
func isAllZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    while index + 8 <= bytes.count {
        if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) != 0 { return false }
        index += 8
    }
    while index < bytes.count {
        if bytes[index] != 0 { return false }
        index += 1
    }
    return true
}
