import ClinicEvents
import Crypto
import RecordLog
import Synchronization

/// A copy of the records of the office's small streams (`staff`), kept in `views/streams.cache` so that a command need
/// not read each of their records from wherever it lies in years of log: every command reads the staff directory to
/// resolve its actor, and a staff event appended in a large batch costs the read and decompression of that whole batch.
///
/// The copy is trusted only when it is signed (HMAC-SHA256 under a key derived from the master key) and when the log
/// still holds its newest record, byte for byte, at the same position and stream version: the log is append-only, so
/// the records before it are the log's too. Records the log holds after it are read through the stream index as
/// usual. A copy that fails any check (missing, damaged, signed under another master key, from another log or from a
/// later state of a log since restored) is ignored and the stream is read whole. Format: docs/projections.md, section
/// "The stream cache".
///
/// Reading never writes: what a read learned is written by `saveIfChanged()`, which a command calls once it succeeded
/// (a refused command leaves the store's files as they were).
final class StreamRecordCache: Sendable {
    /// The file name in the views directory.
    static let fileName = "streams.cache"
    /// The first four bytes of the file.
    static let magic: [UInt8] = Array("CLSC".utf8)
    /// The format version this code writes and reads.
    static let formatVersion: UInt32 = 1
    /// The HMAC-SHA256 tag's length at the end of the file.
    static let tagByteCount = 32
    /// At most this many records of one stream are kept (a stream grown past it is read from the log).
    static let recordsPerStreamMax = 1 << 16
    /// The limits the decoder enforces on a file written by anyone.
    static let streamNameBytesMax = 1024
    static let payloadBytesMax = 1 << 20

    private let path: String
    private let fileSystem: any FileSystem
    private let keyBytes: [UInt8]
    private let random: RandomByteSource

    private struct State {
        /// The file's streams, read (and checked) once; nil until then.
        var file: [String: [LogRecord]]?
        /// Whether a stream was read from the log beyond the file (or without it): the file is then worth writing.
        var changed = false
    }
    private let state = Mutex(State())

    /// A cache of the store at `location`, signed with `keyBytes`.
    init(location: StoreLocation, fileSystem: any FileSystem, keyBytes: [UInt8], random: RandomByteSource) {
        self.path = joinPath(location.viewsDirectory, Self.fileName)
        self.fileSystem = fileSystem
        self.keyBytes = keyBytes
        self.random = random
    }

    /// Every record of `stream`, oldest first, exactly as `reader.records(inStream:)` gives them: from the cache and
    /// the records the log holds after its newest, or read whole from the log when the cache cannot be used.
    func records(inStream stream: String, reader: LogReader) throws(RecordLogError) -> [LogRecord] {
        if let cached = cachedRecords(of: stream), let newest = cached.last {
            // The newest cached record and those after it: the segments before its position are not consulted.
            let fresh = try reader.records(
                inStream: stream, fromVersion: newest.streamVersion, fromPosition: newest.position)
            if fresh.first == newest {
                guard fresh.count > 1 else { return cached }
                let all = cached + fresh.dropFirst()
                remember(all, of: stream)
                return all
            }
        }
        let all = try reader.records(inStream: stream)
        remember(all, of: stream)
        return all
    }

    /// Writes the file when a read found records it lacks: atomically (a temporary file
    /// `streams.cache.tmp-<16 hex digits>`, locked from its creation to its rename, renamed over the file), not
    /// synced, since a file lost or torn by a crash fails its checks and is written again. Temporary files no live
    /// write holds (left by killed processes) are removed first. Returns whether the file was written; a failure
    /// leaves the previous file, and the next command reads the streams from the log again.
    @discardableResult
    func saveIfChanged() -> Bool {
        let streams: [String: [LogRecord]]? = state.withLock { state in
            guard state.changed, let file = state.file else { return nil }
            state.changed = false
            return file
        }
        guard let streams, !streams.isEmpty else { return false }
        let bytes = Self.encode(streams, keyBytes: keyBytes)
        let directory = parentDirectory(of: path)
        let suffix = random.bytes(count: 8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let temporary = path + Self.temporaryInfix + suffix
        do {
            if !fileSystem.exists(directory) { try fileSystem.createDirectory(directory) }
            removeAbandonedTemporaryFiles(in: directory)
            // Locking creates the file, so no other process's clean-up removes it while it is written.
            let lock = try fileSystem.lockExclusively(temporary, timeoutMilliseconds: 0)
            defer { lock.release() }
            let handle = try fileSystem.open(temporary, mode: .readWrite)
            defer { handle.close() }
            try handle.write(bytes, at: 0)
            try fileSystem.rename(temporary, to: path)
            return true
        } catch {
            try? fileSystem.remove(temporary)
            return false
        }
    }

    /// What the name of a temporary file holds between the cache's name and its random suffix.
    static let temporaryInfix = ".tmp-"

    /// Removes the temporary files of writes that no process holds any more.
    private func removeAbandonedTemporaryFiles(in directory: String) {
        let prefix = Self.fileName + Self.temporaryInfix
        _ = try? fileSystem.removeUnlockedFiles(in: directory) { $0.hasPrefix(prefix) }
    }

    private func cachedRecords(of stream: String) -> [LogRecord]? {
        state.withLock { state in
            if state.file == nil { state.file = loadFile() }
            return state.file?[stream]
        }
    }

    private func remember(_ records: [LogRecord], of stream: String) {
        guard !records.isEmpty, records.count <= Self.recordsPerStreamMax else { return }
        state.withLock { state in
            state.file = (state.file ?? [:]).merging([stream: records]) { _, new in new }
            state.changed = true
        }
    }

    /// The file's streams, or an empty cache when it is missing or fails a check.
    private func loadFile() -> [String: [LogRecord]] {
        guard fileSystem.exists(path), let bytes = try? fileSystem.readWholeFile(path) else { return [:] }
        return Self.decode(bytes, keyBytes: keyBytes) ?? [:]
    }

    /// The file's bytes for `streams` (in ascending name order), signed.
    static func encode(_ streams: [String: [LogRecord]], keyBytes: [UInt8]) -> [UInt8] {
        var encoder = BinaryEncoder(capacityBytes: 4096)
        encoder.writeFixedUInt32(formatVersion)
        encoder.writeFixedUInt32(UInt32(streams.count))
        for (stream, records) in streams.sorted(by: { $0.key < $1.key }) {
            encoder.writeString(stream)
            encoder.writeFixedUInt32(UInt32(records.count))
            for record in records {
                encoder.writeFixedUInt64(record.position)
                encoder.writeFixedInt64(record.recordedTimeMicroseconds)
                encoder.writeFixedUInt64(record.streamVersion)
                encoder.writeEventID(record.eventID)
                encoder.writeBytes(record.payload)
            }
        }
        let body = magic + encoder.bytes
        return body + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: keyBytes))
    }

    /// The streams of a file's `bytes`, or nil when its tag, magic, version or any record is wrong: each stream's
    /// records have versions 1, 2, ... and ascending positions.
    static func decode(_ bytes: [UInt8], keyBytes: [UInt8]) -> [String: [LogRecord]]? {
        guard bytes.count >= magic.count + 8 + tagByteCount else { return nil }
        let body = bytes[..<(bytes.count - tagByteCount)]
        let tag = bytes[(bytes.count - tagByteCount)...]
        guard
            HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: body, using: SymmetricKey(data: keyBytes)),
            body.starts(with: magic)
        else { return nil }
        return body.withUnsafeBytes { raw in
            try? BinaryDecoder.decode(UnsafeRawBufferPointer(rebasing: raw[magic.count...])) { decoder in
                guard try decoder.readFixedUInt32(field: "format version") == formatVersion else {
                    throw decoder.error(.unknownFormat, field: "format version")
                }
                var streams: [String: [LogRecord]] = [:]
                let streamCount = try decoder.readFixedUInt32(field: "stream count")
                for _ in 0..<streamCount {
                    let stream = try decoder.readString(field: "stream", byteCountMax: streamNameBytesMax)
                    let count = Int(try decoder.readFixedUInt32(field: "record count"))
                    guard !stream.isEmpty, streams[stream] == nil, count >= 1, count <= recordsPerStreamMax else {
                        throw decoder.error(
                            .ruleViolated(rule: "one entry of 1 or more records per stream"), field: "stream")
                    }
                    var records: [LogRecord] = []
                    records.reserveCapacity(min(count, decoder.remainingByteCount / 41))
                    for version in 1...UInt64(count) {
                        let position = try decoder.readFixedUInt64(field: "position")
                        let time = try decoder.readFixedInt64(field: "recorded time")
                        let streamVersion = try decoder.readFixedUInt64(field: "stream version")
                        let eventID = try decoder.readEventID(field: "event id")
                        let payload = try decoder.readBytes(field: "payload", byteCountMax: payloadBytesMax)
                        guard streamVersion == version, records.last.map({ $0.position < position }) ?? true else {
                            throw decoder.error(
                                .ruleViolated(rule: "versions from 1, positions ascending"), field: "stream version")
                        }
                        records.append(
                            LogRecord(
                                position: position, recordedTimeMicroseconds: time, stream: stream,
                                streamVersion: streamVersion, eventID: eventID, payload: Array(payload)))
                    }
                    streams[stream] = records
                }
                return streams
            }
        }
    }
}
