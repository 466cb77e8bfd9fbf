import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real ``FileSystem``: POSIX system calls on the local disk.
///
/// Files are opened with `O_CLOEXEC`; new files and lock files get mode `0o600`, new directories `0o700`.
/// ``OpenFile/sync()`` is `fdatasync`, ``syncDirectory(_:)`` is `fsync` on the directory, and
/// ``lockExclusively(_:timeoutMilliseconds:)`` is `flock(LOCK_EX)`, which also excludes a second lock taken in the same
/// process through another call.
public struct PosixFileSystem: FileSystem {
    /// How long ``lockExclusively(_:timeoutMilliseconds:)`` sleeps between attempts while another holder has the lock.
    static let lockRetryDelayNanoseconds = 5_000_000

    /// Creates the file system.
    public init() {}

    /// Opens the file at `path` with `O_CLOEXEC`; ``FileOpenMode/createNew`` is `O_CREAT | O_EXCL` with mode `0o600`.
    public func open(_ path: String, mode: FileOpenMode) throws(FileSystemError) -> any OpenFile {
        let flags: Int32
        switch mode {
        case .readOnly:
            flags = O_RDONLY | O_CLOEXEC
        case .readWrite:
            flags = O_RDWR | O_CLOEXEC
        case .createNew:
            flags = O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC
        }
        let descriptor = try Self.openDescriptor(path, flags: flags, permissions: 0o600)
        return PosixFileHandle(descriptor: descriptor, path: path)
    }

    /// Whether `stat` finds a file or directory at `path`.
    public func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// The names in the directory at `path`, read with `opendir`/`readdir`, without `.` and `..`.
    public func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String] {
        guard let directory = opendir(path) else {
            throw Self.error(errno, operation: "opendir", path: path)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 {
                    throw Self.error(errno, operation: "readdir", path: path)
                }
                return names
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." {
                names.append(name)
            }
        }
    }

    /// Creates the directory at `path` and its missing parents with mode `0o700`, like `mkdir -p`.
    public func createDirectory(_ path: String) throws(FileSystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, 0o700) != 0 {
                let code = errno
                guard code == EEXIST else {
                    throw Self.error(code, operation: "mkdir", path: prefix)
                }
                var status = stat()
                guard stat(prefix, &status) == 0 else {
                    throw Self.error(errno, operation: "stat", path: prefix)
                }
                guard status.st_mode & S_IFMT == S_IFDIR else {
                    throw FileSystemError(.other(errno: ENOTDIR), operation: "mkdir", path: prefix)
                }
            }
            prefix += "/"
        }
    }

    /// Renames `source` to `destination` with `rename(2)`, atomically replacing `destination`.
    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        guard SystemCall.rename(source, destination) == 0 else {
            throw Self.error(errno, operation: "rename", path: source)
        }
    }

    /// Removes the file at `path` with `unlink`.
    public func remove(_ path: String) throws(FileSystemError) {
        guard unlink(path) == 0 else {
            throw Self.error(errno, operation: "unlink", path: path)
        }
    }

    /// Opens the directory at `path` with `O_RDONLY | O_DIRECTORY` and `fsync`s it.
    public func syncDirectory(_ path: String) throws(FileSystemError) {
        let descriptor = try Self.openDescriptor(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, permissions: 0)
        defer { _ = SystemCall.close(descriptor) }
        while fsync(descriptor) != 0 {
            let code = errno
            guard code == EINTR else {
                throw Self.error(code, operation: "fsync", path: path)
            }
        }
    }

    /// The permission bits of the file at `path`, from `stat(2)` (following symbolic links).
    public func permissionBits(_ path: String) throws(FileSystemError) -> UInt16? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Self.error(errno, operation: "stat", path: path)
        }
        return UInt16(truncatingIfNeeded: status.st_mode & 0o7777)
    }

    /// Opens or creates the lock file at `path` (mode `0o600`) and takes `flock(LOCK_EX)` on it, retrying every few
    /// milliseconds until `timeoutMilliseconds` have passed on the monotonic clock.
    public func lockExclusively(_ path: String, timeoutMilliseconds: Int) throws(FileSystemError) -> any FileLock {
        let descriptor = try Self.openDescriptor(path, flags: O_RDWR | O_CREAT | O_CLOEXEC, permissions: 0o600)
        let deadline = Self.monotonicNanoseconds() + Int64(max(timeoutMilliseconds, 0)) * 1_000_000
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR {
                continue
            }
            guard code == EWOULDBLOCK else {
                _ = SystemCall.close(descriptor)
                throw Self.error(code, operation: "flock", path: path)
            }
            guard Self.monotonicNanoseconds() < deadline else {
                _ = SystemCall.close(descriptor)
                throw FileSystemError(.lockHeld, operation: "flock", path: path)
            }
            var delay = timespec(tv_sec: 0, tv_nsec: Self.lockRetryDelayNanoseconds)
            _ = nanosleep(&delay, nil)
        }
        return PosixFileLock(descriptor: descriptor)
    }

    /// `open(2)` retried on `EINTR`.
    static func openDescriptor(_ path: String, flags: Int32, permissions: mode_t) throws(FileSystemError) -> Int32 {
        while true {
            let descriptor = SystemCall.open(path, flags, permissions)
            if descriptor >= 0 {
                return descriptor
            }
            let code = errno
            guard code == EINTR else {
                throw error(code, operation: "open", path: path)
            }
        }
    }

    /// The error for the system call `operation` that failed with `code` on `path` (at byte `offset` of the file for
    /// a positional read or write).
    static func error(_ code: Int32, operation: String, path: String, offset: Int64? = nil) -> FileSystemError {
        FileSystemError(FileSystemError.Code(errno: code), operation: operation, path: path, offset: offset)
    }

    /// Nanoseconds on `CLOCK_MONOTONIC`, which a wall-clock step cannot move.
    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

extension FileSystemError.Code {
    /// The code for the POSIX error number `errno`.
    init(errno: Int32) {
        switch errno {
        case ENOENT: self = .notFound
        case EEXIST: self = .alreadyExists
        case ENOSPC, EDQUOT: self = .noSpace
        case EIO: self = .ioError
        case EACCES, EPERM: self = .permissionDenied
        default: self = .other(errno: errno)
        }
    }
}

/// An open file descriptor; closed by ``close()`` or, failing that, when the handle is deallocated.
///
/// After ``close()`` every operation throws `EBADF` instead of touching a descriptor number the process may have
/// reused for another file.
final class PosixFileHandle: OpenFile {
    /// The file descriptor, owned by this handle.
    let descriptor: Int32
    /// The path the file was opened with, for error messages.
    let path: String
    /// Whether ``close()`` has run.
    private let isClosed = Atomic<Bool>(false)

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close()
    }

    func read(at offset: Int64, count: Int) throws(FileSystemError) -> [UInt8] {
        try checkOpen(operation: "pread")
        guard offset >= 0, count >= 0 else {
            throw FileSystemError(.other(errno: EINVAL), operation: "pread", path: path, offset: offset)
        }
        var failure: (code: Int32, offset: Int64)?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            let read = readFully(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
            initializedCount = read.count
            failure = read.failure
        }
        if let failure {
            throw PosixFileSystem.error(failure.code, operation: "pread", path: path, offset: failure.offset)
        }
        return bytes
    }

    /// `pread` straight into `buffer`, as many times as it takes to fill it or reach the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileSystemError) -> Int {
        try checkOpen(operation: "pread")
        guard offset >= 0 else {
            throw FileSystemError(.other(errno: EINVAL), operation: "pread", path: path, offset: offset)
        }
        let read = readFully(into: buffer, at: offset)
        if let failure = read.failure {
            throw PosixFileSystem.error(failure.code, operation: "pread", path: path, offset: failure.offset)
        }
        return read.count
    }

    /// Calls `pread` until `buffer` is full, the file ends or an error other than `EINTR`: the bytes read, and the
    /// errno and file offset of the failure if there was one.
    private func readFully(
        into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
    ) -> (count: Int, failure: (code: Int32, offset: Int64)?) {
        guard let base = buffer.baseAddress else { return (0, nil) }
        var done = 0
        while done < buffer.count {
            let result = pread(descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if result > 0 {
                done += result
            } else if result == 0 {
                break
            } else if errno != EINTR {
                return (done, (errno, offset + Int64(done)))
            }
        }
        return (done, nil)
    }

    func write(_ bytes: [UInt8], at offset: Int64) throws(FileSystemError) {
        try checkOpen(operation: "pwrite")
        guard offset >= 0 else {
            throw FileSystemError(.other(errno: EINVAL), operation: "pwrite", path: path, offset: offset)
        }
        var failedAt = offset
        let failure: Int32 = bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let result = pwrite(
                    descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                if result > 0 {
                    done += result
                } else if result == 0 {
                    failedAt = offset + Int64(done)
                    return EIO
                } else if errno != EINTR {
                    failedAt = offset + Int64(done)
                    return errno
                }
            }
            return 0
        }
        guard failure == 0 else {
            throw PosixFileSystem.error(failure, operation: "pwrite", path: path, offset: failedAt)
        }
    }

    func sync() throws(FileSystemError) {
        try checkOpen(operation: "fdatasync")
        while fdatasync(descriptor) != 0 {
            let code = errno
            guard code == EINTR else {
                throw PosixFileSystem.error(code, operation: "fdatasync", path: path)
            }
        }
    }

    func size() throws(FileSystemError) -> Int64 {
        try checkOpen(operation: "fstat")
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw PosixFileSystem.error(errno, operation: "fstat", path: path)
        }
        return Int64(status.st_size)
    }

    func truncate(to size: Int64) throws(FileSystemError) {
        try checkOpen(operation: "ftruncate")
        while ftruncate(descriptor, off_t(size)) != 0 {
            let code = errno
            guard code == EINTR else {
                throw PosixFileSystem.error(code, operation: "ftruncate", path: path)
            }
        }
    }

    func close() {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Not retried on EINTR: Linux releases the descriptor even then.
        _ = SystemCall.close(descriptor)
    }

    /// Throws `EBADF` once the handle is closed.
    private func checkOpen(operation: String) throws(FileSystemError) {
        if isClosed.load(ordering: .acquiring) {
            throw FileSystemError(.other(errno: EBADF), operation: operation, path: path)
        }
    }
}

/// A `flock` held through an open descriptor on the lock file; released by ``release()`` or on deallocation.
final class PosixFileLock: FileLock {
    /// The descriptor the lock is held through, owned by this lock.
    let descriptor: Int32
    /// Whether ``release()`` has run.
    private let isReleased = Atomic<Bool>(false)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        release()
    }

    func release() {
        guard !isReleased.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = flock(descriptor, LOCK_UN)
        _ = SystemCall.close(descriptor)
    }
}

/// The C library functions whose names the file system's own methods shadow.
private enum SystemCall {
    /// `open(2)`.
    static func open(_ path: String, _ flags: Int32, _ permissions: mode_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags, permissions)
        #else
        Darwin.open(path, flags, permissions)
        #endif
    }

    /// `close(2)`.
    static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// `rename(2)`.
    static func rename(_ source: String, _ destination: String) -> Int32 {
        #if canImport(Glibc)
        Glibc.rename(source, destination)
        #else
        Darwin.rename(source, destination)
        #endif
    }
}
