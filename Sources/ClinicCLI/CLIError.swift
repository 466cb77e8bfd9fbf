import ArgumentParser
import ClinicProjections
import ClinicStore
import FoundationEssentials

/// A failure of the command line itself (before the store is asked): a malformed value or a missing option.
struct CLIError: Error, CustomStringConvertible {
    let category: StoreError.Category
    let code: String
    let message: String

    static func usage(_ message: String, code: String = "usage") -> CLIError {
        CLIError(category: .usage, code: code, message: message)
    }

    static func notFound(_ message: String, code: String = "notFound") -> CLIError {
        CLIError(category: .notFound, code: code, message: message)
    }

    /// A file outside the store's log and keys that could not be written (exit 74).
    static func storage(_ message: String, code: String = "storage") -> CLIError {
        CLIError(category: .storage, code: code, message: message)
    }

    var description: String { message }
}

/// The documented exit codes (BSD sysexits values).
enum ExitStatus {
    static func code(for category: StoreError.Category) -> Int32 {
        switch category {
        case .usage: 64
        case .refused: 65
        case .notFound: 66
        case .storage: 74
        case .conflict: 75
        case .permissionDenied: 77
        }
    }
}

/// Runs a command body, turning every failure into one clear sentence on standard error (and a JSON error object
/// on standard output with --json) and its documented exit code.
func runReporting(json: Bool, verbose: Bool, _ body: (CommandRun) throws -> Void) throws {
    let run = CommandRun()
    do {
        try body(run)
        run.finish()
    } catch let error as StoreError {
        throw report(category: error.category, code: error.code, message: error.message, json: json)
    } catch let error as CLIError {
        throw report(category: error.category, code: error.code, message: error.message, json: json)
    } catch let error as ExitCode {
        throw error
    } catch {
        let detail = verbose ? " (\(error))" : ""
        throw report(
            category: .storage, code: "unexpected",
            message: "The command failed unexpectedly\(detail); run again with --verbose and report it.", json: json)
    }
}

/// `text` without control or text-direction characters (but line feeds, when `keepingLineFeeds`): what a message may
/// echo of what was typed.
func terminalSafe(_ text: String, keepingLineFeeds: Bool = false) -> String {
    String(
        String.UnicodeScalarView(
            text.unicodeScalars.filter {
                (keepingLineFeeds && $0 == "\n")
                    || !($0.properties.generalCategory == .control || $0.properties.isBidiControl)
            }))
}

private func report(category: StoreError.Category, code: String, message unsafeMessage: String, json: Bool) -> ExitCode
{
    // Paths and values the user typed can reach a message: never echo a control or text-direction character.
    let message = terminalSafe(unsafeMessage)
    StandardStream.error.write("clinic: \(message)\n")
    if json {
        struct Document: Encodable {
            struct Failure: Encodable {
                var category: String
                var code: String
                var message: String
            }
            var error: Failure
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let document = Document(error: .init(category: category.rawValue, code: code, message: message))
        if let data = try? encoder.encode(document) { StandardStream.output.write(Array(data) + [0x0A]) }
    }
    return ExitCode(ExitStatus.code(for: category))
}

/// What one command opened, to finish once it succeeded: the views whose checkpoints are worth writing back.
final class CommandRun {
    private var opened: [LazyViews] = []

    /// The office views of `reader`, each loaded (from its checkpoint, caught up) the first time it is used.
    func views(_ reader: StoreReader, showProgress: Bool = true) throws -> LazyViews {
        let views = LazyViews(reader: reader, showProgress: showProgress)
        opened.append(views)
        return views
    }

    /// Writes back what is worth writing; only called after the command succeeded.
    func finish() {
        for views in opened { views.saveIfUseful() }
    }
}
