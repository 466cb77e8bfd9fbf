import ClinicEvents
import Crypto
import RecordLog

/// A view with the log position it reflects: every event before `nextPosition` is folded into `view`, none after.
public struct ViewCheckpoint<View: Projection>: Sendable, Equatable {
    /// The view.
    public var view: View
    /// The number of events folded: the position of the next event to fold.
    public var nextPosition: UInt64
    /// The Merkle leaf hash of the record at `nextPosition - 1` (nil when nothing is folded): it covers that record's
    /// position, time, stream, id and payload, so a load can check that the log is still the one the view was folded
    /// from.
    public var lastLeafHash: MerkleDigest?

    /// A checkpoint of `view` after the events before `nextPosition`.
    public init(view: View, nextPosition: UInt64, lastLeafHash: MerkleDigest?) {
        self.view = view
        self.nextPosition = nextPosition
        self.lastLeafHash = lastLeafHash
    }

    /// The empty view at position 0.
    public init(empty view: View) {
        self.init(view: view, nextPosition: 0, lastLeafHash: nil)
    }
}

/// Why a stored checkpoint was not used (the view is then rebuilt from the log).
public enum CheckpointRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// There is no checkpoint file for the view.
    case missing
    /// The file could not be read.
    case unreadable(FileSystemError.Code)
    /// The file is shorter than its header says or than any checkpoint.
    case truncated
    /// The file does not start with the checkpoint magic.
    case notACheckpoint
    /// The file's format version is not one this code reads.
    case unsupportedFormat(UInt8)
    /// The file holds another view.
    case otherView
    /// The view's state encoding changed since the file was written.
    case stateFormatChanged
    /// The event catalogue (types or their current schema versions) changed since the file was written.
    case catalogueChanged
    /// The file was written under another checkpoint key.
    case wrongKey
    /// AES-GCM refused the file: a byte was changed, or the file was cut.
    case tampered
    /// The decrypted state could not be read back exactly.
    case stateUnreadable
    /// The state was written for another configuration (another office calendar).
    case configurationMismatch
    /// The checkpoint is ahead of the log's readable end.
    case beyondLogEnd
    /// The log's event at the checkpoint's position is not the one the view was folded from.
    case logMismatch

    /// One sentence saying why the checkpoint was not used and what happens.
    public var description: String {
        let what: String =
            switch self {
            case .missing: "there is no checkpoint"
            case .unreadable(let code): "the checkpoint could not be read (\(code))"
            case .truncated: "the checkpoint is truncated"
            case .notACheckpoint: "the file is not a view checkpoint"
            case .unsupportedFormat(let version): "the checkpoint format \(version) is not supported"
            case .otherView: "the checkpoint holds another view"
            case .stateFormatChanged: "the view's state format changed"
            case .catalogueChanged: "the event catalogue changed"
            case .wrongKey: "the checkpoint was written under another key"
            case .tampered: "the checkpoint failed authentication"
            case .stateUnreadable: "the checkpoint's state could not be read back exactly"
            case .configurationMismatch: "the checkpoint was written for another office calendar"
            case .beyondLogEnd: "the checkpoint is ahead of the log"
            case .logMismatch: "the log differs from the one the checkpoint was folded from"
            }
        return what + "; the view is rebuilt from the log"
    }
}

/// The checkpoint file format (see `docs/projections.md`): header, AES-256-GCM sealed state.
enum ViewCheckpointFormat {
    static let magic: [UInt8] = Array("CLVC".utf8)
    static let formatVersion: UInt8 = 1
    static let nonceByteCount = 12
    static let tagByteCount = 16
    static let keyIDLabel = Array("ClinicLog view checkpoint key id v1".utf8)

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

    /// The header up to (not including) the nonce: the associated data AES-GCM authenticates.
    static func header(
        viewName: String, stateFormatVersion: UInt32, keyID: [UInt8], nextPosition: UInt64, lastLeafHash: MerkleDigest?,
        ciphertextByteCount: UInt64
    ) -> [UInt8] {
        var bytes = magic
        bytes.append(formatVersion)
        let name = Array(viewName.utf8)
        bytes.append(UInt8(name.count))
        bytes += name
        withUnsafeBytes(of: stateFormatVersion.littleEndian) { bytes += $0 }
        bytes += catalogueFingerprint
        bytes += keyID
        withUnsafeBytes(of: nextPosition.littleEndian) { bytes += $0 }
        bytes += lastLeafHash?.bytes ?? [UInt8](repeating: 0, count: MerkleDigest.byteCount)
        withUnsafeBytes(of: ciphertextByteCount.littleEndian) { bytes += $0 }
        return bytes
    }
}

/// Reads little-endian integers from a byte array.
private struct HeaderReader {
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

/// Why a checkpoint could not be written.
public enum ViewCheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file system refused a step of the atomic write; the previous checkpoint, if any, is intact.
    case fileSystem(FileSystemError)
    /// AES-GCM could not seal the state (an unusable key).
    case sealingFailed

    /// One sentence naming what failed and what to do.
    public var description: String {
        switch self {
        case .fileSystem(let error):
            "Writing a view checkpoint failed (\(error)); the previous checkpoint is intact, free space or fix the "
                + "directory and save again."
        case .sealingFailed:
            "The view checkpoint could not be encrypted; check the checkpoint key."
        }
    }
}

/// Stores view checkpoints in a directory, one file per view (`<view name>.checkpoint`), encrypted with AES-256-GCM
/// under a key the caller gives and written atomically (temporary file, fsync, rename, fsync of the directory).
public struct ViewCheckpointStore: Sendable {
    /// The directory holding the checkpoint files.
    public let directory: String
    private let fileSystem: any FileSystem
    /// The key material; kept as bytes because `SymmetricKey` is not `Sendable` on every platform.
    private let keyMaterial: [UInt8]
    private let keyID: [UInt8]
    private let random: any RandomSource

    /// A store in `directory` on `fileSystem`, sealing with `key` (32 bytes) and nonces from `random`.
    public init(
        directory: String, fileSystem: any FileSystem = PosixFileSystem(), key: SymmetricKey,
        random: any RandomSource = SystemRandomSource()
    ) {
        precondition(key.bitCount == 256, "a view checkpoint key is 32 bytes")
        self.directory = directory
        self.fileSystem = fileSystem
        self.keyMaterial = key.withUnsafeBytes { Array($0) }
        self.keyID = ViewCheckpointFormat.keyID(of: key)
        self.random = random
    }

    private var key: SymmetricKey { SymmetricKey(data: keyMaterial) }

    /// The path of the checkpoint file of the view named `viewName`.
    public func path(ofView viewName: String) -> String {
        joinPath(directory, viewName + ".checkpoint")
    }

    /// The bytes of the checkpoint file for `checkpoint`.
    func fileBytes<View: Projection>(_ checkpoint: ViewCheckpoint<View>) throws(ViewCheckpointError) -> [UInt8] {
        let state = checkpoint.view.stateBytes
        let header = ViewCheckpointFormat.header(
            viewName: View.viewName, stateFormatVersion: View.stateFormatVersion, keyID: keyID,
            nextPosition: checkpoint.nextPosition, lastLeafHash: checkpoint.lastLeafHash,
            ciphertextByteCount: UInt64(state.count))
        let nonceBytes = random.bytes(count: ViewCheckpointFormat.nonceByteCount)
        do {
            let nonce = try AES.GCM.Nonce(data: nonceBytes)
            let sealed = try AES.GCM.seal(state, using: key, nonce: nonce, authenticating: header)
            return header + nonceBytes + Array(sealed.ciphertext) + Array(sealed.tag)
        } catch {
            throw .sealingFailed
        }
    }

    /// Writes the checkpoint of a view atomically, replacing the previous one.
    public func save<View: Projection>(_ checkpoint: ViewCheckpoint<View>) throws(ViewCheckpointError) {
        precondition(
            !View.viewName.isEmpty && View.viewName.utf8.count <= 32
                && View.viewName.utf8.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") },
            "a view name is 1 to 32 lowercase ASCII letters")
        let bytes = try fileBytes(checkpoint)
        do {
            try fileSystem.createDirectory(directory)
            try fileSystem.writeAtomically(bytes, to: path(ofView: View.viewName))
        } catch {
            throw .fileSystem(error)
        }
    }

    /// Removes the checkpoint of the view named `viewName`, if there is one.
    public func remove(viewNamed viewName: String) throws(ViewCheckpointError) {
        let path = path(ofView: viewName)
        guard fileSystem.exists(path) else { return }
        do {
            try fileSystem.remove(path)
            try fileSystem.syncDirectory(directory)
        } catch {
            throw .fileSystem(error)
        }
    }

    /// Loads the checkpoint of the view `empty` is the configured empty state of, or says why it cannot be used.
    ///
    /// The log is not consulted here; `ProjectionReplayer.validate(_:)` checks the checkpoint against the log.
    public func load<View: Projection>(_ empty: View) -> Result<ViewCheckpoint<View>, CheckpointRejection> {
        let path = path(ofView: View.viewName)
        guard fileSystem.exists(path) else { return .failure(.missing) }
        let bytes: [UInt8]
        do { bytes = try fileSystem.readWholeFile(path) } catch { return .failure(.unreadable(error.code)) }
        return decode(bytes, empty: empty)
    }

    /// Decodes checkpoint file bytes.
    func decode<View: Projection>(_ bytes: [UInt8], empty: View) -> Result<ViewCheckpoint<View>, CheckpointRejection> {
        var reader = HeaderReader(bytes: bytes)
        guard let magic = reader.take(4) else { return .failure(.truncated) }
        guard magic.elementsEqual(ViewCheckpointFormat.magic) else { return .failure(.notACheckpoint) }
        guard let version = reader.integer(UInt8.self) else { return .failure(.truncated) }
        guard version == ViewCheckpointFormat.formatVersion else { return .failure(.unsupportedFormat(version)) }
        guard let nameLength = reader.integer(UInt8.self), let name = reader.take(Int(nameLength)) else {
            return .failure(.truncated)
        }
        guard name.elementsEqual(View.viewName.utf8) else { return .failure(.otherView) }
        guard let stateVersion = reader.integer(UInt32.self), let fingerprint = reader.take(8),
            let storedKeyID = reader.take(8), let nextPosition = reader.integer(UInt64.self),
            let lastHash = reader.take(MerkleDigest.byteCount), let length = reader.integer(UInt64.self)
        else { return .failure(.truncated) }
        guard stateVersion == View.stateFormatVersion else { return .failure(.stateFormatChanged) }
        guard fingerprint.elementsEqual(ViewCheckpointFormat.catalogueFingerprint) else {
            return .failure(.catalogueChanged)
        }
        guard storedKeyID.elementsEqual(keyID) else { return .failure(.wrongKey) }
        let header = Array(bytes[0..<reader.offset])
        let expected = UInt64(ViewCheckpointFormat.nonceByteCount + ViewCheckpointFormat.tagByteCount)
        guard UInt64(bytes.count - reader.offset) >= expected,
            UInt64(bytes.count - reader.offset) - expected == length
        else { return .failure(.truncated) }
        guard let nonceBytes = reader.take(ViewCheckpointFormat.nonceByteCount),
            let ciphertext = reader.take(Int(length)), let tag = reader.take(ViewCheckpointFormat.tagByteCount)
        else { return .failure(.truncated) }
        let state: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonceBytes), ciphertext: ciphertext, tag: tag)
            state = Array(try AES.GCM.open(box, using: key, authenticating: header))
        } catch {
            return .failure(.tampered)
        }
        let view: View
        do {
            view = try empty.decodingState(fromBytes: state)
        } catch ViewStateDecodingError.configurationMismatch {
            return .failure(.configurationMismatch)
        } catch {
            return .failure(.stateUnreadable)
        }
        let lastLeafHash = nextPosition == 0 ? nil : MerkleDigest(bytes: lastHash)
        return .success(ViewCheckpoint(view: view, nextPosition: nextPosition, lastLeafHash: lastLeafHash))
    }
}
