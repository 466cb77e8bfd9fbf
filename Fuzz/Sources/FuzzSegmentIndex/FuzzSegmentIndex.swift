// libFuzzer target: the index file reader, format version 2 (docs/log-format.md, section 9): the header
// (`IndexFileHeader.parse`), each part on its own (`IndexFileParts`: the two Bloom filters, the sparse entries and the
// Merkle frontier, the stream directory, each stream entry, the event table), the part-by-part look-ups of
// `IndexFileView` over an open file (stream by Bloom filter, directory binary search and one entry read; sparse scan
// range and time scan start; event filter; event table and its binary search in `SealedEventTable`; the writer's
// snapshot), and the whole-file decoder `SegmentIndex.decode`, with and without the event table.
//
// Input: one mode byte, then the index file. With the mode byte's bit 1 set, the harness first writes the input's
// length into the header's file length field (bytes 112 ..< 120); with bit 0 set, it then recomputes every CRC-32C
// the format defines: each of parts 1, 2, 3, 5 and 6 over its bytes before the CRC, each stream entry of part 4 where
// the stream directory (read as it stands) puts it, and the header's over bytes 8 ..< 128. So mutations get past the
// checksums and reach the rules behind them.
//
// Checked beyond "no crash, no trap", for any input:
// - the view opens exactly when the header parses and the file has the header's length;
// - each part that checks on its own answers its look-ups consistently: the directory tiles part 4; a stream entry
//   that checks is found by the directory look-up (listed, or unreadable because an entry before it with the same
//   hash does not check), never reported absent when the stream filter may hold it, and the look-up reads only parts
//   1, 3 and 4; the sparse scan range stays inside the covered bytes and starts at or before the position; every event
//   entry is found at its position and an absent id is not found; the snapshot agrees with the parts it is made of;
// and for an input that `SegmentIndex.decode` accepts:
// - every part reads and checks through the view; decoding without the event table gives the same index;
// - every stream is found by the directory look-up exactly as decoded (or said absent by the stream filter), and
//   byte strings that are not stream ids are not found;
// - every listed event id is found at its position by the sealed event table;
// - the view's scan starts equal the decoded index's;
// - the index, encoded, decodes to the same index, and encoding that gives the same bytes again.
import Synchronization

@testable import RecordLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSegmentIndex(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count >= 1 else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    if data[0] & 2 == 2, bytes.count >= IndexFileHeader.byteCount { bytes.setUInt64(UInt64(bytes.count), at: 112) }
    if data[0] & 1 == 1 { sealIndexChecksums(&bytes) }
    let file = MemoryFile(bytes)
    checkParts(of: bytes, file: file)
    guard case .success(let index) = SegmentIndex.decode(bytes) else { return 0 }
    checkDecodedIndex(index, bytes: bytes, file: file)
    return 0
}

// MARK: - Any input: the header and each part on its own

/// The header, then each part through the view and on its own, whether or not the other parts check.
func checkParts(of bytes: [UInt8], file: MemoryFile) {
    let parsed = bytes.withUnsafeBytes { IndexFileHeader.parse($0) }
    let opened = try? IndexFileView.open(file)
    guard case .success(let header) = parsed else {
        precondition(opened == nil, "a view opens only when the header parses")
        return
    }
    precondition(header.partOffsets.count == 7 && header.partOffsets[0] == UInt64(IndexFileHeader.byteCount))
    precondition(zip(header.partOffsets, header.partOffsets.dropFirst()).allSatisfy { $0 <= $1 }, "parts in order")
    precondition(header.recordCount <= UInt64(UInt32.max) && header.basePosition <= UInt64.max - header.recordCount)
    guard header.fileLength == UInt64(bytes.count) else {
        precondition(opened == nil, "a view opens only when the file has the header's length")
        return
    }
    guard var view = opened else { preconditionFailure("a view opens when the header parses and the length fits") }
    precondition(view.header == header, "the view reads the header as parsed")

    let streamFilter = view.loadStreamFilter(from: file)
    precondition(streamFilter == parsePart(1, of: bytes, header: header, IndexFileParts.filter))
    let sparse = view.loadSparse(from: file)
    if let sparse { checkSparse(sparse, view: view) }
    let directory = view.loadDirectory(from: file)
    if let directory { checkDirectory(directory, view: &view, streamFilter: streamFilter, bytes: bytes, file: file) }
    let eventFilter = view.eventFilter(from: file)
    precondition(eventFilter == parsePart(5, of: bytes, header: header, IndexFileParts.filter))
    let table = view.eventTable(from: file)
    let tableBody = parsePart(6, of: bytes, header: header) {
        IndexFileParts.eventTable($0, at: $1, header: header).map { Array($0) }
    }
    precondition((table == nil) == (tableBody == nil), "the view reads the event table as it parses")
    if let table, let tableBody { checkEventTable(table, body: tableBody, header: header, bytes: bytes) }

    let snapshot = view.snapshot(from: file)
    precondition((snapshot == nil) == (sparse == nil || eventFilter == nil), "a snapshot needs parts 2 and 5")
    if let snapshot, let sparse, let eventFilter {
        precondition(snapshot.basePosition == header.basePosition && snapshot.recordCount == header.recordCount)
        precondition(snapshot.dataLength == header.dataLength && snapshot.dataChecksum == header.dataChecksum)
        precondition(snapshot.firstRecordedTime == header.firstRecordedTime)
        precondition(snapshot.lastRecordedTime == header.lastRecordedTime)
        precondition(snapshot.sparse == sparse.entries && snapshot.frontier == sparse.frontier)
        precondition(snapshot.omittedEventsFilter == eventFilter && snapshot.eventFilter() == eventFilter)
        precondition(snapshot.streamsOmitted && snapshot.streams.isEmpty && snapshot.eventPositions.isEmpty)
        precondition(snapshot.eventTableOffset == Int(header.partOffsets[5]))
        for position in probePositions(sparse.entries, header: header) {
            let start = snapshot.scanStart(for: position)
            let range = view.scanRange(for: position)
            precondition(start.offset == range.offset && start.position == range.position, "snapshot and view agree")
        }
    }
}

/// The part's bytes as `parse` reads them, nil when it does not check.
func parsePart<T>(
    _ number: Int, of bytes: [UInt8], header: IndexFileHeader,
    _ parse: (UnsafeRawBufferPointer, UInt64) -> Result<T, IndexDefect>
) -> T? {
    let range = header.part(number)
    return bytes.withUnsafeBytes { raw in
        try? parse(
            UnsafeRawBufferPointer(rebasing: raw[Int(range.lowerBound)..<Int(range.upperBound)]), range.lowerBound
        )
        .get()
    }
}

/// Positions worth asking the sparse entries about: the base, the last covered position, the end, each entry's
/// position and the one before it.
func probePositions(_ entries: [SegmentIndex.SparseEntry], header: IndexFileHeader) -> [UInt64] {
    var positions = [header.basePosition, header.nextPosition]
    if header.recordCount > 0 { positions.append(header.nextPosition - 1) }
    for entry in entries.prefix(64) {
        positions.append(entry.position)
        if entry.position > header.basePosition { positions.append(entry.position - 1) }
    }
    return positions
}

/// Part 2 that checks: its entries lie in the covered positions and bytes, and scans start inside them.
func checkSparse(_ sparse: IndexSparsePart, view: IndexFileView) {
    let header = view.header
    precondition(sparse.entries.count == Int(header.sparseCount), "the sparse part holds the header's count")
    precondition((sparse.frontier != nil) == header.hasFrontier, "a frontier exactly when flag bit 0 is set")
    if let frontier = sparse.frontier {
        precondition(frontier.size == header.nextPosition && frontier.hashes.count == frontier.size.nonzeroBitCount)
        _ = frontier.root
    }
    for entry in sparse.entries {
        precondition(entry.position >= header.basePosition && entry.position < header.nextPosition)
        precondition(entry.offset < header.dataLength, "a sparse entry points inside the covered bytes")
    }
    for position in probePositions(sparse.entries, header: header) {
        let range = view.scanRange(for: position)
        precondition(
            range.offset <= range.end && range.end <= header.dataLength, "a scan range inside the covered bytes")
        precondition(range.position >= header.basePosition && range.position <= position, "a scan starts at or before")
        precondition(
            range.offset == 0 || sparse.entries.contains { $0.offset == range.offset }, "a scan starts at a batch")
    }
    for entry in sparse.entries.prefix(64) {
        for time in [entry.recordedTime, entry.recordedTime &- 1, entry.recordedTime &+ 1] {
            let start = view.scanStart(forTime: time)
            precondition(
                (start.offset == 0 && start.position == header.basePosition)
                    || sparse.entries.contains { $0.offset == start.offset && $0.position == start.position },
                "a time scan starts at the segment's start or at a sparse entry")
        }
    }
}

/// One stream entry as read on its own from the bytes: its id and entry, nil when it does not check.
typealias ParsedStreamEntry = (utf8: [UInt8], entry: SegmentIndex.StreamEntry)?

/// Part 3 that checks: it tiles part 4, and the view's look-up finds what each entry that checks holds.
func checkDirectory(
    _ directory: [StreamDirectoryEntry], view: inout IndexFileView, streamFilter: BloomFilter?, bytes: [UInt8],
    file: MemoryFile
) {
    let header = view.header
    let entriesPart = header.part(4)
    precondition(directory.count == Int(header.streamCount), "the directory holds the header's count")
    precondition(zip(directory, directory.dropFirst()).allSatisfy { $0.hash <= $1.hash }, "hashes ascend")
    var parsed: [ParsedStreamEntry] = []
    var end = entriesPart.lowerBound
    for number in directory.indices {
        let range = IndexFileParts.entryRange(number, in: directory, header: header)
        precondition(range.lowerBound == end && !range.isEmpty, "the directory's entries tile part 4")
        end = range.upperBound
        let entry = bytes.withUnsafeBytes { raw -> ParsedStreamEntry in
            let slice = UnsafeRawBufferPointer(rebasing: raw[Int(range.lowerBound)..<Int(range.upperBound)])
            guard
                case .success(let (utf8, entry)) = IndexFileParts.streamEntry(
                    slice, at: range.lowerBound, hash: directory[number].hash, header: header)
            else { return nil }
            return (Array(utf8), entry)
        }
        if let entry {
            precondition(BloomFilter.hash(entry.utf8) == directory[number].hash, "an entry's id has its hash")
            precondition(!entry.entry.positions.isEmpty && entry.entry.firstVersion >= 1)
            precondition(zip(entry.entry.positions, entry.entry.positions.dropFirst()).allSatisfy { $0 < $1 })
            precondition(entry.entry.positions.allSatisfy { $0 >= header.basePosition && $0 < header.nextPosition })
        }
        parsed.append(entry)
    }
    precondition(end == entriesPart.upperBound, "the last entry ends where part 4 does")
    let allowed = [header.part(1), header.part(3), header.part(4)]
    for number in parsed.indices.prefix(64) {
        guard let entry = parsed[number] else { continue }
        file.startRecordingReads()
        let found = view.streamEntry(entry.utf8, from: file)
        precondition(
            file.reads().allSatisfy { read in
                allowed.contains { $0.lowerBound <= read.lowerBound && read.upperBound <= $0.upperBound }
            },
            "a stream look-up reads only the stream filter, the directory and stream entries")
        guard let streamFilter else {
            precondition(found == .unreadable, "without a stream filter a look-up cannot answer")
            continue
        }
        guard streamFilter.mayContain(entry.utf8) else {
            precondition(found == .notListed, "a stream the filter rules out is not listed")
            continue
        }
        switch found {
        case .notListed: preconditionFailure("a stream whose entry checks is found by the directory")
        case .unreadable:
            precondition(
                parsed[..<number].indices.contains {
                    parsed[$0] == nil && directory[$0].hash == directory[number].hash
                },
                "a look-up is unreadable only when an entry it must read does not check")
        case .listed(let listed):
            precondition(
                parsed[...number].contains { $0?.utf8 == entry.utf8 && $0?.entry == listed },
                "a look-up lists an entry of that stream")
        }
    }
    let probe = Array(bytes.suffix(12))
    if !probe.isEmpty, case .listed(let listed) = view.streamEntry(probe, from: file) {
        precondition(parsed.contains { $0?.utf8 == probe && $0?.entry == listed }, "only listed ids are found")
    }
}

/// Part 6 that checks: the sealed event table finds each entry at its position, and misses absent ids.
func checkEventTable(_ table: SealedEventTable, body: [UInt8], header: IndexFileHeader, bytes: [UInt8]) {
    precondition(body.count == Int(header.recordCount) * 20 && table.count == Int(header.recordCount))
    guard let whole = SealedEventTable(indexFile: bytes) else {
        preconditionFailure("an event table that checks is read from the whole file too")
    }
    func entry(_ number: Int) -> (id: EventID, position: UInt64) {
        body.withUnsafeBytes { raw in
            let id = EventID(
                high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: number * 20, as: UInt64.self)),
                low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: number * 20 + 8, as: UInt64.self)))
            return (id, header.basePosition + UInt64(raw.littleEndian(at: number * 20 + 16, as: UInt32.self)))
        }
    }
    for number in 0..<min(table.count, 256) {
        let (id, position) = entry(number)
        precondition(position < header.nextPosition, "an event lies in the covered positions")
        precondition(table.position(of: id) == position && whole.position(of: id) == position, "every id is found")
        let next = EventID(high: id.high &+ (id.low == .max ? 1 : 0), low: id.low &+ 1)
        let expected = number + 1 < table.count && entry(number + 1).id == next ? entry(number + 1).position : nil
        if next > id { precondition(table.position(of: next) == expected, "an absent id is not found") }
    }
}

// MARK: - A decoded index

/// An index that `SegmentIndex.decode` accepts: every look-up path agrees with it, and it survives its encoding.
func checkDecodedIndex(_ index: SegmentIndex, bytes: [UInt8], file: MemoryFile) {
    guard case .success(let partial) = SegmentIndex.decode(bytes, includingEvents: false) else {
        preconditionFailure("an index that decodes whole also decodes without its event table")
    }
    guard var view = try? IndexFileView.open(file), let streamFilter = view.loadStreamFilter(from: file),
        let sparse = view.loadSparse(from: file), view.loadDirectory(from: file) != nil,
        let eventFilter = view.eventFilter(from: file), let table = view.eventTable(from: file),
        view.snapshot(from: file) != nil
    else { preconditionFailure("every part of an index that decodes reads and checks through the view") }
    let header = view.header
    precondition(sameIndex(partial, index, comparingEvents: false), "both decodings agree")
    precondition(partial.eventPositions.isEmpty && partial.omittedEventsFilter == eventFilter)
    precondition(index.omittedEventsFilter == nil && !index.streamsOmitted)
    precondition(index.eventTableOffset == Int(header.partOffsets[5]))
    precondition(index.sparse == sparse.entries && index.frontier == sparse.frontier)
    precondition(index.streams.count == Int(header.streamCount), "every stream entry is a stream")
    precondition(index.eventPositions.count == Int(header.recordCount), "one event per record")

    var streamsByBytes: [[UInt8]: SegmentIndex.StreamEntry] = [:]
    for (name, entry) in index.streams { streamsByBytes[Array(name.utf8)] = entry }
    precondition(streamsByBytes.count == index.streams.count, "stream ids have distinct bytes")
    for (utf8, entry) in streamsByBytes.prefix(64) {
        let expected: IndexFileView.StreamLookup = streamFilter.mayContain(utf8) ? .listed(entry) : .notListed
        precondition(view.streamEntry(utf8, from: file) == expected, "the directory finds every decoded stream")
        for probe in [utf8 + [0x21], Array(utf8.dropLast()), [0x78] + utf8] {
            let found = view.streamEntry(probe, from: file)
            if let other = streamsByBytes[probe] {
                precondition(found == (streamFilter.mayContain(probe) ? .listed(other) : .notListed))
            } else {
                precondition(found == .notListed, "bytes that are no stream id are not listed")
            }
        }
    }
    for event in index.eventPositions.entries.prefix(256) {
        precondition(table.position(of: event.id) == event.position, "the sealed event table finds every listed id")
        _ = eventFilter.mayContain(hash: BloomFilter.hash(event.id))
    }
    for position in probePositions(index.sparse, header: header) {
        let start = index.scanStart(for: position)
        let range = view.scanRange(for: position)
        precondition(start.offset == range.offset && start.position == range.position, "scan starts agree")
    }
    for entry in index.sparse.prefix(64) {
        let start = index.scanStart(forTime: entry.recordedTime)
        let viewStart = view.scanStart(forTime: entry.recordedTime)
        precondition(start.offset == viewStart.offset && start.position == viewStart.position, "time scans agree")
    }

    let encoded = index.encode()
    guard case .success(let again) = SegmentIndex.decode(encoded) else {
        preconditionFailure("a decoded index encodes into a valid index")
    }
    precondition(sameIndex(again, index, comparingEvents: true), "a decoded index survives encoding")
    precondition(again.encode() == encoded, "encoding a decoded index is stable")
    guard case .success(let againPartial) = SegmentIndex.decode(encoded, includingEvents: false),
        againPartial.omittedEventsFilter == index.eventFilter()
    else { preconditionFailure("the encoded event filter is the index's") }
}

/// Whether two indexes hold the same header fields, sparse entries, frontier and streams (and events, if asked);
/// where the event table starts may differ, since a decoded Bloom filter need not have the size encoding gives it.
func sameIndex(_ left: SegmentIndex, _ right: SegmentIndex, comparingEvents: Bool) -> Bool {
    left.basePosition == right.basePosition && left.recordCount == right.recordCount
        && left.dataLength == right.dataLength && left.firstRecordedTime == right.firstRecordedTime
        && left.lastRecordedTime == right.lastRecordedTime && left.dataChecksum == right.dataChecksum
        && left.sparse == right.sparse && left.frontier == right.frontier && left.streams == right.streams
        && (!comparingEvents || left.eventPositions == right.eventPositions)
}

// MARK: - Resealing and the in-memory file

/// Recomputes every CRC-32C of an index file where its header and stream directory, as they stand, place them: parts
/// 1, 2, 3, 5 and 6 (offsets clamped to the file), each stream entry of part 4, then the header's over bytes 8 ..< 128.
func sealIndexChecksums(_ bytes: inout [UInt8]) {
    let headerBytes = IndexFileHeader.byteCount
    guard bytes.count >= headerBytes else { return }
    var bounds = [headerBytes]
    for number in 0..<6 {
        let stated = bytes.withUnsafeBytes { $0.littleEndian(at: 72 + number * 8, as: UInt64.self) }
        bounds.append(Int(min(max(stated, UInt64(bounds[number])), UInt64(bytes.count))))
    }
    for part in [0, 1, 2, 4, 5] { sealPart(&bytes, bounds[part]..<bounds[part + 1]) }
    let directory = bounds[2]..<max(bounds[2], bounds[3] - 4)
    let entries = bounds[3]..<bounds[4]
    var offsets: [Int] = []
    for start in stride(from: directory.lowerBound, to: directory.upperBound - 15, by: 16).prefix(4096) {
        let stated = bytes.withUnsafeBytes { $0.littleEndian(at: start + 8, as: UInt64.self) }
        guard stated >= UInt64(entries.lowerBound), stated < UInt64(entries.upperBound) else { break }
        offsets.append(Int(stated))
    }
    for (number, start) in offsets.enumerated() {
        let end = number + 1 < offsets.count ? offsets[number + 1] : entries.upperBound
        if start < end { sealPart(&bytes, start..<end) }
    }
    let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[8..<headerBytes])) }
    bytes.setLittleEndian(checksum, at: 4)
}

/// Writes the CRC-32C of a part's bytes before its last 4 into those 4.
func sealPart(_ bytes: inout [UInt8], _ range: Range<Int>) {
    guard range.count >= 4 else { return }
    let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[range.dropLast(4)])) }
    bytes.setLittleEndian(checksum, at: range.upperBound - 4)
}

extension [UInt8] {
    /// Overwrites a 64-bit little-endian value at `offset`.
    mutating func setUInt64(_ value: UInt64, at offset: Int) {
        setLittleEndian(UInt32(truncatingIfNeeded: value), at: offset)
        setLittleEndian(UInt32(truncatingIfNeeded: value >> 32), at: offset + 4)
    }
}

/// An index file held in memory, open for reading, that can record the byte ranges read from it.
final class MemoryFile: OpenFile {
    private let bytes: [UInt8]
    private let recorded = Mutex<[Range<Int>]?>(nil)

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Starts recording reads anew.
    func startRecordingReads() { recorded.withLock { $0 = [] } }

    /// The ranges read since ``startRecordingReads()``.
    func reads() -> [Range<Int>] { recorded.withLock { $0 ?? [] } }

    func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
        guard offset >= 0, count >= 0 else {
            throw FileSystemError(.other(errno: 22), operation: "pread", path: "index")
        }
        let start = Int(Swift.min(offset, Int64(bytes.count)))
        let end = start + Swift.min(count, bytes.count - start)
        recorded.withLock { $0?.append(start..<end) }
        return Array(bytes[start..<end])
    }

    func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) {
        throw FileSystemError(.permissionDenied, operation: "pwrite", path: "index")
    }

    func sync() throws(FileSystemError) {}

    func size() throws(FileSystemError) -> Int64 { Int64(bytes.count) }

    func truncate(to size: Int64) throws(FileSystemError) {
        throw FileSystemError(.permissionDenied, operation: "ftruncate", path: "index")
    }

    func close() {}
}
