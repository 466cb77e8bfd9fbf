import ClinicEvents

/// Calendar arithmetic of the demo office: Gregorian dates of day numbers, office days and US federal holidays.
enum DemoCalendar {
    /// A Gregorian date.
    struct CivilDate: Equatable {
        var year: Int64
        var month: Int64
        var day: Int64
    }

    /// The Gregorian date of `days` since 1970-01-01.
    static func civilDate(ofDaysSince1970 days: Int64) -> CivilDate {
        let date = CivilDays.date(ofDay: days)
        return CivilDate(year: date.year, month: date.month, day: date.day)
    }

    /// The days since 1970-01-01 of a Gregorian date.
    static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        CivilDays.day(year: year, month: month, day: day)
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
