// libFuzzer target: the batch decoder (`BatchHeader.parse`, `BatchCodec.decode`) and the segment scan built on it.
//
// Input: one mode byte, then the bytes where a batch (or a whole segment) should start. With the mode byte's bit 0
// set, the harness first recomputes the batch CRC-32C over what the header says the batch covers, so mutations get
// past the checksum and reach the header rules, the LZ4 block and the record framing.
//
// Besides "no crash, no trap", every accepted batch must hold exactly its header's record count, its records must
// encode into a batch that decodes to the same records, and an index rebuilt from it must survive its own
// encoding.
@testable import RecordLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBatchDecoder(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count >= 1 else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    if data[0] & 1 == 1 { sealBatchChecksum(&bytes) }
    bytes.withUnsafeBytes { raw in
        if case .success(let batch) = BatchCodec.decode(raw) { checkAcceptedBatch(batch) }
        let base = raw.count >= 24 ? raw.littleEndian(at: 16, as: UInt64.self) : 0
        let scan = SegmentScan.scan(raw, basePosition: base, previousRecordedTime: .min) { _, _ in }
        precondition(scan.validByteCount <= raw.count, "a scan ends inside the bytes it was given")
        if case .defect(let offset, _) = scan.end {
            if let later = SegmentScan.containsValidBatch(raw, after: offset) {
                precondition(later > offset && later < raw.count, "a later batch lies after the defect")
            }
        }
    }
    return 0
}

/// Writes the CRC-32C a writer would have written for the batch whose header starts `bytes`, when the header is
/// long enough to say how long the batch is.
private func sealBatchChecksum(_ bytes: inout [UInt8]) {
    guard bytes.count >= BatchHeader.byteCount else { return }
    let stored = bytes.withUnsafeBytes { Int($0.littleEndian(at: 44, as: UInt32.self)) }
    let end = min(bytes.count, BatchHeader.byteCount + stored)
    let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[8..<end])) }
    bytes.setLittleEndian(checksum, at: 4)
}

private func checkAcceptedBatch(_ batch: DecodedBatch) {
    let records = batch.records()
    precondition(records.count == Int(batch.header.recordCount), "every framed record of a valid batch decodes")
    var views: [LogRecord] = []
    _ = batch.forEachRecordView { view in
        views.append(view.record)
        return true
    }
    precondition(views == records, "record views read the same fields as decoded records")
    let reencoded = BatchCodec.encode(records)
    let again = reencoded.withUnsafeBytes { BatchCodec.decode($0) }
    guard case .success(let decodedAgain) = again else {
        preconditionFailure("the records of a valid batch encode into a valid batch")
    }
    precondition(decodedAgain.records() == records, "re-encoded records decode to themselves")
    var index = SegmentIndex(basePosition: batch.header.basePosition)
    index.add(batch: batch, at: 0, intervalBytes: 4096)
    guard case .success(let decodedIndex) = SegmentIndex.decode(index.encode()) else {
        preconditionFailure("an index rebuilt from a valid batch decodes")
    }
    precondition(decodedIndex.encode() == index.encode(), "a rebuilt index encodes to the same bytes twice")
}
