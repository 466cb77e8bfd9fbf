import ClinicEvents
import RecordLog

/// The kinds of per-patient stream, named as the ClinicEvents folds name them (`streamName(for:)`).
public enum PatientStreamKind: CaseIterable, Hashable, Sendable {
    /// `patient-<id>`: registration, corrections, merge, death, erasure (`PatientRecordState`).
    case patient
    /// `chart-<id>`: allergies, medications, problems, notes, amendments, vitals (`ChartState`).
    case chart
    /// `account-<id>`: charges and every billing event (`PatientAccount`).
    case account
    /// `consent-<id>`: notice, consents, authorizations, restrictions, disclosures (`ConsentState`).
    case consent
    /// `coverage-<id>`: coverages and eligibility checks (`CoverageState`).
    case coverage

    /// The stream of this kind for `patientID`, as the fold that owns it names it.
    public func streamName(for patientID: EventID) -> String {
        switch self {
        case .patient: PatientRecordState.streamName(for: patientID)
        case .chart: ChartState.streamName(for: patientID)
        case .account: PatientAccount.streamName(for: patientID)
        case .consent: ConsentState.streamName(for: patientID)
        case .coverage: CoverageState.streamName(for: patientID)
        }
    }

    /// Every stream of `patientID`, one per kind.
    public static func streamNames(for patientID: EventID) -> [String] {
        allCases.map { $0.streamName(for: patientID) }
    }
}

/// Tells which patient or provider a stream belongs to from its name, using the folds' own naming.
enum StreamRouting {
    private static let zeroID = EventID(high: 0, low: 0)
    private static let idTextByteCount = zeroID.description.utf8.count

    private static let patientPrefixes: [(prefix: [UInt8], kind: PatientStreamKind)] = PatientStreamKind.allCases.map {
        (Array($0.streamName(for: zeroID).utf8.dropLast(idTextByteCount)), $0)
    }

    private static let schedulePrefix: [UInt8] = {
        // A placeholder provider id only to learn the prefix the fold puts before it.
        let placeholder = "x"
        guard let provider = try? StaffID(placeholder) else { return Array("schedule-".utf8) }
        return Array(ProviderSchedule.streamName(for: provider).utf8.dropLast(placeholder.utf8.count))
    }()

    /// The patient stream kind and patient id of `stream`, or nil when it is not a per-patient stream.
    static func patientStream(_ stream: String) -> (kind: PatientStreamKind, patientID: EventID)? {
        var stream = stream
        return stream.withUTF8 { patientStream(utf8: $0) }
    }

    /// The patient stream kind and patient id of the stream named by `utf8`, or nil when it is not a per-patient
    /// stream.
    static func patientStream(utf8: UnsafeBufferPointer<UInt8>) -> (kind: PatientStreamKind, patientID: EventID)? {
        guard utf8.count > idTextByteCount else { return nil }
        let prefixLength = utf8.count - idTextByteCount
        for (prefix, kind) in patientPrefixes where prefix.count == prefixLength {
            guard utf8.prefix(prefixLength).elementsEqual(prefix) else { continue }
            guard let id = parseUUID(UnsafeBufferPointer(rebasing: utf8[prefixLength...])) else { return nil }
            return (kind, id)
        }
        return nil
    }

    /// Whether the stream named by `utf8` starts with the name prefix of one of `kinds` (its id is not checked).
    static func hasPrefix(of kinds: [PatientStreamKind], _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        patientPrefixes.contains { prefix, kind in kinds.contains(kind) && utf8.starts(with: prefix) }
    }

    /// Whether the office views show patient data of events in the stream named by `utf8` whatever their type: the
    /// patient, chart, coverage and consent streams (the chart, consent and schedule views) and the schedule streams
    /// (booking reasons). In any other stream a view shows patient data only of the events `showsPatientData(of:)`
    /// names.
    static func viewsShowPatientData(inStream utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        // Told by the name's prefix alone: the views ignore a stream with such a prefix but no valid id, so opening
        // its events or not changes nothing.
        (utf8.count > schedulePrefix.count && utf8.starts(with: schedulePrefix))
            || hasPrefix(of: [.patient, .chart, .coverage, .consent], utf8)
    }

    /// Whether an office view shows patient data of `event` when it is in a stream `viewsShowPatientData(inStream:)`
    /// leaves out: the vitals the chart takes from any of the patient's streams (the account stream included), and
    /// payer definitions, which the chart and ledger read from any stream. The ledger shows no patient data at all.
    static func viewsShowPatientData(of event: ClinicEvent) -> Bool {
        switch event {
        case .vitalsRecorded, .payerDefined: true
        default: false
        }
    }

    /// The provider of a schedule stream (`schedule-<staff id>`), or nil for any other stream.
    static func scheduleProvider(_ stream: String) -> StaffID? {
        // The prefix is compared in place; only a schedule stream's provider id is copied out.
        var stream = stream
        let providerID = stream.withUTF8 { utf8 -> String? in
            guard utf8.count > schedulePrefix.count, utf8.starts(with: schedulePrefix) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: utf8[schedulePrefix.count...]), as: UTF8.self)
        }
        guard let providerID else { return nil }
        return try? StaffID(providerID)
    }

    /// Parses a lowercase or uppercase UUID text (8-4-4-4-12 hex digits) into an id.
    private static func parseUUID(_ text: UnsafeBufferPointer<UInt8>) -> EventID? {
        guard text.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (index, byte) in text.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            digits += 1
        }
        return EventID(high: high, low: low)
    }
}
