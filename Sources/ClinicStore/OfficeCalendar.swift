import RecordLog

/// The office's time zone: turns instants (microseconds since 1970, UTC) into office-local minutes and days and back.
///
/// Scheduling works in office-local minutes since 1970-01-01T00:00 (what the wall clock in the office shows), billing
/// in office-local days since 1970-01-01. The zone's rules come from the machine's time zone database
/// (`/usr/share/zoneinfo`, read by `TimeZoneRules`); two calendars are equal when they name the same zone.
public struct OfficeCalendar: Hashable, Sendable {
    /// The IANA time zone identifier, such as `America/New_York`.
    public let timeZoneIdentifier: String
    private let rules: TimeZoneRules

    /// The rule a calendar broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The identifier names no time zone this machine knows.
        case unknownTimeZone
    }

    /// Creates the calendar of the time zone `identifier`, read from the time zone database under `directory`.
    public init(
        timeZoneIdentifier identifier: String, fileSystem: any FileSystem = PosixFileSystem(),
        zoneDirectory directory: String = "/usr/share/zoneinfo"
    ) throws(ValidationError) {
        do {
            rules = try TimeZoneRules(identifier: identifier, fileSystem: fileSystem, directory: directory)
        } catch {
            throw .unknownTimeZone
        }
        timeZoneIdentifier = identifier
    }

    /// UTC, for tests and offices that keep their books in UTC.
    public static let utc: OfficeCalendar = OfficeCalendar(utc: ())

    private init(utc: Void) {
        timeZoneIdentifier = "UTC"
        rules = TimeZoneRules(fixedOffsetSeconds: 0)
    }

    /// Calendars are equal when they name the same zone.
    public static func == (left: OfficeCalendar, right: OfficeCalendar) -> Bool {
        left.timeZoneIdentifier == right.timeZoneIdentifier
    }

    /// Hashes the zone's name.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(timeZoneIdentifier)
    }

    /// The offset of office time from UTC at `microseconds`, in seconds.
    public func offsetSeconds(atMicroseconds microseconds: Int64) -> Int64 {
        rules.offsetSeconds(atSeconds: microseconds.floorDivided(by: 1_000_000))
    }

    /// The zone's offset in seconds at `startMicroseconds` and every change of it after that instant and before
    /// `endMicroseconds`, in time order, from the machine's time zone database. A change that leaves the offset as it
    /// was (only the zone's name or daylight-saving flag changed) is left out.
    public func offsetChanges(
        fromMicroseconds startMicroseconds: Int64, beforeMicroseconds endMicroseconds: Int64
    ) -> (initialOffsetSeconds: Int64, changes: [(atMicroseconds: Int64, offsetSeconds: Int64)]) {
        let initial = offsetSeconds(atMicroseconds: startMicroseconds)
        var changes: [(atMicroseconds: Int64, offsetSeconds: Int64)] = []
        var current = initial
        var after = startMicroseconds.floorDivided(by: 1_000_000)
        while let next = rules.nextTransition(afterSeconds: after) {
            // A transition past the microsecond range (a damaged zone file) ends the list like the range's end.
            let (atMicroseconds, overflow) = next.atSeconds.multipliedReportingOverflow(by: 1_000_000)
            guard !overflow, atMicroseconds < endMicroseconds else { break }
            if next.offsetSeconds != current {
                changes.append((atMicroseconds, next.offsetSeconds))
                current = next.offsetSeconds
            }
            after = next.atSeconds
        }
        return (initial, changes)
    }

    /// The office-local minute at the instant `microseconds`.
    public func localMinutes(atMicroseconds microseconds: Int64) -> Int64 {
        let seconds = microseconds.floorDivided(by: 1_000_000) + offsetSeconds(atMicroseconds: microseconds)
        return seconds.floorDivided(by: 60)
    }

    /// The office-local day at the instant `microseconds`.
    public func localDay(atMicroseconds microseconds: Int64) -> Int64 {
        localMinutes(atMicroseconds: microseconds).floorDivided(by: 24 * 60)
    }

    /// The instant at which office clocks show `localMinutes` (the earlier one when clocks are set back).
    public func microseconds(atLocalMinutes localMinutes: Int64) -> Int64 {
        var guess = localMinutes * 60_000_000
        for _ in 0..<3 {
            let offset = offsetSeconds(atMicroseconds: guess)
            guess = (localMinutes * 60 - offset) * 1_000_000
        }
        return guess
    }

    /// The instant the office-local day `day` starts.
    public func microseconds(atStartOfLocalDay day: Int64) -> Int64 {
        microseconds(atLocalMinutes: day * 24 * 60)
    }
}

extension Int64 {
    /// The quotient rounded toward negative infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
