// libFuzzer target: the checkpoint parsers (`SignedCheckpoint.decode`, public, and `CheckpointFile.decodeAll`, the
// reader of the whole `checkpoints` file).
//
// Input: one mode byte, then the checkpoint file. With the mode byte's bit 0 set, the harness first recomputes each
// whole 184-byte entry's key id and CRC-32C, so mutations reach the version, reserved-byte and ordering rules and the
// signature check. Whatever decodes must encode back to exactly its bytes.
@testable import RecordLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count >= 1 else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    let size = SignedCheckpoint.byteCount
    if data[0] & 1 == 1 {
        for start in stride(from: 0, to: bytes.count / size * size, by: size) {
            var entry = Array(bytes[start..<start + size])
            entry.replaceSubrange(80..<88, with: SignedCheckpoint.keyID(of: Array(entry[88..<120])))
            entry.sealChecksum()
            bytes.replaceSubrange(start..<start + size, with: entry)
        }
    }
    if let checkpoint = SignedCheckpoint.decode(bytes) {
        precondition(checkpoint.encode() == bytes, "a decoded checkpoint encodes back to its bytes")
        _ = checkpoint.hasValidSignature(trusting: checkpoint.publicKey)
    }
    if case .success(let checkpoints) = CheckpointFile.decodeAll(bytes) {
        precondition(checkpoints.flatMap { $0.encode() } == bytes, "a decoded checkpoint file encodes back")
    }
    return 0
}
