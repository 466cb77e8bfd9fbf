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

/// A checkpoint of which only some parts were read (`ViewCheckpointStore.load(_:parts:)`): its view holds those parts
/// and nothing else, so it answers only questions about them and is never saved.
public struct PartialViewCheckpoint<View: Projection>: Sendable {
    /// The view with the parts read (every part whose key the caller wanted, and the view's always-loaded parts).
    public var view: View
    /// The number of events folded: the position of the next event to fold.
    public let nextPosition: UInt64
    /// The Merkle leaf hash of the record at `nextPosition - 1` (nil when nothing is folded).
    public let lastLeafHash: MerkleDigest?
    /// Every part key the file holds, ascending.
    public let partKeys: [String]
    /// The keys of the parts read.
    public let loadedPartKeys: Set<String>
    /// The decrypted bytes of the index parts read (keys starting `index.`), by key.
    public let indexParts: [String: [UInt8]]

    /// The position and leaf hash of this checkpoint with `view`, for checks against the log.
    public var position: ViewCheckpoint<View> {
        ViewCheckpoint(view: view, nextPosition: nextPosition, lastLeafHash: lastLeafHash)
    }
}

/// Stores view checkpoints in a directory, one file per view (`<view name>.checkpoint`), the view's state cut into
/// parts each sealed with AES-256-GCM under a key the caller gives, written atomically through a temporary file of
/// the writer's own (created exclusively, fsync, rename, fsync of the directory). See `docs/projections.md` section 6.
public struct ViewCheckpointStore: Sendable {
    /// The directory holding the checkpoint files.
    public let directory: String
    private let fileSystem: any FileSystem
    /// The key material; kept as bytes because `SymmetricKey` is not `Sendable` on every platform.
    private let keyMaterial: [UInt8]
    private let keyID: [UInt8]
    private let random: any RandomSource
    /// The bytes a save gathers into one write (parts are encoded, sealed and written one at a time).
    public let writeBufferBytesMax: Int

    /// How many times a save starts over when its temporary file disappeared before the rename (another process
    /// cleaning up the directory).
    static let saveAttemptsMax = 3

    /// A store in `directory` on `fileSystem`, sealing with `key` (32 bytes) and nonces from `random`, writing files
    /// in writes of about `writeBufferBytesMax` bytes (at least 1).
    public init(
        directory: String, fileSystem: any FileSystem = PosixFileSystem(), key: SymmetricKey,
        random: any RandomSource = SystemRandomSource(), writeBufferBytesMax: Int = 4 << 20
    ) {
        precondition(key.bitCount == 256, "a view checkpoint key is 32 bytes")
        precondition(writeBufferBytesMax > 0, "a write holds at least one byte")
        self.writeBufferBytesMax = writeBufferBytesMax
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

    /// Writes the checkpoint of a view atomically, replacing the previous one.
    ///
    /// The file is written under a temporary name no other writer uses (`<view>.checkpoint.tmp-<16 hex digits>`,
    /// created exclusively and locked until its rename), synced, renamed over the checkpoint and the directory synced,
    /// so processes saving the same view at once never touch each other's files: the last rename wins and each file
    /// renamed is complete. The parts are encoded, sealed and written one at a time, so a save never holds the whole
    /// encoded state. Temporary files left by killed saves are removed first (`removeTemporaryFiles()`).
    public func save<View: Projection>(_ checkpoint: ViewCheckpoint<View>) throws(ViewCheckpointError) {
        precondition(ViewCheckpointFormat.isValidViewName(View.viewName), "a view name is 1 to 32 lowercase letters")
        // Best effort: a file that cannot be removed now is removed by a later save, and never read.
        try? removeTemporaryFiles()
        let target = path(ofView: View.viewName)
        var attempt = 1
        while true {
            do {
                try write(checkpoint, to: target)
                return
            } catch .fileSystem(let error)
                where (error.code == .notFound || error.code == .lockHeld) && attempt < Self.saveAttemptsMax
            {
                // Our temporary file went (`clinic rebuild` empties the views directory) or its random name is a
                // live save's: write it again under a new name.
                attempt += 1
            }
        }
    }

    private func write<View: Projection>(
        _ checkpoint: ViewCheckpoint<View>, to target: String
    ) throws(ViewCheckpointError) {
        let parts = ViewParts.sorted(checkpoint.view.stateParts())
        precondition(
            parts.allSatisfy { ViewCheckpointFormat.isValidPartKey($0.key) }
                && parts.count <= ViewCheckpointFormat.partCountMax,
            "part keys are 1 to 128 printable ASCII bytes")
        let suffix = random.bytes(count: 8).map { byte in
            (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
        let temporary = target + ViewCheckpointFormat.temporarySuffix + suffix
        let handle: any OpenFile
        let lock: any FileLock
        do {
            try fileSystem.createDirectory(directory)
            // Locking creates the file, so it is locked from its first moment until after the rename:
            // `removeTemporaryFiles()` removes only temporary files no live save holds. The name is random, never
            // another save's (a collision would find the lock held and write again under a new name).
            lock = try fileSystem.lockExclusively(temporary, timeoutMilliseconds: 0)
        } catch {
            throw .fileSystem(error)
        }
        defer { lock.release() }
        do {
            handle = try fileSystem.open(temporary, mode: .readWrite)
        } catch {
            try? fileSystem.remove(temporary)
            throw .fileSystem(error)
        }
        do throws(ViewCheckpointError) {
            try ViewCheckpointFormat.writeFile(
                viewName: View.viewName, stateFormatVersion: View.stateFormatVersion, keyID: keyID,
                nextPosition: checkpoint.nextPosition, lastLeafHash: checkpoint.lastLeafHash, parts: parts, key: key,
                random: random, bufferBytesMax: writeBufferBytesMax
            ) { (bytes, offset) throws(FileSystemError) in
                try handle.write(bytes, at: Int64(offset))
            }
            do { try handle.sync() } catch { throw ViewCheckpointError.fileSystem(error) }
        } catch {
            handle.close()
            try? fileSystem.remove(temporary)
            throw error
        }
        handle.close()
        do throws(FileSystemError) {
            do {
                try fileSystem.rename(temporary, to: target)
            } catch {
                try? fileSystem.remove(temporary)
                throw error
            }
            try fileSystem.syncDirectory(directory)
        } catch {
            throw .fileSystem(error)
        }
    }

    /// The names of the temporary files of checkpoint saves in the directory (left by killed processes, or being
    /// written right now by others).
    public func temporaryFileNames() throws(ViewCheckpointError) -> [String] {
        guard fileSystem.exists(directory) else { return [] }
        do {
            return try fileSystem.contentsOfDirectory(directory).filter(Self.isTemporaryFileName).sorted()
        } catch {
            throw .fileSystem(error)
        }
    }

    /// Removes every temporary file of a checkpoint save that no live save holds: those left by killed processes.
    ///
    /// A save locks its temporary file (`FileSystem.lockExclusively`, `flock` on disk) from just after creating it to
    /// after its rename, and the lock goes with the process. A file whose lock is taken here is removed; one whose
    /// lock is held is a live save's and is left alone. A save whose file is locked or removed in the moment between
    /// its creation and its lock writes it again under a new name (up to three attempts), so this never makes a save
    /// fail. Every save calls this first; `clinic rebuild` too.
    public func removeTemporaryFiles() throws(ViewCheckpointError) {
        guard fileSystem.exists(directory) else { return }
        do {
            if try fileSystem.removeUnlockedFiles(in: directory, where: Self.isTemporaryFileName) > 0 {
                try fileSystem.syncDirectory(directory)
            }
        } catch {
            throw .fileSystem(error)
        }
    }

    /// Whether `name` is the name of a save's temporary file (`<view>.checkpoint.tmp-<16 hex digits>`).
    private static func isTemporaryFileName(_ name: String) -> Bool {
        name.contains(".checkpoint" + ViewCheckpointFormat.temporarySuffix)
    }

    /// Removes the checkpoint of the view named `viewName`, if there is one. Another process removing it first (both
    /// folded the same erasure) is no failure: the file is gone either way.
    public func remove(viewNamed viewName: String) throws(ViewCheckpointError) {
        let path = path(ofView: viewName)
        guard fileSystem.exists(path) else { return }
        do {
            do {
                try fileSystem.remove(path)
            } catch let error where error.code == .notFound {
                return
            }
            try fileSystem.syncDirectory(directory)
        } catch {
            throw .fileSystem(error)
        }
    }

    /// Loads the whole checkpoint of the view `empty` is the configured empty state of, or says why it cannot be used.
    ///
    /// The log is not consulted here; `ProjectionReplayer.validate(_:)` checks the checkpoint against the log.
    public func load<View: Projection>(_ empty: View) -> Result<ViewCheckpoint<View>, CheckpointRejection> {
        let path = path(ofView: View.viewName)
        guard fileSystem.exists(path) else { return .failure(.missing) }
        let bytes: [UInt8]
        do { bytes = try fileSystem.readWholeFile(path) } catch { return .failure(.unreadable(error.code)) }
        return decode(bytes, empty: empty)
    }

    /// Loads the parts of a checkpoint whose keys `wanted` accepts (and the view's always-loaded parts), reading only
    /// those parts from the file; the view then holds only them.
    public func load<View: Projection>(
        _ empty: View, parts wanted: (String) -> Bool
    ) -> Result<PartialViewCheckpoint<View>, CheckpointRejection> {
        let path = path(ofView: View.viewName)
        guard fileSystem.exists(path) else { return .failure(.missing) }
        let handle: any OpenFile
        do { handle = try fileSystem.open(path, mode: .readOnly) } catch { return .failure(.unreadable(error.code)) }
        defer { handle.close() }
        let size: Int64
        do { size = try handle.size() } catch { return .failure(.unreadable(error.code)) }
        var failure: CheckpointRejection?
        let source = ViewCheckpointFormat.ByteSource(size: size) { offset, count in
            do throws(FileSystemError) { return try handle.read(at: offset, count: count) } catch {
                failure = .unreadable(error.code)
                return []
            }
        }
        let result = withoutActuallyEscaping(wanted) { decodeParts(from: source, empty: empty, wanted: $0) }
        if let failure { return .failure(failure) }
        return result
    }

    /// Decodes checkpoint file bytes, every part.
    func decode<View: Projection>(_ bytes: [UInt8], empty: View) -> Result<ViewCheckpoint<View>, CheckpointRejection> {
        let source = ViewCheckpointFormat.ByteSource(size: Int64(bytes.count)) { offset, count in
            Array(bytes[Int(offset)..<min(bytes.count, Int(offset) + count)])
        }
        return decodeParts(from: source, empty: empty, wanted: nil).map {
            ViewCheckpoint(view: $0.view, nextPosition: $0.nextPosition, lastLeafHash: $0.lastLeafHash)
        }
    }

    private func decodeParts<View: Projection>(
        from source: ViewCheckpointFormat.ByteSource, empty: View, wanted: ((String) -> Bool)?
    ) -> Result<PartialViewCheckpoint<View>, CheckpointRejection> {
        let file: ViewCheckpointFormat.OpenedFile
        switch ViewCheckpointFormat.open(
            source, viewName: View.viewName, stateFormatVersion: View.stateFormatVersion, keyID: keyID, key: key)
        {
        case .success(let opened): file = opened
        case .failure(let rejection): return .failure(rejection)
        }
        let keys = file.table.map(\.key)
        let chosen = keys.filter { key in
            guard let wanted else { return true }
            return empty.isAlwaysLoadedPart(key) || wanted(key)
        }
        var parts: [String: [UInt8]] = [:]
        for key in chosen {
            switch file.openPart(key, from: source, key: self.key) {
            case .success(let bytes): parts[key] = bytes
            case .failure(let rejection): return .failure(rejection)
            }
        }
        let view: View
        do {
            view = try empty.decodingParts(parts, complete: wanted == nil)
        } catch ViewStateDecodingError.configurationMismatch {
            return .failure(.configurationMismatch)
        } catch {
            return .failure(.stateUnreadable)
        }
        // The state read back must re-encode to exactly the parts read, or it is not the view that was saved.
        let reencoded = view.encodeParts()
        if wanted == nil {
            guard reencoded == parts else { return .failure(.stateUnreadable) }
        } else {
            for (key, bytes) in parts where !ViewCheckpointFormat.isIndexPart(key) {
                guard reencoded[key] == bytes else { return .failure(.stateUnreadable) }
            }
            for key in reencoded.keys where !ViewCheckpointFormat.isIndexPart(key) {
                guard parts[key] != nil else { return .failure(.stateUnreadable) }
            }
        }
        return .success(
            PartialViewCheckpoint(
                view: view, nextPosition: file.nextPosition, lastLeafHash: file.lastLeafHash, partKeys: keys,
                loadedPartKeys: Set(chosen), indexParts: parts.filter { ViewCheckpointFormat.isIndexPart($0.key) }))
    }
}
