import ClinicEvents
import RecordLog

extension LedgerView {
    /// Writes the calendar, the day book, accounts, payers, payer names, days, erased patients, encounter providers
    /// and coverages, every map in ascending key order.
    public func encodeState(into encoder: inout BinaryEncoder) {
        encodeState(into: &encoder) { _ in }
    }

    /// Writes the state as `encodeState(into:)` does, flushing after each account, payer, day, encounter and
    /// patient's coverages.
    public func encodeState(into encoder: inout BinaryEncoder, flushing flush: (inout BinaryEncoder) -> Void) {
        calendar.encode(into: &encoder)
        dayBook.encodeCanonical(into: &encoder)
        encoder.writeSorted(accounts) { encoder, patientID, account in
            Self.encodeAccount(patientID, account, into: &encoder)
            flush(&encoder)
        }
        encoder.writeSorted(payers) { encoder, key, payer in
            Self.encodePayer(key, payer, into: &encoder, flushing: flush)
            flush(&encoder)
        }
        encoder.writeSorted(payerNames) { encoder, key, name in
            encoder.writeString(key)
            encoder.writeString(name)
        }
        encoder.writeSorted(days) { encoder, day, ledgerDay in
            encoder.writeVarInt(day)
            Self.encodeFigures(of: ledgerDay, into: &encoder)
            encoder.writeArray(ledgerDay.postings) { encoder, posting in
                encoder.writeEventID(posting.patientID)
                encoder.writeVarUInt(UInt64(posting.entryIndex))
            }
            flush(&encoder)
        }
        encoder.writeSorted(erasedPatientIDs) { $0.writeEventID($1) }
        encoder.writeSorted(encounterProviders) { encoder, encounterID, provider in
            Self.encodeEncounter(encounterID, provider, into: &encoder)
            flush(&encoder)
        }
        encoder.writeSorted(coverageLinks) { encoder, patientID, links in
            Self.encodeCoverages(patientID, links, into: &encoder)
            flush(&encoder)
        }
        flush(&encoder)
    }

    /// Reads a state written by `encodeState(into:)`; each account fold is rebuilt by folding its entries again.
    public func decodingState(from decoder: inout BinaryDecoder) throws -> LedgerView {
        guard try calendar.matchesEncoded(in: &decoder) else { throw ViewStateDecodingError.configurationMismatch }
        var view = LedgerView(calendar: calendar)
        view.dayBook = try DayBook.decodeCanonical(from: &decoder)
        view.accounts = try decoder.readSortedMap(field: "accounts") { try Self.decodeAccount(from: &$0) }
        view.payers = try decoder.readSortedMap(field: "payers") { try Self.decodePayer(from: &$0) }
        view.payerNames = try decoder.readSortedMap(field: "payerNames") { decoder -> (String, String) in
            (try decoder.readViewString(field: "payerNames"), try decoder.readViewString(field: "payerNames"))
        }
        view.days = try decoder.readSortedMap(field: "days") { decoder -> (Int64, LedgerDay) in
            let day = try decoder.readVarInt(field: "days")
            var ledgerDay = try Self.decodeFigures(from: &decoder)
            ledgerDay.postings = try decoder.readList(field: "postings") { decoder in
                LedgerDay.PostingReference(
                    patientID: try decoder.readEventID(field: "postings"),
                    entryIndex: Int(try decoder.readVarUInt32(field: "postings")))
            }
            return (day, ledgerDay)
        }
        view.erasedPatientIDs = try decoder.readSortedSet(field: "erased") { try $0.readEventID(field: "erased") }
        view.encounterProviders = try decoder.readSortedMap(field: "encounters") { try Self.decodeEncounter(from: &$0) }
        view.coverageLinks = try decoder.readSortedMap(field: "coverages") { try Self.decodeCoverages(from: &$0) }
        view.deriveNets()
        return view
    }

    /// Sets the net changes of every day and period from `days`.
    mutating func deriveNets() {
        dayNets = [:]
        periodNets = [:]
        for (day, ledgerDay) in days {
            var nets = OpeningBalances()
            nets.add(ledgerDay)
            dayNets[day] = nets
            periodNets[Self.period(ofDay: day), default: OpeningBalances()].merge(nets)
        }
    }

    // MARK: Pieces of the state, shared by the whole encoding and the parts

    /// Writes one account: patient id, stream version, entries, charge details, the account fold's encoding.
    static func encodeAccount(_ patientID: EventID, _ ledger: AccountLedger, into encoder: inout BinaryEncoder) {
        encoder.writeEventID(patientID)
        encoder.writeVarUInt(ledger.account.streamVersion)
        encoder.writeArray(ledger.entries) { $1.encode(into: &$0) }
        encoder.writeSorted(ledger.charges) { encoder, chargeID, detail in
            encoder.writeEventID(chargeID)
            encoder.writeVarInt(detail.serviceDaysSince1970)
            encoder.writeOptional(detail.providerStaffID) { $0.writeStaffID($1) }
            encoder.writeSorted(detail.payerByLevel) { encoder, level, payer in
                encoder.writeUInt8(level)
                encoder.writeString(payer)
            }
        }
        var account = BinaryEncoder()
        ledger.account.encodeCanonical(into: &account)
        encoder.writeBytes(account.bytes)
    }

    /// Reads one account written by `encodeAccount`; the account fold is rebuilt by folding its entries again.
    static func decodeAccount(from decoder: inout BinaryDecoder) throws -> (EventID, AccountLedger) {
        let patientID = try decoder.readEventID(field: "accounts")
        let streamVersion = try decoder.readCounter(field: "accounts")
        let entries = try decoder.readList(field: "entries") { try LedgerEntry.decode(from: &$0) }
        let charges = try decoder.readSortedMap(field: "charges") { decoder -> (EventID, ChargeDetail) in
            let chargeID = try decoder.readEventID(field: "charges")
            var detail = ChargeDetail(
                serviceDaysSince1970: try decoder.readVarInt(field: "charges"),
                providerStaffID: try decoder.readOptional(field: "charges") { try $0.readStaffID(field: "charges") }
            )
            detail.payerByLevel = try decoder.readSortedMap(field: "payerByLevel") { decoder -> (UInt8, String) in
                (try decoder.readUInt8(field: "payerByLevel"), try decoder.readViewString(field: "payerByLevel"))
            }
            return (chargeID, detail)
        }
        let events = try entries.map { try $0.restoringEvent(patientID: patientID) }
        let account = try FoldRestoration.fold(
            PatientAccount(patientID: patientID), events, streamVersion: streamVersion, field: "accounts"
        ) { $0.apply($1) }
        var check = BinaryEncoder()
        account.encodeCanonical(into: &check)
        let stored = try decoder.readBytes(field: "account", byteCountMax: Int.max)
        guard stored.elementsEqual(check.bytes) else { throw ViewStateDecodingError.notCanonical }
        return (patientID, AccountLedger(account: account, entries: entries, charges: charges))
    }

    /// Writes one payer's ledger: key, entries, owed, unapplied.
    ///
    /// `flush` is called after every 4,096 entries: a payer's entries span the whole history (about a million for
    /// 10M events), so a state hash written in pieces never holds one payer's whole encoding.
    static func encodePayer(
        _ key: String, _ payer: PayerLedger, into encoder: inout BinaryEncoder,
        flushing flush: (inout BinaryEncoder) -> Void = { _ in }
    ) {
        encoder.writeString(key)
        encoder.writeVarUInt(UInt64(payer.entries.count))
        for (index, entry) in payer.entries.enumerated() {
            encodePayerEntry(entry, into: &encoder)
            if index % 4096 == 4095 { flush(&encoder) }
        }
        encoder.writeVarInt(payer.owedCents)
        encoder.writeVarInt(payer.unappliedCents)
    }

    /// Reads one payer's ledger written by `encodePayer`.
    static func decodePayer(from decoder: inout BinaryDecoder) throws -> (String, PayerLedger) {
        let key = try decoder.readViewString(field: "payers")
        var payer = PayerLedger()
        payer.entries = try decoder.readList(field: "payerEntries") { try decodePayerEntry(from: &$0) }
        payer.owedCents = try decoder.readVarInt(field: "payers")
        payer.unappliedCents = try decoder.readVarInt(field: "payers")
        return (key, payer)
    }

    /// Writes one payer entry: position, posted day, patient id, entry index, owed change, unapplied change, owed,
    /// unapplied.
    static func encodePayerEntry(_ entry: PayerLedger.Entry, into encoder: inout BinaryEncoder) {
        encoder.writeVarUInt(entry.position)
        encoder.writeVarInt(entry.postedDaysSince1970)
        encoder.writeEventID(entry.patientID)
        encoder.writeVarUInt(UInt64(entry.entryIndex))
        encoder.writeVarInt(entry.owedChangeCents)
        encoder.writeVarInt(entry.unappliedChangeCents)
        encoder.writeVarInt(entry.owedCents)
        encoder.writeVarInt(entry.unappliedCents)
    }

    /// Reads one payer entry written by `encodePayerEntry`.
    static func decodePayerEntry(from decoder: inout BinaryDecoder) throws -> PayerLedger.Entry {
        let field = "payerEntries"
        return PayerLedger.Entry(
            position: try decoder.readVarUInt(field: field),
            postedDaysSince1970: try decoder.readVarInt(field: field),
            patientID: try decoder.readEventID(field: field),
            entryIndex: Int(try decoder.readVarUInt32(field: field)),
            owedChangeCents: try decoder.readVarInt(field: field),
            unappliedChangeCents: try decoder.readVarInt(field: field),
            owedCents: try decoder.readVarInt(field: field),
            unappliedCents: try decoder.readVarInt(field: field))
    }

    /// Writes a day's figures: the office's, then by provider and by staff member (maps by key).
    static func encodeFigures(of ledgerDay: LedgerDay, into encoder: inout BinaryEncoder) {
        ledgerDay.office.encode(into: &encoder)
        for split in [ledgerDay.byProvider, ledgerDay.byStaff] {
            encoder.writeSorted(split) { encoder, key, figures in
                encoder.writeString(key)
                figures.encode(into: &encoder)
            }
        }
    }

    /// Reads a day's figures written by `encodeFigures` (the day's postings are read separately).
    static func decodeFigures(from decoder: inout BinaryDecoder) throws -> LedgerDay {
        var ledgerDay = LedgerDay()
        ledgerDay.office = try DayFigures.decode(from: &decoder)
        var splits: [[String: DayFigures]] = []
        for _ in 0..<2 {
            splits.append(
                try decoder.readSortedMap(field: "daySplit") { decoder -> (String, DayFigures) in
                    (try decoder.readViewString(field: "daySplit"), try DayFigures.decode(from: &decoder))
                })
        }
        ledgerDay.byProvider = splits[0]
        ledgerDay.byStaff = splits[1]
        return ledgerDay
    }

    /// Writes an encounter's provider: encounter id, staff id.
    static func encodeEncounter(_ encounterID: EventID, _ provider: StaffID, into encoder: inout BinaryEncoder) {
        encoder.writeEventID(encounterID)
        encoder.writeStaffID(provider)
    }

    /// Reads an encounter's provider written by `encodeEncounter`.
    static func decodeEncounter(from decoder: inout BinaryDecoder) throws -> (EventID, StaffID) {
        (try decoder.readEventID(field: "encounters"), try decoder.readStaffID(field: "encounters"))
    }

    /// Writes a patient's coverages: patient id, then each coverage (id, payer key, order, first and last day).
    static func encodeCoverages(
        _ patientID: EventID, _ links: [EventID: CoverageLink], into encoder: inout BinaryEncoder
    ) {
        encoder.writeEventID(patientID)
        encoder.writeSorted(links) { encoder, coverageID, link in
            encoder.writeEventID(coverageID)
            encoder.writeString(link.payerKey)
            encoder.writeUInt8(link.order)
            encoder.writeVarInt(link.effectiveDaysSince1970)
            encoder.writeOptionalVarInt(link.terminationDaysSince1970)
        }
    }

    /// Reads a patient's coverages written by `encodeCoverages`.
    static func decodeCoverages(from decoder: inout BinaryDecoder) throws -> (EventID, [EventID: CoverageLink]) {
        let patientID = try decoder.readEventID(field: "coverages")
        let links = try decoder.readSortedMap(field: "coverages") { decoder -> (EventID, CoverageLink) in
            let field = "coverages"
            return (
                try decoder.readEventID(field: field),
                CoverageLink(
                    payerKey: try decoder.readViewString(field: field), order: try decoder.readUInt8(field: field),
                    effectiveDaysSince1970: try decoder.readVarInt(field: field),
                    terminationDaysSince1970: try decoder.readOptionalVarInt(field: field))
            )
        }
        return (patientID, links)
    }
}
