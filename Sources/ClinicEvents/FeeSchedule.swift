import RecordLog

/// A fee in force: the office's standard charge for one unit of a procedure with its modifiers, from a day on.
public struct ScheduledFee: Equatable, Sendable {
    /// The procedure and modifiers (in code order; none for the code's default fee).
    public let procedure: ProcedureCode
    /// The fee for one unit.
    public let amount: MoneyCents
    /// The first day of service it applies to, in days since 1970-01-01.
    public let effectiveDaysSince1970: Int64
    /// How the office names the procedure, when it said.
    public let procedureDescription: String?

    /// Creates a scheduled fee.
    public init(
        procedure: ProcedureCode, amount: MoneyCents, effectiveDaysSince1970: Int64, procedureDescription: String?
    ) {
        self.procedure = procedure
        self.amount = amount
        self.effectiveDaysSince1970 = effectiveDaysSince1970
        self.procedureDescription = procedureDescription
    }
}

/// The office's fee schedule: a pure fold over the `fees` stream of `FeeScheduled` and `FeeWithdrawn` events.
///
/// Each procedure code with one set of modifiers (the same set in any order; none for the code's default fee) has a
/// history of entries by effective day. The fee on a day of service is that of the entry with the latest effective
/// day on or before it, unless that entry is a withdrawal. Two entries of the same day: the later in the log replaces
/// the earlier, so a late entry dated before an existing one takes effect between the two. A charge's fee is the fee
/// for its exact modifiers when one is in force that day, else the code's default fee.
public struct FeeSchedule: Equatable, Sendable {
    /// The name of the office's fee schedule stream.
    public static let streamName = "fees"

    /// A procedure code with a set of modifiers, in code order.
    struct Key: Hashable, Sendable {
        let code: String
        let modifiers: [String]

        init(_ procedure: ProcedureCode) {
            code = procedure.code
            modifiers = procedure.modifiers.sorted()
        }

        /// The key of the code's default fee (no modifiers).
        init(defaultOf procedure: ProcedureCode) {
            code = procedure.code
            modifiers = []
        }
    }

    /// One entry of a key's history: its fee from a day on, or nil for a withdrawal.
    struct Entry: Equatable, Sendable {
        let effectiveDaysSince1970: Int64
        let fee: ScheduledFee?
    }

    /// Every key's entries, by effective day (one entry per day).
    private(set) var histories: [Key: [Entry]] = [:]
    /// The version of the fee schedule stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0

    /// The schedule with no fee.
    public init() {}

    /// The state after one more event of the fee schedule stream; every event counts towards `streamVersion`.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        switch event {
        case .feeScheduled(let scheduled):
            let key = Key(scheduled.procedure)
            record(
                Entry(
                    effectiveDaysSince1970: scheduled.effectiveDaysSince1970,
                    fee: ScheduledFee(
                        procedure: Self.canonical(scheduled.procedure, key), amount: scheduled.amount,
                        effectiveDaysSince1970: scheduled.effectiveDaysSince1970,
                        procedureDescription: scheduled.procedureDescription)),
                for: key)
        case .feeWithdrawn(let withdrawn):
            record(
                Entry(effectiveDaysSince1970: withdrawn.effectiveDaysSince1970, fee: nil), for: Key(withdrawn.procedure)
            )
        default:
            break
        }
        return
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent) -> FeeSchedule {
        var next = self
        next.apply(event)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> FeeSchedule {
        var next = self
        for event in events { next.apply(event) }
        return next
    }

    /// Puts `entry` in its place in the history of `key`, replacing an entry of the same day.
    private mutating func record(_ entry: Entry, for key: Key) {
        var history = histories[key] ?? []
        let index = history.firstIndex { $0.effectiveDaysSince1970 >= entry.effectiveDaysSince1970 } ?? history.count
        if index < history.count, history[index].effectiveDaysSince1970 == entry.effectiveDaysSince1970 {
            history[index] = entry
        } else {
            history.insert(entry, at: index)
        }
        histories[key] = history
    }

    /// The entry of `key` in force on `day`: the one with the latest effective day on or before it.
    func entry(for key: Key, onDaysSince1970 day: Int64) -> Entry? {
        histories[key]?.last { $0.effectiveDaysSince1970 <= day }
    }

    /// The fee for one unit of `procedure` on the day of service `day`: the fee scheduled for its exact modifiers
    /// (in any order) when one is in force that day, else the code's default fee; nil when neither is.
    public func fee(for procedure: ProcedureCode, onDaysSince1970 day: Int64) -> ScheduledFee? {
        let key = Key(procedure)
        if !key.modifiers.isEmpty, let fee = entry(for: key, onDaysSince1970: day)?.fee { return fee }
        return entry(for: Key(defaultOf: procedure), onDaysSince1970: day)?.fee
    }

    /// Every fee in force on `day`, one per procedure code and set of modifiers, ordered by code, then modifiers
    /// (the default fee first).
    public func fees(onDaysSince1970 day: Int64) -> [ScheduledFee] {
        histories.keys
            .sorted { ($0.code, $0.modifiers.joined(separator: "-")) < ($1.code, $1.modifiers.joined(separator: "-")) }
            .compactMap { entry(for: $0, onDaysSince1970: day)?.fee }
    }

    /// One entry of the schedule's history: a fee set, or withdrawn, for a code with a set of modifiers from a day on.
    public struct HistoryEntry: Equatable, Sendable {
        /// The procedure code.
        public let code: String
        /// Its modifiers, in code order (none for the code's default fee).
        public let modifiers: [String]
        /// The first day of service the entry applies to, in days since 1970-01-01.
        public let effectiveDaysSince1970: Int64
        /// The fee from that day on; nil when the fee was withdrawn from that day.
        public let fee: ScheduledFee?
    }

    /// Every entry of every code's history, ordered by code, then modifiers (the default fee first), then effective
    /// day: what `fees(onDaysSince1970:)` picks from, withdrawals included. An entry replaced by a later one of the
    /// same day is not kept.
    public func history() -> [HistoryEntry] {
        histories.keys
            .sorted { ($0.code, $0.modifiers.joined(separator: "-")) < ($1.code, $1.modifiers.joined(separator: "-")) }
            .flatMap { key in
                (histories[key] ?? []).map { entry in
                    HistoryEntry(
                        code: key.code, modifiers: key.modifiers, effectiveDaysSince1970: entry.effectiveDaysSince1970,
                        fee: entry.fee)
                }
            }
    }

    /// `procedure` with its modifiers in code order.
    private static func canonical(_ procedure: ProcedureCode, _ key: Key) -> ProcedureCode {
        guard procedure.modifiers != key.modifiers,
            let sorted = try? ProcedureCode(code: key.code, modifiers: key.modifiers)
        else { return procedure }
        return sorted
    }
}

/// A fee schedule command: what billing asks of the office's fee schedule.
public enum FeeScheduleCommand: Hashable, Sendable {
    /// Set the fee for one unit of a procedure with exactly its modifiers (none: the code's default fee), from a day
    /// of service on.
    case setFee(
        procedure: ProcedureCode, amount: MoneyCents, effectiveDaysSince1970: Int64, procedureDescription: String?)
    /// Withdraw the fee of a procedure with exactly its modifiers from a day of service on.
    case withdrawFee(procedure: ProcedureCode, effectiveDaysSince1970: Int64)

    /// The roles that may change the fee schedule: billing and the office manager.
    public static let permittedRoles: Set<StaffRole> = [.biller, .officeManager]

    /// The command's name, for refusals and logs.
    public var name: String {
        switch self {
        case .setFee: "setFee"
        case .withdrawFee: "withdrawFee"
        }
    }
}

/// Why a fee schedule command was refused. Every case names the rule; none carries patient data.
public enum FeeScheduleRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The acting role may not change the fee schedule.
    case roleNotPermitted(command: String, role: StaffRole)
    /// A value of the command breaks an event's field rule (named, never the value).
    case detailsInvalid(rule: String)
    /// The withdrawal names a procedure and modifiers with no fee in force on its day.
    case feeNotFound(procedure: ProcedureCode)

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .roleNotPermitted(let command, let role):
            "The role \(role) may not \(command) in the fee schedule; ask a biller or the office manager."
        case .detailsInvalid(let rule):
            "The request breaks the field rule '\(rule)'; correct that field and try again."
        case .feeNotFound(let procedure):
            "No fee for \(procedure) with exactly these modifiers is in force on that day; check the code, the "
                + "modifiers and the date against the fee list."
        }
    }

    /// The message.
    public var description: String { message }
}

extension FeeSchedule {
    /// Decides `command`, issued by `role`, against this schedule: the events that record it, none when the schedule
    /// already says so (the same fee from the same day, or a second withdrawal of the same day), or the rule it
    /// breaks. Pure: nothing is appended here. Modifiers are recorded in code order.
    public func decide(_ command: FeeScheduleCommand, by role: StaffRole) throws(FeeScheduleRefusal) -> StreamDecision {
        guard FeeScheduleCommand.permittedRoles.contains(role) else {
            throw .roleNotPermitted(command: command.name, role: role)
        }
        let event: ClinicEvent
        switch command {
        case .setFee(let procedure, let amount, let day, let description):
            let key = Key(procedure)
            let scheduled = try Self.validated {
                try FeeScheduled(
                    procedure: Self.canonical(procedure, key), amount: amount, effectiveDaysSince1970: day,
                    procedureDescription: description)
            }
            if let current = entry(for: key, onDaysSince1970: day), current.effectiveDaysSince1970 == day,
                current.fee?.amount == amount, current.fee?.procedureDescription == description
            {
                return StreamDecision(stream: Self.streamName, decidedOnStreamVersion: streamVersion, events: [])
            }
            event = .feeScheduled(scheduled)
        case .withdrawFee(let procedure, let day):
            let key = Key(procedure)
            let withdrawn = try Self.validated {
                try FeeWithdrawn(procedure: Self.canonical(procedure, key), effectiveDaysSince1970: day)
            }
            let current = entry(for: key, onDaysSince1970: day)
            if let current, current.effectiveDaysSince1970 == day, current.fee == nil {
                return StreamDecision(stream: Self.streamName, decidedOnStreamVersion: streamVersion, events: [])
            }
            guard current?.fee != nil else { throw .feeNotFound(procedure: withdrawn.procedure) }
            event = .feeWithdrawn(withdrawn)
        }
        return StreamDecision(stream: Self.streamName, decidedOnStreamVersion: streamVersion, events: [event])
    }

    /// Runs a validating event initializer, turning its error into `detailsInvalid` naming the rule.
    private static func validated<Value>(_ make: () throws -> Value) throws(FeeScheduleRefusal) -> Value {
        do {
            return try make()
        } catch {
            throw .detailsInvalid(rule: String(describing: error))
        }
    }
}
