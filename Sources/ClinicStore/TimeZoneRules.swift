import ClinicEvents
import RecordLog

/// The UTC offsets of one time zone over time, read from the machine's time zone database: a TZif file
/// (RFC 8536, versions 1 to 4) under `/usr/share/zoneinfo`, such as `America/Chicago`.
///
/// The transitions the file lists give the offset up to its last one; after it, the file's footer (a POSIX `TZ`
/// rule such as `CST6CDT,M3.2.0,M11.1.0`) gives it for every later year. Leap seconds are not supported (the
/// `right/` zones), and the rule must be one RFC 8536 allows.
///
/// `clinic` reads the file itself rather than through Foundation's `TimeZone`, which needs
/// FoundationInternationalization and ICU in the binary (docs/benchmarks.md, "Process start").
struct TimeZoneRules: Sendable {
    /// Why a zone could not be read.
    enum ReadError: Error, Equatable {
        /// The identifier is not a relative path of plain names (letters, digits, `.`, `_`, `+`, `-`).
        case invalidIdentifier
        /// The file is missing or unreadable.
        case unreadable
        /// The file is not a TZif file this reader supports; `reason` names the rule.
        case malformed(reason: String)
    }

    /// One local time type: the offset from UTC in seconds.
    private struct Transition {
        var atSeconds: Int64
        var offsetSeconds: Int64
    }

    /// The transitions of the file, ascending.
    private let transitions: [Transition]
    /// The offset before the first transition (the file's time type 0).
    private let initialOffsetSeconds: Int64
    /// The rule after the last transition; nil for a file without a footer (the last offset then stays).
    private let rule: PosixRule?

    /// The directory of the time zone database.
    static let databaseDirectory = "/usr/share/zoneinfo"
    /// The longest identifier accepted.
    static let identifierBytesMax = 255
    /// The largest file accepted.
    static let fileBytesMax = 1 << 20

    /// Reads the zone `identifier` from `directory` through `fileSystem`.
    init(
        identifier: String, fileSystem: any FileSystem, directory: String = TimeZoneRules.databaseDirectory
    ) throws(ReadError) {
        guard Self.isValidIdentifier(identifier) else { throw .invalidIdentifier }
        let bytes: [UInt8]
        do { bytes = try fileSystem.readWholeFile(directory + "/" + identifier) } catch { throw .unreadable }
        guard bytes.count <= Self.fileBytesMax else { throw .malformed(reason: "file above 1 MiB") }
        try self.init(tzif: bytes)
    }

    /// A fixed offset (UTC: 0).
    init(fixedOffsetSeconds offset: Int64) {
        transitions = []
        initialOffsetSeconds = offset
        rule = PosixRule(standardOffsetSeconds: offset, daylight: nil)
    }

    /// Parses the bytes of a TZif file.
    init(tzif bytes: [UInt8]) throws(ReadError) {
        var reader = TZifReader(bytes: bytes)
        let first = try reader.header()
        guard first.leapCount == 0 else { throw .malformed(reason: "leap seconds are not supported") }
        var header = first
        var timeBytes = 4
        if first.version >= 2 {
            // Skip the version 1 block: the version 2 block repeats it with 64-bit times and the footer.
            try reader.skip(first.blockByteCount(timeBytes: 4))
            header = try reader.header()
            guard header.leapCount == 0 else { throw .malformed(reason: "leap seconds are not supported") }
            timeBytes = 8
        }
        var times: [Int64] = []
        for _ in 0..<header.timeCount { times.append(try reader.signed(byteCount: timeBytes)) }
        var typeIndexes: [Int] = []
        for _ in 0..<header.timeCount { typeIndexes.append(Int(try reader.byte())) }
        var offsets: [Int64] = []
        for _ in 0..<header.typeCount {
            let offset = try reader.signed(byteCount: 4)
            _ = try reader.byte()  // is DST
            _ = try reader.byte()  // abbreviation index
            guard offset > -25 * 3600, offset < 26 * 3600 else { throw .malformed(reason: "offset out of range") }
            offsets.append(offset)
        }
        guard !offsets.isEmpty else { throw .malformed(reason: "no local time type") }
        try reader.skip(header.charCount + header.leapCount * (timeBytes + 4) + header.standardCount + header.utcCount)
        var transitions: [Transition] = []
        for (time, type) in zip(times, typeIndexes) {
            guard type < offsets.count else { throw .malformed(reason: "transition to an unknown type") }
            guard transitions.last.map({ $0.atSeconds < time }) ?? true else {
                throw .malformed(reason: "transition times not ascending")
            }
            transitions.append(Transition(atSeconds: time, offsetSeconds: offsets[type]))
        }
        self.transitions = transitions
        initialOffsetSeconds = offsets[0]
        if first.version >= 2 {
            let footer = try reader.footer()
            rule = footer.isEmpty ? nil : try PosixRule(parsing: footer)
        } else {
            rule = nil
        }
    }

    /// Whether `identifier` is a relative path of plain names: no `..`, no absolute path, nothing but letters, digits,
    /// `.`, `_`, `+` and `-` between the slashes.
    static func isValidIdentifier(_ identifier: String) -> Bool {
        let bytes = Array(identifier.utf8)
        guard !bytes.isEmpty, bytes.count <= identifierBytesMax else { return false }
        for name in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard !name.isEmpty, name.elementsEqual([0x2E]) == false, name.elementsEqual([0x2E, 0x2E]) == false else {
                return false
            }
            let plain = name.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2B || byte == 0x2D
            }
            guard plain else { return false }
        }
        return true
    }

    /// The offset from UTC, in seconds, at the instant `seconds` since 1970.
    func offsetSeconds(atSeconds seconds: Int64) -> Int64 {
        guard let firstTime = transitions.first?.atSeconds, seconds >= firstTime else {
            return transitions.isEmpty
                ? (rule?.offsetSeconds(atSeconds: seconds) ?? initialOffsetSeconds)
                : initialOffsetSeconds
        }
        let last = transitions[transitions.count - 1]
        if seconds >= last.atSeconds { return rule?.offsetSeconds(atSeconds: seconds) ?? last.offsetSeconds }
        // The last transition at or before `seconds`.
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle].atSeconds <= seconds { low = middle } else { high = middle - 1 }
        }
        return transitions[low].offsetSeconds
    }

    /// The first instant after `seconds` at which the offset may change, with the offset from then on; nil when it
    /// never changes again.
    func nextTransition(afterSeconds seconds: Int64) -> (atSeconds: Int64, offsetSeconds: Int64)? {
        if let next = transitions.first(where: { $0.atSeconds > seconds }) {
            return (next.atSeconds, next.offsetSeconds)
        }
        return rule?.nextTransition(afterSeconds: seconds)
    }
}

/// A POSIX `TZ` rule, as a TZif footer holds it (RFC 8536 section 3.3): `std offset [dst [offset] [,start,end]]`.
struct PosixRule: Sendable {
    /// When daylight time starts or ends in a year: a day rule and the local time of day, in seconds.
    struct Change: Sendable {
        enum Day: Sendable {
            /// `Jn`: day 1 to 365, February 29 never counted.
            case julianNoLeap(Int64)
            /// `n`: day 0 to 365, February 29 counted in leap years.
            case zeroBased(Int64)
            /// `Mm.w.d`: weekday `d` (0 Sunday) of week `w` (5: the last) of month `m`.
            case monthWeekDay(month: Int64, week: Int64, weekday: Int64)
        }
        var day: Day
        var timeSeconds: Int64
    }

    /// Daylight time: its offset and when it starts and ends.
    struct Daylight: Sendable {
        var offsetSeconds: Int64
        var start: Change
        var end: Change
    }

    /// The standard offset from UTC (east positive), in seconds.
    let standardOffsetSeconds: Int64
    /// Daylight time, nil for a zone without it.
    let daylight: Daylight?

    init(standardOffsetSeconds: Int64, daylight: Daylight?) {
        self.standardOffsetSeconds = standardOffsetSeconds
        self.daylight = daylight
    }

    /// Parses a rule such as `CST6CDT,M3.2.0,M11.1.0` or `<+0330>-3:30`.
    init(parsing text: [UInt8]) throws(TimeZoneRules.ReadError) {
        var scanner = RuleScanner(bytes: text)
        try scanner.name()
        standardOffsetSeconds = -(try scanner.offset(hoursMax: 24))
        guard !scanner.atEnd else {
            daylight = nil
            return
        }
        try scanner.name()
        var daylightOffset = standardOffsetSeconds + 3600
        if !scanner.atEnd, scanner.peek != UInt8(ascii: ",") { daylightOffset = -(try scanner.offset(hoursMax: 24)) }
        let start: Change
        let end: Change
        if scanner.atEnd {
            // POSIX leaves the default to the implementation; the United States rule, as glibc uses.
            start = Change(day: .monthWeekDay(month: 3, week: 2, weekday: 0), timeSeconds: 7200)
            end = Change(day: .monthWeekDay(month: 11, week: 1, weekday: 0), timeSeconds: 7200)
        } else {
            try scanner.expect(UInt8(ascii: ","))
            start = try scanner.change()
            try scanner.expect(UInt8(ascii: ","))
            end = try scanner.change()
        }
        guard scanner.atEnd else { throw .malformed(reason: "text after the rule") }
        daylight = Daylight(offsetSeconds: daylightOffset, start: start, end: end)
    }

    /// The offset at the instant `seconds`.
    func offsetSeconds(atSeconds seconds: Int64) -> Int64 {
        guard let daylight else { return standardOffsetSeconds }
        // Daylight time runs from a year's start to its end, or (southern hemisphere) to the next year's end; the
        // periods of the years around the instant's are checked, since one may reach across a new year.
        let year = CivilDays.civilYear(ofDay: seconds.floorDivided(by: 86_400))
        for periodYear in (year - 1)...year {
            let (start, end) = changes(inYear: periodYear, daylight: daylight)
            let periodEnd = start < end ? end : changes(inYear: periodYear + 1, daylight: daylight).end
            if seconds >= start, seconds < periodEnd { return daylight.offsetSeconds }
        }
        if case (let start, let end) = changes(inYear: year + 1, daylight: daylight), start < end, seconds >= start,
            seconds < end
        {
            return daylight.offsetSeconds
        }
        return standardOffsetSeconds
    }

    /// The first change after `seconds` that changes the offset, with the offset after it.
    func nextTransition(afterSeconds seconds: Int64) -> (atSeconds: Int64, offsetSeconds: Int64)? {
        guard let daylight, daylight.offsetSeconds != standardOffsetSeconds else { return nil }
        let year = CivilDays.civilYear(ofDay: seconds.floorDivided(by: 86_400))
        var candidates: [(atSeconds: Int64, offsetSeconds: Int64)] = []
        for candidateYear in (year - 1)...(year + 1) {
            let (start, end) = changes(inYear: candidateYear, daylight: daylight)
            candidates.append((start, daylight.offsetSeconds))
            candidates.append((end, standardOffsetSeconds))
        }
        for candidate in candidates.sorted(by: { $0.atSeconds < $1.atSeconds }) where candidate.atSeconds > seconds {
            // A rule whose daylight time spans the whole year changes nothing at its ends.
            if offsetSeconds(atSeconds: candidate.atSeconds - 1) != offsetSeconds(atSeconds: candidate.atSeconds) {
                return (candidate.atSeconds, offsetSeconds(atSeconds: candidate.atSeconds))
            }
        }
        return nil
    }

    /// The instants (UTC seconds) daylight time starts and ends in `year`: the start time is standard local time, the
    /// end time daylight local time.
    private func changes(inYear year: Int64, daylight: Daylight) -> (start: Int64, end: Int64) {
        let start =
            Self.day(daylight.start.day, inYear: year) * 86_400 + daylight.start.timeSeconds
            - standardOffsetSeconds
        let end =
            Self.day(daylight.end.day, inYear: year) * 86_400 + daylight.end.timeSeconds
            - daylight.offsetSeconds
        return (start, end)
    }

    /// The day (since 1970) that `rule` names in `year`.
    private static func day(_ rule: Change.Day, inYear year: Int64) -> Int64 {
        let january1 = CivilDays.day(year: year, month: 1, day: 1)
        switch rule {
        case .julianNoLeap(let number):
            // Day 60 and later are a day later in a leap year (February 29 is not counted).
            return january1 + number - 1 + (CivilDays.isLeap(year) && number >= 60 ? 1 : 0)
        case .zeroBased(let number):
            return january1 + number
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilDays.day(year: year, month: month, day: 1)
            // 1970-01-01 was a Thursday (weekday 4).
            let firstWeekday = (first + 4).floorModulo(7)
            var day = first + (weekday - firstWeekday).floorModulo(7) + (week - 1) * 7
            let nextMonth =
                month == 12
                ? CivilDays.day(year: year + 1, month: 1, day: 1)
                : CivilDays.day(year: year, month: month + 1, day: 1)
            while day >= nextMonth { day -= 7 }
            return day
        }
    }
}

extension Int64 {
    /// The remainder of the division rounded toward negative infinity: 0 up to `divisor` − 1.
    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}

/// Reads the big-endian fields of a TZif file.
private struct TZifReader {
    struct Header {
        var version: Int
        var utcCount: Int
        var standardCount: Int
        var leapCount: Int
        var timeCount: Int
        var typeCount: Int
        var charCount: Int

        /// The bytes of the data block that follows this header, with times of `timeBytes` bytes.
        func blockByteCount(timeBytes: Int) -> Int {
            timeCount * (timeBytes + 1) + typeCount * 6 + charCount + leapCount * (timeBytes + 4) + standardCount
                + utcCount
        }
    }

    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func header() throws(TimeZoneRules.ReadError) -> Header {
        guard offset + 44 <= bytes.count, bytes[offset..<offset + 4].elementsEqual(Array("TZif".utf8)) else {
            throw .malformed(reason: "no TZif header")
        }
        let versionByte = bytes[offset + 4]
        let version: Int
        switch versionByte {
        case 0: version = 1
        case UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4"): version = Int(versionByte - UInt8(ascii: "0"))
        default: throw .malformed(reason: "unknown TZif version")
        }
        offset += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let count = try signed(byteCount: 4)
            guard count >= 0, count <= 100_000 else { throw .malformed(reason: "count out of range") }
            counts.append(Int(count))
        }
        let header = Header(
            version: version, utcCount: counts[0], standardCount: counts[1], leapCount: counts[2],
            timeCount: counts[3], typeCount: counts[4], charCount: counts[5])
        guard header.typeCount >= 1, header.typeCount <= 256 else { throw .malformed(reason: "type count") }
        return header
    }

    mutating func skip(_ count: Int) throws(TimeZoneRules.ReadError) {
        guard count >= 0, offset + count <= bytes.count else { throw .malformed(reason: "truncated") }
        offset += count
    }

    mutating func byte() throws(TimeZoneRules.ReadError) -> UInt8 {
        guard offset < bytes.count else { throw .malformed(reason: "truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A big-endian two's-complement integer of 4 or 8 bytes.
    mutating func signed(byteCount: Int) throws(TimeZoneRules.ReadError) -> Int64 {
        guard offset + byteCount <= bytes.count else { throw .malformed(reason: "truncated") }
        var value: UInt64 = 0
        for index in offset..<offset + byteCount { value = value << 8 | UInt64(bytes[index]) }
        offset += byteCount
        if byteCount == 4 { return Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: value))) }
        return Int64(bitPattern: value)
    }

    /// The footer's rule: the bytes between two line feeds after the version 2 block.
    mutating func footer() throws(TimeZoneRules.ReadError) -> [UInt8] {
        guard offset < bytes.count, bytes[offset] == 0x0A else { throw .malformed(reason: "no footer") }
        guard let end = bytes[(offset + 1)...].firstIndex(of: 0x0A) else { throw .malformed(reason: "footer") }
        return Array(bytes[(offset + 1)..<end])
    }
}

/// Reads the parts of a POSIX `TZ` rule.
private struct RuleScanner {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { offset >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[offset] }

    mutating func expect(_ byte: UInt8) throws(TimeZoneRules.ReadError) {
        guard peek == byte else { throw .malformed(reason: "rule") }
        offset += 1
    }

    /// A zone abbreviation: three or more letters, or `<...>` of letters, digits, `+` and `-`.
    mutating func name() throws(TimeZoneRules.ReadError) {
        let start = offset
        if peek == UInt8(ascii: "<") {
            offset += 1
            while let byte = peek, byte != UInt8(ascii: ">") {
                guard isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else {
                    throw .malformed(reason: "zone name")
                }
                offset += 1
            }
            try expect(UInt8(ascii: ">"))
            guard offset - start >= 5 else { throw .malformed(reason: "zone name") }
        } else {
            while let byte = peek, isLetter(byte) { offset += 1 }
            guard offset - start >= 3 else { throw .malformed(reason: "zone name") }
        }
    }

    /// `[+|-]hh[:mm[:ss]]` in seconds, hours up to `hoursMax`.
    mutating func offset(hoursMax: Int64) throws(TimeZoneRules.ReadError) -> Int64 {
        var sign: Int64 = 1
        if peek == UInt8(ascii: "+") {
            offset += 1
        } else if peek == UInt8(ascii: "-") {
            sign = -1
            offset += 1
        }
        let hours = try number(digitsMax: 3)
        guard hours <= hoursMax else { throw .malformed(reason: "hours out of range") }
        var seconds = hours * 3600
        for scale: Int64 in [60, 1] {
            guard peek == UInt8(ascii: ":") else { break }
            offset += 1
            let part = try number(digitsMax: 2)
            guard part < 60 else { throw .malformed(reason: "minutes or seconds out of range") }
            seconds += part * scale
        }
        return sign * seconds
    }

    /// A start or end of daylight time: `Jn`, `n` or `Mm.w.d`, then `/time` (default 02:00).
    mutating func change() throws(TimeZoneRules.ReadError) -> PosixRule.Change {
        let day: PosixRule.Change.Day
        if peek == UInt8(ascii: "J") {
            offset += 1
            let number = try number(digitsMax: 3)
            guard number >= 1, number <= 365 else { throw .malformed(reason: "Julian day out of range") }
            day = .julianNoLeap(number)
        } else if peek == UInt8(ascii: "M") {
            offset += 1
            let month = try number(digitsMax: 2)
            try expect(UInt8(ascii: "."))
            let week = try number(digitsMax: 1)
            try expect(UInt8(ascii: "."))
            let weekday = try number(digitsMax: 1)
            guard (1...12).contains(month), (1...5).contains(week), (0...6).contains(weekday) else {
                throw .malformed(reason: "month rule out of range")
            }
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else {
            let number = try number(digitsMax: 3)
            guard number <= 365 else { throw .malformed(reason: "day out of range") }
            day = .zeroBased(number)
        }
        var time: Int64 = 7200
        if peek == UInt8(ascii: "/") {
            offset += 1
            // RFC 8536 allows -167 to 167 hours here.
            time = try self.offset(hoursMax: 167)
        }
        return PosixRule.Change(day: day, timeSeconds: time)
    }

    private mutating func number(digitsMax: Int) throws(TimeZoneRules.ReadError) -> Int64 {
        var value: Int64 = 0
        var digits = 0
        while let byte = peek, isDigit(byte), digits < digitsMax {
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            digits += 1
            offset += 1
        }
        guard digits > 0 else { throw .malformed(reason: "number expected") }
        return value
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }
}
