import FoundationEssentials

/// A table printed with aligned columns, or as CSV.
struct Table {
    var columns: [String]
    var rows: [[String]] = []
    /// Columns aligned to the right (amounts).
    var rightAligned: Set<Int> = []

    init(_ columns: [String], rightAligned: Set<Int> = []) {
        self.columns = columns
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table as aligned text, two spaces between columns.
    func rendered() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingSpaces()
        }
        return ([line(columns)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// The table as RFC 4180 CSV with a header line.
    func csv() -> String {
        func field(_ text: String) -> String {
            let needsQuotes = text.contains(",") || text.contains("\"") || text.contains("\n")
            return needsQuotes ? "\"" + text.replacing("\"", with: "\"\"") + "\"" : text
        }
        return ([columns] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

/// Label and value pairs, aligned, without a header.
func keyValueText(_ pairs: [(String, String)]) -> String {
    let width = pairs.map(\.0.count).max() ?? 0
    return pairs.map { label, value in
        label + String(repeating: " ", count: width - label.count) + "  " + value
    }.joined(separator: "\n") + "\n"
}

/// Standard output, written in one piece.
enum Output {
    static func print(_ text: String) {
        StandardStream.output.write(text)
    }

    /// Prints a value as stable JSON: sorted keys, no escaped slashes, one trailing newline.
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        StandardStream.output.write(Array(try encoder.encode(value)) + [0x0A])
    }
}

/// A short id for display: the first 8 hex digits of a full id.
func shortID(_ id: CustomStringConvertible) -> String {
    String(id.description.prefix(8))
}

/// Elapsed time of a command's work, from the monotonic clock (for reports such as "in 2.3 s").
struct Stopwatch {
    private let started = ContinuousClock.now

    /// The seconds since the stopwatch was made.
    var seconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
