/// Text of times in microseconds since 1970-01-01T00:00:00Z, as the audit documents and summaries write them.
public enum UTCTime {
    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (proleptic Gregorian calendar, UTC, leap seconds ignored).
    public static func iso8601(microseconds: Int64) -> String {
        let (days, microsecondOfDay) = divideFloor(microseconds, 86_400_000_000)
        let (year, month, day) = civil(fromDays: days)
        let second = microsecondOfDay / 1_000_000
        let fraction = microsecondOfDay % 1_000_000
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(second / 3600, 2) + ":"
            + pad(second / 60 % 60, 2) + ":" + pad(second % 60, 2) + "." + pad(fraction, 6) + "Z"
    }

    /// `YYYY-MM-DD` of a count of days since 1970-01-01.
    public static func date(daysSince1970 days: Int64) -> String {
        let (year, month, day) = civil(fromDays: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// The time `years` calendar years before `microseconds` (February 29 falls back to February 28).
    public static func microseconds(_ microseconds: Int64, minusYears years: Int) -> Int64 {
        let (days, microsecondOfDay) = divideFloor(microseconds, 86_400_000_000)
        let (year, month, day) = civil(fromDays: days)
        let earlierYear = year - Int64(years)
        let isLeap = earlierYear % 4 == 0 && (earlierYear % 100 != 0 || earlierYear % 400 == 0)
        let earlierDay = month == 2 && day == 29 && !isLeap ? 28 : day
        return self.days(fromYear: earlierYear, month: month, day: earlierDay) * 86_400_000_000 + microsecondOfDay
    }

    private static func divideFloor(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Howard Hinnant's `civil_from_days`.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Howard Hinnant's `days_from_civil`.
    private static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - text.count)) + text
        return value < 0 ? "-" + padded : padded
    }
}
