import ClinicEvents
import RecordLog

extension LedgerView {
    /// The days whose net changes are summed together in `core` (and kept day by day in one `nets.<period>` part).
    public static let netsPeriodDays: Int64 = 32

    /// The period of `day`: `floor(day / 32)`.
    static func period(ofDay day: Int64) -> Int64 {
        day >= 0 ? day / netsPeriodDays : -((-day + netsPeriodDays - 1) / netsPeriodDays)
    }

    /// The key of the part holding the figures and postings counted on `day`: `day.<day>` (days since 1970-01-01 in
    /// decimal, with a `-` when negative).
    public static func dayPartKey(_ day: Int64) -> String {
        "day." + String(day)
    }

    /// The day a `day.<day>` part key names, or nil for any other key.
    public static func day(ofDayPartKey key: String) -> Int64? {
        guard key.hasPrefix("day.") else { return nil }
        return Int64(key.dropFirst(4))
    }

    /// The key of the part holding the net changes of each day of `day`'s period: `nets.<period>`.
    public static func netsPartKey(ofDay day: Int64) -> String {
        "nets." + String(period(ofDay: day))
    }

    /// The key of the part holding `patientID`'s account and coverages: `accounts.` and the three hex digits of the
    /// id's first 12 bits (4,096 groups: one patient's ledger decodes the accounts of about 1 in 4,096 patients).
    public static func accountPartKey(of patientID: EventID) -> String {
        ViewParts.fineGroupPartKey("accounts", of: patientID)
    }

    /// The key of the part holding the provider of the encounter `encounterID`: `encounters.` and the two hex digits
    /// of the id's first byte.
    public static func encounterPartKey(of encounterID: EventID) -> String {
        ViewParts.groupPartKey("encounters", of: encounterID)
    }

    /// The log positions whose payer entries one `payers.<n>` part holds: `n · 4096` to `(n + 1) · 4096 − 1`.
    public static let payersPartPositions: UInt64 = 4096

    /// The key of the part holding every payer's entries of the log position `position`: `payers.<n>`, with
    /// `n = floor(position / 4096)` in decimal.
    public static func payersPartKey(ofPosition position: UInt64) -> String {
        "payers." + String(position / payersPartPositions)
    }

    /// The `n` of a `payers.<n>` part key, or nil for any other key.
    static func payersPartNumber(ofKey key: String) -> UInt64? {
        guard key.hasPrefix("payers."), let number = UInt64(key.dropFirst(7)),
            number < UInt64.max / payersPartPositions, payersPartKey(ofPosition: number * payersPartPositions) == key
        else { return nil }
        return number
    }

    /// The parts that folding `events` into a ledger read from parts needs, for the accounts and days read to end
    /// exactly as in the whole ledger: the account part of the patient of every account event, and the encounter part
    /// of every charge's encounter.
    public static func partKeys(neededToFold events: [StoredEvent]) -> Set<String> {
        var keys: Set<String> = []
        for event in events {
            guard let (kind, patientID) = StreamRouting.patientStream(event.envelope.stream), kind == .account else {
                continue
            }
            keys.insert(accountPartKey(of: patientID))
            if case .chargePosted(let charge) = event.event { keys.insert(encounterPartKey(of: charge.encounterID)) }
        }
        return keys
    }

    /// `core` (calendar, day book, payer names, erased ids, the net changes of every period), `nets.<period>` (each
    /// day's net changes), `day.<day>` (the day's figures and postings, each with a copy of its entry),
    /// `accounts.<xxx>` (accounts and coverages), `encounters.<xx>` (encounter providers) and `payers`.
    public func stateParts() -> [ViewPart] {
        let view = self
        var parts = [
            ViewPart(key: ViewParts.coreKey) {
                var core = BinaryEncoder(capacityBytes: 4096)
                view.calendar.encode(into: &core)
                view.dayBook.encodeCanonical(into: &core)
                core.writeSorted(view.payerNames) { encoder, key, name in
                    encoder.writeString(key)
                    encoder.writeString(name)
                }
                core.writeSorted(view.erasedPatientIDs) { $0.writeEventID($1) }
                core.writeSorted(view.periodNets) { encoder, period, nets in
                    encoder.writeVarInt(period)
                    nets.encode(into: &encoder)
                }
                return core.bytes
            }
        ]

        parts += ViewParts.groupParts(dayNets) { day, _ in
            Self.netsPartKey(ofDay: day)
        } _: { encoder, day, nets in
            encoder.writeVarInt(day)
            nets.encode(into: &encoder)
        }

        for (day, ledgerDay) in days {
            parts.append(
                ViewPart(key: Self.dayPartKey(day)) {
                    let lines = view.detachedLines.map { $0[day] ?? [] } ?? view.lines(of: ledgerDay)
                    var encoder = BinaryEncoder(capacityBytes: 512 + 96 * lines.count)
                    Self.encodeFigures(of: ledgerDay, into: &encoder)
                    let postings = zip(ledgerDay.postings, lines)
                    encoder.writeVarUInt(UInt64(min(ledgerDay.postings.count, lines.count)))
                    for (posting, line) in postings {
                        encoder.writeEventID(posting.patientID)
                        encoder.writeVarUInt(UInt64(posting.entryIndex))
                        line.entry.encode(into: &encoder)
                        encoder.writeOptional(line.providerStaffID) { $0.writeStaffID($1) }
                    }
                    return encoder.bytes
                })
        }

        // Only the patient ids are grouped; each part looks its accounts up in the view when it is encoded (see
        // `ViewParts.groupParts`).
        var groups: [String: AccountGroup] = [:]
        for patientID in accounts.keys {
            groups[Self.accountPartKey(of: patientID), default: AccountGroup()].accounts.append(patientID)
        }
        for patientID in coverageLinks.keys {
            groups[Self.accountPartKey(of: patientID), default: AccountGroup()].coverages.append(patientID)
        }
        for (key, group) in groups {
            parts.append(
                ViewPart(key: key) {
                    var encoder = BinaryEncoder(capacityBytes: 4096)
                    encoder.writeSorted(keys: group.accounts, of: view.accounts) {
                        Self.encodeAccount($1, $2, into: &$0)
                    }
                    encoder.writeSorted(keys: group.coverages, of: view.coverageLinks) {
                        Self.encodeCoverages($1, $2, into: &$0)
                    }
                    return encoder.bytes
                })
        }

        parts += ViewParts.groupParts(encounterProviders) { id, _ in
            Self.encounterPartKey(of: id)
        } _: {
            Self.encodeEncounter($1, $2, into: &$0)
        }

        // Every payer's entries cut by log position (each payer's are in log order): a part holds a slice of each.
        var payerParts: Set<UInt64> = []
        for payer in payers.values {
            var last: UInt64?
            for entry in payer.entries where entry.position / Self.payersPartPositions != last {
                last = entry.position / Self.payersPartPositions
                payerParts.insert(entry.position / Self.payersPartPositions)
            }
        }
        for number in payerParts {
            parts.append(
                ViewPart(key: Self.payersPartKey(ofPosition: number * Self.payersPartPositions)) {
                    Self.encodePayerSlices(of: view.payers, number: number)
                })
        }
        if !accounts.isEmpty {
            // Derived from the accounts: what aging needs of each, so aging reads this part and not every account.
            parts.append(ViewPart(key: Self.agingIndexKey) { view.encodeAgingIndex() })
        }
        // Derived from the accounts: every charge and payment with its patient, so a command naming one by its id
        // reads one group of the index and not every account.
        for kind in LedgerRecordKind.allCases {
            for group in kind.groups(in: accounts) {
                parts.append(
                    ViewPart(key: kind.indexPartKey(group: group)) {
                        LedgerOwners.encodeIndexPart(of: kind, group: group, in: view.accounts)
                    })
            }
        }
        return ViewParts.sorted(parts)
    }

    /// Reads the parts given. A whole ledger (`complete`) derives the net changes from its days and reads its lines
    /// from its accounts; a ledger of some parts keeps the net changes and the copies of the lines it read.
    public func decodingParts(_ parts: [String: [UInt8]], complete: Bool) throws -> LedgerView {
        guard let core = parts[ViewParts.coreKey] else { throw ViewStateDecodingError.malformed(field: "core") }
        var view = LedgerView(calendar: calendar)
        try ViewParts.decode(core) { decoder in
            guard try calendar.matchesEncoded(in: &decoder) else { throw ViewStateDecodingError.configurationMismatch }
            view.dayBook = try DayBook.decodeCanonical(from: &decoder)
            view.payerNames = try decoder.readSortedMap(field: "payerNames") { decoder -> (String, String) in
                (try decoder.readViewString(field: "payerNames"), try decoder.readViewString(field: "payerNames"))
            }
            view.erasedPatientIDs = try decoder.readSortedSet(field: "erased") { try $0.readEventID(field: "erased") }
            view.periodNets = try decoder.readSortedMap(field: "periodNets") { decoder -> (Int64, OpeningBalances) in
                (try decoder.readVarInt(field: "periodNets"), try OpeningBalances.decode(from: &decoder))
            }
        }
        var lines: [Int64: [DaySheet.Line]] = [:]
        var payerSlices: [(number: UInt64, bytes: [UInt8])] = []
        for (key, bytes) in parts where key != ViewParts.coreKey {
            if let day = Self.day(ofDayPartKey: key), Self.dayPartKey(day) == key {
                let (ledgerDay, dayLines) = try ViewParts.decode(bytes) { try Self.decodeDay(day, from: &$0) }
                view.days[day] = ledgerDay
                lines[day] = dayLines
            } else if key.hasPrefix("nets.") {
                let nets = try ViewParts.decode(bytes) { decoder in
                    try decoder.readSortedMap(field: "nets") { decoder -> (Int64, OpeningBalances) in
                        (try decoder.readVarInt(field: "nets"), try OpeningBalances.decode(from: &decoder))
                    }
                }
                for (day, balances) in nets {
                    guard Self.netsPartKey(ofDay: day) == key else {
                        throw ViewStateDecodingError.malformed(field: key)
                    }
                    view.dayNets[day] = balances
                }
            } else if key.hasPrefix("accounts.") {
                try ViewParts.decode(bytes) { decoder in
                    let accounts = try decoder.readSortedMap(field: "accounts") { try Self.decodeAccount(from: &$0) }
                    let coverages = try decoder.readSortedMap(field: "coverages") {
                        try Self.decodeCoverages(from: &$0)
                    }
                    guard
                        accounts.keys.allSatisfy({ Self.accountPartKey(of: $0) == key })
                            && coverages.keys.allSatisfy({ Self.accountPartKey(of: $0) == key })
                    else { throw ViewStateDecodingError.malformed(field: key) }
                    view.accounts.merge(accounts) { first, _ in first }
                    view.coverageLinks.merge(coverages) { first, _ in first }
                }
            } else if key.hasPrefix("encounters.") {
                let encounters = try ViewParts.decode(bytes) { decoder in
                    try decoder.readSortedMap(field: "encounters") { try Self.decodeEncounter(from: &$0) }
                }
                guard encounters.keys.allSatisfy({ Self.encounterPartKey(of: $0) == key }) else {
                    throw ViewStateDecodingError.malformed(field: key)
                }
                view.encounterProviders.merge(encounters) { first, _ in first }
            } else if let number = Self.payersPartNumber(ofKey: key) {
                payerSlices.append((number, bytes))
            } else if key == Self.agingIndexKey || LedgerRecordKind.isIndexPartKey(key) {
                continue  // derived from the accounts; a reader of some parts takes it from the index parts read
            } else {
                throw ViewStateDecodingError.malformed(field: "parts")
            }
        }
        view.payers = try Self.decodePayers(fromSlices: payerSlices)
        if complete {
            // The nets and the copies of the lines read must be what the days and accounts give: the parts are
            // re-encoded from those and compared with the bytes read.
            view.deriveNets()
        } else {
            view.detachedLines = lines
        }
        return view
    }

    /// A `payers.<n>` part: for every payer with entries of log positions `n · 4096` to `(n + 1) · 4096 − 1`, in key
    /// order, its key and those entries (in log order).
    private static func encodePayerSlices(of payers: [String: PayerLedger], number: UInt64) -> [UInt8] {
        let first = number * payersPartPositions
        // The last possible part ends at the last position.
        let end = first.addingReportingOverflow(payersPartPositions).overflow ? UInt64.max : first + payersPartPositions
        var slices: [String: ArraySlice<PayerLedger.Entry>] = [:]
        for (key, payer) in payers {
            let entries = payer.entries
            let start = firstIndex(in: entries, atOrAfter: first)
            let stop = firstIndex(in: entries, atOrAfter: end)
            if start < stop { slices[key] = entries[start..<stop] }
        }
        var encoder = BinaryEncoder(capacityBytes: 4096)
        encoder.writeSorted(slices) { encoder, key, entries in
            encoder.writeString(key)
            encoder.writeArray(entries) { encodePayerEntry($1, into: &$0) }
        }
        return encoder.bytes
    }

    /// The index of the first of `entries` (in ascending position order) at or after `position`, by a binary search.
    private static func firstIndex(in entries: [PayerLedger.Entry], atOrAfter position: UInt64) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].position < position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The payers from their `payers.<n>` parts: each payer's slices joined in ascending `n`, in log order; what the
    /// payer owes and holds now is its last entry's.
    private static func decodePayers(
        fromSlices slices: [(number: UInt64, bytes: [UInt8])]
    ) throws -> [String: PayerLedger] {
        var payers: [String: PayerLedger] = [:]
        for (number, bytes) in slices.sorted(by: { $0.number < $1.number }) {
            let field = "payerEntries"
            let part = try ViewParts.decode(bytes) { decoder in
                try decoder.readSortedMap(field: "payers") { decoder -> (String, [PayerLedger.Entry]) in
                    (
                        try decoder.readViewString(field: "payers"),
                        try decoder.readList(field: field) {
                            try decodePayerEntry(from: &$0)
                        }
                    )
                }
            }
            let positions = (number * payersPartPositions)..<((number + 1) * payersPartPositions)
            for (key, entries) in part {
                // Taken out of the map and put back, so the entries are appended to the only copy.
                var payer = payers.removeValue(forKey: key) ?? PayerLedger()
                for entry in entries {
                    // In its part's range and after the payer's previous entry: log order, each position once.
                    guard positions.contains(entry.position),
                        payer.entries.last.map({ $0.position < entry.position }) ?? true
                    else { throw ViewStateDecodingError.malformed(field: field) }
                    payer.entries.append(entry)
                }
                payers[key] = payer
            }
        }
        for (key, payer) in payers {
            guard let last = payer.entries.last else { continue }
            payers[key]?.owedCents = last.owedCents
            payers[key]?.unappliedCents = last.unappliedCents
        }
        return payers
    }

    /// Reads a `day.<day>` part: the day's figures and postings, with each posting's line.
    private static func decodeDay(
        _ day: Int64, from decoder: inout BinaryDecoder
    ) throws -> (LedgerDay, [DaySheet.Line]) {
        var ledgerDay = try decodeFigures(from: &decoder)
        var lines: [DaySheet.Line] = []
        ledgerDay.postings = try decoder.readList(field: "postings") { decoder in
            let posting = LedgerDay.PostingReference(
                patientID: try decoder.readEventID(field: "postings"),
                entryIndex: Int(try decoder.readVarUInt32(field: "postings")))
            let entry = try LedgerEntry.decode(from: &decoder)
            let provider = try decoder.readOptional(field: "postings") { try $0.readStaffID(field: "postings") }
            guard entry.postedDaysSince1970 == day else { throw ViewStateDecodingError.malformed(field: "postings") }
            lines.append(DaySheet.Line(patientID: posting.patientID, entry: entry, providerStaffID: provider))
            return posting
        }
        return (ledgerDay, lines)
    }

    /// The patient ids of the accounts and coverages of one `accounts.<xxx>` part.
    private struct AccountGroup {
        var accounts: [EventID] = []
        var coverages: [EventID] = []
    }

    /// `core`.
    public func isAlwaysLoadedPart(_ key: String) -> Bool {
        key == ViewParts.coreKey
    }
}
