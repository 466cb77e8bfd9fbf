import RecordLog
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An in-memory ``FileSystem`` that models a disk behind a page cache, for crash and fault tests of the log.
///
/// **Contents.** Each file has a durable content (what is on the platters) and a current content (the page cache).
/// A write or truncate changes the current content at once, visible to every handle, and is kept as an unsynced change
/// until ``OpenFile/sync()`` on that file makes the current content durable.
///
/// **Names.** Creating a file (``FileOpenMode/createNew`` or a new lock file), ``rename(_:to:)`` and ``remove(_:)``
/// change the visible names at once, but become durable only when ``syncDirectory(_:)`` runs on the parent directory
/// (for a rename between directories, on each of them). ``createDirectory(_:)`` is durable at once. Directories cannot
/// be renamed or removed. Paths are plain strings: `a//b/` is `a/b`, `./a` is `a`; relative paths hang off `.`.
///
/// **Crashes.** ``crash(mode:)`` cuts the power: every open handle and lock dies (further use throws
/// ``FileSystemError/Code/ioError``), the names revert to their durable state, so a file whose entry was never synced
/// disappears and an unsynced rename is undone, and each file keeps its durable content plus, depending on the
/// ``CrashMode``, some, all or none of its unsynced changes. Random choices come from a SplitMix64 generator seeded in
/// ``init(seed:)``, so a test with a given seed and sequence of operations always sees the same disk.
///
/// **Faults.** ``failWrites(afterCount:with:applyingPrefixBytes:)``, ``failSyncs(where:with:)`` and
/// ``failReads(path:range:with:)`` inject errors until ``clearFaults()``; faults survive crashes, as a full disk or a
/// bad sector would.
///
/// **Crash points.** The counted operations are the ones that change the disk: ``OpenFile/write(_:at:)``,
/// ``OpenFile/truncate(to:)``, ``OpenFile/sync()``, ``syncDirectory(_:)``, ``rename(_:to:)``, ``remove(_:)`` and
/// opening with ``FileOpenMode/createNew``. Calls rejected before reaching the disk (a missing file, a closed handle)
/// are not counted; calls failed by an injected fault are. ``crashAfter(operations:mode:)`` crashes in the middle of
/// the n-th counted operation from now, so a test can crash at every write and sync point of an operation in turn:
///
/// ```swift
/// for n in 1...1_000 {
///     let fileSystem = prepared.makeCopy(seed: UInt64(n))
///     fileSystem.crashAfter(operations: n, mode: .random)
///     _ = try? appendOneBatch(to: fileSystem)
///     guard fileSystem.isHalted else { break }  // finished in fewer than n operations: every point is covered
///     fileSystem.restart()
///     try checkRecovery(of: fileSystem)
/// }
/// ```
public final class SimulatedFileSystem: FileSystem, Sendable {
    /// What becomes of unsynced changes when the power is cut.
    public enum CrashMode: Sendable, Equatable {
        /// Every unsynced write and truncate is lost.
        case loseUnsynced
        /// Every unsynced write and truncate reaches the disk intact.
        case keepUnsynced
        /// Each unsynced write is lost, applied, torn (a prefix ending on a 512-byte sector boundary, or any byte
        /// prefix) or garbled (its range filled with random bytes or with zeros), chosen at random; each unsynced
        /// truncate is lost or applied.
        case random
    }

    /// What a crash did to each unsynced change, for test failure messages.
    public struct CrashReport: Sendable, Equatable, CustomStringConvertible {
        /// One unsynced change to a file.
        public enum Change: Sendable, Equatable {
            /// A write of `byteCount` bytes at `offset`.
            case write(offset: Int64, byteCount: Int)
            /// A truncate to `size` bytes.
            case truncate(size: Int64)
        }

        /// What the crash did to one unsynced change.
        public enum Fate: Sendable, Equatable {
            /// Nothing of the change reached the disk.
            case lost
            /// The whole change reached the disk.
            case applied
            /// Only the first `keptBytes` bytes of the write reached the disk.
            case torn(keptBytes: Int)
            /// Only some of the write's 512-byte sectors reached the disk, in any order (numbered from the write's
            /// first byte), as a disk that reorders its writes leaves them.
            case someSectors(kept: [Int])
            /// The range of the write holds random bytes.
            case garbled
            /// The range of the write holds zeros.
            case zeroed
        }

        /// One unsynced change and what became of it.
        public struct Outcome: Sendable, Equatable {
            /// A durable path of the changed file.
            public var path: String
            /// The change.
            public var change: Change
            /// What the crash did to it.
            public var fate: Fate
        }

        /// The mode the crash ran in.
        public var mode: CrashMode
        /// The fate of each unsynced change of each surviving file, by path and then in the order of the changes.
        public var outcomes: [Outcome]

        /// One line per outcome, such as `/log/0001.seg write 4096+512: torn(keptBytes: 100)`.
        public var description: String {
            let lines = outcomes.map { outcome in
                switch outcome.change {
                case .write(let offset, let byteCount):
                    "\(outcome.path) write \(offset)+\(byteCount): \(outcome.fate)"
                case .truncate(let size):
                    "\(outcome.path) truncate to \(size): \(outcome.fate)"
                }
            }
            return "crash (\(mode)), \(outcomes.count) unsynced changes" + lines.map { "\n  " + $0 }.joined()
        }
    }

    /// The largest file the simulated disk holds; a larger write or truncate fails with ENOSPC.
    public static let fileBytesMax: Int64 = 1 << 32

    /// How long a waiting ``lockExclusively(_:timeoutMilliseconds:)`` sleeps between attempts.
    static let lockRetryDelayNanoseconds = 1_000_000

    /// Everything, behind one lock.
    fileprivate let state: Mutex<Disk>

    /// Creates an empty file system whose random choices are seeded with `seed`.
    public init(seed: UInt64 = 0) {
        state = Mutex(Disk(seed: seed))
    }

    private init(disk: sending Disk) {
        state = Mutex(disk)
    }

    /// A new file system with the same files, names, unsynced changes, faults and counters, but no open handles, no
    /// locks and no pending ``crashAfter(operations:mode:)``; random choices are seeded with `seed` if given.
    ///
    /// Prepare a log once and copy it for every crash point instead of preparing it again each time.
    public func makeCopy(seed: UInt64? = nil) -> SimulatedFileSystem {
        let disk = state.withLock { disk in
            var copy = disk
            copy.detachProcesses()
            if let seed {
                copy.random = SeededRandomNumberGenerator(seed: seed)
            }
            return copy
        }
        return SimulatedFileSystem(disk: disk)
    }

    // MARK: Crashes

    /// Cuts the power and starts again: handles and locks die, names revert to their durable state, and unsynced
    /// changes are dropped, kept or mangled according to `mode`. The file system is usable at once afterwards.
    @discardableResult
    public func crash(mode: CrashMode) -> CrashReport {
        state.withLock { disk in
            let report = disk.crash(mode: mode)
            disk.isHalted = false
            return report
        }
    }

    /// Makes the `n`-th counted operation from now (1 is the next one) crash the file system with `mode`.
    ///
    /// That operation does not complete: a write or truncate is first recorded as an unsynced change (so `.random`
    /// may tear it), then the power is cut as by ``crash(mode:)``, and the operation throws
    /// ``FileSystemError/Code/ioError``. The file system then stays halted, every operation throwing
    /// ``FileSystemError/Code/ioError``, so the interrupted code cannot change the disk after the power went out,
    /// until ``restart()``. ``clearFaults()`` cancels a crash that has not happened yet.
    public func crashAfter(operations n: Int, mode: CrashMode) {
        precondition(n >= 1, "crashAfter(operations:) counts from 1")
        state.withLock { disk in
            disk.crashTrigger = CrashTrigger(operationNumber: disk.operationCount + n, mode: mode)
        }
    }

    /// Whether a crash from ``crashAfter(operations:mode:)`` has happened and ``restart()`` has not been called since.
    public var isHalted: Bool {
        state.withLock { $0.isHalted }
    }

    /// Turns the power back on after a crash from ``crashAfter(operations:mode:)``; does nothing otherwise.
    public func restart() {
        state.withLock { $0.isHalted = false }
    }

    /// What the last crash did to the unsynced changes, or `nil` before the first crash.
    public var lastCrashReport: CrashReport? {
        state.withLock { $0.lastCrashReport }
    }

    /// The number of crashes so far, explicit or from ``crashAfter(operations:mode:)``.
    public var crashCount: Int {
        state.withLock { $0.crashCount }
    }

    // MARK: Counters

    /// The number of counted operations so far (see the type's documentation), including failed ones.
    public var operationCount: Int {
        state.withLock { $0.operationCount }
    }

    /// The number of ``OpenFile/write(_:at:)`` calls that succeeded.
    public var writeCount: Int {
        state.withLock { $0.writeCount }
    }

    /// The number of file ``OpenFile/sync()`` calls that succeeded.
    public var syncCount: Int {
        state.withLock { $0.syncCount }
    }

    /// The number of ``syncDirectory(_:)`` calls that succeeded.
    public var directorySyncCount: Int {
        state.withLock { $0.directorySyncCount }
    }

    // MARK: Faults

    /// Lets the next `n` writes succeed and fails every later ``OpenFile/write(_:at:)`` with `code` until
    /// ``clearFaults()``; `afterCount: 0` fails the very next write.
    ///
    /// A failing write changes nothing, unless `applyingPrefixBytes` is positive: then up to that many of its first
    /// bytes are written before it fails, as a short `pwrite` followed by ENOSPC leaves them.
    public func failWrites(afterCount n: Int, with code: FileSystemError.Code, applyingPrefixBytes: Int = 0) {
        precondition(n >= 0 && applyingPrefixBytes >= 0, "failWrites needs counts that are not negative")
        state.withLock { disk in
            disk.writeFault = WriteFault(successesLeft: n, code: code, prefixBytes: applyingPrefixBytes)
        }
    }

    /// Fails every file ``OpenFile/sync()`` and ``syncDirectory(_:)`` whose path matches `predicate` with `code`
    /// until ``clearFaults()``; a failed sync leaves the unsynced changes unsynced.
    ///
    /// The path of a file sync is the normalised path its handle was opened with.
    public func failSyncs(
        where predicate: @escaping @Sendable (String) -> Bool = { _ in true },
        with code: FileSystemError.Code = .ioError
    ) {
        state.withLock { $0.syncFaults.append(SyncFault(matches: predicate, code: code)) }
    }

    /// Fails every read of the file at `path` that overlaps `range` (byte offsets in the file) with `code` until
    /// ``clearFaults()``, as a bad sector does. The error's offset is the first byte of the read inside `range`.
    ///
    /// `path` is matched against the path a handle was opened with.
    public func failReads(path: String, range: Range<Int64>, with code: FileSystemError.Code = .ioError) {
        let path = Disk.normalize(path)
        state.withLock { $0.readFaults.append(ReadFault(path: path, range: range, code: code)) }
    }

    /// Removes every injected fault and cancels a ``crashAfter(operations:mode:)`` that has not happened yet.
    public func clearFaults() {
        state.withLock { disk in
            disk.writeFault = nil
            disk.syncFaults = []
            disk.readFaults = []
            disk.crashTrigger = nil
        }
    }

    // MARK: Inspection

    /// The current content of the file at `path` (what readers see now), or `nil` if there is no such file.
    public func contents(of path: String) -> [UInt8]? {
        let path = Disk.normalize(path)
        return state.withLock { disk in
            guard case .file(let id) = disk.volatileEntries[path] else { return nil }
            return disk.files[id]?.current
        }
    }

    /// The durable content of the file with the durable name `path` (what ``CrashMode/loseUnsynced`` would leave), or
    /// `nil` if no durable name `path` exists.
    public func durableContents(of path: String) -> [UInt8]? {
        let path = Disk.normalize(path)
        return state.withLock { disk in
            guard case .file(let id) = disk.durableEntries[path] else { return nil }
            return disk.files[id]?.durable
        }
    }

    /// Puts `bytes` on the disk as the whole, durable content of the file at `path`, for planting corruption.
    ///
    /// Missing parent directories and the file are created; the file's name is made durable; its unsynced changes are
    /// discarded.
    public func setContents(_ bytes: [UInt8], of path: String) {
        let path = Disk.normalize(path)
        state.withLock { disk in
            disk.plant(bytes, at: path)
        }
    }

    /// The paths of every file and directory visible now (not the roots `/` and `.`), sorted.
    public func allPaths() -> [String] {
        state.withLock { $0.volatileEntries.keys.sorted() }
    }

    // MARK: FileSystem

    /// Opens the file at `path`; ``FileOpenMode/createNew`` creates a name that is durable only after
    /// ``syncDirectory(_:)`` on its parent.
    public func open(_ path: String, mode: FileOpenMode) throws(FileSystemError) -> any OpenFile {
        let path = Disk.normalize(path)
        let opened = try state.withLock { disk throws(FileSystemError) in
            try disk.open(path, mode: mode)
        }
        return Handle(
            fileSystem: self, path: path, fileID: opened.fileID, handleID: opened.handleID,
            generation: opened.generation, isWritable: mode != .readOnly)
    }

    /// Whether a file or directory is visible at `path`.
    public func exists(_ path: String) -> Bool {
        let path = Disk.normalize(path)
        return state.withLock { $0.entry(at: path) != nil }
    }

    /// The names visible in the directory at `path`, sorted.
    public func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String] {
        let path = Disk.normalize(path)
        return try state.withLock { disk throws(FileSystemError) in
            try disk.contentsOfDirectory(path)
        }
    }

    /// Creates the directory at `path` and its missing parents, durably at once.
    public func createDirectory(_ path: String) throws(FileSystemError) {
        let path = Disk.normalize(path)
        try state.withLock { disk throws(FileSystemError) in
            try disk.checkRunning(operation: "mkdir", path: path)
            try disk.createDirectory(path)
        }
    }

    /// Renames the file `source` to `destination`, replacing it; durable after ``syncDirectory(_:)`` on the parents.
    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        let source = Disk.normalize(source)
        let destination = Disk.normalize(destination)
        try state.withLock { disk throws(FileSystemError) in
            try disk.rename(source, to: destination)
        }
    }

    /// Removes the name `path` of a file; durable after ``syncDirectory(_:)`` on its parent. Open handles keep working.
    public func remove(_ path: String) throws(FileSystemError) {
        let path = Disk.normalize(path)
        try state.withLock { disk throws(FileSystemError) in
            try disk.remove(path)
        }
    }

    /// Makes the current names in the directory at `path` durable.
    public func syncDirectory(_ path: String) throws(FileSystemError) {
        let path = Disk.normalize(path)
        try state.withLock { disk throws(FileSystemError) in
            try disk.syncDirectory(path)
        }
    }

    /// Takes the lock on `path`, creating the file (not a counted operation), and polls every millisecond until
    /// `timeoutMilliseconds` have passed on the monotonic clock if another holder has it.
    public func lockExclusively(_ path: String, timeoutMilliseconds: Int) throws(FileSystemError) -> any FileLock {
        let path = Disk.normalize(path)
        let deadline = Self.monotonicNanoseconds() + Int64(max(timeoutMilliseconds, 0)) * 1_000_000
        while true {
            let lockID = try state.withLock { disk throws(FileSystemError) in
                try disk.lock(path)
            }
            if let lockID {
                return Lock(fileSystem: self, path: path, lockID: lockID)
            }
            guard Self.monotonicNanoseconds() < deadline else {
                throw FileSystemError(.lockHeld, operation: "flock", path: path)
            }
            var delay = timespec(tv_sec: 0, tv_nsec: Self.lockRetryDelayNanoseconds)
            _ = nanosleep(&delay, nil)
        }
    }

    /// Nanoseconds on `CLOCK_MONOTONIC`.
    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

extension SimulatedFileSystem {
    // MARK: Handles and locks

    /// A handle on a ``SimulatedFileSystem`` file; dies with a crash, closes on deallocation.
    final class Handle: OpenFile {
        let fileSystem: SimulatedFileSystem
        /// The normalised path the file was opened with.
        let path: String
        let fileID: Int
        let handleID: Int
        /// The crash generation the handle was opened in; a crash makes it stale.
        let generation: Int
        let isWritable: Bool

        init(
            fileSystem: SimulatedFileSystem, path: String, fileID: Int, handleID: Int, generation: Int,
            isWritable: Bool
        ) {
            self.fileSystem = fileSystem
            self.path = path
            self.fileID = fileID
            self.handleID = handleID
            self.generation = generation
            self.isWritable = isWritable
        }

        deinit {
            close()
        }

        func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
            try fileSystem.state.withLock { disk throws(FileSystemError) in
                try disk.read(self.reference, at: offset, count: count)
            }
        }

        func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileSystemError) -> Int {
            try fileSystem.state.withLock { disk throws(FileSystemError) in
                try disk.read(self.reference, into: buffer, at: offset)
            }
        }

        func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) {
            try fileSystem.state.withLock { disk throws(FileSystemError) in
                try disk.write(self.reference, bytes, at: offset)
            }
        }

        func sync() throws(FileSystemError) {
            try fileSystem.state.withLock { disk throws(FileSystemError) in
                try disk.sync(self.reference)
            }
        }

        func size() throws(FileSystemError) -> Int64 {
            try fileSystem.state.withLock { disk throws(FileSystemError) in
                try disk.size(self.reference)
            }
        }

        func truncate(to size: Int64) throws(FileSystemError) {
            try fileSystem.state.withLock { disk throws(FileSystemError) in
                try disk.truncate(self.reference, to: size)
            }
        }

        func close() {
            fileSystem.state.withLock { $0.close(self.reference) }
        }

        private var reference: HandleReference {
            HandleReference(
                path: path, fileID: fileID, handleID: handleID, generation: generation, isWritable: isWritable)
        }
    }

    /// A lock on a ``SimulatedFileSystem`` path; released by ``release()``, on deallocation, or by a crash.
    final class Lock: FileLock {
        let fileSystem: SimulatedFileSystem
        let path: String
        let lockID: Int

        init(fileSystem: SimulatedFileSystem, path: String, lockID: Int) {
            self.fileSystem = fileSystem
            self.path = path
            self.lockID = lockID
        }

        deinit {
            release()
        }

        func release() {
            fileSystem.state.withLock { disk in
                if disk.heldLocks[self.path] == self.lockID {
                    disk.heldLocks[self.path] = nil
                }
            }
        }
    }

    // MARK: The disk model

    /// What a handle tells the disk about itself.
    struct HandleReference {
        var path: String
        var fileID: Int
        var handleID: Int
        var generation: Int
        var isWritable: Bool
    }

    /// A name in a directory.
    enum DirectoryEntry: Equatable {
        case file(Int)
        case directory
    }

    /// A change to a file's content that has not been synced yet.
    enum UnsyncedChange {
        case write(offset: Int, bytes: [UInt8])
        case truncate(size: Int)
    }

    /// A file's contents.
    struct File {
        /// What survives a crash for certain.
        var durable: [UInt8] = []
        /// What readers see: the durable content with every unsynced change applied.
        var current: [UInt8] = []
        /// The changes since the last sync, oldest first.
        var unsynced: [UnsyncedChange] = []
    }

    struct CrashTrigger {
        /// The value of ``Disk/operationCount`` at which to crash.
        var operationNumber: Int
        var mode: CrashMode
    }

    struct WriteFault {
        var successesLeft: Int
        var code: FileSystemError.Code
        var prefixBytes: Int
    }

    struct SyncFault {
        var matches: @Sendable (String) -> Bool
        var code: FileSystemError.Code
    }

    struct ReadFault {
        var path: String
        var range: Range<Int64>
        var code: FileSystemError.Code
    }

    /// The whole state of a ``SimulatedFileSystem``; every method runs under its lock.
    struct Disk {
        /// File contents by file id. A file lives while a visible or durable name or an open handle refers to it.
        var files: [Int: File] = [:]
        /// The names readers see now, by normalised path. The roots `/` and `.` are implicit.
        var volatileEntries: [String: DirectoryEntry] = [:]
        /// The names that survive a crash.
        var durableEntries: [String: DirectoryEntry] = [:]
        var nextFileID = 1
        /// Open handles: handle id to file id.
        var openHandles: [Int: Int] = [:]
        var nextHandleID = 1
        /// Held locks: normalised path to lock id.
        var heldLocks: [String: Int] = [:]
        var nextLockID = 1
        /// Incremented by every crash; handles from an earlier generation are dead.
        var generation = 0
        var isHalted = false
        var random: SeededRandomNumberGenerator

        var operationCount = 0
        var writeCount = 0
        var syncCount = 0
        var directorySyncCount = 0
        var crashCount = 0
        var lastCrashReport: CrashReport?

        var crashTrigger: CrashTrigger?
        var writeFault: WriteFault?
        var syncFaults: [SyncFault] = []
        var readFaults: [ReadFault] = []

        init(seed: UInt64) {
            random = SeededRandomNumberGenerator(seed: seed)
        }

        /// `path` with repeated and trailing slashes and `.` components removed; `/` and `.` are the roots.
        static func normalize(_ path: String) -> String {
            let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
            let isAbsolute = path.hasPrefix("/")
            if components.isEmpty {
                return isAbsolute ? "/" : "."
            }
            return (isAbsolute ? "/" : "") + components.joined(separator: "/")
        }

        /// The parent directory of the normalised `path`.
        static func parent(of path: String) -> String {
            parentDirectory(of: path)
        }

        /// The last component of the normalised `path`.
        static func name(of path: String) -> String {
            guard let slash = path.lastIndex(of: "/") else { return path }
            return String(path[path.index(after: slash)...])
        }

        static func isRoot(_ path: String) -> Bool {
            path == "/" || path == "."
        }

        // MARK: Names

        /// The visible entry at the normalised `path`.
        func entry(at path: String) -> DirectoryEntry? {
            Self.isRoot(path) ? .directory : volatileEntries[path]
        }

        func checkRunning(operation: String, path: String) throws(FileSystemError) {
            if isHalted {
                throw FileSystemError(.ioError, operation: operation, path: path)
            }
        }

        /// Throws unless the parent of `path` is a visible directory.
        func checkParentDirectory(of path: String, operation: String) throws(FileSystemError) {
            let parent = Self.parent(of: path)
            switch entry(at: parent) {
            case .directory: return
            case .file: throw FileSystemError(.other(errno: ENOTDIR), operation: operation, path: path)
            case nil: throw FileSystemError(.notFound, operation: operation, path: path)
            }
        }

        mutating func open(
            _ path: String, mode: FileOpenMode
        ) throws(FileSystemError) -> (fileID: Int, handleID: Int, generation: Int) {
            try checkRunning(operation: "open", path: path)
            let fileID: Int
            switch (mode, entry(at: path)) {
            case (.createNew, .some):
                throw FileSystemError(.alreadyExists, operation: "open", path: path)
            case (.createNew, nil):
                try checkParentDirectory(of: path, operation: "open")
                try countOperation("open", path: path)
                fileID = nextFileID
                nextFileID += 1
                files[fileID] = File()
                volatileEntries[path] = .file(fileID)
            case (_, .directory):
                throw FileSystemError(.other(errno: EISDIR), operation: "open", path: path)
            case (_, .file(let id)):
                fileID = id
            case (_, nil):
                throw FileSystemError(.notFound, operation: "open", path: path)
            }
            let handleID = nextHandleID
            nextHandleID += 1
            openHandles[handleID] = fileID
            return (fileID, handleID, generation)
        }

        func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String] {
            try checkRunning(operation: "opendir", path: path)
            switch entry(at: path) {
            case .directory: break
            case .file: throw FileSystemError(.other(errno: ENOTDIR), operation: "opendir", path: path)
            case nil: throw FileSystemError(.notFound, operation: "opendir", path: path)
            }
            return volatileEntries.keys.filter { Self.parent(of: $0) == path }.map(Self.name(of:)).sorted()
        }

        /// Creates the directories along the normalised `path`, both visible and durable.
        mutating func createDirectory(_ path: String) throws(FileSystemError) {
            guard !Self.isRoot(path) else { return }
            try createDirectory(Self.parent(of: path))
            switch entry(at: path) {
            case .directory:
                return
            case .file:
                throw FileSystemError(.other(errno: ENOTDIR), operation: "mkdir", path: path)
            case nil:
                volatileEntries[path] = .directory
                durableEntries[path] = .directory
            }
        }

        mutating func rename(_ source: String, to destination: String) throws(FileSystemError) {
            try checkRunning(operation: "rename", path: source)
            switch entry(at: source) {
            case .file: break
            case .directory: throw FileSystemError(.other(errno: EISDIR), operation: "rename", path: source)
            case nil: throw FileSystemError(.notFound, operation: "rename", path: source)
            }
            try checkParentDirectory(of: destination, operation: "rename")
            if entry(at: destination) == .directory {
                throw FileSystemError(.other(errno: EISDIR), operation: "rename", path: destination)
            }
            try countOperation("rename", path: source)
            guard source != destination else { return }
            volatileEntries[destination] = volatileEntries[source]
            volatileEntries[source] = nil
            collectGarbage()
        }

        mutating func remove(_ path: String) throws(FileSystemError) {
            try checkRunning(operation: "unlink", path: path)
            switch entry(at: path) {
            case .file: break
            case .directory: throw FileSystemError(.other(errno: EISDIR), operation: "unlink", path: path)
            case nil: throw FileSystemError(.notFound, operation: "unlink", path: path)
            }
            try countOperation("unlink", path: path)
            volatileEntries[path] = nil
            collectGarbage()
        }

        mutating func syncDirectory(_ path: String) throws(FileSystemError) {
            try checkRunning(operation: "fsync", path: path)
            switch entry(at: path) {
            case .directory: break
            case .file: throw FileSystemError(.other(errno: ENOTDIR), operation: "open", path: path)
            case nil: throw FileSystemError(.notFound, operation: "open", path: path)
            }
            try countOperation("fsync", path: path)
            try checkSyncFaults(path: path)
            for name in durableEntries.keys where Self.parent(of: name) == path {
                durableEntries[name] = nil
            }
            for (name, entry) in volatileEntries where Self.parent(of: name) == path {
                durableEntries[name] = entry
            }
            directorySyncCount += 1
            collectGarbage()
        }

        /// Takes the lock on `path` and returns its id, or returns `nil` if it is held.
        mutating func lock(_ path: String) throws(FileSystemError) -> Int? {
            try checkRunning(operation: "flock", path: path)
            switch entry(at: path) {
            case .file:
                break
            case .directory:
                throw FileSystemError(.other(errno: EISDIR), operation: "open", path: path)
            case nil:
                try checkParentDirectory(of: path, operation: "open")
                volatileEntries[path] = .file(nextFileID)
                files[nextFileID] = File()
                nextFileID += 1
            }
            guard heldLocks[path] == nil else { return nil }
            let lockID = nextLockID
            nextLockID += 1
            heldLocks[path] = lockID
            return lockID
        }

        /// Drops files that no visible or durable name and no open handle refers to.
        mutating func collectGarbage() {
            var live = Set(openHandles.values)
            for case .file(let id) in volatileEntries.values {
                live.insert(id)
            }
            for case .file(let id) in durableEntries.values {
                live.insert(id)
            }
            files = files.filter { live.contains($0.key) }
        }

        /// Forgets open handles and locks, as when a copy of the disk is attached to a new machine.
        mutating func detachProcesses() {
            generation += 1
            openHandles = [:]
            heldLocks = [:]
            isHalted = false
            crashTrigger = nil
            collectGarbage()
        }

        mutating func plant(_ bytes: [UInt8], at path: String) {
            precondition(!Self.isRoot(path) && entry(at: path) != .directory, "setContents needs a file path")
            let parent = Self.parent(of: path)
            do {
                try createDirectory(parent)
            } catch {
                preconditionFailure("setContents cannot create the directory \(parent): \(error)")
            }
            let fileID: Int
            if case .file(let id) = volatileEntries[path] {
                fileID = id
            } else {
                fileID = nextFileID
                nextFileID += 1
                volatileEntries[path] = .file(fileID)
            }
            durableEntries[path] = .file(fileID)
            files[fileID] = File(durable: bytes, current: bytes, unsynced: [])
            collectGarbage()
        }

        // MARK: Handles

        /// Throws unless the handle is alive and open.
        func check(_ handle: HandleReference, operation: String) throws(FileSystemError) {
            guard handle.generation == generation, !isHalted else {
                throw FileSystemError(.ioError, operation: operation, path: handle.path)
            }
            guard openHandles[handle.handleID] != nil else {
                throw FileSystemError(.other(errno: EBADF), operation: operation, path: handle.path)
            }
        }

        func read(_ handle: HandleReference, at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
            let range = try readableRange(handle, at: offset, count: count)
            return Array(files[handle.fileID]?.current[range] ?? [])
        }

        /// Copies what ``read(_:at:count:)`` would return into the start of `buffer`, leaving the rest of it as it was.
        func read(
            _ handle: HandleReference, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
        ) throws(FileSystemError) -> Int {
            let range = try readableRange(handle, at: offset, count: buffer.count)
            guard !range.isEmpty, let content = files[handle.fileID]?.current else { return 0 }
            content.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[range])) }
            return range.count
        }

        /// The part of the file's current content a read of `count` bytes at `offset` gets (cut at the end of the
        /// file), after checking the handle and the injected read faults.
        func readableRange(
            _ handle: HandleReference, at offset: Int64, count: Int
        ) throws(FileSystemError) -> Range<Int> {
            try check(handle, operation: "pread")
            guard offset >= 0, count >= 0 else {
                throw FileSystemError(.other(errno: EINVAL), operation: "pread", path: handle.path, offset: offset)
            }
            let length = Int64(files[handle.fileID]?.current.count ?? 0)
            let start = Int(min(offset, length))
            let end = Int(min(offset + Int64(count), length))
            for fault in readFaults where fault.path == handle.path && fault.range.overlaps(Int64(start)..<Int64(end)) {
                throw FileSystemError(
                    fault.code, operation: "pread", path: handle.path, offset: max(Int64(start), fault.range.lowerBound)
                )
            }
            return start..<end
        }

        mutating func write(_ handle: HandleReference, _ bytes: [UInt8], at offset: Int64) throws(FileSystemError) {
            try check(handle, operation: "pwrite")
            guard handle.isWritable else {
                throw FileSystemError(.other(errno: EBADF), operation: "pwrite", path: handle.path)
            }
            guard offset >= 0 else {
                throw FileSystemError(.other(errno: EINVAL), operation: "pwrite", path: handle.path, offset: offset)
            }
            guard offset + Int64(bytes.count) <= SimulatedFileSystem.fileBytesMax else {
                throw FileSystemError(.noSpace, operation: "pwrite", path: handle.path, offset: offset)
            }
            let change = UnsyncedChange.write(offset: Int(offset), bytes: bytes)
            try countOperation("pwrite", path: handle.path) { disk in disk.applyUnsynced(change, to: handle.fileID) }
            if var fault = writeFault {
                if fault.successesLeft == 0 {
                    let prefix = min(fault.prefixBytes, bytes.count)
                    if prefix > 0 {
                        applyUnsynced(.write(offset: Int(offset), bytes: Array(bytes[..<prefix])), to: handle.fileID)
                    }
                    throw FileSystemError(
                        fault.code, operation: "pwrite", path: handle.path, offset: offset + Int64(prefix))
                }
                fault.successesLeft -= 1
                writeFault = fault
            }
            applyUnsynced(change, to: handle.fileID)
            writeCount += 1
        }

        mutating func truncate(_ handle: HandleReference, to size: Int64) throws(FileSystemError) {
            try check(handle, operation: "ftruncate")
            guard handle.isWritable, size >= 0 else {
                throw FileSystemError(.other(errno: EINVAL), operation: "ftruncate", path: handle.path)
            }
            guard size <= SimulatedFileSystem.fileBytesMax else {
                throw FileSystemError(.noSpace, operation: "ftruncate", path: handle.path)
            }
            let change = UnsyncedChange.truncate(size: Int(size))
            try countOperation("ftruncate", path: handle.path) { disk in disk.applyUnsynced(change, to: handle.fileID) }
            applyUnsynced(change, to: handle.fileID)
        }

        mutating func sync(_ handle: HandleReference) throws(FileSystemError) {
            try check(handle, operation: "fdatasync")
            try countOperation("fdatasync", path: handle.path)
            try checkSyncFaults(path: handle.path)
            if var file = files[handle.fileID] {
                file.durable = file.current
                file.unsynced = []
                files[handle.fileID] = file
            }
            syncCount += 1
        }

        func size(_ handle: HandleReference) throws(FileSystemError) -> Int64 {
            try check(handle, operation: "fstat")
            return Int64(files[handle.fileID]?.current.count ?? 0)
        }

        mutating func close(_ handle: HandleReference) {
            guard handle.generation == generation, openHandles.removeValue(forKey: handle.handleID) != nil else {
                return
            }
            collectGarbage()
        }

        func checkSyncFaults(path: String) throws(FileSystemError) {
            for fault in syncFaults where fault.matches(path) {
                throw FileSystemError(fault.code, operation: "fsync", path: path)
            }
        }

        mutating func applyUnsynced(_ change: UnsyncedChange, to fileID: Int) {
            guard var file = files[fileID] else { return }
            files[fileID] = nil
            Self.apply(change, to: &file.current)
            file.unsynced.append(change)
            files[fileID] = file
        }

        static func apply(_ change: UnsyncedChange, to content: inout [UInt8]) {
            switch change {
            case .write(let offset, let bytes):
                if content.count < offset + bytes.count {
                    content.append(contentsOf: repeatElement(0, count: offset + bytes.count - content.count))
                }
                content.replaceSubrange(offset..<offset + bytes.count, with: bytes)
            case .truncate(let size):
                if content.count > size {
                    content.removeSubrange(size...)
                } else {
                    content.append(contentsOf: repeatElement(0, count: size - content.count))
                }
            }
        }

        // MARK: Crashes

        /// Counts an operation that reaches the disk and, if it is the one ``crashTrigger`` names, runs `interrupted`,
        /// crashes, halts, and throws.
        mutating func countOperation(
            _ operation: String, path: String, interrupted: (inout Disk) -> Void = { _ in }
        ) throws(FileSystemError) {
            operationCount += 1
            guard let trigger = crashTrigger, operationCount >= trigger.operationNumber else { return }
            interrupted(&self)
            crash(mode: trigger.mode)
            isHalted = true
            throw FileSystemError(.ioError, operation: operation + " (simulated crash)", path: path)
        }

        /// Cuts the power; see ``SimulatedFileSystem/crash(mode:)``.
        @discardableResult
        mutating func crash(mode: CrashMode) -> CrashReport {
            generation += 1
            crashCount += 1
            crashTrigger = nil
            openHandles = [:]
            heldLocks = [:]
            volatileEntries = durableEntries
            collectGarbage()
            var durablePaths: [Int: String] = [:]
            for (path, entry) in durableEntries.sorted(by: { $0.key < $1.key }) {
                if case .file(let id) = entry, durablePaths[id] == nil {
                    durablePaths[id] = path
                }
            }
            var outcomes: [CrashReport.Outcome] = []
            for (id, path) in durablePaths.sorted(by: { $0.value < $1.value }) {
                guard let file = files[id] else { continue }
                var content = file.durable
                for change in file.unsynced {
                    let fate = fate(of: change, mode: mode)
                    apply(change, fate: fate, to: &content)
                    outcomes.append(.init(path: path, change: Self.reportedChange(change), fate: fate))
                }
                files[id] = File(durable: content, current: content, unsynced: [])
            }
            let report = CrashReport(mode: mode, outcomes: outcomes)
            lastCrashReport = report
            return report
        }

        static func reportedChange(_ change: UnsyncedChange) -> CrashReport.Change {
            switch change {
            case .write(let offset, let bytes): .write(offset: Int64(offset), byteCount: bytes.count)
            case .truncate(let size): .truncate(size: Int64(size))
            }
        }

        /// Chooses what a crash in `mode` does to `change`.
        mutating func fate(
            of change: UnsyncedChange, mode: CrashMode
        ) -> CrashReport.Fate {
            switch mode {
            case .loseUnsynced:
                return .lost
            case .keepUnsynced:
                return .applied
            case .random:
                break
            }
            guard case .write(let offset, let bytes) = change else {
                return random.next(below: 2) == 0 ? .lost : .applied
            }
            switch random.next(below: 5) {
            case 4:
                let sectorCount = (bytes.count + 511) / 512
                return .someSectors(kept: (0..<sectorCount).filter { _ in random.next(below: 2) == 0 })
            case 0:
                return .lost
            case 1:
                return .applied
            case 2:
                let sectorBytes = 512
                let firstBoundary = (offset / sectorBytes + 1) * sectorBytes
                let boundaries = stride(from: firstBoundary, to: offset + bytes.count, by: sectorBytes)
                let boundaryCount = boundaries.underestimatedCount
                if boundaryCount > 0 && random.next(below: 2) == 0 {
                    return .torn(keptBytes: firstBoundary + random.next(below: boundaryCount) * sectorBytes - offset)
                }
                guard bytes.count > 1 else { return .lost }
                return .torn(keptBytes: 1 + random.next(below: bytes.count - 1))
            default:
                return random.next(below: 2) == 0 ? .garbled : .zeroed
            }
        }

        /// Applies `change` to `content` as `fate` says.
        mutating func apply(
            _ change: UnsyncedChange, fate: CrashReport.Fate, to content: inout [UInt8]
        ) {
            switch (change, fate) {
            case (_, .lost):
                return
            case (_, .applied):
                Self.apply(change, to: &content)
            case (.write(let offset, let bytes), .torn(let keptBytes)):
                Self.apply(.write(offset: offset, bytes: Array(bytes[..<keptBytes])), to: &content)
            case (.write(let offset, let bytes), .someSectors(let kept)):
                for sector in kept {
                    let range = sector * 512..<min(bytes.count, sector * 512 + 512)
                    Self.apply(.write(offset: offset + range.lowerBound, bytes: Array(bytes[range])), to: &content)
                }
            case (.write(let offset, let bytes), .garbled):
                var garbage: [UInt8] = []
                garbage.reserveCapacity(bytes.count)
                while garbage.count < bytes.count {
                    withUnsafeBytes(of: random.next().littleEndian) { word in
                        garbage.append(contentsOf: word.prefix(bytes.count - garbage.count))
                    }
                }
                Self.apply(.write(offset: offset, bytes: garbage), to: &content)
            case (.write(let offset, let bytes), .zeroed):
                Self.apply(.write(offset: offset, bytes: [UInt8](repeating: 0, count: bytes.count)), to: &content)
            case (.truncate, _):
                preconditionFailure("a truncate is only lost or applied")
            }
        }
    }
}
