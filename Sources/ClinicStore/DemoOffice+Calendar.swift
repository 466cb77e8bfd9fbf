import ClinicEvents

/// Calendar arithmetic of the demo office: Gregorian dates of day numbers, office days and US federal holidays.
enum DemoCalendar {
    /// A Gregorian date.
    struct CivilDate: Equatable {
        var year: Int64
        var month: Int64
        var day: Int64
    }

    /// The Gregorian date of `days` since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civilDate(ofDaysSince1970 days: Int64) -> CivilDate {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return CivilDate(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The days since 1970-01-01 of a Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The ISO weekday (1 Monday ... 7 Sunday) of a day.
    static func weekday(ofDaysSince1970 days: Int64) -> UInt8 {
        AvailabilityDay.isoWeekday(ofDaysSince1970: days)
    }

    /// Whether the office is open on `days`: Monday to Friday, except the federal holidays it closes for (New Year's
    /// Day, Memorial Day, Independence Day, Labor Day, Thanksgiving and Christmas, on the weekday they are observed).
    static func isOfficeDay(_ days: Int64) -> Bool {
        weekday(ofDaysSince1970: days) <= 5 && !isHoliday(days)
    }

    /// Whether `days` is one of the holidays the office closes for (observed date).
    static func isHoliday(_ days: Int64) -> Bool {
        let year = civilDate(ofDaysSince1970: days).year
        return holidays(ofYear: year).contains(days) || holidays(ofYear: year + 1).contains(days)
    }

    /// The observed holidays of `year`, in days since 1970 (a Saturday holiday is observed on Friday, a Sunday
    /// holiday on Monday).
    static func holidays(ofYear year: Int64) -> [Int64] {
        func observed(_ day: Int64) -> Int64 {
            switch weekday(ofDaysSince1970: day) {
            case 6: day - 1
            case 7: day + 1
            default: day
            }
        }
        func nthWeekday(_ weekday: UInt8, _ n: Int64, month: Int64) -> Int64 {
            let first = daysSince1970(year: year, month: month, day: 1)
            let offset = (Int64(weekday) - Int64(Self.weekday(ofDaysSince1970: first)) + 7) % 7
            return first + offset + 7 * (n - 1)
        }
        let lastMayDay = daysSince1970(year: year, month: 5, day: 31)
        let memorialDay = lastMayDay - (Int64(weekday(ofDaysSince1970: lastMayDay)) - 1)
        return [
            observed(daysSince1970(year: year, month: 1, day: 1)),
            memorialDay,
            observed(daysSince1970(year: year, month: 7, day: 4)),
            nthWeekday(1, 1, month: 9),
            nthWeekday(4, 4, month: 11),
            observed(daysSince1970(year: year, month: 12, day: 25)),
        ]
    }

    /// The first office day at or after `days`.
    static func officeDay(onOrAfter days: Int64) -> Int64 {
        var day = days
        while !isOfficeDay(day) { day += 1 }
        return day
    }

    /// `YYYY-MM-DD` of a day.
    static func isoDate(_ days: Int64) -> String {
        let date = civilDate(ofDaysSince1970: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
    }

    /// The age in whole years on `days` of someone born on `birthDays`.
    static func age(bornOn birthDays: Int64, on days: Int64) -> Int64 {
        let birth = civilDate(ofDaysSince1970: birthDays)
        let now = civilDate(ofDaysSince1970: days)
        let hadBirthday = (now.month, now.day) >= (birth.month, birth.day)
        return now.year - birth.year - (hadBirthday ? 0 : 1)
    }
}
