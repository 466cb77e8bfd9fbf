import ClinicEvents

/// Text of times in microseconds since 1970-01-01T00:00:00Z, as the audit documents and summaries write them.
public enum UTCTime {
    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (proleptic Gregorian calendar, UTC, leap seconds ignored).
    public static func iso8601(microseconds: Int64) -> String {
        let (days, microsecondOfDay) = divideFloor(microseconds, 86_400_000_000)
        let (year, month, day) = CivilDays.date(ofDay: days)
        let second = microsecondOfDay / 1_000_000
        let fraction = microsecondOfDay % 1_000_000
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(second / 3600, 2) + ":"
            + pad(second / 60 % 60, 2) + ":" + pad(second % 60, 2) + "." + pad(fraction, 6) + "Z"
    }

    /// `YYYY-MM-DD` of a count of days since 1970-01-01.
    public static func date(daysSince1970 days: Int64) -> String {
        let (year, month, day) = CivilDays.date(ofDay: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// The time `years` calendar years before `microseconds` (February 29 falls back to February 28).
    public static func microseconds(_ microseconds: Int64, minusYears years: Int) -> Int64 {
        let (days, microsecondOfDay) = divideFloor(microseconds, 86_400_000_000)
        let (year, month, day) = CivilDays.date(ofDay: days)
        let earlierYear = year - Int64(years)
        let isLeap = CivilDays.isLeap(earlierYear)
        let earlierDay = month == 2 && day == 29 && !isLeap ? 28 : day
        return CivilDays.day(year: earlierYear, month: month, day: earlierDay) * 86_400_000_000 + microsecondOfDay
    }

    private static func divideFloor(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - text.count)) + text
        return value < 0 ? "-" + padded : padded
    }
}
