/// The indexes of one segment: sparse position→offset and time→position entries, each stream's positions, every
/// event id, and Bloom filters over streams and event ids. Written beside a segment when it is sealed, as
/// `<base>.index`; the writer keeps the active segment's in memory.
///
/// File layout (little-endian; see docs/log-format.md):
/// ```
/// header, 64 bytes:
///      0    4 magic "CLX1" (0x43 0x4C 0x58 0x31)
///      4    4 CRC-32C of bytes 8 ..< end of file
///      8    2 format version (1)
///     10    2 reserved, zero
///     12    4 sparse entry count E
///     16    8 base position
///     24    8 record count N
///     32    8 segment data length in bytes
///     40    8 first recorded time (i64 µs; 0 when N = 0)
///     48    8 last recorded time (i64 µs; 0 when N = 0)
///     56    4 stream count K
///     60    4 flags: bit 0 = a Merkle frontier follows the event table; other bits zero
/// E sparse entries, 24 bytes each: batch base position u64, batch byte offset u64, batch first recorded time i64
/// stream Bloom filter, then event-id Bloom filter: bit count u32, hash count u8, 3 zero bytes, bit count / 8 bytes
/// K stream entries, ascending by UTF-8 bytes: id length u16, id, first version u64, count u32,
///   count × (position − base) u32
/// N event entries, ascending by id bytes: id 16 bytes, (position − base) u32
/// data checksum u32: CRC-32C of the segment's bytes 0 ..< data length
/// when flag bit 0 is set: Merkle frontier after the last record: size u64 (= base + N), hash count H u32
///   (the number of one bits in the size), H × 32 hashes, largest subtree first
/// ```
/// The writer also keeps an index file for the active segment, written when the log is closed: it covers the
/// segment's first `data length` bytes, so opening and reading need not scan them again.
struct SegmentIndex: Equatable, Sendable {
    static let magic: [UInt8] = [0x43, 0x4C, 0x58, 0x31]
    static let formatVersion: UInt16 = 1
    static let headerByteCount = 64

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
        for record in records {
            streams[record.stream, default: StreamEntry(firstVersion: record.streamVersion, positions: [])].positions
                .append(record.position)
            eventPositions.insert(record.eventID, position: record.position)
        }
        recordCount += UInt64(header.recordCount)
        dataLength = offset + UInt64(header.batchByteCount)
    }

    /// Adds every record of a decoded batch (used when an index is rebuilt from a segment), reading records in place.
    mutating func add(batch: DecodedBatch, at offset: UInt64, intervalBytes: Int) {
        precondition(batch.header.basePosition == nextPosition, "index batches must be consecutive")
        if sparse.isEmpty || offset - sparse[sparse.count - 1].offset >= UInt64(intervalBytes) {
            sparse.append(
                SparseEntry(
                    position: batch.header.basePosition, offset: offset, recordedTime: batch.header.firstRecordedTime))
        }
        if recordCount == 0 { firstRecordedTime = batch.header.firstRecordedTime }
        lastRecordedTime = batch.header.lastRecordedTime
        _ = batch.forEachRecordView { record in
            let position = record.position
            streams[record.stream, default: StreamEntry(firstVersion: record.streamVersion, positions: [])].positions
                .append(position)
            eventPositions.insert(record.eventID, position: position)
            return true
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

    func encode() -> [UInt8] {
        precondition(omittedEventsFilter == nil, "an index is written only with all its events")
        var writer = ByteWriter(capacity: Self.headerByteCount + sparse.count * 24 + eventPositions.count * 20)
        writer.append(contentsOf: Self.magic)
        writer.append(UInt32(0))
        writer.append(Self.formatVersion)
        writer.append(UInt16(0))
        writer.append(UInt32(sparse.count))
        writer.append(basePosition)
        writer.append(recordCount)
        writer.append(dataLength)
        writer.append(firstRecordedTime)
        writer.append(lastRecordedTime)
        writer.append(UInt32(streams.count))
        writer.append(UInt32(frontier == nil ? 0 : 1))
        for entry in sparse {
            writer.append(entry.position)
            writer.append(entry.offset)
            writer.append(entry.recordedTime)
        }
        let sortedStreams = streams.map { (utf8: Array($0.key.utf8), entry: $0.value) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var streamFilter = BloomFilter(expectedKeys: sortedStreams.count)
        for stream in sortedStreams { streamFilter.insert(stream.utf8) }
        var eventFilter = BloomFilter(expectedKeys: eventPositions.count)
        let sortedEvents = eventPositions.entries.sorted { $0.id < $1.id }
        for event in sortedEvents { eventFilter.insert(hash: BloomFilter.hash(event.id)) }
        streamFilter.encode(into: &writer)
        eventFilter.encode(into: &writer)
        for stream in sortedStreams {
            writer.append(UInt16(stream.utf8.count))
            writer.append(contentsOf: stream.utf8)
            writer.append(stream.entry.firstVersion)
            writer.append(UInt32(stream.entry.positions.count))
            for position in stream.entry.positions { writer.append(UInt32(position - basePosition)) }
        }
        for event in sortedEvents {
            writer.append(event.id.high.bigEndian)
            writer.append(event.id.low.bigEndian)
            writer.append(UInt32(event.position - basePosition))
        }
        writer.append(dataChecksum)
        if let frontier {
            writer.append(frontier.size)
            writer.append(UInt32(frontier.hashes.count))
            for hash in frontier.hashes { writer.append(contentsOf: hash.bytes) }
        }
        writer.sealChecksum()
        return writer.bytes
    }

    /// The event-id Bloom filter that ``encode()`` writes, for the writer's idempotency checks.
    func eventFilter() -> BloomFilter {
        if let omittedEventsFilter { return omittedEventsFilter }
        var filter = BloomFilter(expectedKeys: eventPositions.count)
        for event in eventPositions.entries { filter.insert(hash: BloomFilter.hash(event.id)) }
        return filter
    }

    /// Decodes and checks an index file; the reason says what is wrong. Without `includingEvents` the event table
    /// is skipped (it is most of the file) and its Bloom filter kept in ``omittedEventsFilter``.
    static func decode(_ bytes: [UInt8], includingEvents: Bool = true) -> Result<SegmentIndex, IndexDefect> {
        bytes.withUnsafeBytes { raw -> Result<SegmentIndex, IndexDefect> in
            guard raw.count >= headerByteCount else { return .failure(.init(offset: 0, reason: "file too short")) }
            guard Array(raw[0..<4]) == magic else { return .failure(.init(offset: 0, reason: "bad magic")) }
            guard bytes.hasValidChecksum else { return .failure(.init(offset: 4, reason: "checksum mismatch")) }
            var reader = ByteReader(raw, offset: 8)
            guard reader.readUInt16() == formatVersion, reader.readUInt16() == 0, let sparseCount = reader.readUInt32(),
                let base = reader.readUInt64(), let recordCount = reader.readUInt64(),
                let dataLength = reader.readUInt64(), let firstTime = reader.readInt64(),
                let lastTime = reader.readInt64(), let streamCount = reader.readUInt32(),
                let flags = reader.readUInt32(),
                flags & ~1 == 0,
                recordCount <= UInt64(UInt32.max), base <= UInt64.max - recordCount
            else { return .failure(.init(offset: 8, reason: "invalid header")) }
            var index = SegmentIndex(basePosition: base)
            index.recordCount = recordCount
            index.dataLength = dataLength
            index.firstRecordedTime = firstTime
            index.lastRecordedTime = lastTime
            guard Int(sparseCount) <= reader.remaining / 24 else {
                return .failure(.init(offset: reader.offset, reason: "sparse entries run past the file"))
            }
            for _ in 0..<sparseCount {
                guard let position = reader.readUInt64(), let offset = reader.readUInt64(),
                    let time = reader.readInt64(), position >= base, position < base + recordCount,
                    offset < dataLength, index.sparse.last.map({ $0.position < position && $0.offset < offset }) ?? true
                else { return .failure(.init(offset: reader.offset, reason: "invalid sparse entry")) }
                index.sparse.append(SparseEntry(position: position, offset: offset, recordedTime: time))
            }
            guard BloomFilter.decode(from: &reader) != nil, let eventFilter = BloomFilter.decode(from: &reader) else {
                return .failure(.init(offset: reader.offset, reason: "invalid Bloom filter"))
            }
            for _ in 0..<streamCount {
                let entryOffset = reader.offset
                guard let length = reader.readUInt16(), let utf8 = reader.readBytes(Int(length)), length > 0,
                    let stream = String(validating: utf8, as: UTF8.self), let firstVersion = reader.readUInt64(),
                    let count = reader.readUInt32(), count > 0, Int(count) <= reader.remaining / 4,
                    firstVersion >= 1, index.streams[stream] == nil
                else { return .failure(.init(offset: entryOffset, reason: "invalid stream entry")) }
                var positions: [UInt64] = []
                positions.reserveCapacity(Int(count))
                for _ in 0..<count {
                    guard let delta = reader.readUInt32(), UInt64(delta) < recordCount,
                        positions.last.map({ $0 < base + UInt64(delta) }) ?? true
                    else { return .failure(.init(offset: entryOffset, reason: "invalid stream positions")) }
                    positions.append(base + UInt64(delta))
                }
                index.streams[stream] = StreamEntry(firstVersion: firstVersion, positions: positions)
            }
            guard UInt64(reader.remaining) >= recordCount * 20 + 4 else {
                return .failure(.init(offset: reader.offset, reason: "event table length does not match record count"))
            }
            index.eventTableOffset = reader.offset
            if !includingEvents {
                index.omittedEventsFilter = eventFilter
                _ = reader.skip(Int(recordCount) * 20)
            }
            if includingEvents { index.eventPositions = EventIDTable(minimumCapacity: Int(recordCount)) }
            var previousID: EventID?
            for _ in 0..<(includingEvents ? recordCount : 0) {
                guard let idBytes = reader.readBytes(16), let id = EventID(bytes: idBytes),
                    previousID.map({ $0 < id }) ?? true, let delta = reader.readUInt32(),
                    UInt64(delta) < recordCount, index.eventPositions.insert(id, position: base + UInt64(delta)) == nil
                else { return .failure(.init(offset: reader.offset, reason: "invalid event entry")) }
                previousID = id
            }
            guard let dataChecksum = reader.readUInt32() else {
                return .failure(.init(offset: reader.offset, reason: "missing data checksum"))
            }
            index.dataChecksum = dataChecksum
            if flags & 1 != 0 {
                guard let size = reader.readUInt64(), size == base + recordCount, let count = reader.readUInt32(),
                    Int(count) == size.nonzeroBitCount, reader.remaining == Int(count) * 32
                else { return .failure(.init(offset: reader.offset, reason: "invalid Merkle frontier")) }
                var hashes: [MerkleDigest] = []
                for _ in 0..<count {
                    guard let bytes = reader.readBytes(32), let hash = MerkleDigest(bytes: bytes) else {
                        return .failure(.init(offset: reader.offset, reason: "invalid Merkle frontier"))
                    }
                    hashes.append(hash)
                }
                index.frontier = MerkleFrontier(size: size, hashes: hashes)
            }
            guard reader.remaining == 0 else {
                return .failure(.init(offset: reader.offset, reason: "bytes after the end of the index"))
            }
            return .success(index)
        }
    }
}

/// Why an index file could not be used, and where in it.
struct IndexDefect: Error, Equatable, Sendable {
    var offset: Int
    var reason: String
}

/// The sorted event table of a sealed segment's index file, searched in place: what the writer consults when a
/// segment's Bloom filter says an event id may be stored there.
struct SealedEventTable: Sendable {
    let basePosition: UInt64
    /// `count` entries of 20 bytes: id (16 bytes, big-endian) and position − base (u32 LE), ascending by id.
    private let entries: [UInt8]
    let count: Int

    /// Reads the event table of the index file `bytes`; nil when the file is damaged or its ids are not strictly
    /// ascending (a binary search of it could then miss a stored id).
    init?(indexFile bytes: [UInt8]) {
        guard case .success(let index) = SegmentIndex.decode(bytes, includingEvents: false) else { return nil }
        let start = index.eventTableOffset
        let length = Int(index.recordCount) * 20
        guard start + length <= bytes.count else { return nil }
        basePosition = index.basePosition
        count = Int(index.recordCount)
        entries = Array(bytes[start..<start + length])
        for entry in stride(from: 20, to: length, by: 20)
        where !entries[(entry - 20)..<(entry - 4)].lexicographicallyPrecedes(entries[entry..<(entry + 16)]) {
            return nil
        }
    }

    /// The position of `id`, by binary search.
    func position(of id: EventID) -> UInt64? {
        entries.withUnsafeBytes { raw in
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                let entryHigh = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: middle * 20, as: UInt64.self))
                let entryLow = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: middle * 20 + 8, as: UInt64.self))
                let entry = EventID(high: entryHigh, low: entryLow)
                if entry == id {
                    return basePosition + UInt64(raw.littleEndian(at: middle * 20 + 16, as: UInt32.self))
                }
                if entry < id { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }
}
