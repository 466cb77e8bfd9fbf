import ClinicEvents
import Foundation

@testable import RecordLog

/// What an insider with write access to a closed log's directory can do to it, byte by byte: decode every batch of
/// every segment, change records, and write the segments back with valid LZ4 payloads and batch CRCs.
struct LogEditor {
    /// One segment file as batches of records, and the zero bytes after its data (a preallocated active segment).
    struct Segment {
        var name: String
        var batches: [[LogRecord]]
        var zeroTailByteCount: Int
    }

    let directory: String

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Every segment, in order, decoded.
    func read() throws -> [Segment] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }
        return try names.sorted().map { name in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
            var offset = 0
            var batches: [[LogRecord]] = []
            while offset < bytes.count {
                let decoded = bytes.withUnsafeBytes {
                    BatchCodec.decode(UnsafeRawBufferPointer(rebasing: $0[offset...]))
                }
                guard case .success(let batch) = decoded else { break }
                batches.append(batch.records())
                offset += batch.header.batchByteCount
            }
            return Segment(name: name, batches: batches, zeroTailByteCount: bytes.count - offset)
        }
    }

    /// Writes `segments` back, each named by its first record's position; removes segment files and index files no
    /// longer named (a careful insider removes the indexes that would give the rename away).
    func write(_ segments: [Segment]) throws {
        var written: Set<String> = []
        for segment in segments {
            guard let first = segment.batches.first?.first else { continue }
            let name = SegmentFile.name(base: first.position)
            var bytes: [UInt8] = []
            for batch in segment.batches { bytes += BatchCodec.encode(batch) }
            bytes += [UInt8](repeating: 0, count: segment.zeroTailByteCount)
            try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
            written.insert(name)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let segmentName = name.replacingOccurrences(of: ".index", with: ".segment")
            if (name.hasSuffix(".segment") || name.hasSuffix(".index")) && !written.contains(segmentName) {
                try FileManager.default.removeItem(atPath: path(name))
            }
        }
    }

    /// Gives the records consecutive positions from 0, in order, and the recorded times they had at those positions
    /// (so times still never go backwards).
    static func renumber(_ segments: inout [Segment], keepingTimesOf original: [Segment]) {
        let times = original.flatMap { $0.batches.flatMap { $0.map(\.recordedTimeMicroseconds) } }
        var position: UInt64 = 0
        for segment in segments.indices {
            for batch in segments[segment].batches.indices {
                for record in segments[segment].batches[batch].indices {
                    segments[segment].batches[batch][record].position = position
                    if Int(position) < times.count {
                        segments[segment].batches[batch][record].recordedTimeMicroseconds = times[Int(position)]
                    }
                    position += 1
                }
            }
        }
    }

    /// Where the record with `eventID` is: segment, batch and record indexes.
    static func locate(_ eventID: EventID, in segments: [Segment]) -> (segment: Int, batch: Int, record: Int)? {
        for (s, segment) in segments.enumerated() {
            for (b, batch) in segment.batches.enumerated() {
                if let r = batch.firstIndex(where: { $0.eventID == eventID }) { return (s, b, r) }
            }
        }
        return nil
    }

    /// The segment name that holds `position` once `segments` are written.
    static func segmentName(holding position: UInt64, in segments: [Segment]) -> String? {
        segments.last { ($0.batches.first?.first?.position ?? .max) <= position }
            .flatMap { $0.batches.first?.first.map { SegmentFile.name(base: $0.position) } }
    }
}
