/// The indexes of one segment: sparse position→offset and time→position entries, each stream's positions, every
/// event id, and Bloom filters over streams and event ids. Written beside a segment when it is sealed, as
/// `<base>.index`; the writer keeps the active segment's in memory.
///
/// The file layout (format version 2) is in `SegmentIndexFile.swift` and docs/log-format.md, section 9: every part
/// carries its own CRC-32C, so a look-up reads and checks only the parts it needs. The writer also keeps an index file
/// for the active segment, written when the log is closed: it covers the segment's first `data length` bytes, so
/// opening and reading need not scan them again.
struct SegmentIndex: Equatable, Sendable {
    static let magic: [UInt8] = [0x43, 0x4C, 0x58, 0x31]
    static let formatVersion: UInt16 = 2
    static let headerByteCount = 128

    struct SparseEntry: Equatable, Sendable {
        var position: UInt64
        var offset: UInt64
        var recordedTime: Int64
    }

    struct StreamEntry: Equatable, Sendable {
        var firstVersion: UInt64
        var positions: [UInt64]
    }

    var basePosition: UInt64
    var recordCount: UInt64 = 0
    var dataLength: UInt64 = 0
    var firstRecordedTime: Int64 = 0
    var lastRecordedTime: Int64 = 0
    var sparse: [SparseEntry] = []
    var streams: [String: StreamEntry] = [:]
    var eventPositions = EventIDTable()
    /// Set when the index was decoded without its event table: `eventPositions` then holds only events added since,
    /// and this filter (read from the file) covers the omitted ones.
    var omittedEventsFilter: BloomFilter?
    /// Set when the index was loaded without its stream entries (the writer's snapshot of the active segment):
    /// `streams` then holds only the records added since, and the file lists the covered ones.
    var streamsOmitted = false
    /// Where the event table starts in the file the index was decoded from.
    var eventTableOffset = 0
    /// CRC-32C of the segment's bytes 0 ..< `dataLength`.
    var dataChecksum: UInt32 = 0
    /// The Merkle frontier after the last record, when the writer knew it (absent from rebuilt indexes).
    var frontier: MerkleFrontier?

    init(basePosition: UInt64) {
        self.basePosition = basePosition
    }

    var nextPosition: UInt64 { basePosition + recordCount }

    /// Adds a batch written at `offset`; records must be the batch's, in order.
    mutating func add(batchAt offset: UInt64, header: BatchHeader, records: [LogRecord], intervalBytes: Int) {
        precondition(header.basePosition == nextPosition, "index batches must be consecutive")
        if sparse.isEmpty || offset - sparse[sparse.count - 1].offset >= UInt64(intervalBytes) {
            sparse.append(
                SparseEntry(position: header.basePosition, offset: offset, recordedTime: header.firstRecordedTime))
        }
        if recordCount == 0 { firstRecordedTime = header.firstRecordedTime }
        lastRecordedTime = header.lastRecordedTime
        // Records of one stream usually come in runs (the events of one `StreamAppend`): one look-up per run.
        var start = 0
        while start < records.count {
            let stream = records[start].stream
            var end = start + 1
            while end < records.count, records[end].stream == stream { end += 1 }
            streams[stream, default: StreamEntry(firstVersion: records[start].streamVersion, positions: [])].positions
                .append(contentsOf: records[start].position...records[end - 1].position)
            start = end
        }
        for index in records.indices {
            eventPositions.insert(records[index].eventID, position: records[index].position)
        }
        recordCount += UInt64(header.recordCount)
        dataLength = offset + UInt64(header.batchByteCount)
    }

    /// Adds every record of a decoded batch (used when an index is rebuilt from a segment), reading records in place.
    /// Without `recordingEventIDs` the event ids are left out of ``eventPositions`` (the verifier keeps them in one
    /// table for the whole log instead); without `recordingStreams` the streams are left out of ``streams`` (the
    /// verifier keeps them in a ``SegmentStreamTable``).
    mutating func add(
        batch: DecodedBatch, at offset: UInt64, intervalBytes: Int, recordingEventIDs: Bool = true,
        recordingStreams: Bool = true
    ) {
        precondition(batch.header.basePosition == nextPosition, "index batches must be consecutive")
        if sparse.isEmpty || offset - sparse[sparse.count - 1].offset >= UInt64(intervalBytes) {
            sparse.append(
                SparseEntry(
                    position: batch.header.basePosition, offset: offset, recordedTime: batch.header.firstRecordedTime))
        }
        if recordCount == 0 { firstRecordedTime = batch.header.firstRecordedTime }
        lastRecordedTime = batch.header.lastRecordedTime
        if recordingStreams || recordingEventIDs {
            _ = batch.forEachRecordView { record in
                let position = record.position
                if recordingStreams {
                    streams[record.stream, default: StreamEntry(firstVersion: record.streamVersion, positions: [])]
                        .positions.append(position)
                }
                if recordingEventIDs { eventPositions.insert(record.eventID, position: position) }
                return true
            }
        }
        recordCount += UInt64(batch.header.recordCount)
        dataLength = offset + UInt64(batch.header.batchByteCount)
    }

    /// Where a scan that finds `position` starts: a batch's byte offset and base position (0 and the segment's base
    /// when no index entry lies before it).
    func scanStart(for position: UInt64) -> (offset: UInt64, position: UInt64) {
        var low = 0
        var high = sparse.count
        while low < high {
            let middle = (low + high) / 2
            if sparse[middle].position <= position { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? (0, basePosition) : (sparse[low - 1].offset, sparse[low - 1].position)
    }

    /// Where a scan that finds the first record recorded at or after `time` starts.
    func scanStart(forTime time: Int64) -> (offset: UInt64, position: UInt64) {
        var low = 0
        var high = sparse.count
        while low < high {
            let middle = (low + high) / 2
            if sparse[middle].recordedTime < time { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? (0, basePosition) : (sparse[low - 1].offset, sparse[low - 1].position)
    }

    /// The event-id Bloom filter that ``encode()`` writes, for the writer's idempotency checks: every event id of the
    /// index (or, when the index was decoded without its event table, the filter read from the file).
    func eventFilter() -> BloomFilter {
        if let omittedEventsFilter { return omittedEventsFilter }
        var filter = BloomFilter(expectedKeys: eventPositions.count)
        for event in eventPositions.entries { filter.insert(hash: BloomFilter.hash(event.id)) }
        return filter
    }

    /// The stream Bloom filter that ``encode()`` writes: the UTF-8 bytes of every stream id of the index.
    func streamFilter() -> BloomFilter {
        var filter = BloomFilter(expectedKeys: streams.count)
        for stream in streams.keys { filter.insert(stream.utf8) }
        return filter
    }
}

/// The two Bloom filters of an index file as they are stored (parts 1 and 5), for a comparison with the filters
/// rebuilt from the segment's keys.
struct IndexFileFilters: Equatable, Sendable {
    var streams: BloomFilter
    var events: BloomFilter
}

/// Why an index file could not be used, and where in it.
struct IndexDefect: Error, Equatable, Sendable {
    var offset: Int
    var reason: String
}
