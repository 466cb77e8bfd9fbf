import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The machine's own limits, measured in the same run: a raw write + fdatasync loop, `lz4 -b1` and `sha256sum`.
enum MachineReferences {
    /// Writes `count` blocks of `blockBytes` one after another, each followed by `fdatasync`, into a new file at
    /// `path`: either growing the file (each sync must also persist the new size) or into a file zero-filled and
    /// fsynced first (as ClinicLog preallocates its segments). Returns the syncs per second.
    static func syncLoop(path: String, blockBytes: Int, count: Int, preallocated: Bool) throws -> Double {
        let descriptor = open(path, O_CREAT | O_TRUNC | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw CompareError("\(path) could not be created (errno \(errno))") }
        defer {
            close(descriptor)
            unlink(path)
        }
        if preallocated {
            let zeros = [UInt8](repeating: 0, count: 1 << 20)
            let total = max(64 << 20, blockBytes * count)
            var offset = 0
            while offset < total {
                let written = zeros.withUnsafeBytes {
                    pwrite(descriptor, $0.baseAddress, min(zeros.count, total - offset), off_t(offset))
                }
                guard written > 0 else { throw CompareError("zero-filling \(path) failed (errno \(errno))") }
                offset += written
            }
            guard fsync(descriptor) == 0 else { throw CompareError("fsync of \(path) failed (errno \(errno))") }
        }
        let block = [UInt8](repeating: 0xA5, count: blockBytes)
        let start = ContinuousClock.now
        var offset = 0
        for _ in 0..<count {
            let written = block.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, blockBytes, off_t(offset)) }
            guard written == blockBytes else { throw CompareError("a write to \(path) failed (errno \(errno))") }
            guard fdatasync(descriptor) == 0 else { throw CompareError("fdatasync of \(path) failed (errno \(errno))") }
            offset += blockBytes
        }
        return Double(count) / secondsSince(start)
    }

    /// Runs `lz4 -b1 FILE` (LZ4's benchmark mode, level 1) and returns its compression and decompression speeds in
    /// MB/s as it prints them.
    static func lz4Benchmark(file: String) throws -> (compressMBPerSecond: Double, decompressMBPerSecond: Double) {
        let output = try run("lz4", ["-b1", file]).output
        let pattern = try NSRegularExpression(pattern: #"([0-9.]+) MB/s\s*,\s*([0-9.]+) MB/s"#)
        let range = NSRange(output.startIndex..., in: output)
        guard let match = pattern.matches(in: output, range: range).last,
            let compress = Range(match.range(at: 1), in: output).flatMap({ Double(output[$0]) }),
            let decompress = Range(match.range(at: 2), in: output).flatMap({ Double(output[$0]) })
        else { throw CompareError("lz4 -b1 printed no speeds: \(output.suffix(300))") }
        return (compress, decompress)
    }

    /// Runs `sha256sum` over `files` and returns the bytes it read and the seconds it took (process start included).
    static func sha256sum(files: [String]) throws -> (bytes: Int64, seconds: Double) {
        let bytes = files.reduce(Int64(0)) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0)
        }
        let start = ContinuousClock.now
        _ = try run("sha256sum", files)
        return (bytes, secondsSince(start))
    }

    /// Runs a program found on the PATH and returns its standard output and error together; throws when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CompareError("\(program) failed (status \(process.terminationStatus)): \(output.suffix(300))")
        }
        return (output, process.terminationStatus)
    }
}

/// What the documentation says of the machine a run was taken on.
struct MachineDescription {
    var processors: Int
    var cpu: String
    var kernel: String
    var memory: String
    var disk: String
    var sqlite = "unknown"
    var lz4 = "unknown"

    static func current(workDirectory: String) -> MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String? {
            cpuinfo.split(separator: "\n").first { $0.hasPrefix(name) }.map {
                $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            }
        }
        var cpu = field("model name") ?? "unknown"
        if let megahertz = field("cpu MHz"), let value = Double(megahertz) { cpu += ", \(Int(value.rounded())) MHz" }
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let gibibytes = Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30)
        let disk =
            ((try? MachineReferences.run("df", ["-h", "--output=source,fstype,size,avail", workDirectory]))?.output
            ?? "")
            .split(separator: "\n").dropFirst().first.map { $0.split(separator: " ").joined(separator: " ") }
            ?? "unknown"
        var description = MachineDescription(
            processors: ProcessInfo.processInfo.activeProcessorCount, cpu: cpu, kernel: kernel,
            memory: String(format: "%.0f GiB", gibibytes), disk: disk)
        if let version = try? MachineReferences.run("lz4", ["-V"]).output,
            let number = version.firstMatch(of: /v([0-9][0-9.]*)/)?.1
        {
            description.lz4 = "lz4 \(number)"
        }
        return description
    }
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` gives them.
func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
