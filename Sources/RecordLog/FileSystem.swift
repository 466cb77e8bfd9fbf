/// How a file is opened through a ``FileSystem``.
public enum FileOpenMode: Sendable, Equatable {
    /// Open an existing file for reading only.
    case readOnly
    /// Open an existing file for reading and writing.
    case readWrite
    /// Create a new file for reading and writing; fails with ``FileSystemError/Code/alreadyExists`` if it exists.
    /// The new directory entry is durable only after ``FileSystem/syncDirectory(_:)`` on its parent.
    case createNew
}

/// An error raised by a ``FileSystem`` or a ``OpenFile``.
///
/// It names the operation, the path and, for a positional read or write, the byte offset where it failed; never file
/// contents. Its description ends with what to do.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, independent of the platform's errno values.
    public enum Code: Sendable, Equatable {
        /// The file or directory does not exist.
        case notFound
        /// The file already exists and was opened with ``FileOpenMode/createNew``.
        case alreadyExists
        /// The device has no space left (ENOSPC).
        case noSpace
        /// The device reported an input/output error (EIO).
        case ioError
        /// Permission denied (EACCES, EPERM).
        case permissionDenied
        /// Another process holds the lock and the timeout ran out.
        case lockHeld
        /// Any other errno.
        case other(errno: Int32)
    }

    /// What went wrong.
    public var code: Code
    /// The operation that failed, such as `pwrite` or `fdatasync`.
    public var operation: String
    /// The path of the file or directory the operation was on.
    public var path: String
    /// The byte offset in the file where a positional read (`pread`) or write (`pwrite`) failed; nil for other
    /// operations.
    public var offset: Int64?

    /// Creates an error for `operation` on `path`, at byte `offset` of the file when the operation reads or writes at
    /// a position.
    public init(_ code: Code, operation: String, path: String, offset: Int64? = nil) {
        self.code = code
        self.operation = operation
        self.path = path
        self.offset = offset
    }

    public var description: String {
        let place = offset.map { "\(path) at byte \($0)" } ?? path
        return "\(operation) failed on \(place): \(code); \(advice)"
    }

    /// What to do about the failure, by its code.
    private var advice: String {
        switch code {
        case .notFound:
            "check that the path names the right directory and that no file was moved or deleted"
        case .alreadyExists:
            "remove the file left in the way (a stale temporary file) or retry"
        case .noSpace:
            "free space on the device, then retry"
        case .ioError:
            "the device reported an input/output error: check the disk and its system log, copy the directory to a "
                + "healthy disk or restore it from a backup, and run verify"
        case .permissionDenied:
            "give the user running this program access to the file and its directory"
        case .lockHeld:
            "another process holds the lock; wait for it to finish or stop it"
        case .other(let errno):
            "the system reported error number \(errno); see errno(3) for its meaning"
        }
    }
}

/// An open file: positional reads and writes, durability and size.
///
/// Handles are used by one owner at a time for writing; positional reads may run from many threads.
public protocol OpenFile: AnyObject, Sendable {
    /// Reads up to `count` bytes at `offset`; returns fewer only at the end of the file.
    func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8]
    /// Reads up to `buffer.count` bytes at `offset` into the start of `buffer` and returns how many it read: fewer
    /// only at the end of the file. Bytes of `buffer` past that count are left as they were.
    ///
    /// The way to read a file piece by piece into one buffer the caller keeps: nothing is allocated per read.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileSystemError) -> Int
    /// Writes all of `bytes` at `offset`, extending the file if needed.
    func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError)
    /// Makes every write to this file durable (fdatasync).
    func sync() throws(FileSystemError)
    /// The size of the file in bytes.
    func size() throws(FileSystemError) -> Int64
    /// Sets the size of the file, cutting or extending it with zeros.
    func truncate(to size: Int64) throws(FileSystemError)
    /// Closes the handle; further use is a programming error.
    func close()
}

extension OpenFile {
    /// Reads through ``read(at:count:)`` and copies the bytes into `buffer`: for an ``OpenFile`` that has no read of
    /// its own into a caller's buffer.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileSystemError) -> Int {
        let bytes = try read(at: offset, count: buffer.count)
        let count = min(bytes.count, buffer.count)
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        return count
    }
}

/// An exclusive, process-wide lock on a file, released by ``release()`` or when the process dies.
public protocol FileLock: AnyObject, Sendable {
    /// Releases the lock.
    func release()
}

/// The file system operations the log needs, so tests can inject crashes, torn writes and errors.
///
/// ``PosixFileSystem`` is the real implementation. `RecordLogTesting.SimulatedFileSystem` keeps files in memory,
/// loses unsynced writes on a simulated crash, and injects ENOSPC and EIO.
public protocol FileSystem: Sendable {
    /// Opens the file at `path`.
    func open(_ path: String, mode: FileOpenMode) throws(FileSystemError) -> any OpenFile
    /// Whether a file or directory exists at `path`.
    func exists(_ path: String) -> Bool
    /// The names (not paths) of the entries of the directory at `path`, in no particular order.
    func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String]
    /// Creates the directory at `path` and any missing parents; succeeds if it exists.
    func createDirectory(_ path: String) throws(FileSystemError)
    /// Atomically renames `source` to `destination`, replacing it. Durable after syncing the parent directory.
    func rename(_ source: String, to destination: String) throws(FileSystemError)
    /// Removes the file at `path`. Durable after syncing the parent directory.
    func remove(_ path: String) throws(FileSystemError)
    /// Makes the entries of the directory at `path` durable (fsync on the directory).
    func syncDirectory(_ path: String) throws(FileSystemError)
    /// Takes an exclusive lock on the file at `path` (creating it), waiting up to `timeoutMilliseconds`
    /// (0: fail at once with ``FileSystemError/Code/lockHeld``).
    func lockExclusively(_ path: String, timeoutMilliseconds: Int) throws(FileSystemError) -> any FileLock
    /// The permission bits (`st_mode & 0o7777`) of the file at `path`, or nil when this file system keeps none.
    func permissionBits(_ path: String) throws(FileSystemError) -> UInt16?
}

extension FileSystem {
    /// Nil: a file system that keeps no permission bits (the simulated one) answers that it has none.
    public func permissionBits(_ path: String) throws(FileSystemError) -> UInt16? { nil }

    /// Writes `bytes` to `path` atomically and durably: a temporary file is written and synced,
    /// renamed over `path`, and the directory is synced.
    public func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
        let temporaryPath = path + ".tmp"
        if exists(temporaryPath) {
            try remove(temporaryPath)
        }
        let handle = try open(temporaryPath, mode: .createNew)
        do {
            try handle.write(bytes, at: 0)
            try handle.sync()
        } catch {
            handle.close()
            throw error
        }
        handle.close()
        try rename(temporaryPath, to: path)
        try syncDirectory(parentDirectory(of: path))
    }

    /// Removes the files of `directory` whose names `isCandidate` accepts and whose lock no live process holds: the
    /// temporary files of writes by killed processes, where each write holds `lockExclusively` on its temporary file
    /// from its creation to its rename. A file removed meanwhile by another process is no failure. Returns how many
    /// files it removed.
    @discardableResult
    public func removeUnlockedFiles(
        in directory: String, where isCandidate: (String) -> Bool
    ) throws(FileSystemError) -> Int {
        var removed = 0
        for name in try contentsOfDirectory(directory) where isCandidate(name) {
            let path = joinPath(directory, name)
            guard exists(path), let lock = try? lockExclusively(path, timeoutMilliseconds: 0) else { continue }
            defer { lock.release() }
            do {
                try remove(path)
                removed += 1
            } catch let error where error.code == .notFound {
                continue
            }
        }
        return removed
    }

    /// Reads the whole file at `path`.
    public func readWholeFile(_ path: String) throws(FileSystemError) -> [UInt8] {
        let handle = try open(path, mode: .readOnly)
        defer { handle.close() }
        let size = try handle.size()
        return try handle.read(at: 0, count: Int(size))
    }
}

/// The directory part of `path` (`.` when there is none).
public func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
}

/// `directory` and `name` joined with a slash.
public func joinPath(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
}
