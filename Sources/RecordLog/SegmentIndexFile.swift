/// The layout of an index file (format version 2), and reading it part by part.
///
/// ```
/// header, 128 bytes (little-endian):
///      0    4 magic "CLX1" (0x43 0x4C 0x58 0x31)
///      4    4 CRC-32C of header bytes 8 ..< 128
///      8    2 format version (2)
///     10    2 reserved, zero
///     12    4 flags: bit 0 = the sparse part ends with a Merkle frontier; other bits zero
///     16    8 base position
///     24    8 record count N
///     32    8 segment data length in bytes
///     40    8 first recorded time (i64 µs; 0 when N = 0)
///     48    8 last recorded time (i64 µs; 0 when N = 0)
///     56    4 sparse entry count E
///     60    4 stream count K
///     64    4 data checksum: CRC-32C of the segment's bytes 0 ..< data length
///     68    4 reserved, zero
///     72   48 offsets of parts 2 to 6 and the file length, u64 each
///    120    8 reserved, zero
/// part 1, at 128: the stream Bloom filter (bit count u32, hash count u8, 3 zero bytes, bit count / 8 bytes)
/// part 2: E sparse entries (batch base position u64, batch byte offset u64, batch first recorded time i64), then
///   when flag bit 0 is set the Merkle frontier after the last record: size u64 (= base + N), hash count H u32,
///   H × 32 hashes, largest subtree first
/// part 3: the stream directory, K entries ascending by (FNV-1a hash of the id, id bytes): hash u64, file offset of
///   the stream's entry u64
/// part 4: K stream entries in directory order, back to back: id length u16, id, first version u64, count C u32,
///   C × (position − base) u32, then the CRC-32C of the entry's bytes before it
/// part 5: the event-id Bloom filter
/// part 6: N event entries, ascending by id bytes: id 16 bytes, (position − base) u32
/// parts 1, 2, 3, 5 and 6 each end with the CRC-32C (u32) of the part's bytes before it
/// ```
struct IndexFileHeader: Equatable, Sendable {
    var basePosition: UInt64
    var recordCount: UInt64
    var dataLength: UInt64
    var firstRecordedTime: Int64
    var lastRecordedTime: Int64
    var sparseCount: UInt32
    var streamCount: UInt32
    var dataChecksum: UInt32
    var hasFrontier: Bool
    /// Where parts 1 to 6 start, then the file length: seven offsets, ascending.
    var partOffsets: [UInt64]

    var nextPosition: UInt64 { basePosition + recordCount }
    var fileLength: UInt64 { partOffsets[6] }

    /// The byte range of part `number` (1 ... 6).
    func part(_ number: Int) -> Range<UInt64> { partOffsets[number - 1]..<partOffsets[number] }

    static let byteCount = 128

    func encode(into writer: inout ByteWriter) {
        writer.append(contentsOf: SegmentIndex.magic)
        writer.append(UInt32(0))
        writer.append(SegmentIndex.formatVersion)
        writer.append(UInt16(0))
        writer.append(UInt32(hasFrontier ? 1 : 0))
        writer.append(basePosition)
        writer.append(recordCount)
        writer.append(dataLength)
        writer.append(firstRecordedTime)
        writer.append(lastRecordedTime)
        writer.append(sparseCount)
        writer.append(streamCount)
        writer.append(dataChecksum)
        writer.append(UInt32(0))
        for offset in partOffsets.dropFirst() { writer.append(offset) }
        writer.append(UInt64(0))
    }

    /// Parses and checks the 128-byte header.
    static func parse(_ raw: UnsafeRawBufferPointer) -> Result<IndexFileHeader, IndexDefect> {
        guard raw.count >= byteCount else { return .failure(.init(offset: 0, reason: "file too short")) }
        guard raw[0] == 0x43, raw[1] == 0x4C, raw[2] == 0x58, raw[3] == 0x31 else {
            return .failure(.init(offset: 0, reason: "bad magic"))
        }
        let header = UnsafeRawBufferPointer(rebasing: raw[0..<byteCount])
        guard
            header.littleEndian(at: 4, as: UInt32.self)
                == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: header[8...]))
        else { return .failure(.init(offset: 4, reason: "header checksum mismatch")) }
        var reader = ByteReader(header, offset: 8)
        let version = reader.readUInt16()
        guard version == SegmentIndex.formatVersion else {
            return .failure(
                .init(
                    offset: 8,
                    reason: version == 1
                        ? "index format version 1, which this code no longer reads (opening the log rebuilds it)"
                        : "unknown index format version"))
        }
        guard reader.readUInt16() == 0, let flags = reader.readUInt32(), flags & ~1 == 0,
            let base = reader.readUInt64(), let recordCount = reader.readUInt64(),
            let dataLength = reader.readUInt64(), let firstTime = reader.readInt64(),
            let lastTime = reader.readInt64(), let sparseCount = reader.readUInt32(),
            let streamCount = reader.readUInt32(), let dataChecksum = reader.readUInt32(), reader.readUInt32() == 0,
            recordCount <= UInt64(UInt32.max), base <= UInt64.max - recordCount
        else { return .failure(.init(offset: 8, reason: "invalid header")) }
        var offsets: [UInt64] = [UInt64(byteCount)]
        for _ in 0..<6 {
            guard let offset = reader.readUInt64(), offset >= offsets[offsets.count - 1] else {
                return .failure(.init(offset: reader.offset - 8, reason: "invalid part offsets"))
            }
            offsets.append(offset)
        }
        guard reader.readUInt64() == 0 else { return .failure(.init(offset: 120, reason: "invalid header")) }
        return .success(
            IndexFileHeader(
                basePosition: base, recordCount: recordCount, dataLength: dataLength, firstRecordedTime: firstTime,
                lastRecordedTime: lastTime, sparseCount: sparseCount, streamCount: streamCount,
                dataChecksum: dataChecksum, hasFrontier: flags & 1 != 0, partOffsets: offsets))
    }
}

/// One entry of an index file's stream directory: the hash of a stream id and where its entry is.
struct StreamDirectoryEntry: Equatable, Sendable {
    var hash: UInt64
    var offset: UInt64
}

/// Part 2 of an index file: where batches start, and the Merkle frontier.
struct IndexSparsePart: Equatable, Sendable {
    var entries: [SegmentIndex.SparseEntry]
    var frontier: MerkleFrontier?
}

/// Parsing the parts of an index file, each checked against its own CRC-32C. `at` is the part's offset in the file,
/// for the defect offsets.
enum IndexFileParts {
    /// The bytes of a part without its trailing CRC, when the CRC matches.
    static func checkedBody(_ part: UnsafeRawBufferPointer, at: UInt64) -> Result<UnsafeRawBufferPointer, IndexDefect> {
        guard part.count >= 4 else { return .failure(.init(offset: Int(at), reason: "part too short")) }
        let body = UnsafeRawBufferPointer(rebasing: part[0..<part.count - 4])
        guard part.littleEndian(at: part.count - 4, as: UInt32.self) == CRC32C.checksum(body) else {
            return .failure(.init(offset: Int(at) + part.count - 4, reason: "checksum mismatch"))
        }
        return .success(body)
    }

    /// Part 1 or 5: a Bloom filter.
    static func filter(_ part: UnsafeRawBufferPointer, at: UInt64) -> Result<BloomFilter, IndexDefect> {
        checkedBody(part, at: at).flatMap { body in
            var reader = ByteReader(body)
            guard let filter = BloomFilter.decode(from: &reader), reader.remaining == 0 else {
                return .failure(.init(offset: Int(at), reason: "invalid Bloom filter"))
            }
            return .success(filter)
        }
    }

    /// Part 2: sparse entries and the frontier.
    static func sparse(
        _ part: UnsafeRawBufferPointer, at: UInt64, header: IndexFileHeader
    ) -> Result<IndexSparsePart, IndexDefect> {
        checkedBody(part, at: at).flatMap { body in
            var reader = ByteReader(body)
            let base = header.basePosition
            guard Int(header.sparseCount) <= reader.remaining / 24 else {
                return .failure(.init(offset: Int(at), reason: "sparse entries run past their part"))
            }
            var entries: [SegmentIndex.SparseEntry] = []
            entries.reserveCapacity(Int(header.sparseCount))
            for _ in 0..<header.sparseCount {
                guard let position = reader.readUInt64(), let offset = reader.readUInt64(),
                    let time = reader.readInt64(), position >= base, position < header.nextPosition,
                    offset < header.dataLength,
                    entries.last.map({
                        $0.position < position && $0.offset < offset && $0.recordedTime <= time
                    }) ?? true
                else { return .failure(.init(offset: Int(at) + reader.offset, reason: "invalid sparse entry")) }
                entries.append(SegmentIndex.SparseEntry(position: position, offset: offset, recordedTime: time))
            }
            var frontier: MerkleFrontier?
            if header.hasFrontier {
                guard let size = reader.readUInt64(), size == header.nextPosition, let count = reader.readUInt32(),
                    Int(count) == size.nonzeroBitCount, reader.remaining == Int(count) * 32
                else { return .failure(.init(offset: Int(at) + reader.offset, reason: "invalid Merkle frontier")) }
                var hashes: [MerkleDigest] = []
                for _ in 0..<count {
                    guard let bytes = reader.readBytes(32), let hash = MerkleDigest(bytes: bytes) else {
                        return .failure(.init(offset: Int(at) + reader.offset, reason: "invalid Merkle frontier"))
                    }
                    hashes.append(hash)
                }
                frontier = MerkleFrontier(size: size, hashes: hashes)
            }
            guard reader.remaining == 0 else {
                return .failure(.init(offset: Int(at) + reader.offset, reason: "bytes after the sparse part"))
            }
            return .success(IndexSparsePart(entries: entries, frontier: frontier))
        }
    }

    /// Part 3: the stream directory. Its entries must tile part 4 in ascending order.
    static func directory(
        _ part: UnsafeRawBufferPointer, at: UInt64, header: IndexFileHeader
    ) -> Result<[StreamDirectoryEntry], IndexDefect> {
        checkedBody(part, at: at).flatMap { body in
            guard body.count == Int(header.streamCount) * 16 else {
                return .failure(.init(offset: Int(at), reason: "stream directory length does not match stream count"))
            }
            let entriesPart = header.part(4)
            guard header.streamCount > 0 || entriesPart.isEmpty else {
                return .failure(.init(offset: Int(at), reason: "stream entries without streams"))
            }
            var entries: [StreamDirectoryEntry] = []
            entries.reserveCapacity(Int(header.streamCount))
            for number in 0..<Int(header.streamCount) {
                let hash = body.littleEndian(at: number * 16, as: UInt64.self)
                let offset = body.littleEndian(at: number * 16 + 8, as: UInt64.self)
                let valid =
                    if let previous = entries.last {
                        previous.hash <= hash && previous.offset < offset
                    } else {
                        offset == entriesPart.lowerBound
                    }
                guard valid, offset < entriesPart.upperBound else {
                    return .failure(.init(offset: Int(at) + number * 16, reason: "invalid stream directory entry"))
                }
                entries.append(StreamDirectoryEntry(hash: hash, offset: offset))
            }
            return .success(entries)
        }
    }

    /// The file range of stream entry `number` of `directory`.
    static func entryRange(
        _ number: Int, in directory: [StreamDirectoryEntry], header: IndexFileHeader
    ) -> Range<UInt64> {
        directory[number]
            .offset..<(number + 1 < directory.count ? directory[number + 1].offset : header.part(4).upperBound)
    }

    /// One stream entry of part 4, whose id must hash to `hash`.
    static func streamEntry(
        _ bytes: UnsafeRawBufferPointer, at: UInt64, hash: UInt64, header: IndexFileHeader
    ) -> Result<(utf8: UnsafeRawBufferPointer, entry: SegmentIndex.StreamEntry), IndexDefect> {
        checkedBody(bytes, at: at).flatMap { body in
            var reader = ByteReader(body)
            let defect = IndexDefect(offset: Int(at), reason: "invalid stream entry")
            guard let length = reader.readUInt16(), length > 0, reader.remaining >= Int(length) else {
                return .failure(defect)
            }
            let utf8 = UnsafeRawBufferPointer(rebasing: body[2..<2 + Int(length)])
            _ = reader.skip(Int(length))
            guard BloomFilter.hash(utf8) == hash, isValidUTF8(utf8), let firstVersion = reader.readUInt64(),
                firstVersion >= 1, let count = reader.readUInt32(), count > 0, reader.remaining == Int(count) * 4
            else { return .failure(defect) }
            let base = header.basePosition
            var positions: [UInt64] = []
            positions.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let delta = reader.readUInt32(), UInt64(delta) < header.recordCount,
                    positions.last.map({ $0 < base + UInt64(delta) }) ?? true
                else { return .failure(IndexDefect(offset: Int(at), reason: "invalid stream positions")) }
                positions.append(base + UInt64(delta))
            }
            guard firstVersion <= UInt64.max - UInt64(count) else { return .failure(defect) }
            return .success((utf8, SegmentIndex.StreamEntry(firstVersion: firstVersion, positions: positions)))
        }
    }

    /// Part 6: the event table's entries (20 bytes each, ids strictly ascending, deltas below N).
    static func eventTable(
        _ part: UnsafeRawBufferPointer, at: UInt64, header: IndexFileHeader
    ) -> Result<UnsafeRawBufferPointer, IndexDefect> {
        checkedBody(part, at: at).flatMap { body in
            guard UInt64(body.count) == header.recordCount * 20 else {
                return .failure(.init(offset: Int(at), reason: "event table length does not match record count"))
            }
            var previous: EventID?
            for entry in stride(from: 0, to: body.count, by: 20) {
                let id = EventID(
                    high: UInt64(bigEndian: body.loadUnaligned(fromByteOffset: entry, as: UInt64.self)),
                    low: UInt64(bigEndian: body.loadUnaligned(fromByteOffset: entry + 8, as: UInt64.self)))
                guard previous.map({ $0 < id }) ?? true,
                    UInt64(body.littleEndian(at: entry + 16, as: UInt32.self)) < header.recordCount
                else { return .failure(.init(offset: Int(at) + entry + 16, reason: "invalid event entry")) }
                previous = id
            }
            return .success(body)
        }
    }
}

extension SegmentIndex {
    /// Stream ids in the order of the file's stream directory: ascending FNV-1a hash, then bytes.
    static func directoryOrder(_ streams: [String]) -> [(hash: UInt64, utf8: [UInt8], name: String)] {
        streams.map { name in
            let utf8 = Array(name.utf8)
            return (BloomFilter.hash(utf8), utf8, name)
        }
        .sorted { $0.hash != $1.hash ? $0.hash < $1.hash : $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The index file's bytes.
    func encode() -> [UInt8] {
        precondition(omittedEventsFilter == nil && !streamsOmitted, "an index is written only with all its entries")
        var writer = ByteWriter(capacity: IndexFileHeader.byteCount + sparse.count * 24 + eventPositions.count * 22)
        writer.appendZeros(IndexFileHeader.byteCount)
        var offsets: [UInt64] = [UInt64(IndexFileHeader.byteCount)]
        func endPart(checksummed: Bool = true) {
            if checksummed {
                let start = Int(offsets[offsets.count - 1])
                let checksum = writer.bytes.withUnsafeBytes {
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...]))
                }
                writer.append(checksum)
            }
            offsets.append(UInt64(writer.bytes.count))
        }
        let ordered = Self.directoryOrder(Array(streams.keys))
        streamFilter().encode(into: &writer)
        endPart()
        for entry in sparse {
            writer.append(entry.position)
            writer.append(entry.offset)
            writer.append(entry.recordedTime)
        }
        if let frontier {
            writer.append(frontier.size)
            writer.append(UInt32(frontier.hashes.count))
            for hash in frontier.hashes { writer.append(contentsOf: hash.bytes) }
        }
        endPart()
        var entryBytes = ByteWriter()
        let entriesStart = UInt64(writer.bytes.count + ordered.count * 16 + 4)
        for stream in ordered {
            let entry = streams[stream.name]!
            writer.append(stream.hash)
            writer.append(entriesStart + UInt64(entryBytes.bytes.count))
            let start = entryBytes.bytes.count
            entryBytes.append(UInt16(stream.utf8.count))
            entryBytes.append(contentsOf: stream.utf8)
            entryBytes.append(entry.firstVersion)
            entryBytes.append(UInt32(entry.positions.count))
            for position in entry.positions { entryBytes.append(UInt32(position - basePosition)) }
            let checksum = entryBytes.bytes.withUnsafeBytes {
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...]))
            }
            entryBytes.append(checksum)
        }
        endPart()
        writer.append(contentsOf: entryBytes.bytes)
        endPart(checksummed: false)
        let sortedEvents = eventPositions.entries.sorted { $0.id < $1.id }
        eventFilter().encode(into: &writer)
        endPart()
        for event in sortedEvents {
            writer.append(event.id.high.bigEndian)
            writer.append(event.id.low.bigEndian)
            writer.append(UInt32(event.position - basePosition))
        }
        endPart()
        let header = IndexFileHeader(
            basePosition: basePosition, recordCount: recordCount, dataLength: dataLength,
            firstRecordedTime: firstRecordedTime, lastRecordedTime: lastRecordedTime, sparseCount: UInt32(sparse.count),
            streamCount: UInt32(streams.count), dataChecksum: dataChecksum, hasFrontier: frontier != nil,
            partOffsets: offsets)
        var headerWriter = ByteWriter(capacity: IndexFileHeader.byteCount)
        header.encode(into: &headerWriter)
        headerWriter.sealChecksum()
        writer.bytes.replaceSubrange(0..<IndexFileHeader.byteCount, with: headerWriter.bytes)
        return writer.bytes
    }

    /// Decodes and checks a whole index file; the reason says what is wrong. Without `includingEvents` the event table
    /// is not read (it is most of the file) and the event Bloom filter is kept in ``omittedEventsFilter``.
    static func decode(_ bytes: [UInt8], includingEvents: Bool = true) -> Result<SegmentIndex, IndexDefect> {
        decodeKeepingFilters(bytes, includingEvents: includingEvents).map(\.index)
    }

    /// ``decode(_:includingEvents:)``, with the two Bloom filters as stored in the file.
    static func decodeKeepingFilters(
        _ bytes: [UInt8], includingEvents: Bool = true
    ) -> Result<(index: SegmentIndex, filters: IndexFileFilters), IndexDefect> {
        decodeKeepingFilters(bytes, includingEvents: includingEvents, fillingEventTable: true)
    }

    /// Decodes as ``decodeKeepingFilters(_:includingEvents:)`` does, checking the event table (part 6) just the same
    /// when `includingEvents` is set, but without `fillingEventTable` leaving ``eventPositions`` empty: the verifier
    /// reads the checked table in place (``IndexFileEventEntries``) instead.
    static func decodeKeepingFilters(
        _ bytes: [UInt8], includingEvents: Bool, fillingEventTable: Bool
    ) -> Result<(index: SegmentIndex, filters: IndexFileFilters), IndexDefect> {
        bytes.withUnsafeBytes { raw -> Result<(index: SegmentIndex, filters: IndexFileFilters), IndexDefect> in
            let header: IndexFileHeader
            switch IndexFileHeader.parse(raw) {
            case .success(let parsed): header = parsed
            case .failure(let defect): return .failure(defect)
            }
            guard header.fileLength == UInt64(raw.count) else {
                return .failure(.init(offset: 112, reason: "the file length differs from the header's"))
            }
            func part(_ number: Int) -> UnsafeRawBufferPointer {
                let range = header.part(number)
                return UnsafeRawBufferPointer(rebasing: raw[Int(range.lowerBound)..<Int(range.upperBound)])
            }
            var index = SegmentIndex(basePosition: header.basePosition)
            index.recordCount = header.recordCount
            index.dataLength = header.dataLength
            index.firstRecordedTime = header.firstRecordedTime
            index.lastRecordedTime = header.lastRecordedTime
            index.dataChecksum = header.dataChecksum
            index.eventTableOffset = Int(header.partOffsets[5])
            let filters: IndexFileFilters
            do {
                let streamFilter = try IndexFileParts.filter(part(1), at: header.partOffsets[0]).get()
                let sparse = try IndexFileParts.sparse(part(2), at: header.partOffsets[1], header: header).get()
                index.sparse = sparse.entries
                index.frontier = sparse.frontier
                let directory = try IndexFileParts.directory(part(3), at: header.partOffsets[2], header: header).get()
                var previous: (hash: UInt64, utf8: [UInt8])?
                for number in directory.indices {
                    let range = IndexFileParts.entryRange(number, in: directory, header: header)
                    let (utf8, entry) = try IndexFileParts.streamEntry(
                        UnsafeRawBufferPointer(rebasing: raw[Int(range.lowerBound)..<Int(range.upperBound)]),
                        at: range.lowerBound, hash: directory[number].hash, header: header
                    ).get()
                    let bytes = Array(utf8)
                    let name = String(decoding: bytes, as: UTF8.self)
                    let ordered =
                        previous.map { $0.hash < directory[number].hash || $0.utf8.lexicographicallyPrecedes(bytes) }
                        ?? true
                    guard ordered, index.streams[name] == nil else {
                        throw IndexDefect(offset: Int(range.lowerBound), reason: "invalid stream entry")
                    }
                    index.streams[name] = entry
                    previous = (directory[number].hash, bytes)
                }
                let eventFilter = try IndexFileParts.filter(part(5), at: header.partOffsets[4]).get()
                filters = IndexFileFilters(streams: streamFilter, events: eventFilter)
                if includingEvents {
                    let table = try IndexFileParts.eventTable(part(6), at: header.partOffsets[5], header: header).get()
                    guard fillingEventTable else { return .success((index, filters)) }
                    index.eventPositions = EventIDTable(minimumCapacity: Int(header.recordCount))
                    for entry in stride(from: 0, to: table.count, by: 20) {
                        let id = EventID(
                            high: UInt64(bigEndian: table.loadUnaligned(fromByteOffset: entry, as: UInt64.self)),
                            low: UInt64(bigEndian: table.loadUnaligned(fromByteOffset: entry + 8, as: UInt64.self)))
                        index.eventPositions.insert(
                            id,
                            position: header.basePosition + UInt64(table.littleEndian(at: entry + 16, as: UInt32.self)))
                    }
                } else {
                    guard header.part(6).count == Int(header.recordCount) * 20 + 4 else {
                        throw IndexDefect(
                            offset: Int(header.partOffsets[5]), reason: "event table length does not match record count"
                        )
                    }
                    index.omittedEventsFilter = eventFilter
                }
            } catch let defect as IndexDefect {
                return .failure(defect)
            } catch {
                return .failure(IndexDefect(offset: 0, reason: "\(error)"))
            }
            return .success((index, filters))
        }
    }
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
        let found = bytes.withUnsafeBytes { raw -> (IndexFileHeader, [UInt8])? in
            guard case .success(let header) = IndexFileHeader.parse(raw), header.fileLength == UInt64(raw.count)
            else { return nil }
            let range = header.part(6)
            guard
                case .success(let table) = IndexFileParts.eventTable(
                    UnsafeRawBufferPointer(rebasing: raw[Int(range.lowerBound)..<Int(range.upperBound)]),
                    at: range.lowerBound, header: header)
            else { return nil }
            return (header, Array(table))
        }
        guard let (header, entries) = found else { return nil }
        self.init(basePosition: header.basePosition, entries: entries)
    }

    /// A table of checked entries.
    init(basePosition: UInt64, entries: [UInt8]) {
        self.basePosition = basePosition
        self.entries = entries
        count = entries.count / 20
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

/// What a look-up has read of one index file: its header, and the parts loaded so far. Each part is read with one
/// positioned read and checked against its own CRC-32C when it is first needed; a part that cannot be read or does
/// not check makes the index unusable for that look-up (the caller scans the segment instead).
struct IndexFileView: Sendable {
    let header: IndexFileHeader
    private(set) var streamFilter: BloomFilter?
    private(set) var sparse: IndexSparsePart?
    private(set) var directory: [StreamDirectoryEntry]?

    /// How a stream fares in an index.
    enum StreamLookup: Equatable {
        case listed(SegmentIndex.StreamEntry)
        case notListed
        /// A part needed could not be read or did not check.
        case unreadable
    }

    /// Reads and checks the header of the open index file `file`, whose length must be the header's file length;
    /// nil when the file is not such an index, an error when it cannot be read.
    static func open(_ file: any OpenFile) throws(FileSystemError) -> IndexFileView? {
        let size = try file.size()
        guard size >= Int64(IndexFileHeader.byteCount) else { return nil }
        let bytes = try file.read(at: 0, count: IndexFileHeader.byteCount)
        guard case .success(let header) = bytes.withUnsafeBytes({ IndexFileHeader.parse($0) }),
            header.fileLength == UInt64(size)
        else { return nil }
        return IndexFileView(header: header)
    }

    private init(header: IndexFileHeader) {
        self.header = header
    }

    private func read<T>(
        part number: Int, of file: any OpenFile,
        _ parse: (UnsafeRawBufferPointer, UInt64) -> Result<T, IndexDefect>
    ) -> T? {
        let range = header.part(number)
        guard let bytes = try? file.read(at: Int64(range.lowerBound), count: range.count), bytes.count == range.count
        else { return nil }
        return try? bytes.withUnsafeBytes { parse($0, range.lowerBound) }.get()
    }

    /// Loads part 1, the stream Bloom filter.
    mutating func loadStreamFilter(from file: any OpenFile) -> BloomFilter? {
        if streamFilter == nil { streamFilter = read(part: 1, of: file, IndexFileParts.filter) }
        return streamFilter
    }

    /// Loads part 2, the sparse entries and the frontier.
    mutating func loadSparse(from file: any OpenFile) -> IndexSparsePart? {
        if sparse == nil {
            sparse = read(part: 2, of: file) { IndexFileParts.sparse($0, at: $1, header: header) }
        }
        return sparse
    }

    /// Loads part 3, the stream directory.
    mutating func loadDirectory(from file: any OpenFile) -> [StreamDirectoryEntry]? {
        if directory == nil {
            directory = read(part: 3, of: file) { IndexFileParts.directory($0, at: $1, header: header) }
        }
        return directory
    }

    /// The entry of the stream whose id has the UTF-8 bytes `utf8`: the Bloom filter first, then a binary search of
    /// the directory and one read of the entry.
    mutating func streamEntry(_ utf8: [UInt8], from file: any OpenFile) -> StreamLookup {
        let hash = BloomFilter.hash(utf8)
        guard let filter = loadStreamFilter(from: file) else { return .unreadable }
        guard filter.mayContain(hash: hash) else { return .notListed }
        guard let directory = loadDirectory(from: file) else { return .unreadable }
        var low = 0
        var high = directory.count
        while low < high {
            let middle = (low + high) / 2
            if directory[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        var number = low
        while number < directory.count, directory[number].hash == hash {
            let range = IndexFileParts.entryRange(number, in: directory, header: header)
            guard let bytes = try? file.read(at: Int64(range.lowerBound), count: range.count),
                bytes.count == range.count
            else { return .unreadable }
            let found = bytes.withUnsafeBytes { raw -> StreamLookup in
                switch IndexFileParts.streamEntry(raw, at: range.lowerBound, hash: hash, header: header) {
                case .success(let (id, entry)): return id.elementsEqual(utf8) ? .listed(entry) : .notListed
                case .failure: return .unreadable
                }
            }
            if found != .notListed { return found }
            number += 1
        }
        return .notListed
    }

    /// Part 5, the event-id Bloom filter.
    func eventFilter(from file: any OpenFile) -> BloomFilter? {
        read(part: 5, of: file, IndexFileParts.filter)
    }

    /// The bytes a piecewise read of a part reads at once: below the allocator's threshold for mapping fresh pages,
    /// so one buffer is reused for every piece rather than faulted in anew.
    static let pieceBytes = 64 << 10

    /// Whether part 5, the event-id Bloom filter, may hold the id whose FNV-1a hash is `hash`, without keeping the
    /// filter: the part is read in pieces of `pieceBytes` (at least 12) and checked exactly as ``eventFilter(from:)``
    /// checks it (its CRC-32C and layout, docs/log-format.md section 9.3), and only the id's probed bits are kept. Nil
    /// when the part cannot be read or does not check.
    func eventFilterMayContain(hash: UInt64, from file: any OpenFile, pieceBytes: Int = pieceBytes) -> Bool? {
        let range = header.part(5)
        let filterHeaderBytes = 8
        guard range.count >= filterHeaderBytes + 4 else { return nil }
        let bodyCount = range.count - 4
        var checksum: UInt32 = 0
        var storedChecksum: UInt32 = 0
        var probes: [(byte: Int, mask: UInt8)] = []
        var setProbes = 0
        var offset = 0
        while offset < range.count {
            let count = min(range.count - offset, max(pieceBytes, filterHeaderBytes + 4))
            guard let piece = try? file.read(at: Int64(range.lowerBound) + Int64(offset), count: count),
                piece.count == count
            else { return nil }
            let valid = piece.withUnsafeBytes { raw -> Bool in
                if offset == 0 {
                    // The filter's own header is in the first piece (a part is at least 12 bytes long).
                    let bitCount = raw.littleEndian(at: 0, as: UInt32.self)
                    let hashCount = raw[4]
                    guard raw[5] == 0, raw[6] == 0, raw[7] == 0, bitCount >= 64, bitCount % 8 == 0, hashCount >= 1,
                        hashCount <= 32, Int(bitCount / 8) == bodyCount - filterHeaderBytes
                    else { return false }
                    probes = BloomFilter.probes(hash: hash, hashCount: hashCount, bitCount: bitCount).map {
                        (byte: filterHeaderBytes + Int($0 / 8), mask: UInt8(1) << ($0 % 8))
                    }
                }
                let bodyEnd = min(count, bodyCount - offset)
                if bodyEnd > 0 {
                    checksum = CRC32C.update(checksum, UnsafeRawBufferPointer(rebasing: raw[0..<bodyEnd]))
                }
                for index in max(0, bodyEnd)..<count {
                    storedChecksum |= UInt32(raw[index]) << (8 * UInt32(offset + index - bodyCount))
                }
                for probe in probes where probe.byte >= offset && probe.byte < offset + count {
                    if raw[probe.byte - offset] & probe.mask != 0 { setProbes += 1 }
                }
                return true
            }
            guard valid else { return nil }
            offset += count
        }
        guard storedChecksum == checksum else { return nil }
        return setProbes == probes.count
    }

    /// Part 6, the event table, checked for order.
    func eventTable(from file: any OpenFile) -> SealedEventTable? {
        read(part: 6, of: file) { raw, at in
            IndexFileParts.eventTable(raw, at: at, header: header).map {
                SealedEventTable(basePosition: header.basePosition, entries: Array($0))
            }
        }
    }

    /// The index as the writer starts from it when this file covers the start of the active segment: header, sparse
    /// entries, frontier and event filter, without stream entries or event table (``SegmentIndex/streamsOmitted``,
    /// ``SegmentIndex/omittedEventsFilter``). Nil when one of those parts cannot be read or does not check.
    mutating func snapshot(from file: any OpenFile) -> SegmentIndex? {
        guard let sparse = loadSparse(from: file), let eventFilter = eventFilter(from: file) else { return nil }
        var index = SegmentIndex(basePosition: header.basePosition)
        index.recordCount = header.recordCount
        index.dataLength = header.dataLength
        index.firstRecordedTime = header.firstRecordedTime
        index.lastRecordedTime = header.lastRecordedTime
        index.dataChecksum = header.dataChecksum
        index.sparse = sparse.entries
        index.frontier = sparse.frontier
        index.omittedEventsFilter = eventFilter
        index.streamsOmitted = true
        index.eventTableOffset = Int(header.partOffsets[5])
        return index
    }

    /// Where a scan that finds `position` starts, from the sparse entries (which must be loaded): a batch's byte
    /// offset and base position, and the offset where the batches after that entry's run end.
    func scanRange(for position: UInt64) -> (offset: UInt64, position: UInt64, end: UInt64) {
        let entries = sparse?.entries ?? []
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].position <= position { low = middle + 1 } else { high = middle }
        }
        let end = low < entries.count ? entries[low].offset : header.dataLength
        return low == 0 ? (0, header.basePosition, end) : (entries[low - 1].offset, entries[low - 1].position, end)
    }

    /// Where a scan that finds the first record recorded at or after `time` starts (sparse entries loaded).
    func scanStart(forTime time: Int64) -> (offset: UInt64, position: UInt64) {
        let entries = sparse?.entries ?? []
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].recordedTime < time { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? (0, header.basePosition) : (entries[low - 1].offset, entries[low - 1].position)
    }
}

/// The event table (part 6) of an index file that
/// ``SegmentIndex/decodeKeepingFilters(_:includingEvents:fillingEventTable:)`` checked, read in place: `count` entries
/// of 20 bytes, an id (16 bytes, big-endian) and its position − base (u32 LE), ids strictly ascending.
struct IndexFileEventEntries {
    /// The index file's bytes.
    let file: [UInt8]
    /// Where the entries lie in `file` (part 6 without its CRC-32C).
    let range: Range<Int>
    /// The base position of the segment.
    let basePosition: UInt64

    /// The entries of the checked index file `file`; nil when its header cannot be read.
    init?(file: [UInt8]) {
        guard let header = file.withUnsafeBytes({ try? IndexFileHeader.parse($0).get() }) else { return nil }
        let part = header.part(6)
        guard part.count >= 4, part.upperBound <= UInt64(file.count) else { return nil }
        self.file = file
        self.range = Int(part.lowerBound)..<Int(part.upperBound) - 4
        self.basePosition = header.basePosition
    }

    /// The number of entries.
    var count: Int { range.count / 20 }

    /// The event-id Bloom filter an index with these ids writes (what ``SegmentIndex/eventFilter()`` of the decoded
    /// table gives).
    func eventFilter() -> BloomFilter {
        var filter = BloomFilter(expectedKeys: count)
        _ = allSatisfy { id, _ in
            filter.insert(hash: BloomFilter.hash(id))
            return true
        }
        return filter
    }

    /// Calls `body` with each id and its position, in the table's order, while it returns true; returns whether it
    /// always did.
    func allSatisfy(_ body: (EventID, UInt64) -> Bool) -> Bool {
        file.withUnsafeBytes { raw in
            let table = UnsafeRawBufferPointer(rebasing: raw[range])
            for entry in stride(from: 0, to: table.count - 19, by: 20) {
                let id = EventID(
                    high: UInt64(bigEndian: table.loadUnaligned(fromByteOffset: entry, as: UInt64.self)),
                    low: UInt64(bigEndian: table.loadUnaligned(fromByteOffset: entry + 8, as: UInt64.self)))
                let position = basePosition + UInt64(table.littleEndian(at: entry + 16, as: UInt32.self))
                if !body(id, position) { return false }
            }
            return true
        }
    }
}

extension BloomFilter {
    /// The bits a key with FNV-1a hash `hash` probes in a filter of `bitCount` bits and `hashCount` probes
    /// (docs/log-format.md section 9.2): bit `j` is bit `j % 8` of byte `j / 8`.
    static func probes(hash: UInt64, hashCount: UInt8, bitCount: UInt32) -> [UInt32] {
        let h1 = UInt32(truncatingIfNeeded: hash)
        let h2 = UInt32(truncatingIfNeeded: hash >> 32) | 1
        return (0..<UInt32(hashCount)).map { probe in (h1 &+ probe &* h2) % bitCount }
    }
}
