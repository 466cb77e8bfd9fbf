import FoundationEssentials

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
final class ProgressBar {
    private let title: String
    private let isTerminal: Bool
    private var lastDrawnPercent = -1

    init(_ title: String) {
        self.title = title
        isTerminal = StandardStream.error.isTerminal
    }

    /// Shows `done` out of `total`, redrawing at most once per percent.
    func update(done: Int64, total: Int64, detail: String = "") {
        guard isTerminal, total > 0 else { return }
        let percent = Int(min(100, done * 100 / total))
        guard percent != lastDrawnPercent else { return }
        lastDrawnPercent = percent
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        StandardStream.error.write("\r\(title) [\(bar)] \(percent)% \(detail)   ")
    }

    /// Ends the line.
    func finish() {
        guard isTerminal, lastDrawnPercent >= 0 else { return }
        StandardStream.error.write("\n")
    }
}
