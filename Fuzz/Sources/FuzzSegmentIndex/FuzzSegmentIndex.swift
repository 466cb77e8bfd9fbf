// libFuzzer target: the segment index reader (`SegmentIndex.decode`, with and without the event table) and the
// sealed event table search built on it (`SealedEventTable`).
//
// Input: one mode byte, then the index file. With the mode byte's bit 0 set, the harness first recomputes the
// file's CRC-32C so mutations reach the sections behind it. An index that decodes must also decode without its
// event table, find every event id it lists at its position, and give the same index when encoded and decoded again.
@testable import RecordLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSegmentIndex(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count >= 1 else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    if data[0] & 1 == 1, bytes.count >= 8 { bytes.sealChecksum() }
    let withoutEvents = SegmentIndex.decode(bytes, includingEvents: false)
    let table = SealedEventTable(indexFile: bytes)
    guard case .success(let index) = SegmentIndex.decode(bytes) else { return 0 }
    guard case .success(let partial) = withoutEvents, let table else {
        preconditionFailure("an index that decodes whole also decodes without its event table")
    }
    precondition(partial.streams == index.streams && partial.sparse == index.sparse, "both decodings agree")
    let filter = partial.eventFilter()
    for (id, position) in index.eventPositions.entries {
        precondition(table.position(of: id) == position, "the sealed event table finds every listed id")
        _ = filter.mayContain(hash: BloomFilter.hash(id))
    }
    for entry in index.sparse {
        _ = index.scanStart(for: entry.position)
        _ = index.scanStart(forTime: entry.recordedTime)
    }
    _ = index.scanStart(for: index.nextPosition)
    guard case .success(let again) = SegmentIndex.decode(index.encode()) else {
        preconditionFailure("a decoded index encodes into a valid index")
    }
    precondition(again.streams == index.streams, "stream table survives encoding")
    precondition(again.eventPositions == index.eventPositions, "event table survives encoding")
    precondition(again.frontier == index.frontier && again.dataChecksum == index.dataChecksum, "trailer survives")
    precondition(again.sparse == index.sparse && again.recordCount == index.recordCount, "header survives")
    return 0
}
