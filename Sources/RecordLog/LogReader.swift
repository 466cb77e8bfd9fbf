import Synchronization

/// Reads a log directory without the writer lock, seeing a consistent prefix of whole batches even while a writer
/// appends.
///
/// Each call looks at the directory afresh, so it sees what was durable or in the page cache when it ran. A damaged
/// batch in the last segment ends the readable prefix there (it is an append in progress or a torn tail that the
/// writer will cut on its next open); damage anywhere else throws ``RecordLogError/corruption(_:reason:)``.
public struct LogReader: Sendable {
    /// The log directory.
    public let directory: String
    private let fileSystem: any FileSystem
    /// Indexes of sealed segments read so far; they never change, so copies of this reader share them.
    private let sealedIndexes = SealedIndexCache()

    /// Creates a reader of the log in `directory`.
    public init(directory: String, fileSystem: any FileSystem = PosixFileSystem()) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    struct SegmentView {
        var base: UInt64
        var name: String
        var isLast: Bool
    }

    /// Runs `body` with the segment's index file, open, and what has been read of it, when the file is intact and
    /// belongs to the segment: for a sealed segment it must cover the whole segment, for the last one (the writer's
    /// active segment) no more than its first `header.dataLength` bytes. Parts are read only when a look-up needs
    /// them; a sealed segment's are kept for later look-ups. Nil when there is no usable index.
    func withIndex<T, Failure: Error>(
        of segment: SegmentView, _ body: (inout IndexFileView, any OpenFile) throws(Failure) -> T
    ) throws(Failure) -> T? {
        guard let file = try? fileSystem.open(path(SegmentFile.indexName(base: segment.base)), mode: .readOnly) else {
            return nil
        }
        defer { file.close() }
        var view: IndexFileView
        if !segment.isLast, let cached = sealedIndexes[segment.base] {
            view = cached
        } else {
            guard let opened = try? IndexFileView.open(file), opened.header.basePosition == segment.base,
                let handle = try? fileSystem.open(path(segment.name), mode: .readOnly)
            else { return nil }
            let size = try? handle.size()
            handle.close()
            guard let size,
                segment.isLast ? size >= Int64(opened.header.dataLength) : size == Int64(opened.header.dataLength)
            else { return nil }
            view = opened
        }
        let result = try body(&view, file)
        if !segment.isLast { sealedIndexes[segment.base] = view }
        return result
    }

    /// Where a scan of `segment` that finds `position` starts: from the index where it covers the position, else
    /// after what it covers, else the segment's start.
    func scanStart(in segment: SegmentView, for position: UInt64) -> (offset: UInt64, position: UInt64) {
        guard position > segment.base else { return (0, segment.base) }
        let start = withIndex(of: segment) { view, file -> (offset: UInt64, position: UInt64)? in
            if position >= view.header.nextPosition { return (view.header.dataLength, view.header.nextPosition) }
            guard view.loadSparse(from: file) != nil else { return nil }
            let range = view.scanRange(for: position)
            return (range.offset, range.position)
        }
        return (start ?? nil) ?? (0, segment.base)
    }

    /// Forgets what was read of the index file of the sealed segment at `base`, which the writer rewrote.
    func forgetIndex(base: UInt64) {
        sealedIndexes.forget(base: base)
    }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    func segments() throws(RecordLogError) -> [SegmentView] {
        let bases: [UInt64]
        do {
            guard fileSystem.exists(joinPath(directory, Manifest.fileName)) else {
                throw RecordLogError.notALog(directory: directory, reason: "there is no manifest")
            }
            bases = try SegmentFile.bases(in: directory, fileSystem: fileSystem)
        } catch {
            throw RecordLogError(wrapping: error)
        }
        return bases.enumerated().map { offset, base in
            SegmentView(base: base, name: SegmentFile.name(base: base), isLast: offset == bases.count - 1)
        }
    }

    /// The window through which ``forEachBatch(in:fromOffset:expectedBase:previousRecordedTime:windowBytes:_:)``
    /// reads a segment: it starts small, so that a point read stays small, and doubles with each refill up to a size
    /// that keeps the bytes read in the processor's cache while they are checked and expanded.
    static let readWindowBytes = (64 << 10)...(256 << 10)

    /// Calls `body` with each whole batch of `segment` from byte `offset`, in order; returns the position after the
    /// last batch visited.
    ///
    /// The file is read into one buffer kept for the whole segment, through a window that grows from
    /// `windowBytes.lowerBound` to `windowBytes.upperBound` (further only for a batch larger than that): after each
    /// read the whole batches in the window are checked and expanded into one payload buffer, also kept, and the
    /// bytes of the batch the window cut are moved to its start before the next read appends to them. Only the bytes
    /// of the current read (and those moved) are ever scanned, never what an earlier read left further on.
    @discardableResult
    func forEachBatch(
        in segment: SegmentView, fromOffset offset: UInt64 = 0, expectedBase: UInt64,
        previousRecordedTime: Int64 = .min, windowBytes: ClosedRange<Int> = LogReader.readWindowBytes,
        _ body: (DecodedBatch) throws(RecordLogError) -> Bool
    ) throws(RecordLogError) -> UInt64 {
        let handle: any OpenFile
        var size: Int64
        do {
            handle = try fileSystem.open(path(segment.name), mode: .readOnly)
            size = try handle.size()
        } catch {
            throw RecordLogError(wrapping: error)
        }
        defer { handle.close() }
        var next = expectedBase
        var lastTime = previousRecordedTime
        // The file offset of the buffer's first byte, and how many bytes from there the buffer holds.
        var bufferStart = Int64(offset)
        var held = 0
        var window = max(windowBytes.lowerBound, 1)
        var buffer = [UInt8](unsafeUninitializedCapacity: window) { _, initialized in initialized = window }
        var scratch: [UInt8] = []
        while true {
            let wanted = Int(min(Int64(window - held), max(size - bufferStart - Int64(held), 0)))
            if wanted > 0 {
                let readAt = bufferStart + Int64(held)
                let read = buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(FileSystemError) in
                        try handle.read(
                            into: UnsafeMutableRawBufferPointer(rebasing: raw[held..<held + wanted]), at: readAt)
                    }
                }
                let count: Int
                switch read {
                case .success(let read): count = read
                case .failure(let error): throw RecordLogError(wrapping: error)
                }
                // A short read means the file is shorter than when it was opened: the writer sealed this segment
                // and cut its preallocated tail meanwhile. What was read is all there is.
                if count < wanted { size = readAt + Int64(count) }
                held += count
            }
            var failure: RecordLogError?
            var stopped = false
            let scan = buffer.withUnsafeBytes { raw in
                SegmentScan.scan(
                    UnsafeRawBufferPointer(rebasing: raw[0..<held]), basePosition: next, previousRecordedTime: lastTime,
                    reusing: &scratch
                ) { _, batch in
                    guard !stopped, failure == nil else { return }
                    do {
                        if try !body(batch) { stopped = true }
                    } catch {
                        failure = RecordLogError(wrapping: error)
                    }
                }
            }
            if let failure { throw failure }
            if let last = scan.batches.last {
                next = last.header.positions.upperBound
                lastTime = last.header.lastRecordedTime
            }
            if stopped { return next }
            let moreOnDisk = bufferStart + Int64(held) < size
            switch scan.end {
            case .endOfFile where moreOnDisk, .defect(_, .truncated) where moreOnDisk:
                let consumed = scan.validByteCount
                if consumed > 0 {
                    // A memmove: the cut batch's bytes may overlap where they go.
                    buffer.withUnsafeMutableBytes { raw in
                        guard let base = raw.baseAddress else { return }
                        base.copyMemory(from: base + consumed, byteCount: held - consumed)
                    }
                    held -= consumed
                    bufferStart += Int64(consumed)
                }
                // The window grows to its largest size; past that only when it holds no whole batch, as the batch it
                // cut is larger than the window.
                let grown = consumed == 0 ? window * 2 : min(window * 2, max(windowBytes.upperBound, window))
                if grown > buffer.count {
                    let kept = held
                    let larger = buffer.withUnsafeBytes { source in
                        [UInt8](unsafeUninitializedCapacity: grown) { destination, initialized in
                            UnsafeMutableRawBufferPointer(destination).copyMemory(
                                from: UnsafeRawBufferPointer(rebasing: source[0..<kept]))
                            initialized = grown
                        }
                    }
                    buffer = larger
                }
                window = grown
                continue
            case .endOfFile, .zeroFilled:
                return next
            case .defect(let at, let defect):
                if segment.isLast, try isUnfinishedTail(defect, in: handle, at: bufferStart + Int64(at), size: size) {
                    return next
                }
                throw .corruption(
                    LogLocation(file: segment.name, offset: bufferStart + Int64(at), positions: next..<next + 1),
                    reason: defect.description)
            }
        }
    }

    /// Whether a defect in the last segment is the end of what is readable (an append in flight, or a torn tail the
    /// writer cuts on its next open) rather than damage: no valid batch may follow it, since the writer writes and
    /// fsyncs one batch at a time.
    private func isUnfinishedTail(
        _ defect: BatchDefect, in handle: any OpenFile, at offset: Int64, size: Int64
    ) throws(RecordLogError) -> Bool {
        switch defect {
        case .wrongPosition, .timeWentBackwards:
            return false
        default:
            let rest: [UInt8]
            do { rest = try handle.read(at: offset, count: Int(size - offset)) } catch { throw .fileSystem(error) }
            return rest.withUnsafeBytes { SegmentScan.containsValidBatch($0, after: 0) } == nil
        }
    }

    /// Calls `body` with every record from `position` on, in order, until it returns false or the readable prefix
    /// ends. Returns the position after the last record visited.
    @discardableResult
    public func forEachRecord(
        from position: UInt64 = 0, _ body: (LogRecord) throws(RecordLogError) -> Bool
    ) throws(RecordLogError) -> UInt64 {
        try forEachBatch(from: position) { batch throws(RecordLogError) in
            try batch.forEachRecordView(from: position) { view throws(RecordLogError) in try body(view.record) }
        }
    }

    /// Calls `body` with a view of every record from `position` on, in order, until it returns false or the readable
    /// prefix ends; the fastest way to read the log, as nothing is allocated per record. A view is valid only during
    /// the call. Returns the position after the last record visited.
    @discardableResult
    public func forEachRecordView(
        from position: UInt64 = 0, _ body: (LogRecordView) throws(RecordLogError) -> Bool
    ) throws(RecordLogError) -> UInt64 {
        try forEachBatch(from: position) { batch throws(RecordLogError) in
            try batch.forEachRecordView(from: position, body)
        }
    }

    /// Calls `body` with every whole batch that holds a record at or after `position`.
    @discardableResult
    func forEachBatch(
        from position: UInt64, _ body: (DecodedBatch) throws(RecordLogError) -> Bool
    ) throws(RecordLogError) -> UInt64 {
        let segments = try segments()
        var expected = segments.first?.base ?? 0
        guard expected == 0 else {
            throw .corruption(
                LogLocation(file: segments[0].name), reason: "the first segment does not start at position 0")
        }
        var lastTime = Int64.min
        for (number, segment) in segments.enumerated() {
            guard segment.base == expected else {
                throw .corruption(
                    LogLocation(file: segment.name, positions: expected..<segment.base),
                    reason: "positions \(expected)..<\(segment.base) are missing between segments")
            }
            let segmentEnd = number + 1 < segments.count ? segments[number + 1].base : UInt64.max
            if position >= segmentEnd {
                expected = segmentEnd
                lastTime = .min
                continue
            }
            let (offset, base) = scanStart(in: segment, for: position)
            var keepGoing = true
            let end = try forEachBatch(
                in: segment, fromOffset: offset, expectedBase: base,
                previousRecordedTime: offset == 0 ? lastTime : .min
            ) { batch throws(RecordLogError) in
                lastTime = batch.header.lastRecordedTime
                guard batch.header.positions.upperBound > position else { return true }
                keepGoing = try body(batch)
                return keepGoing
            }
            if !keepGoing { return end }
            expected = end
        }
        return expected
    }

    /// How much the log holds: its records and batches, and their bytes as stored (headers and compressed payloads)
    /// and uncompressed. Reads every batch; preallocated space past the last batch is not counted.
    public func storageSummary() throws(RecordLogError) -> LogStorageSummary {
        var summary = LogStorageSummary()
        try forEachBatch(from: 0) { batch throws(RecordLogError) in
            summary.records += UInt64(batch.header.recordCount)
            summary.batches += 1
            summary.storedBytes += Int64(batch.header.batchByteCount)
            summary.uncompressedBytes += Int64(BatchHeader.byteCount) + Int64(batch.header.uncompressedLength)
            return true
        }
        return summary
    }

    /// The records from `position` on, at most `limit` of them.
    public func records(from position: UInt64 = 0, limit: Int = Int.max) throws(RecordLogError) -> [LogRecord] {
        var records: [LogRecord] = []
        guard limit > 0 else { return records }
        try forEachRecord(from: position) { record in
            records.append(record)
            return records.count < limit
        }
        return records
    }

    /// The record at `position`.
    public func record(at position: UInt64) throws(RecordLogError) -> LogRecord {
        guard let record = try records(from: position, limit: 1).first, record.position == position else {
            throw .notFound(what: "position \(position)")
        }
        return record
    }

    /// The number of records in the readable prefix: the position the next record will get. Only the batches after
    /// what the last segment's index covers are read (the writer leaves an index of the active segment when it
    /// closes), so the answer does not cost a read of the whole active segment.
    public func endPosition() throws(RecordLogError) -> UInt64 {
        let segments = try segments()
        guard let last = segments.last else { return 0 }
        let (offset, base) = scanStart(in: last, for: .max)
        return try forEachBatch(in: last, fromOffset: offset, expectedBase: base) { _ in true }
    }

    /// Every record of `stream` from version `fromVersion` on, in order. Sealed segments are read only where their
    /// index lists the stream.
    ///
    /// `fromPosition` is where the caller knows version `fromVersion` (or a later one) lies, or any position before
    /// it: the segments that end at or before it are not consulted at all (their index files are not read).
    public func records(
        inStream stream: String, fromVersion: UInt64 = 1, fromPosition: UInt64 = 0
    ) throws(RecordLogError) -> [LogRecord] {
        try records(inStreams: [stream], fromVersion: fromVersion, fromPosition: fromPosition)
    }

    /// Every record of the given streams from version `fromVersion` on (of each stream), in log order, read in one
    /// pass: a segment is read only where its index lists one of the streams, and each batch that holds several of
    /// their records is read and decompressed once. The segments that end at or before `fromPosition` are skipped:
    /// pass it only when no record wanted lies before it.
    public func records(
        inStreams streams: [String], fromVersion: UInt64 = 1, fromPosition: UInt64 = 0
    ) throws(RecordLogError) -> [LogRecord] {
        var wanted: [[UInt8]] = []
        for stream in streams where !wanted.contains(where: { $0.elementsEqual(stream.utf8) }) {
            wanted.append(Array(stream.utf8))
        }
        var records: [LogRecord] = []
        guard !wanted.isEmpty else { return records }
        // One decompression buffer for every batch read, not one (allocated and faulted in) per run of batches.
        var scratch: [UInt8] = []
        func collect(_ view: LogRecordView) {
            if view.streamVersion >= fromVersion, wanted.contains(where: { view.streamUTF8.elementsEqual($0) }) {
                records.append(view.record)
            }
        }
        let all = try segments()
        for (number, segment) in all.enumerated()
        where number + 1 == all.count || all[number + 1].base > fromPosition {
            let indexed = try withIndex(of: segment) { view, file throws(RecordLogError) -> IndexFileHeader? in
                var targets: [StreamTarget] = []
                for (number, stream) in wanted.enumerated() {
                    switch view.streamEntry(stream, from: file) {
                    case .notListed: continue
                    case .unreadable: return nil
                    case .listed(let entry):
                        for (offset, position) in entry.positions.enumerated() {
                            let version = entry.firstVersion + UInt64(offset)
                            if version >= fromVersion {
                                targets.append(StreamTarget(position: position, stream: number, version: version))
                            }
                        }
                    }
                }
                guard !targets.isEmpty else { return view.header }
                guard view.loadSparse(from: file) != nil else { return nil }
                targets.sort { $0.position < $1.position }
                try readTargets(targets, of: segment, view: view, wanted: wanted, into: &records, reusing: &scratch)
                return view.header
            }
            guard let header = indexed ?? nil else {
                try forEachBatch(in: segment, expectedBase: segment.base) { batch in
                    _ = batch.forEachRecordView { view in
                        collect(view)
                        return true
                    }
                    return true
                }
                continue
            }
            if segment.isLast {
                try forEachBatch(in: segment, fromOffset: header.dataLength, expectedBase: header.nextPosition) {
                    batch in
                    _ = batch.forEachRecordView { view in
                        collect(view)
                        return true
                    }
                    return true
                }
            }
        }
        return records
    }

    /// A record a stream look-up expects at a position.
    struct StreamTarget {
        var position: UInt64
        var stream: Int
        var version: UInt64
    }

    /// Reads the records at `targets` (ascending) from the part of `segment` its index covers: for each run of batches
    /// between two sparse entries that holds a target, one read and one decompression of each of its batches. Every
    /// record found must be of the expected stream and version.
    private func readTargets(
        _ targets: [StreamTarget], of segment: SegmentView, view: IndexFileView, wanted: [[UInt8]],
        into records: inout [LogRecord], reusing scratch: inout [UInt8]
    ) throws(RecordLogError) {
        let handle: any OpenFile
        do { handle = try fileSystem.open(path(segment.name), mode: .readOnly) } catch { throw .fileSystem(error) }
        defer { handle.close() }
        var next = 0
        while next < targets.count {
            let first = next
            let range = view.scanRange(for: targets[next].position)
            let bytes: [UInt8]
            do { bytes = try handle.read(at: Int64(range.offset), count: Int(range.end - range.offset)) } catch {
                throw .fileSystem(error)
            }
            var mismatch: UInt64?
            let scan = bytes.withUnsafeBytes { raw in
                SegmentScan.scan(raw, basePosition: range.position, previousRecordedTime: .min, reusing: &scratch) {
                    _, batch in
                    guard next < targets.count, mismatch == nil,
                        batch.header.positions.contains(targets[next].position)
                    else { return }
                    _ = batch.forEachRecordView { record in
                        guard next < targets.count else { return false }
                        let target = targets[next]
                        guard record.position == target.position else { return record.position < target.position }
                        guard record.streamUTF8.elementsEqual(wanted[target.stream]),
                            record.streamVersion == target.version
                        else {
                            mismatch = target.position
                            return false
                        }
                        records.append(record.record)
                        next += 1
                        return true
                    }
                }
            }
            if let position = mismatch {
                throw .corruption(
                    LogLocation(file: segment.name, positions: position..<position + 1),
                    reason: "the index lists a record the segment does not hold")
            }
            guard scan.end == .endOfFile, bytes.count == Int(range.end - range.offset) else {
                let offset: Int = if case .defect(let at, _) = scan.end { at } else { scan.validByteCount }
                let reason =
                    if case .defect(_, let defect) = scan.end { defect.description } else { "zero-filled header" }
                throw .corruption(
                    LogLocation(
                        file: segment.name, offset: Int64(range.offset) + Int64(offset),
                        positions: scan.nextPosition..<scan.nextPosition + 1),
                    reason: reason)
            }
            if next < targets.count, next == first || targets[next].position < scan.nextPosition {
                let position = targets[next].position
                throw .corruption(
                    LogLocation(file: segment.name, positions: position..<position + 1),
                    reason: "the index lists a record the segment does not hold")
            }
        }
    }

    /// The version of the last record of the stream with UTF-8 bytes `stream` in the sealed segments at `bases`
    /// (ascending; the writer's list from the manifest), or 0 when none holds it: the newest segment whose index
    /// lists the stream answers. A segment whose index cannot be used is handed to `rebuild` (the writer rebuilds its
    /// index file), or scanned when that gives no index.
    func lastVersion(
        ofStream stream: [UInt8], inSealedSegments bases: [UInt64],
        rebuild: (UInt64) throws(RecordLogError) -> SegmentIndex? = { _ in nil }
    ) throws(RecordLogError) -> UInt64 {
        for base in bases.reversed() {
            let segment = SegmentView(base: base, name: SegmentFile.name(base: base), isLast: false)
            var lookup = withIndex(of: segment) { view, file in view.streamEntry(stream, from: file) } ?? .unreadable
            if lookup == .unreadable, let index = try rebuild(base) {
                lookup = index.streams[String(decoding: stream, as: UTF8.self)].map { .listed($0) } ?? .notListed
            }
            switch lookup {
            case .notListed: continue
            case .listed(let entry): return entry.firstVersion + UInt64(entry.positions.count) - 1
            case .unreadable:
                var last: UInt64 = 0
                try forEachBatch(in: segment, expectedBase: base) { batch in
                    _ = batch.forEachRecordView { view in
                        if view.streamUTF8.elementsEqual(stream) { last = view.streamVersion }
                        return true
                    }
                    return true
                }
                if last > 0 { return last }
            }
        }
        return 0
    }

    /// The position of the first record recorded at or after `time` (the end position when there is none).
    public func firstPosition(recordedAtOrAfter time: Int64) throws(RecordLogError) -> UInt64 {
        let segments = try segments()
        for segment in segments {
            let start = withIndex(of: segment) { view, file -> (skip: Bool, offset: UInt64, position: UInt64)? in
                let header = view.header
                if !segment.isLast, header.lastRecordedTime < time { return (true, 0, 0) }
                if header.recordCount > 0, header.lastRecordedTime >= time {
                    guard view.loadSparse(from: file) != nil else { return nil }
                    let start = view.scanStart(forTime: time)
                    return (false, start.offset, start.position)
                }
                return (false, header.dataLength, header.nextPosition)
            }
            let (skip, offset, base) = (start ?? nil) ?? (false, 0, segment.base)
            if skip { continue }
            var found: UInt64?
            try forEachBatch(in: segment, fromOffset: offset, expectedBase: base) { batch in
                guard batch.header.lastRecordedTime >= time else { return true }
                found = batch.records().first(where: { $0.recordedTimeMicroseconds >= time })?.position
                return false
            }
            if let found { return found }
        }
        return try endPosition()
    }

    /// The signed checkpoints stored in the log, oldest first.
    public func checkpoints() throws(RecordLogError) -> [SignedCheckpoint] {
        let filePath = path(CheckpointFile.fileName)
        guard fileSystem.exists(filePath) else { return [] }
        let bytes: [UInt8]
        do { bytes = try fileSystem.readWholeFile(filePath) } catch { throw .fileSystem(error) }
        let whole = bytes.count / SignedCheckpoint.byteCount * SignedCheckpoint.byteCount
        switch CheckpointFile.decodeAll(Array(bytes[0..<whole])) {
        case .success(let checkpoints): return checkpoints
        case .failure(let defect):
            if defect.offset + SignedCheckpoint.byteCount >= whole,
                let valid = try? CheckpointFile.decodeAll(
                    Array(bytes[0..<defect.offset])
                ).get()
            {
                return valid
            }
            throw .corruption(
                LogLocation(file: CheckpointFile.fileName, offset: Int64(defect.offset)), reason: defect.reason)
        }
    }

    /// The Merkle leaf hashes of the records at `range`.
    public func leafHashes(_ range: Range<UInt64>) throws(RecordLogError) -> [MerkleDigest] {
        var hashes: [MerkleDigest] = []
        hashes.reserveCapacity(Int(range.count))
        guard !range.isEmpty else { return hashes }
        try forEachBatch(from: range.lowerBound) { batch in
            var position = batch.header.basePosition
            batch.forEachRecordBytes { bytes in
                if range.contains(position) { hashes.append(MerkleHash.leaf(bytes)) }
                position += 1
            }
            return position < range.upperBound
        }
        guard hashes.count == range.count else {
            throw .notFound(what: "positions \(range.lowerBound)..<\(range.upperBound)")
        }
        return hashes
    }

    /// The Merkle tree of the first `treeSize` records, for roots and proofs.
    public func merkleTree(size treeSize: UInt64) throws(RecordLogError) -> InMemoryMerkleTree {
        InMemoryMerkleTree(leafHashes: try leafHashes(0..<treeSize))
    }
}

/// A proof that one record is in the log as a signed checkpoint saw it (RFC 6962 inclusion proof).
public struct InclusionProof: Sendable, Equatable {
    /// The record's position: its leaf index.
    public var position: UInt64
    /// The tree size the proof is against.
    public var treeSize: UInt64
    /// SHA-256(0x00 || record bytes).
    public var leafHash: MerkleDigest
    /// The audit path, leaf to root.
    public var path: [MerkleDigest]
    /// The root the path leads to.
    public var root: MerkleDigest

    /// Creates a proof from its parts.
    public init(position: UInt64, treeSize: UInt64, leafHash: MerkleDigest, path: [MerkleDigest], root: MerkleDigest) {
        self.position = position
        self.treeSize = treeSize
        self.leafHash = leafHash
        self.path = path
        self.root = root
    }

    /// Whether the path leads from the leaf to the root.
    public func verify() -> Bool {
        MerkleProof.verifyInclusion(leafHash: leafHash, leafIndex: position, treeSize: treeSize, path: path, root: root)
    }
}

/// A proof that the log at one size is a prefix of the log at a larger size (RFC 6962 consistency proof).
public struct ConsistencyProof: Sendable, Equatable {
    /// The smaller tree size.
    public var oldSize: UInt64
    /// The larger tree size.
    public var newSize: UInt64
    /// The root at the smaller size.
    public var oldRoot: MerkleDigest
    /// The root at the larger size.
    public var newRoot: MerkleDigest
    /// The consistency path.
    public var path: [MerkleDigest]

    /// Creates a proof from its parts.
    public init(oldSize: UInt64, newSize: UInt64, oldRoot: MerkleDigest, newRoot: MerkleDigest, path: [MerkleDigest]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.oldRoot = oldRoot
        self.newRoot = newRoot
        self.path = path
    }

    /// Whether the path proves the larger tree extends the smaller one.
    public func verify() -> Bool {
        MerkleProof.verifyConsistency(
            oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, path: path)
    }
}

extension LogReader {
    /// The Merkle root of the first `treeSize` records.
    public func root(treeSize: UInt64) throws(RecordLogError) -> MerkleDigest {
        var frontier = MerkleFrontier()
        for hash in try leafHashes(0..<treeSize) { frontier.append(leafHash: hash) }
        return frontier.root
    }

    /// An inclusion proof of the record at `position` in the tree of the first `treeSize` records.
    public func inclusionProof(position: UInt64, treeSize: UInt64) throws(RecordLogError) -> InclusionProof {
        guard position < treeSize else { throw .notFound(what: "position \(position) in a tree of \(treeSize)") }
        let tree = try merkleTree(size: treeSize)
        do {
            return InclusionProof(
                position: position, treeSize: treeSize, leafHash: try tree.subtreeHash(position..<position + 1),
                path: try MerkleProof.inclusionPath(leafIndex: position, treeSize: treeSize, source: tree),
                root: try MerkleProof.root(size: treeSize, source: tree))
        } catch {
            throw .notFound(what: "position \(position) in a tree of \(treeSize)")
        }
    }

    /// A consistency proof between the trees of the first `oldSize` and `newSize` records.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws(RecordLogError) -> ConsistencyProof {
        guard oldSize <= newSize else {
            throw .notFound(what: "a consistency proof from \(oldSize) down to \(newSize)")
        }
        let tree = try merkleTree(size: newSize)
        do {
            return ConsistencyProof(
                oldSize: oldSize, newSize: newSize,
                oldRoot: oldSize == 0 ? MerkleHash.emptyTree : try MerkleProof.root(size: oldSize, source: tree),
                newRoot: try MerkleProof.root(size: newSize, source: tree),
                path: try MerkleProof.consistencyPath(oldSize: oldSize, newSize: newSize, source: tree))
        } catch {
            throw .notFound(what: "a consistency proof from \(oldSize) to \(newSize)")
        }
    }
}

/// What readers have read of sealed segments' index files, by base position, shared by copies of a ``LogReader``.
final class SealedIndexCache: Sendable {
    private let indexes = Mutex<[UInt64: IndexFileView]>([:])

    /// Forgets what was read of the index file of the segment at `base` (the writer rewrote it).
    func forget(base: UInt64) {
        _ = indexes.withLock { $0.removeValue(forKey: base) }
    }

    subscript(base: UInt64) -> IndexFileView? {
        get { indexes.withLock { $0[base] } }
        set { indexes.withLock { $0[base] = newValue } }
    }
}

/// What a log holds, as ``LogReader/storageSummary()`` counts it.
public struct LogStorageSummary: Sendable, Equatable {
    /// The number of records.
    public var records: UInt64 = 0
    /// The number of batches.
    public var batches: Int = 0
    /// The bytes of the batches as stored: headers and (compressed) payloads.
    public var storedBytes: Int64 = 0
    /// The bytes the batches would take uncompressed: headers and uncompressed payloads.
    public var uncompressedBytes: Int64 = 0

    /// Creates an empty summary.
    public init() {}

    /// Uncompressed bytes per stored byte (1 when nothing is stored).
    public var compressionRatio: Double { storedBytes > 0 ? Double(uncompressedBytes) / Double(storedBytes) : 1 }
}
