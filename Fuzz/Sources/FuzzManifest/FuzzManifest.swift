// libFuzzer target: the manifest decoder (`Manifest.decode`).
//
// Input: one mode byte, then the manifest file. With the mode byte's bit 0 set, the harness first recomputes the
// file's CRC-32C so mutations reach the field rules. A manifest that decodes must encode back to exactly its bytes:
// every byte of the format is either checked or kept.
@testable import RecordLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count >= 1 else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    if data[0] & 1 == 1, bytes.count >= 8 { bytes.sealChecksum() }
    if case .success(let manifest) = Manifest.decode(bytes) {
        precondition(manifest.encode() == bytes, "a decoded manifest encodes back to its bytes")
        precondition(manifest.frontier.size == manifest.activeBase, "the frontier ends at the active segment")
        _ = manifest.frontier.root
    }
    return 0
}
