import RecordLog

/// The office settings kept in `store.settings`: plain `key=value` lines, no patient data.
///
/// ```
/// format=1
/// timeZone=America/New_York
/// sessionIdleMinutes=15
/// ```
///
/// `sessionIdleMinutes` (1 to 1440, default 15 when absent) is how long a session lasts without activity.
///
/// Stores made before the retention policy was an event of the log also hold `retentionYears` (6 to 100) and
/// `retentionMinorYears` (0 to 100), both present or both absent. They are read (`legacyRetentionPolicy`) and never
/// written: the policy is honoured only while the log holds no `RetentionPolicySet`
/// (`StoreReader.retentionPolicyInForce()`).
public struct StoreSettings: Equatable, Sendable {
    /// The session idle time when the settings name none.
    public static let sessionIdleMinutesDefault = 15
    /// The session idle times accepted.
    public static let sessionIdleMinutesRange: ClosedRange<Int> = 1...1440

    /// The office's time zone.
    public var calendar: OfficeCalendar
    /// How long a staff member's session lasts without activity before they must sign in again (automatic logoff).
    public var sessionIdleMinutes: Int
    /// The retention policy of the file's `retentionYears` and `retentionMinorYears` lines (written by stores made
    /// before the policy was an event), or nil when it has none. Read only: honoured while the log holds no
    /// `RetentionPolicySet`.
    public private(set) var legacyRetentionPolicy: RetentionPolicy?

    /// Creates settings; `sessionIdleMinutes` is clamped to `sessionIdleMinutesRange`.
    public init(calendar: OfficeCalendar, sessionIdleMinutes: Int = StoreSettings.sessionIdleMinutesDefault) {
        self.calendar = calendar
        self.sessionIdleMinutes = min(
            max(sessionIdleMinutes, Self.sessionIdleMinutesRange.lowerBound), Self.sessionIdleMinutesRange.upperBound)
    }

    /// The file's bytes (never a retention line: the policy is an event of the log).
    func serialized() -> [UInt8] {
        Array("format=1\ntimeZone=\(calendar.timeZoneIdentifier)\nsessionIdleMinutes=\(sessionIdleMinutes)\n".utf8)
    }

    /// Reads the settings file at `path` (`StoreLocation.settingsPath`).
    public static func load(from path: String, fileSystem: any FileSystem) throws(StoreError) -> StoreSettings {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readWholeFile(path)
        } catch {
            throw StoreError(.storage, code: "settingsRead", message: "The store settings could not be read: \(error).")
        }
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard values["format"] == "1", let zone = values["timeZone"] else {
            throw StoreError(
                .storage, code: "settingsDamaged",
                message: "The store settings file \(path) is damaged; restore it from a backup.")
        }
        var idleMinutes = sessionIdleMinutesDefault
        if let text = values["sessionIdleMinutes"] {
            guard let minutes = Int(text), sessionIdleMinutesRange.contains(minutes) else {
                throw StoreError(
                    .storage, code: "settingsDamaged",
                    message: "The store settings file \(path) has a sessionIdleMinutes outside 1 to 1440; correct it.")
            }
            idleMinutes = minutes
        }
        var policy: RetentionPolicy?
        if values["retentionYears"] != nil || values["retentionMinorYears"] != nil {
            guard let years = values["retentionYears"].flatMap({ Int($0) }),
                let minorYears = values["retentionMinorYears"].flatMap({ Int($0) }),
                let parsed = RetentionPolicy(years: years, minorYears: minorYears)
            else {
                throw StoreError(
                    .storage, code: "settingsDamaged",
                    message: "The store settings file \(path) has a damaged retention policy (retentionYears 6 to 100 "
                        + "and retentionMinorYears 0 to 100, both or neither); correct it.")
            }
            policy = parsed
        }
        do {
            var settings = StoreSettings(
                calendar: try OfficeCalendar(timeZoneIdentifier: zone), sessionIdleMinutes: idleMinutes)
            settings.legacyRetentionPolicy = policy
            return settings
        } catch {
            throw StoreError(
                .storage, code: "settingsTimeZone",
                message: "The store's time zone \(zone) is unknown on this machine; install the time zone data.")
        }
    }
}
