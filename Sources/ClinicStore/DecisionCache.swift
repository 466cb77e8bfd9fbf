import ClinicEvents
import RecordLog

/// The decision state of one stream, as the store keeps it between commands.
enum CachedState: Sendable {
    case patientRecord(PatientRecordState)
    case schedule(ProviderSchedule)
    case chart(ChartState)
    case account(PatientAccount)
    case consents(ConsentState)
    case coverage(CoverageState)
    case dayBook(DayBook)
    case staff(StaffDirectory)
    case payers(PayerList)
    case encounters(EncounterLedger)

    /// The state after one more event of its stream.
    func applying(_ event: ClinicEvent, eventID: EventID) -> CachedState {
        switch self {
        case .patientRecord(let state): .patientRecord(state.applying(event, eventID: eventID))
        case .schedule(let state): .schedule(state.applying(event))
        case .chart(let state): .chart(state.applying(event))
        case .account(let state): .account(state.applying(event))
        case .consents(let state): .consents(state.applying(event))
        case .coverage(let state): .coverage(state.applying(event))
        case .dayBook(let state): .dayBook(state.applying(event))
        case .staff(let state): .staff(state.applying(event))
        case .payers(let state): .payers(state.applying(event))
        case .encounters(let state): .encounters(state.applying(event))
        }
    }
}

/// The payers defined, by id: a fold over the `payers` stream.
public struct PayerList: Equatable, Sendable {
    /// Every payer by id.
    public private(set) var payers: [EventID: PayerDefined] = [:]
    /// The version of the payers stream folded.
    public private(set) var streamVersion: UInt64 = 0

    /// No payers.
    public init() {}

    /// The list after one more payer event.
    public func applying(_ event: ClinicEvent) -> PayerList {
        var next = self
        next.streamVersion += 1
        if case .payerDefined(let payer) = event { next.payers[payer.payerID] = payer }
        return next
    }
}

/// The decision states the store has loaded, by stream, kept current by applying every event it appends.
///
/// The store holds the log's writer lock for as long as it is open, so no one else appends and a cached state is
/// always the fold of its whole stream.
struct DecisionCache: Sendable {
    /// The cached states of each stream (a schedule stream has its schedule and its encounter ledger).
    var states: [String: [CachedState]] = [:]

    /// Applies appended events to the states of their streams that are cached.
    mutating func apply(_ events: [(stream: String, eventID: EventID, event: ClinicEvent)]) {
        for appended in events {
            guard let cached = states[appended.stream] else { continue }
            states[appended.stream] = cached.map { $0.applying(appended.event, eventID: appended.eventID) }
        }
    }
}
