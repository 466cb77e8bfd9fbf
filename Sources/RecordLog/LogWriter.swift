/// The segment being appended to.
struct ActiveSegment {
    let handle: any OpenFile
    /// The segment's indexes, kept in memory until it is sealed; `index.dataLength` is where the next batch goes.
    var index: SegmentIndex
    /// CRC-32C of bytes 0 ..< `index.dataLength`, stored in the manifest when the segment is sealed.
    var fileChecksum: UInt32
    /// The file's size, which is larger than the data when preallocated.
    var allocatedBytes: Int64
    /// How many of the segment's bytes its index file on disk covers (0 when there is none).
    var indexFileCoverage: UInt64
}

/// Everything the writer knows, owned by the commit queue.
struct LogWriterState {
    var manifest: Manifest
    var active: ActiveSegment
    var frontier: MerkleFrontier
    /// The versions of the active segment's streams, and of the sealed segments' streams looked up so far (0 for
    /// a stream looked up and found nowhere).
    var streamVersions: [String: UInt64]
    /// What the writer knows of the event-id Bloom filters of sealed segments looked up so far, by base position.
    var sealedEventFilters: [UInt64: SealedEventFilter]
    var checkpointCount: Int
    var timeSource: RecordedTimeSource
}

/// What the writer keeps of a sealed segment's event-id Bloom filter (part 5 of its index file).
enum SealedEventFilter: Equatable {
    /// Probed in pieces for one id, not kept: the answer for that id's hash (most processes look up one or two ids per
    /// segment, and a filter is large: 10 bits per record).
    case probed(hash: UInt64, mayContain: Bool)
    /// Read whole and kept, once a second id was looked up.
    case loaded(BloomFilter)
    /// The index could not be read: its events are looked up in its event table, or in the segment.
    case unreadable
}

/// The single writer of a log directory. Confined to the commit queue of ``RecordLog``; not thread-safe by itself.
final class LogWriter: @unchecked Sendable {
    let directory: String
    let fileSystem: any FileSystem
    let configuration: LogConfiguration
    private(set) var state: LogWriterState
    /// Set when a write could not be undone or an fsync failed: nothing more may be written until the log is reopened.
    private(set) var stoppedCause: String?
    /// Event tables of sealed segments read for idempotency checks, most recently used first.
    private var eventTableCache: [SealedEventTable] = []
    private static let eventTableCacheCount = 4
    /// Below this many bytes appended since the active segment's index file was written, closing keeps that file.
    static let indexRefreshBytes: UInt64 = 4 << 20
    /// Reads the sealed segments' index files for stream versions and event ids, keeping what it read.
    private let sealedReader: LogReader

    init(directory: String, fileSystem: any FileSystem, configuration: LogConfiguration, state: LogWriterState) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.configuration = configuration
        self.state = state
        sealedReader = LogReader(directory: directory, fileSystem: fileSystem)
    }

    var nextPosition: UInt64 { state.active.index.nextPosition }

    private func path(_ name: String) -> String { joinPath(directory, name) }

    /// Writes the active segment's index (with its checksum and Merkle frontier) so the next open need not scan the
    /// segment, then closes the segment. When the writer started from such an index and appended less than
    /// ``indexRefreshBytes`` since, or appended nothing at all, the old index is left as it is: the next open scans
    /// only those bytes, closing does not have to read the segment's event ids back, and a session that only read
    /// (a refused command) leaves every file as it found it.
    func close() {
        let active = state.active
        let unindexed = active.index.dataLength - active.indexFileCoverage
        // Nothing appended since the index file was written: it is still exact, whatever was read back meanwhile.
        let keepOldIndex =
            (unindexed == 0 && active.indexFileCoverage > 0)
            || (active.index.omittedEventsFilter != nil && unindexed < Self.indexRefreshBytes)
        if stoppedCause == nil, active.index.recordCount > 0, !keepOldIndex, let index = completeActiveIndex() {
            do {
                try fileSystem.writeAtomically(
                    index.encode(), to: path(SegmentFile.indexName(base: state.active.index.basePosition)))
            } catch {
                configuration.logger.warning(
                    "could not write the active segment's index", metadata: ["error": "\(error)"])
            }
        }
        state.active.handle.close()
    }

    /// Reads back the event ids and streams of the part of the active segment whose index was loaded without them
    /// (from the segment itself, which is the truth), so idempotency checks, version look-ups and the sealed index see
    /// every record.
    private func loadOmittedEvents() {
        guard state.active.index.omittedEventsFilter != nil || state.active.index.streamsOmitted else { return }
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        let base = state.active.index.basePosition
        var loaded = EventIDTable()
        var streams: [String: SegmentIndex.StreamEntry] = [:]
        var position = base
        let end = state.active.index.nextPosition
        do {
            try reader.forEachRecordView(from: base) { record in
                guard record.position < end else { return false }
                loaded.insert(record.eventID, position: record.position)
                streams[record.stream, default: .init(firstVersion: record.streamVersion, positions: [])].positions
                    .append(record.position)
                position = record.position + 1
                return position < end
            }
        } catch {
            configuration.logger.error(
                "could not read back the active segment's event ids", metadata: ["error": "\(error)"])
        }
        guard position == end else {
            stoppedCause = "the active segment could not be read back"
            return
        }
        state.active.index.eventPositions = loaded
        state.active.index.omittedEventsFilter = nil
        state.active.index.streams = streams
        state.active.index.streamsOmitted = false
    }

    /// The active segment's index with its data checksum and Merkle frontier filled in; nil when its events could
    /// not be read back.
    private func completeActiveIndex() -> SegmentIndex? {
        loadOmittedEvents()
        guard state.active.index.omittedEventsFilter == nil, !state.active.index.streamsOmitted else { return nil }
        var index = state.active.index
        index.dataChecksum = state.active.fileChecksum
        index.frontier = state.frontier
        return index
    }

    // MARK: Deciding appends

    /// An append accepted into a group, with the records it will store.
    struct Accepted {
        var records: [LogRecord]
        /// The bytes its records take in a batch payload.
        var payloadBytes: Int
    }

    /// How one append of a group is answered.
    enum Decision {
        case accept(Accepted)
        case alreadyStored(AppendResult)
        /// An exact retry of an append accepted earlier in the same group: answered once the group is durable.
        case retryOfPending(AppendResult)
        case refuse(RecordLogError)
    }

    /// Versions, ids and records decided earlier in the same group, not yet on disk.
    struct GroupOverlay {
        var streamVersions: [String: UInt64] = [:]
        var eventIDs = EventIDTable()
        var pendingRecords: [LogRecord] = []
        let firstPosition: UInt64
        var nextPosition: UInt64

        init(nextPosition: UInt64) {
            firstPosition = nextPosition
            self.nextPosition = nextPosition
        }
    }

    /// Checks one append against the limits, earlier appends (idempotency) and the streams' versions, and assigns
    /// its records positions and versions. Runs for every append: kept to a few hash lookups per event.
    /// `updatesOverlay` is false for the last append of a group, which no later append needs to see.
    func decide(
        _ appends: [StreamAppend], overlay: inout GroupOverlay, recordedTime: Int64, updatesOverlay: Bool
    ) -> Decision {
        let limits = configuration.limits
        var eventCount = 0
        var payloadBytes = 0
        for append in appends {
            guard !append.events.isEmpty else {
                return .refuse(.invalidAppend(reason: "an append needs at least one event for each stream"))
            }
            let streamBytes = append.stream.utf8.count
            guard streamBytes > 0 else { return .refuse(.invalidAppend(reason: "the stream id is empty")) }
            guard streamBytes <= limits.streamIDBytesMax else {
                return .refuse(
                    .limitExceeded(limit: "stream id bytes", value: streamBytes, maximum: limits.streamIDBytesMax))
            }
            guard append.stream.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
                return .refuse(
                    .invalidAppend(
                        reason:
                            "a stream id is printable ASCII without spaces (bytes 0x21 to 0x7E), such as patient-8f2c; "
                            + "never put names or other patient data in it"))
            }
            eventCount += append.events.count
            for event in append.events {
                guard event.payload.count <= limits.recordPayloadBytesMax else {
                    return .refuse(
                        .limitExceeded(
                            limit: "record payload bytes", value: event.payload.count,
                            maximum: limits.recordPayloadBytesMax))
                }
                payloadBytes += 4 + RecordLayout.fixedBytes + streamBytes + event.payload.count
            }
        }
        guard eventCount > 0 else {
            return .refuse(.invalidAppend(reason: "an append needs at least one event for each stream"))
        }
        guard eventCount <= limits.recordsPerBatchMax else {
            return .refuse(
                .limitExceeded(limit: "records per append", value: eventCount, maximum: limits.recordsPerBatchMax))
        }
        guard payloadBytes <= limits.batchBytesMax else {
            return .refuse(.limitExceeded(limit: "append bytes", value: payloadBytes, maximum: limits.batchBytesMax))
        }
        if eventCount > 1 {
            var seen = EventIDTable(minimumCapacity: eventCount)
            for append in appends {
                for event in append.events where seen.insert(event.eventID, position: 0) != nil {
                    return .refuse(.duplicateEventInAppend(eventID: event.eventID))
                }
            }
        }
        let groupHasEarlierAppends = !overlay.eventIDs.isEmpty
        do {
            for append in appends {
                for event in append.events {
                    let pending = groupHasEarlierAppends && overlay.eventIDs[event.eventID] != nil
                    if try pending || storedPosition(of: event.eventID) != nil {
                        return try checkRetry(appends, overlay: overlay)
                    }
                }
            }
        } catch {
            return .refuse(RecordLogError(wrapping: error))
        }
        var records: [LogRecord] = []
        records.reserveCapacity(eventCount)
        var position = overlay.nextPosition
        var decided: [String: UInt64] = [:]
        if appends.count > 1 { decided.reserveCapacity(appends.count) }
        for append in appends {
            var version: UInt64
            if let earlier = (appends.count > 1 ? decided[append.stream] : nil)
                ?? (groupHasEarlierAppends ? overlay.streamVersions[append.stream] : nil)
            {
                version = earlier
            } else {
                do { version = try streamVersion(of: append.stream) } catch { return .refuse(error) }
            }
            guard append.expectedVersion.admits(version) else {
                return .refuse(
                    .wrongExpectedVersion(stream: append.stream, expected: append.expectedVersion, actual: version))
            }
            for event in append.events {
                version += 1
                records.append(
                    LogRecord(
                        position: position, recordedTimeMicroseconds: recordedTime, stream: append.stream,
                        streamVersion: version, eventID: event.eventID, payload: event.payload))
                position += 1
            }
            if appends.count > 1 { decided[append.stream] = version }
        }
        overlay.nextPosition = position
        if updatesOverlay {
            for record in records {
                overlay.eventIDs.insert(record.eventID, position: record.position)
                overlay.streamVersions[record.stream] = record.streamVersion
            }
            overlay.pendingRecords.append(contentsOf: records)
        }
        return .accept(Accepted(records: records, payloadBytes: payloadBytes))
    }

    /// Answers an append whose event ids are already stored, or taken by an earlier append of the same group: an
    /// identical retry gets the original result, anything else a ``RecordLogError/conflictingRetry(eventID:storedAt:)``.
    private func checkRetry(_ appends: [StreamAppend], overlay: GroupOverlay) throws -> Decision {
        let events = appends.flatMap { append in append.events.map { (stream: append.stream, event: $0) } }
        var found: [(position: UInt64, record: LogRecord?)?] = []
        for (_, event) in events {
            if let position = overlay.eventIDs[event.eventID] {
                found.append((position, overlay.pendingRecords[Int(position - overlay.firstPosition)]))
            } else {
                found.append(try storedPosition(of: event.eventID).map { ($0, nil) })
            }
        }
        guard let first = found.firstIndex(where: { $0 != nil }), let firstFound = found[first] else {
            throw RecordLogError.invalidAppend(reason: "no event of the append is stored")
        }
        guard found.allSatisfy({ $0 != nil }) else {
            return .refuse(.conflictingRetry(eventID: events[first].event.eventID, storedAt: firstFound.position))
        }
        let reader = LogReader(directory: directory, fileSystem: fileSystem)
        var positions: [UInt64] = []
        var versions: [UInt64] = []
        var recordedTime: Int64 = 0
        var pending = false
        for ((stream, event), entry) in zip(events, found) {
            guard let (position, pendingRecord) = entry else { continue }
            let stored = try pendingRecord ?? reader.record(at: position)
            guard stored.stream == stream, stored.eventID == event.eventID, stored.payload == event.payload else {
                return .refuse(.conflictingRetry(eventID: event.eventID, storedAt: position))
            }
            pending = pending || pendingRecord != nil
            positions.append(position)
            versions.append(stored.streamVersion)
            recordedTime = stored.recordedTimeMicroseconds
        }
        let result = AppendResult(
            positions: positions, streamVersions: versions, recordedTimeMicroseconds: recordedTime, alreadyStored: true)
        return pending ? .retryOfPending(result) : .alreadyStored(result)
    }

    /// The position of a stored event id: the active segment's table, then the sealed segments whose Bloom filter may
    /// hold it, newest first. A sealed segment's event table is read from its index file (or, when that cannot be
    /// read, from the segment itself) and kept for the next look-up.
    func storedPosition(of id: EventID) throws -> UInt64? {
        if let position = state.active.index.eventPositions[id] { return position }
        let hash = BloomFilter.hash(id)
        if let filter = state.active.index.omittedEventsFilter, filter.mayContain(hash: hash) {
            if let table = activeSnapshotEventTable() {
                if let position = table.position(of: id) { return position }
            } else {
                loadOmittedEvents()
                if let stoppedCause { throw RecordLogError.writerStopped(cause: stoppedCause) }
                if let position = state.active.index.eventPositions[id] { return position }
            }
        }
        for sealed in state.manifest.sealed.reversed() {
            let base = sealed.basePosition
            guard try sealedEventFilterMayContain(hash: hash, base: base) else { continue }
            if let position = try sealedEventTable(base: base).position(of: id) { return position }
        }
        return nil
    }

    /// Whether the event-id Bloom filter of the sealed segment at `base` may hold the id whose hash is `hash`. The
    /// first id looked up in a segment is probed in its index file's filter part, read in pieces and checked, and only
    /// its answer kept; a look-up of another id reads the whole filter once and keeps it. A filter that cannot be read
    /// or does not check rebuilds the index from the segment (docs/log-format.md section 13.3).
    private func sealedEventFilterMayContain(hash: UInt64, base: UInt64) throws -> Bool {
        switch state.sealedEventFilters[base] {
        case .loaded(let filter):
            return filter.mayContain(hash: hash)
        case .unreadable:
            return true
        case .probed(let probedHash, let answer):
            if probedHash == hash { return answer }
            let filter = sealedReader.withIndex(of: sealedSegment(base)) { view, file in view.eventFilter(from: file) }
            guard let filter = filter ?? nil else { return try rebuildAfterUnreadableFilter(base: base, hash: hash) }
            state.sealedEventFilters[base] = .loaded(filter)
            return filter.mayContain(hash: hash)
        case nil:
            let answer = sealedReader.withIndex(of: sealedSegment(base)) { view, file in
                view.eventFilterMayContain(hash: hash, from: file)
            }
            guard let answer = answer ?? nil else { return try rebuildAfterUnreadableFilter(base: base, hash: hash) }
            state.sealedEventFilters[base] = .probed(hash: hash, mayContain: answer)
            return answer
        }
    }

    /// Rebuilds the index of the sealed segment at `base` after its event filter could not be read, and answers from
    /// the rebuilt filter.
    private func rebuildAfterUnreadableFilter(base: UInt64, hash: UInt64) throws -> Bool {
        state.sealedEventFilters[base] = .unreadable
        _ = try rebuildSealedIndex(base: base)
        return try sealedEventFilterMayContain(hash: hash, base: base)
    }

    /// The version of `stream`'s last record (0 when it has none): from memory for the active segment's streams and
    /// those looked up before, else from the newest sealed segment whose index lists it.
    func streamVersion(of stream: String) throws(RecordLogError) -> UInt64 {
        if let version = state.streamVersions[stream] { return version }
        if let version = try activeSegmentVersion(of: stream) {
            state.streamVersions[stream] = version
            return version
        }
        let version = try sealedReader.lastVersion(
            ofStream: Array(stream.utf8), inSealedSegments: state.manifest.sealed.map(\.basePosition)
        ) { base throws(RecordLogError) in
            do { return try rebuildSealedIndex(base: base).index } catch { throw RecordLogError(wrapping: error) }
        }
        state.streamVersions[stream] = version
        return version
    }

    /// Rebuilds the index file of the sealed segment at `base` from the segment, when a look-up found a part of it
    /// unusable (recovery checks only the headers), so that later look-ups and readers use it again. A failure to
    /// write the file is logged: the look-up still has the index.
    private func rebuildSealedIndex(base: UInt64) throws -> (index: SegmentIndex, bytes: [UInt8]) {
        let name = SegmentFile.indexName(base: base)
        configuration.logger.warning("rebuilding a damaged index from its segment", metadata: ["file": "\(name)"])
        guard let sealed = state.manifest.sealed.first(where: { $0.basePosition == base }) else {
            throw RecordLogError.notFound(what: "sealed segment \(base)")
        }
        var index = SegmentIndex(basePosition: base)
        try LogReader(directory: directory, fileSystem: fileSystem).forEachBatch(
            in: sealedSegment(base), expectedBase: base
        ) { batch in
            index.add(batch: batch, at: index.dataLength, intervalBytes: configuration.indexIntervalBytes)
            return true
        }
        guard index.recordCount == sealed.recordCount, index.dataLength == sealed.dataLength else {
            throw RecordLogError.corruption(
                LogLocation(file: SegmentFile.name(base: base), offset: Int64(index.dataLength)),
                reason: "sealed segment does not hold the records the manifest lists")
        }
        index.dataChecksum = sealed.fileChecksum
        let bytes = index.encode()
        do {
            try fileSystem.writeAtomically(bytes, to: path(name))
        } catch {
            configuration.logger.warning("could not rewrite a damaged index", metadata: ["error": "\(error)"])
        }
        sealedReader.forgetIndex(base: base)
        state.sealedEventFilters[base] = .loaded(index.eventFilter())
        return (index, bytes)
    }

    /// The event table of the index file the writer started from, which covers the start of the active segment
    /// (read whole and checked, not kept: a filter hit is rare); nil when it cannot be used.
    private func activeSnapshotEventTable() -> SealedEventTable? {
        let base = state.active.index.basePosition
        let coverage = state.active.indexFileCoverage
        let segment = LogReader.SegmentView(base: base, name: SegmentFile.name(base: base), isLast: true)
        return sealedReader.withIndex(of: segment) { view, file -> SealedEventTable? in
            guard view.header.dataLength == coverage else { return nil }
            return view.eventTable(from: file)
        } ?? nil
    }

    /// The version of `stream`'s last record in the active segment when the stream is there but not in memory: it
    /// is in the part the writer's starting index file covers, looked up in that file (or, when the file cannot be
    /// used, in the records read back from the segment). Nil when the active segment does not hold the stream.
    private func activeSegmentVersion(of stream: String) throws(RecordLogError) -> UInt64? {
        let index = state.active.index
        if !index.streamsOmitted {
            return index.streams[stream].map { $0.firstVersion + UInt64($0.positions.count) - 1 }
        }
        let segment = LogReader.SegmentView(
            base: index.basePosition, name: SegmentFile.name(base: index.basePosition), isLast: true)
        let coverage = state.active.indexFileCoverage
        let lookup = sealedReader.withIndex(of: segment) { view, file -> IndexFileView.StreamLookup in
            guard view.header.dataLength == coverage else { return .unreadable }
            return view.streamEntry(Array(stream.utf8), from: file)
        }
        switch lookup ?? .unreadable {
        case .listed(let entry): return entry.firstVersion + UInt64(entry.positions.count) - 1
        case .notListed: return nil
        case .unreadable:
            loadOmittedEvents()
            if let stoppedCause { throw .writerStopped(cause: stoppedCause) }
            return try activeSegmentVersion(of: stream)
        }
    }

    private func sealedSegment(_ base: UInt64) -> LogReader.SegmentView {
        LogReader.SegmentView(base: base, name: SegmentFile.name(base: base), isLast: false)
    }

    /// The event table of a sealed segment, from the cache, its index file, or the index rebuilt from the segment.
    private func sealedEventTable(base: UInt64) throws -> SealedEventTable {
        if let cached = eventTableCache.first(where: { $0.basePosition == base }) { return cached }
        var table = sealedReader.withIndex(of: sealedSegment(base)) { view, file in view.eventTable(from: file) } ?? nil
        if table?.basePosition != base {
            table = SealedEventTable(indexFile: try rebuildSealedIndex(base: base).bytes)
        }
        guard let table, table.basePosition == base else {
            throw RecordLogError.corruption(
                LogLocation(file: SegmentFile.indexName(base: base)), reason: "the event table cannot be read")
        }
        eventTableCache.insert(table, at: 0)
        if eventTableCache.count > Self.eventTableCacheCount { eventTableCache.removeLast() }
        return table
    }

    // MARK: Writing

    /// Writes the accepted appends of a group as batches (one batch unless the group passes the batch limits), each
    /// fsynced, and updates the state. On a write error the bytes are undone and the error returned; on an fsync error
    /// the writer stops.
    func write(_ accepted: [Accepted]) throws {
        if let stoppedCause { throw RecordLogError.writerStopped(cause: stoppedCause) }
        var batches: [[Accepted]] = [[]]
        var batchRecords = 0
        var batchBytes = 0
        for append in accepted {
            let bytes = append.payloadBytes
            if batchRecords + append.records.count > configuration.limits.recordsPerBatchMax
                || batchBytes + bytes > configuration.limits.batchBytesMax
            {
                batches.append([])
                batchRecords = 0
                batchBytes = 0
            }
            batches[batches.count - 1].append(append)
            batchRecords += append.records.count
            batchBytes += bytes
        }
        for group in batches where !group.isEmpty {
            let records = group.count == 1 ? group[0].records : group.flatMap(\.records)
            let encoded = BatchCodec.encodeWithLeaves(records)
            let dataLength = state.active.index.dataLength
            if dataLength > 0, Int64(dataLength) + Int64(encoded.bytes.count) > configuration.segmentBytesMax {
                try roll()
            }
            try writeDurably(encoded, records: records)
        }
    }

    /// Writes one batch where the active segment's data ends and fsyncs it before anything else is written, so a
    /// crash can damage only the last batch: recovery relies on this to tell a torn tail from damage inside the log.
    private func writeDurably(_ batch: EncodedBatch, records: [LogRecord]) throws {
        let start = Int64(state.active.index.dataLength)
        do {
            try state.active.handle.write(batch.bytes, at: start)
        } catch {
            undoWrite(at: start)
            throw error
        }
        // A large batch's index, leaves and versions are recorded while fdatasync runs on another thread: the write
        // succeeded, so the batch is not undone; if fdatasync fails the writer stops and nothing recorded here is
        // written anywhere (`close()` writes no index once stopped).
        var syncError: (any Error)?
        if records.count >= recordsHandedOverMin {
            let outcome = SyncOutcome()
            let handle = HandedOver(value: state.active.handle)
            runAlongside(
                {
                    do { try handle.value.sync() } catch { outcome.error = error }
                },
                { record(batch, at: start, records: records) })
            syncError = outcome.error
        } else {
            do { try state.active.handle.sync() } catch { syncError = error }
            if syncError == nil { record(batch, at: start, records: records) }
        }
        if let error = syncError {
            stoppedCause = "fsync failed (\(error))"
            configuration.logger.critical("fsync failed; the writer stops", metadata: ["error": "\(error)"])
            throw RecordLogError.writerStopped(cause: "fsync failed (\(error))")
        }
    }

    /// Records a batch written at `start` in the writer's state: the active segment's checksum, size and index, the
    /// Merkle frontier and the streams' versions.
    private func record(_ batch: EncodedBatch, at start: Int64, records: [LogRecord]) {
        state.active.fileChecksum = batch.bytes.withUnsafeBytes { CRC32C.update(state.active.fileChecksum, $0) }
        state.active.allocatedBytes = max(state.active.allocatedBytes, start + Int64(batch.bytes.count))
        state.active.index.add(
            batchAt: UInt64(start), header: batch.header, records: records,
            intervalBytes: configuration.indexIntervalBytes)
        for leaf in batch.leafHashes { state.frontier.append(leafHash: leaf) }
        // The last record of each run of one stream holds its version (a stream's records ascend in a batch).
        for index in records.indices
        where index == records.count - 1 || records[index + 1].stream != records[index].stream {
            state.streamVersions[records[index].stream] = records[index].streamVersion
        }
    }

    /// What the fdatasync of a batch handed to another thread ended with (read once both sides finished).
    private final class SyncOutcome: @unchecked Sendable {
        var error: (any Error)?
    }

    /// Cuts the file back to where the failed write began, so no part of a batch it may have left stays. This works
    /// on a full disk (it frees space); the rest of the segment is then no longer preallocated.
    private func undoWrite(at start: Int64) {
        do {
            try state.active.handle.truncate(to: start)
            state.active.allocatedBytes = start
        } catch {
            stoppedCause = "a failed write could not be undone (\(error))"
            configuration.logger.critical("a failed write could not be undone; the writer stops")
        }
    }

    /// Seals the active segment (cut to its data, fsynced, indexed, recorded in the manifest) and starts a new one.
    private func roll() throws {
        let active = state.active
        let base = active.index.basePosition
        do {
            try active.handle.truncate(to: Int64(active.index.dataLength))
            try active.handle.sync()
            guard let index = completeActiveIndex() else {
                throw RecordLogError.writerStopped(cause: stoppedCause ?? "the active segment could not be read back")
            }
            try fileSystem.writeAtomically(index.encode(), to: path(SegmentFile.indexName(base: base)))
            let nextBase = active.index.nextPosition
            let nextPath = path(SegmentFile.name(base: nextBase))
            if fileSystem.exists(nextPath) {
                try fileSystem.remove(nextPath)
            }
            let handle = try SegmentAllocator(fileSystem: fileSystem, configuration: configuration)
                .createSegment(path: nextPath)
            var manifest = state.manifest
            manifest.sealed.append(
                Manifest.SealedSegment(
                    basePosition: base, recordCount: active.index.recordCount, dataLength: active.index.dataLength,
                    lastRecordedTime: active.index.lastRecordedTime, fileChecksum: active.fileChecksum))
            manifest.activeBase = nextBase
            manifest.frontier = state.frontier
            do {
                try fileSystem.writeAtomically(manifest.encode(), to: path(Manifest.fileName))
            } catch {
                handle.close()
                throw error
            }
            active.handle.close()
            state.manifest = manifest
            state.sealedEventFilters[base] = .loaded(active.index.eventFilter())
            state.active = ActiveSegment(
                handle: handle, index: SegmentIndex(basePosition: nextBase), fileChecksum: 0,
                allocatedBytes: configuration.preallocateSegments ? configuration.segmentBytesMax : 0,
                indexFileCoverage: 0)
            configuration.logger.info("sealed segment", metadata: ["base": "\(base)", "next": "\(nextBase)"])
        } catch {
            stoppedCause = "sealing segment \(base) failed (\(error))"
            throw RecordLogError.writerStopped(cause: "sealing segment \(base) failed (\(error))")
        }
    }

    // MARK: Checkpoints

    /// Signs the current tree and appends the checkpoint durably.
    func takeCheckpoint(signer: CheckpointSigner) throws -> SignedCheckpoint {
        if let stoppedCause { throw RecordLogError.writerStopped(cause: stoppedCause) }
        let time = state.timeSource.next(from: configuration.clock)
        let checkpoint = try signer.sign(
            treeSize: state.frontier.size, timeMicroseconds: time, root: state.frontier.root,
            logID: state.manifest.logID)
        let filePath = path(CheckpointFile.fileName)
        let created = !fileSystem.exists(filePath)
        let handle = try fileSystem.open(filePath, mode: created ? .createNew : .readWrite)
        defer { handle.close() }
        let offset = Int64(state.checkpointCount * SignedCheckpoint.byteCount)
        do {
            try handle.write(checkpoint.encode(), at: offset)
        } catch {
            try? handle.truncate(to: offset)
            throw error
        }
        do {
            try handle.sync()
            // A file this writer did not fill yet may have been created by an attempt that failed before its entry
            // was made durable: the directory is synced for the first checkpoint in it too.
            if created || state.checkpointCount == 0 { try fileSystem.syncDirectory(directory) }
        } catch {
            stoppedCause = "fsync of the checkpoint file failed (\(error))"
            throw RecordLogError.writerStopped(cause: "fsync of the checkpoint file failed (\(error))")
        }
        state.checkpointCount += 1
        return checkpoint
    }

    func nextRecordedTime() -> Int64 {
        state.timeSource.next(from: configuration.clock)
    }
}
