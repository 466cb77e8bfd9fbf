import ClinicEvents
import Crypto
import RecordLog

/// The checkpoint file format 2 (see `docs/projections.md` section 6): a header, a sealed table of parts, and each part
/// sealed on its own with AES-256-GCM, so a query decrypts and decodes only the parts it reads.
enum ViewCheckpointFormat {
    static let magic: [UInt8] = Array("CLVC".utf8)
    static let formatVersion: UInt8 = 2
    static let nonceByteCount = 12
    static let tagByteCount = 16
    static let keyIDLabel = Array("ClinicLog view checkpoint key id v1".utf8)
    /// The most parts a file holds.
    static let partCountMax = 1 << 20
    /// The longest part key.
    static let partKeyByteCountMax = 128
    /// What follows `<view>.checkpoint` in the name of a save's temporary file (then 16 hex digits).
    static let temporarySuffix = ".tmp-"

    /// Whether `name` can name a view: 1 to 32 ASCII lowercase letters.
    static func isValidViewName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 32
            && name.utf8.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    }

    /// Whether `key` can name a part: 1 to 128 printable ASCII bytes.
    static func isValidPartKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= partKeyByteCountMax && key.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// Whether the part `key` is an index derived from other parts (`index.` prefix), not state of its own.
    static func isIndexPart(_ key: String) -> Bool {
        key.hasPrefix("index.")
    }

    /// The first 8 bytes of HMAC-SHA-256 of the label under `key`: names the key without revealing it.
    static func keyID(of key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: keyIDLabel, using: key)).prefix(8).map { $0 }
    }

    /// The first 8 bytes of SHA-256 over every event type name (ascending), each followed by a zero byte and its
    /// current schema version as 4 bytes little-endian.
    static let catalogueFingerprint: [UInt8] = {
        var bytes: [UInt8] = []
        for body in ClinicEvent.bodyTypes.sorted(by: { $0.eventType < $1.eventType }) {
            bytes += Array(body.eventType.utf8) + [0]
            withUnsafeBytes(of: body.currentSchemaVersion.littleEndian) { bytes += $0 }
        }
        return Array(SHA256.hash(data: bytes)).prefix(8).map { $0 }
    }()

    /// The header up to (not including) the table nonce: the associated data of the table and (with the part's key)
    /// of every part.
    static func header(
        viewName: String, stateFormatVersion: UInt32, keyID: [UInt8], nextPosition: UInt64, lastLeafHash: MerkleDigest?,
        partCount: UInt32, tableByteCount: UInt64
    ) -> [UInt8] {
        var bytes = magic
        bytes.append(formatVersion)
        let name = Array(viewName.utf8)
        bytes.append(UInt8(name.count))
        bytes += name
        append(stateFormatVersion, to: &bytes)
        bytes += catalogueFingerprint
        bytes += keyID
        append(nextPosition, to: &bytes)
        bytes += lastLeafHash?.bytes ?? [UInt8](repeating: 0, count: MerkleDigest.byteCount)
        append(partCount, to: &bytes)
        append(tableByteCount, to: &bytes)
        return bytes
    }

    private static func append<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    /// The associated data of a part: the header, the key's length byte and the key.
    static func partAssociatedData(header: [UInt8], key: String) -> [UInt8] {
        header + [UInt8(key.utf8.count)] + Array(key.utf8)
    }

    /// Writes a checkpoint file holding `parts` (in ascending key order, each key once) through `write(bytes,
    /// offset)`: each part is encoded, sealed and written in turn (gathered into writes of about `bufferBytesMax`
    /// bytes), then the header and the sealed table at offset 0, so no more than one part and one buffer are in memory
    /// at a time. A small file is written in one write. Nonces are drawn from `random` part by part, then the table's.
    static func writeFile(
        viewName: String, stateFormatVersion: UInt32, keyID: [UInt8], nextPosition: UInt64, lastLeafHash: MerkleDigest?,
        parts: [ViewPart], key: SymmetricKey, random: any RandomSource, bufferBytesMax: Int,
        write: ([UInt8], UInt64) throws(FileSystemError) -> Void
    ) throws(ViewCheckpointError) {
        // Table entry: key length u8, key, offset u64, length u64, tag 16 bytes.
        let tableByteCount = parts.reduce(0) { $0 + 1 + $1.key.utf8.count + 8 + 8 + tagByteCount }
        let header = header(
            viewName: viewName, stateFormatVersion: stateFormatVersion, keyID: keyID, nextPosition: nextPosition,
            lastLeafHash: lastLeafHash, partCount: UInt32(parts.count), tableByteCount: UInt64(tableByteCount))
        var offset = UInt64(header.count + nonceByteCount + tableByteCount + tagByteCount)
        var table: [UInt8] = []
        table.reserveCapacity(tableByteCount)
        var buffer: [UInt8] = []
        var bufferOffset = offset
        var flushed = false
        func seal(_ plain: [UInt8], authenticating data: [UInt8]) throws(ViewCheckpointError) -> (
            nonce: [UInt8], sealed: AES.GCM.SealedBox
        ) {
            let nonce = random.bytes(count: nonceByteCount)
            do {
                return (
                    nonce,
                    try AES.GCM.seal(plain, using: key, nonce: try AES.GCM.Nonce(data: nonce), authenticating: data)
                )
            } catch {
                throw .sealingFailed
            }
        }
        /// Encodes and seals one part; its plaintext is dropped on return, so a large part's plaintext and ciphertext
        /// and its copy in the buffer are never all held at once.
        func sealPart(_ part: ViewPart) throws(ViewCheckpointError) -> (
            byteCount: Int, nonce: [UInt8], sealed: AES.GCM.SealedBox
        ) {
            let plain = part.encode()
            let (nonce, sealed) = try seal(plain, authenticating: partAssociatedData(header: header, key: part.key))
            return (plain.count, nonce, sealed)
        }
        for part in parts {
            let (byteCount, nonce, sealed) = try sealPart(part)
            table.append(UInt8(part.key.utf8.count))
            table += Array(part.key.utf8)
            append(offset, to: &table)
            append(UInt64(byteCount), to: &table)
            table.append(contentsOf: sealed.tag)
            buffer += nonce
            buffer.append(contentsOf: sealed.ciphertext)
            buffer.append(contentsOf: sealed.tag)
            offset += UInt64(nonceByteCount + byteCount + tagByteCount)
            if buffer.count >= bufferBytesMax {
                do { try write(buffer, bufferOffset) } catch { throw .fileSystem(error) }
                bufferOffset += UInt64(buffer.count)
                // A buffer a large part made large is let go rather than kept for the small parts after it.
                buffer.removeAll(keepingCapacity: buffer.capacity <= 2 * bufferBytesMax)
                flushed = true
            }
        }
        let (tableNonce, sealedTable) = try seal(table, authenticating: header)
        var head = header + tableNonce
        head.append(contentsOf: sealedTable.ciphertext)
        head.append(contentsOf: sealedTable.tag)
        do {
            if flushed {
                if !buffer.isEmpty { try write(buffer, bufferOffset) }
                try write(head, 0)
            } else {
                try write(head + buffer, 0)
            }
        } catch {
            throw .fileSystem(error)
        }
    }

    /// Reads byte ranges of a file: `read(offset, count)` returns fewer bytes only at the end.
    struct ByteSource {
        let size: Int64
        let read: (Int64, Int) -> [UInt8]
    }

    /// One part as the table lists it.
    struct TableEntry {
        let key: String
        let offset: UInt64
        let byteCount: UInt64
        let tag: [UInt8]
    }

    /// A checkpoint file whose header and table were read and authenticated.
    struct OpenedFile {
        let header: [UInt8]
        let nextPosition: UInt64
        let lastLeafHash: MerkleDigest?
        let table: [TableEntry]

        /// Reads, authenticates and decrypts the part `partKey`.
        func openPart(_ partKey: String, from source: ByteSource, key: SymmetricKey) -> Result<
            [UInt8], CheckpointRejection
        > {
            guard let entry = table.first(where: { $0.key == partKey }) else { return .failure(.truncated) }
            let total = UInt64(nonceByteCount + tagByteCount) + entry.byteCount
            guard entry.offset <= UInt64(source.size), total <= UInt64(source.size) - entry.offset else {
                return .failure(.truncated)
            }
            let bytes = source.read(Int64(entry.offset), Int(total))
            guard bytes.count == Int(total) else { return .failure(.truncated) }
            let tag = bytes[(bytes.count - tagByteCount)...]
            guard tag.elementsEqual(entry.tag) else { return .failure(.tampered) }
            do {
                let box = try AES.GCM.SealedBox(
                    nonce: AES.GCM.Nonce(data: bytes[0..<nonceByteCount]),
                    ciphertext: bytes[nonceByteCount..<(bytes.count - tagByteCount)], tag: tag)
                return .success(
                    Array(
                        try AES.GCM.open(
                            box, using: key, authenticating: partAssociatedData(header: header, key: partKey))))
            } catch {
                return .failure(.tampered)
            }
        }
    }

    /// Reads and checks the header and the table of a checkpoint file, in the order `docs/projections.md` 6.2 gives.
    static func open(
        _ source: ByteSource, viewName: String, stateFormatVersion: UInt32, keyID: [UInt8], key: SymmetricKey
    ) -> Result<OpenedFile, CheckpointRejection> {
        let prefixByteCount = min(source.size, 256)
        var reader = HeaderReader(bytes: source.read(0, Int(prefixByteCount)))
        guard let magic = reader.take(4) else { return .failure(.truncated) }
        guard magic.elementsEqual(Self.magic) else { return .failure(.notACheckpoint) }
        guard let version = reader.integer(UInt8.self) else { return .failure(.truncated) }
        guard version == formatVersion else { return .failure(.unsupportedFormat(version)) }
        guard let nameLength = reader.integer(UInt8.self), let name = reader.take(Int(nameLength)) else {
            return .failure(.truncated)
        }
        guard name.elementsEqual(viewName.utf8) else { return .failure(.otherView) }
        guard let stateVersion = reader.integer(UInt32.self), let fingerprint = reader.take(8),
            let storedKeyID = reader.take(8), let nextPosition = reader.integer(UInt64.self),
            let lastHash = reader.take(MerkleDigest.byteCount), let partCount = reader.integer(UInt32.self),
            let tableByteCount = reader.integer(UInt64.self)
        else { return .failure(.truncated) }
        guard stateVersion == stateFormatVersion else { return .failure(.stateFormatChanged) }
        guard fingerprint.elementsEqual(catalogueFingerprint) else { return .failure(.catalogueChanged) }
        guard storedKeyID.elementsEqual(keyID) else { return .failure(.wrongKey) }
        let header = Array(reader.bytes[0..<reader.offset])
        guard partCount <= partCountMax,
            tableByteCount <= UInt64(source.size),
            UInt64(source.size) - UInt64(header.count) >= tableByteCount + UInt64(nonceByteCount + tagByteCount)
        else { return .failure(.truncated) }
        let sealedTable = source.read(Int64(header.count), nonceByteCount + Int(tableByteCount) + tagByteCount)
        guard sealedTable.count == nonceByteCount + Int(tableByteCount) + tagByteCount else {
            return .failure(.truncated)
        }
        let table: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: sealedTable[0..<nonceByteCount]),
                ciphertext: sealedTable[nonceByteCount..<(sealedTable.count - tagByteCount)],
                tag: sealedTable[(sealedTable.count - tagByteCount)...])
            table = Array(try AES.GCM.open(box, using: key, authenticating: header))
        } catch {
            return .failure(.tampered)
        }
        // The table was sealed by a holder of the key, so a malformed one is a writer's bug, not an attack.
        var entries: [TableEntry] = []
        var tableReader = HeaderReader(bytes: table)
        var expectedOffset = UInt64(header.count + sealedTable.count)
        for _ in 0..<partCount {
            guard let length = tableReader.integer(UInt8.self), let keyBytes = tableReader.take(Int(length)),
                let offset = tableReader.integer(UInt64.self), let byteCount = tableReader.integer(UInt64.self),
                let tag = tableReader.take(tagByteCount)
            else { return .failure(.stateUnreadable) }
            let partKey = String(decoding: keyBytes, as: UTF8.self)
            guard isValidPartKey(partKey), offset == expectedOffset, entries.last.map({ $0.key < partKey }) ?? true,
                byteCount <= UInt64(source.size)
            else { return .failure(.stateUnreadable) }
            entries.append(TableEntry(key: partKey, offset: offset, byteCount: byteCount, tag: Array(tag)))
            expectedOffset += UInt64(nonceByteCount + tagByteCount) + byteCount
        }
        guard tableReader.offset == table.count else { return .failure(.stateUnreadable) }
        guard expectedOffset == UInt64(source.size) else { return .failure(.truncated) }
        let lastLeafHash = nextPosition == 0 ? nil : MerkleDigest(bytes: lastHash)
        return .success(
            OpenedFile(header: header, nextPosition: nextPosition, lastLeafHash: lastLeafHash, table: entries))
    }
}

/// Reads little-endian integers from a byte array.
struct HeaderReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func integer<Value: FixedWidthInteger>(_ type: Value.Type) -> Value? {
        guard let slice = take(MemoryLayout<Value>.size) else { return nil }
        return slice.reversed().reduce(Value(0)) { $0 << 8 | Value($1) }
    }
}
