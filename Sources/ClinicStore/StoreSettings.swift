import RecordLog

/// The office settings kept in `store.settings`: plain `key=value` lines, no patient data.
///
/// ```
/// format=1
/// timeZone=America/New_York
/// ```
public struct StoreSettings: Equatable, Sendable {
    /// The office's time zone.
    public var calendar: OfficeCalendar

    /// Creates settings.
    public init(calendar: OfficeCalendar) {
        self.calendar = calendar
    }

    /// The file's bytes.
    func serialized() -> [UInt8] {
        Array("format=1\ntimeZone=\(calendar.timeZoneIdentifier)\n".utf8)
    }

    /// Reads the settings file.
    static func load(from path: String, fileSystem: any FileSystem) throws(StoreError) -> StoreSettings {
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
        do {
            return StoreSettings(calendar: try OfficeCalendar(timeZoneIdentifier: zone))
        } catch {
            throw StoreError(
                .storage, code: "settingsTimeZone",
                message: "The store's time zone \(zone) is unknown on this machine; install the time zone data.")
        }
    }
}
