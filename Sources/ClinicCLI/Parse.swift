import ClinicEvents
import ClinicStore
import FoundationEssentials
import RecordLog

/// Turns what staff type into values, refusing anything malformed with one clear sentence.
enum Parse {
    /// The longest free text accepted on the command line, in bytes (a note may be longer only from a file).
    static let textByteCountMax = 4096

    /// A role by its name as `docs/cli.md` lists it (`front-desk`, `biller`, `physician`, ...).
    static func role(_ text: String) throws -> StaffRole {
        let key = text.lowercased().replacing("_", with: "-")
        guard let role = StaffRole.allCases.first(where: { roleName($0) == key }) else {
            let names = StaffRole.allCases.map(roleName).joined(separator: ", ")
            throw CLIError.usage("Unknown role '\(sanitized(text))'; use one of: \(names).")
        }
        return role
    }

    /// The name of a role on the command line.
    static func roleName(_ role: StaffRole) -> String {
        switch role {
        case .physician: "physician"
        case .nursePractitioner: "nurse-practitioner"
        case .physicianAssistant: "physician-assistant"
        case .nurse: "nurse"
        case .medicalAssistant: "medical-assistant"
        case .frontDesk: "front-desk"
        case .biller: "biller"
        case .officeManager: "office-manager"
        case .complianceOfficer: "compliance-officer"
        case .system: "system"
        }
    }

    /// A staff id.
    static func staffID(_ text: String) throws -> StaffID {
        do {
            return try StaffID(text)
        } catch {
            throw CLIError.usage(
                "The staff id '\(sanitized(text))' is not valid: 1 to 64 letters, digits, '.', '_' or '-'.")
        }
    }

    /// A day: `today`, `tomorrow`, `yesterday` or `YYYY-MM-DD`, in office-local days since 1970.
    static func day(_ text: String, calendar: OfficeCalendar, now: Int64) throws -> Int64 {
        let today = calendar.localDay(atMicroseconds: now)
        switch text.lowercased() {
        case "today": return today
        case "tomorrow": return today + 1
        case "yesterday": return today - 1
        default: break
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int64(parts[0]), let month = Int64(parts[1]), let dayOfMonth = Int64(parts[2]),
            (1...9999).contains(year), (1...12).contains(month),
            (1...daysInMonth(year: year, month: month)).contains(dayOfMonth)
        else {
            throw CLIError.usage("The date '\(sanitized(text))' is not valid; use YYYY-MM-DD, today or tomorrow.")
        }
        return daysSince1970(year: year, month: month, day: dayOfMonth)
    }

    /// A time of day `H:MM` or `HH:MM`, in minutes after midnight.
    static func minuteOfDay(_ text: String) throws -> Int64 {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2, let hour = Int64(parts[0]),
            let minute = Int64(parts[1]), (0...23).contains(hour), (0...59).contains(minute),
            parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII)
        else {
            throw CLIError.usage("The time '\(sanitized(text))' is not valid; use HH:MM on a 24-hour clock.")
        }
        return hour * 60 + minute
    }

    /// A moment: `HH:MM` (today), `YYYY-MM-DD HH:MM`, `today HH:MM` or `tomorrow HH:MM`, in office-local minutes.
    static func localMinutes(_ text: String, calendar: OfficeCalendar, now: Int64) throws -> Int64 {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        switch words.count {
        case 1:
            return calendar.localDay(atMicroseconds: now) * 1440 + (try minuteOfDay(String(words[0])))
        case 2:
            return try day(String(words[0]), calendar: calendar, now: now) * 1440
                + (try minuteOfDay(String(words[1])))
        default:
            throw CLIError.usage(
                "The time '\(sanitized(text))' is not valid; use HH:MM, or YYYY-MM-DD HH:MM, or tomorrow HH:MM.")
        }
    }

    /// A moment as an instant, microseconds since 1970 (for effective times).
    static func instant(_ text: String, calendar: OfficeCalendar, now: Int64) throws -> Int64 {
        if !text.contains(":") {
            return calendar.microseconds(atStartOfLocalDay: try day(text, calendar: calendar, now: now))
        }
        return calendar.microseconds(atLocalMinutes: try localMinutes(text, calendar: calendar, now: now))
    }

    /// An amount of money such as `25`, `25.5`, `25.50` or `$1,234.56`, in cents; never negative, at most
    /// $10,000,000.00.
    static func money(_ text: String) throws -> MoneyCents {
        var digits = text.trimmingSpaces()
        if digits.hasPrefix("$") { digits.removeFirst() }
        digits = digits.replacing(",", with: "")
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let invalid = CLIError.usage(
            "The amount '\(sanitized(text))' is not valid; use dollars and cents such as 25.00 (no minus sign).")
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 8,
            parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let dollars = Int64(parts[0])
        else { throw invalid }
        var cents: Int64 = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let fraction = Int64(parts[1])
            else { throw invalid }
            cents = parts[1].count == 1 ? fraction * 10 : fraction
        }
        let total = dollars * 100 + cents
        guard total <= 1_000_000_000 else {
            throw CLIError.usage("The amount '\(sanitized(text))' is above the $10,000,000.00 limit of one entry.")
        }
        do {
            return try MoneyCents(cents: total)
        } catch {
            throw invalid
        }
    }

    /// Free text staff typed: trimmed, not empty, without control characters, at most `textByteCountMax` bytes.
    static func text(_ text: String, what: String) throws -> String {
        let trimmed = text.trimmingWhitespaceAndNewlines()
        guard !trimmed.isEmpty else { throw CLIError.usage("The \(what) is empty; type it.") }
        guard trimmed.utf8.count <= textByteCountMax else {
            throw CLIError.usage("The \(what) is longer than \(textByteCountMax) bytes; shorten it.")
        }
        guard
            !trimmed.unicodeScalars.contains(where: {
                ($0.properties.generalCategory == .control && $0 != "\n") || $0.properties.isBidiControl
            })
        else { throw CLIError.usage("The \(what) holds control or text-direction characters; type plain text.") }
        return trimmed
    }

    /// A procedure: a CPT (5 digits) or HCPCS (a letter and 4 digits) code with up to four two-character modifiers.
    static func procedure(_ code: String, modifiers: [String]) throws -> ProcedureCode {
        do {
            return try ProcedureCode(code: code, modifiers: modifiers)
        } catch {
            throw CLIError.usage(
                "The code '\(sanitized(code))' with its modifiers is not valid: CPT is 5 digits, HCPCS a letter and 4 "
                    + "digits, modifiers 2 characters, at most 4.")
        }
    }

    /// A responsibility: `patient`, `insurance1`, `insurance2` or `insurance3`.
    static func responsibility(_ text: String) throws -> Responsibility {
        switch text.lowercased() {
        case "patient": return .patient
        case "insurance1", "primary": return .insurance(level: 1)
        case "insurance2", "secondary": return .insurance(level: 2)
        case "insurance3", "tertiary": return .insurance(level: 3)
        default:
            throw CLIError.usage(
                "The responsibility '\(sanitized(text))' is not valid; use patient, insurance1, insurance2 or "
                    + "insurance3.")
        }
    }

    /// A payment method: cash, card, check, eft or other.
    static func paymentMethod(_ text: String) throws -> PaymentMethod {
        switch text.lowercased() {
        case "cash": return .cash
        case "card", "credit", "debit": return .card
        case "check", "cheque": return .check
        case "eft", "ach", "electronic": return .electronicFundsTransfer
        case "other": return .other
        default:
            throw CLIError.usage("The payment method '\(sanitized(text))' is not valid; use cash, card, check or eft.")
        }
    }

    /// An id typed in full (32 hex digits, dashes allowed).
    static func fullID(_ text: String, what: String) throws -> EventID {
        guard let id = EventID(text) else {
            throw CLIError.usage("The \(what) id '\(sanitized(text))' is not valid; use the id clinic printed.")
        }
        return id
    }

    /// Text safe to echo in a message: printable ASCII only, at most 40 characters.
    static func sanitized(_ text: String) -> String {
        let printable = String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F })
        return printable.count > 40 ? String(printable.prefix(40)) + "..." : printable
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        CivilDays.day(year: year, month: month, day: day)
    }

    /// The date of a day since 1970 as `YYYY-MM-DD`.
    static func dateText(_ days: Int64) -> String {
        let date = CivilDays.date(ofDay: days)
        return zeroPadded(date.year, width: 4) + "-" + zeroPadded(date.month, width: 2) + "-"
            + zeroPadded(date.day, width: 2)
    }

    /// A time of day in minutes as `HH:MM`.
    static func timeText(minuteOfDay: Int64) -> String {
        zeroPadded(minuteOfDay / 60, width: 2) + ":" + zeroPadded(minuteOfDay % 60, width: 2)
    }

    /// Office-local minutes since 1970 as `YYYY-MM-DD HH:MM`.
    static func localMinutesText(_ minutes: Int64) -> String {
        let day = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
        return dateText(day) + " " + timeText(minuteOfDay: minutes - day * 1440)
    }

    /// Cents as dollars: `1234.50`, `-5.00`.
    static func moneyText(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let hundredths = magnitude % 100
        return sign + String(magnitude / 100) + (hundredths < 10 ? ".0" : ".") + String(hundredths)
    }

    /// `value` in decimal with leading zeros to `width` characters, the sign counted in the width (`-05` for -5 in
    /// 3), as printf's `%0*d` writes it; without Foundation's `String(format:)`, which costs milliseconds per call
    /// the first time and microseconds after.
    static func zeroPadded(_ value: Int64, width: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        let zeros = max(0, width - sign.count - digits.count)
        return sign + String(repeating: "0", count: zeros) + digits
    }
}
