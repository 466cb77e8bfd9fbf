/// Opening a log: checking the manifest, sealed segments and their indexes, and cutting a torn tail of the active
/// segment or of the checkpoint file back to its last whole entry.
///
/// Rules (docs/log-format.md, "Recovery"):
/// - Damage in the active segment after which no valid batch follows is a torn tail: the bytes from the first bad
///   batch to the last non-zero byte are copied to `<segment>.damaged-<offset>`, then zeroed (or cut off).
/// - Any other damage (a sealed segment changed, a valid batch after a bad one, a gap in positions, a missing
///   segment, a damaged manifest) is ``RecordLogError/corruption(_:reason:)`` naming file and offset. Nothing is
///   deleted except empty (all-zero) segment files left by an interrupted roll.
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

    /// Creates the files of an empty log.
    func createLog(logID: [UInt8]) throws {
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
        var streamVersions: [String: UInt64] = [:]
        var eventFilters: [SealedEventFilter] = []
        for sealed in manifest.sealed {
            let index = try checkSealedSegment(sealed)
            for (stream, entry) in index.streams {
                streamVersions[stream] = entry.firstVersion + UInt64(entry.positions.count) - 1
            }
            eventFilters.append(SealedEventFilter(basePosition: sealed.basePosition, filter: index.eventFilter()))
        }
        let previousTime = manifest.sealed.last?.lastRecordedTime ?? Int64.min
        var frontier = manifest.frontier
        let active = try recoverActiveSegment(
            base: manifest.activeBase, previousTime: previousTime, frontier: &frontier,
            streamVersions: &streamVersions)
        let checkpoints = try recoverCheckpoints(logSize: active.index.nextPosition)
        let lastTime = max(
            active.index.recordCount > 0 ? active.index.lastRecordedTime : previousTime,
            checkpoints.last?.timeMicroseconds ?? Int64.min)
        return LogWriterState(
            manifest: manifest, active: active, frontier: frontier, streamVersions: streamVersions,
            sealedEventFilters: eventFilters, checkpointCount: checkpoints.count,
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

    /// Checks a sealed segment's length against the manifest and loads (or rebuilds) its index.
    private mutating func checkSealedSegment(_ sealed: Manifest.SealedSegment) throws -> SegmentIndex {
        let name = SegmentFile.name(base: sealed.basePosition)
        guard fileSystem.exists(path(name)) else { throw corruption(name, "sealed segment is missing") }
        let handle = try fileSystem.open(path(name), mode: .readOnly)
        let size = try handle.size()
        handle.close()
        guard size == Int64(sealed.dataLength) else {
            throw corruption(name, offset: min(size, Int64(sealed.dataLength)),
                "sealed segment is \(size) bytes, the manifest says \(sealed.dataLength)")
        }
        let indexName = SegmentFile.indexName(base: sealed.basePosition)
        if fileSystem.exists(path(indexName)),
            case .success(let index) = SegmentIndex.decode(
                try fileSystem.readWholeFile(path(indexName)), includingEvents: false),
            index.basePosition == sealed.basePosition, index.recordCount == sealed.recordCount,
            index.dataLength == sealed.dataLength
        {
            return index
        }
        let index = try rebuildIndex(sealed)
        try fileSystem.writeAtomically(index.encode(), to: path(indexName))
        report.rebuiltIndexes.append(indexName)
        configuration.logger.warning("rebuilt a missing or damaged index", metadata: ["file": "\(indexName)"])
        return index
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

    private mutating func recoverActiveSegment(
        base: UInt64, previousTime: Int64, frontier: inout MerkleFrontier, streamVersions: inout [String: UInt64]
    ) throws -> ActiveSegment {
        let name = SegmentFile.name(base: base)
        guard fileSystem.exists(path(name)) else { throw corruption(name, "active segment is missing") }
        guard frontier.size == base else { throw corruption(Manifest.fileName, "Merkle frontier does not end at the active segment") }
        let handle = try fileSystem.open(path(name), mode: .readWrite)
        let size = try handle.size()
        let snapshot = activeIndexSnapshot(base: base, segmentSize: size, frontier: frontier)
        var index = snapshot ?? SegmentIndex(basePosition: base)
        let start = Int(index.dataLength)
        var checksum = index.dataChecksum
        var leafFrontier = index.frontier ?? frontier
        var versions = streamVersions
        for (stream, entry) in index.streams {
            versions[stream] = entry.firstVersion + UInt64(entry.positions.count) - 1
        }
        index.frontier = nil
        let interval = configuration.indexIntervalBytes
        var bytes = try handle.read(at: Int64(start), count: Int(size) - start)
        let scan = bytes.withUnsafeBytes { raw in
            SegmentScan.scan(
                raw, basePosition: index.nextPosition,
                previousRecordedTime: index.recordCount > 0 ? index.lastRecordedTime : previousTime
            ) { offset, batch in
                index.add(batch: batch, at: UInt64(start + offset), intervalBytes: interval)
                checksum = CRC32C.update(
                    checksum, UnsafeRawBufferPointer(rebasing: raw[offset..<offset + batch.header.batchByteCount]))
                batch.forEachRecordBytes { leafFrontier.append(leafHash: MerkleHash.leaf($0)) }
                _ = batch.forEachRecordView { record in
                    versions[record.stream] = record.streamVersion
                    return true
                }
            }
        }
        var damageOffset: Int?
        switch scan.end {
        case .endOfFile:
            break
        case .zeroFilled(let offset):
            if !bytes.withUnsafeBytes({ isAllZero(UnsafeRawBufferPointer(rebasing: $0[offset...])) }) {
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
        if let offset = damageOffset {
            if let later = bytes.withUnsafeBytes({ SegmentScan.containsValidBatch($0, after: offset) }) {
                handle.close()
                throw corruption(name, offset: Int64(start + offset),
                    "damaged batch followed by a valid batch at byte \(start + later): damage inside the log, "
                        + "not a torn tail")
            }
            try cutTail(of: name, handle: handle, bytes: &bytes, from: offset, fileOffset: start)
        }
        frontier = leafFrontier
        streamVersions = versions
        return ActiveSegment(
            handle: handle, index: index, fileChecksum: checksum, allocatedBytes: Int64(start + bytes.count))
    }

    /// The index the writer left for the active segment when it was last closed, when it is intact, belongs to this
    /// segment and log position, and covers no more than the file holds.
    private func activeIndexSnapshot(base: UInt64, segmentSize: Int64, frontier: MerkleFrontier) -> SegmentIndex? {
        let indexPath = path(SegmentFile.indexName(base: base))
        guard fileSystem.exists(indexPath), let bytes = try? fileSystem.readWholeFile(indexPath),
            case .success(let index) = SegmentIndex.decode(bytes, includingEvents: false), index.basePosition == base,
            index.dataLength <= UInt64(segmentSize), index.recordCount > 0, let snapshotFrontier = index.frontier,
            snapshotFrontier.size == index.nextPosition, frontier.size == base
        else { return nil }
        return index
    }

    /// Keeps a copy of `bytes[offset...]` (up to the last non-zero byte) in a side file, then zeroes or cuts them.
    /// `bytes` holds the segment from byte `fileOffset` on.
    private mutating func cutTail(
        of name: String, handle: any OpenFile, bytes: inout [UInt8], from offset: Int, fileOffset: Int
    ) throws {
        let lastNonZero = bytes.lastIndex(where: { $0 != 0 }) ?? (offset - 1)
        let removedCount = max(0, lastNonZero + 1 - offset)
        let sideName = "\(name).damaged-\(fileOffset + offset)"
        if removedCount > 0 {
            try fileSystem.writeAtomically(Array(bytes[offset...lastNonZero]), to: path(sideName))
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
        report.tailRepairs.append(RecoveryReport.TailRepair(
            file: name, offset: Int64(fileOffset + offset), removedByteCount: Int64(removedCount), sideFile: sideName))
        configuration.logger.warning(
            "cut a torn tail back to the last whole batch",
            metadata: ["file": "\(name)", "offset": "\(fileOffset + offset)", "removedBytes": "\(removedCount)"])
    }

    private mutating func recoverCheckpoints(logSize: UInt64) throws -> [SignedCheckpoint] {
        let name = CheckpointFile.fileName
        guard fileSystem.exists(path(name)) else { return [] }
        let handle = try fileSystem.open(path(name), mode: .readWrite)
        defer { handle.close() }
        var bytes = try handle.read(at: 0, count: Int(try handle.size()))
        while true {
            switch CheckpointFile.decodeAll(bytes) {
            case .success(let checkpoints):
                if let last = checkpoints.last, last.treeSize > logSize {
                    throw corruption(name, offset: Int64((checkpoints.count - 1) * SignedCheckpoint.byteCount),
                        "checkpoint covers \(last.treeSize) records but the log holds \(logSize): records are missing")
                }
                return checkpoints
            case .failure(let defect):
                let entry = SignedCheckpoint.byteCount
                let lastEntryStart = max(0, (bytes.count - 1) / entry * entry)
                guard defect.offset >= lastEntryStart else {
                    throw corruption(name, offset: Int64(defect.offset), defect.reason)
                }
                let sideName = "\(name).damaged-\(defect.offset)"
                try fileSystem.writeAtomically(Array(bytes[defect.offset...]), to: path(sideName))
                try handle.truncate(to: Int64(defect.offset))
                try handle.sync()
                report.tailRepairs.append(RecoveryReport.TailRepair(
                    file: name, offset: Int64(defect.offset), removedByteCount: Int64(bytes.count - defect.offset),
                    sideFile: sideName))
                bytes.removeLast(bytes.count - defect.offset)
            }
        }
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
