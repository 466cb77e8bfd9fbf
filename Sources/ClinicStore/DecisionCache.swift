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
    case fees(FeeSchedule)
    case retention(RetentionPolicyState)

    /// Folds one more event of its stream, in place (the state is moved out first, so its storage is not copied).
    mutating func apply(_ event: ClinicEvent, eventID: EventID) {
        switch self {
        case .patientRecord(var state):
            self = .dayBook(DayBook())
            state.apply(event, eventID: eventID)
            self = .patientRecord(state)
        case .schedule(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .schedule(state)
        case .chart(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .chart(state)
        case .account(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .account(state)
        case .consents(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .consents(state)
        case .coverage(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .coverage(state)
        case .dayBook(var state):
            self = .payers(PayerList())
            state.apply(event)
            self = .dayBook(state)
        case .staff(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .staff(state)
        case .payers(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .payers(state)
        case .encounters(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .encounters(state)
        case .fees(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .fees(state)
        case .retention(var state):
            self = .dayBook(DayBook())
            state.apply(event)
            self = .retention(state)
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

    /// Folds one more payer event.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        if case .payerDefined(let payer) = event { payers[payer.payerID] = payer }
    }
}

/// The decision states the store has loaded, by stream, kept current by applying every event it appends or holds.
///
/// The store holds the log's writer lock for as long as it is open, so no one else appends and a cached state is
/// always the fold of its whole stream.
struct DecisionCache: Sendable {
    /// The cached states of each stream (a schedule stream has its schedule and its encounter ledger).
    var states: [String: [CachedState]] = [:]
    /// While a batch is held: its events by stream, not yet in the log, which a state loaded from the log for the
    /// first time must still fold.
    var held: [String: [(eventID: EventID, event: ClinicEvent)]]?

    /// Applies appended (or held) events to the states of their streams that are cached.
    mutating func apply(_ events: [(stream: String, eventID: EventID, event: ClinicEvent)]) {
        for appended in events {
            held?[appended.stream, default: []].append((appended.eventID, appended.event))
            guard let count = states[appended.stream]?.count else { continue }
            for index in 0..<count {
                states[appended.stream]?[index].apply(appended.event, eventID: appended.eventID)
            }
        }
    }
}
