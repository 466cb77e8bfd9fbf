import RecordLog

/// A coverage of the patient as added, with its current last day and latest eligibility answer.
public struct CoverageEntry: Equatable, Sendable {
    /// The event that added it.
    public let added: CoverageAdded
    /// The last covered day now (the added one, or the `CoverageEnded` one); nil when open-ended.
    public internal(set) var terminationDaysSince1970: Int64?
    /// Whether a `CoverageEnded` was folded.
    public internal(set) var isEnded = false
    /// The latest eligibility check, once checked.
    public internal(set) var latestEligibility: EligibilityChecked?

    /// Whether the coverage is in force on `day` (days since 1970-01-01).
    public func covers(day: Int64) -> Bool {
        day >= added.effectiveDaysSince1970 && day <= (terminationDaysSince1970 ?? Int64.max)
    }

    /// Whether this coverage and the days `first ... last` (nil for open-ended) share a day.
    public func overlaps(first: Int64, last: Int64?) -> Bool {
        added.effectiveDaysSince1970 <= (last ?? Int64.max) && first <= (terminationDaysSince1970 ?? Int64.max)
    }
}

/// A patient's insurance coverages, a pure fold over the patient's coverage stream.
public struct CoverageState: Equatable, Sendable {
    /// The patient covered.
    public let patientID: EventID
    /// The version of the coverage stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0
    /// The coverages, by id.
    public private(set) var coverages: [EventID: CoverageEntry] = [:]

    /// The empty coverage record of `patientID`.
    public init(patientID: EventID) {
        self.patientID = patientID
    }

    /// The name of the stream that holds every coverage event of `patientID`.
    public static func streamName(for patientID: EventID) -> String {
        "coverage-\(patientID)"
    }

    /// The name of this patient's coverage stream.
    public var streamName: String { Self.streamName(for: patientID) }

    /// The coverages in force on `day`, by order (primary first).
    public func coverages(onDay day: Int64) -> [CoverageEntry] {
        coverages.values.filter { $0.covers(day: day) }.sorted { $0.added.order.rawValue < $1.added.order.rawValue }
    }

    /// The state after one more event of the coverage stream; every event counts towards `streamVersion`.
    ///
    /// The fold is total: an event of another patient or about an unknown coverage changes nothing but the version.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        switch event {
        case .coverageAdded(let body) where body.patientID == patientID && coverages[body.coverageID] == nil:
            coverages[body.coverageID] = CoverageEntry(
                added: body, terminationDaysSince1970: body.terminationDaysSince1970)
        case .coverageEnded(let body) where coverages[body.coverageID] != nil:
            coverages[body.coverageID]?.terminationDaysSince1970 = body.terminationDaysSince1970
            coverages[body.coverageID]?.isEnded = true
        case .eligibilityChecked(let body) where coverages[body.coverageID] != nil:
            coverages[body.coverageID]?.latestEligibility = body
        default:
            break
        }
        return
    }

    /// The state after one more event: the pure form of `apply`.
    public func applying(_ event: ClinicEvent) -> CoverageState {
        var next = self
        next.apply(event)
        return next
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> CoverageState {
        var next = self
        for event in events { next.apply(event) }
        return next
    }
}

/// A coverage command: what the front desk or billing asks of a patient's coverages.
public enum CoverageCommand: Hashable, Sendable {
    /// Add a coverage.
    case addCoverage(
        coverageID: EventID, payerID: EventID, memberID: String, order: CoverageOrder, copayCents: Int64,
        effectiveDaysSince1970: Int64, terminationDaysSince1970: Int64?)
    /// End a coverage on its last covered day.
    case endCoverage(coverageID: EventID, terminationDaysSince1970: Int64)
    /// Record the answer of an eligibility check.
    case recordEligibility(coverageID: EventID, result: EligibilityResult, checkedAtMicroseconds: Int64)

    /// The roles that may issue coverage commands: the front desk, billing and the office manager.
    public static let permittedRoles: Set<StaffRole> = [.frontDesk, .biller, .officeManager]

    /// The command's name, for refusals and logs.
    public var name: String {
        switch self {
        case .addCoverage: "addCoverage"
        case .endCoverage: "endCoverage"
        case .recordEligibility: "recordEligibility"
        }
    }
}

/// Why a coverage command was refused. Every case names the rule; none carries patient data (no member ids).
public enum CoverageRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The acting role may not issue this command.
    case roleNotPermitted(command: String, role: StaffRole)
    /// A value of the command breaks an event's field rule (named, never the value).
    case detailsInvalid(rule: String)
    /// The coverage id is already a coverage of the patient.
    case coverageIDAlreadyUsed
    /// The command names a coverage the patient does not have.
    case coverageNotFound
    /// Another coverage of the same order is in force on some of the same days.
    case orderAlreadyCovered(order: CoverageOrder)
    /// The coverage was already ended.
    case coverageAlreadyEnded
    /// The last covered day would be before the first.
    case terminationBeforeEffective

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .roleNotPermitted(let command, let role):
            "The role \(role) may not \(command); ask the front desk, billing or the office manager."
        case .detailsInvalid(let rule):
            "The request breaks the field rule '\(rule)'; correct that field and try again."
        case .coverageIDAlreadyUsed:
            "This id already names a coverage of the patient; make a new id for a new coverage."
        case .coverageNotFound:
            "The patient has no coverage with this id; check the coverage and the patient."
        case .orderAlreadyCovered(let order):
            "Another \(order) coverage is in force on some of these days; end it first or choose another order."
        case .coverageAlreadyEnded:
            "This coverage was already ended; add a new coverage if it resumes."
        case .terminationBeforeEffective:
            "A coverage cannot end before its first covered day; check the termination date."
        }
    }

    /// The message.
    public var description: String { message }
}

extension CoverageState {
    /// Decides `command`, issued by a staff member acting as `role`, against these coverages: the events that record
    /// it, or the rule it breaks. Pure: nothing is appended here.
    public func decide(_ command: CoverageCommand, role: StaffRole) throws(CoverageRefusal) -> StreamDecision {
        guard CoverageCommand.permittedRoles.contains(role) else {
            throw .roleNotPermitted(command: command.name, role: role)
        }
        let event: ClinicEvent
        switch command {
        case .addCoverage(let id, let payerID, let memberID, let order, let copay, let effective, let termination):
            guard coverages[id] == nil else { throw .coverageIDAlreadyUsed }
            let added = try Self.validated {
                try CoverageAdded(
                    coverageID: id, patientID: patientID, payerID: payerID, memberID: memberID, order: order,
                    copayCents: copay, effectiveDaysSince1970: effective, terminationDaysSince1970: termination)
            }
            for entry in coverages.values where entry.added.order == order {
                if entry.overlaps(first: effective, last: termination) { throw .orderAlreadyCovered(order: order) }
            }
            event = .coverageAdded(added)
        case .endCoverage(let id, let day):
            guard let entry = coverages[id] else { throw .coverageNotFound }
            guard !entry.isEnded else { throw .coverageAlreadyEnded }
            guard day >= entry.added.effectiveDaysSince1970 else { throw .terminationBeforeEffective }
            event = .coverageEnded(
                try Self.validated { try CoverageEnded(coverageID: id, terminationDaysSince1970: day) })
        case .recordEligibility(let id, let result, let checkedAt):
            guard coverages[id] != nil else { throw .coverageNotFound }
            event = .eligibilityChecked(
                EligibilityChecked(coverageID: id, result: result, checkedAtMicroseconds: checkedAt))
        }
        return StreamDecision(stream: streamName, decidedOnStreamVersion: streamVersion, events: [event])
    }

    /// Runs a validating event initializer, turning its error into `detailsInvalid` naming the rule.
    private static func validated<Value>(_ make: () throws -> Value) throws(CoverageRefusal) -> Value {
        do {
            return try make()
        } catch {
            throw .detailsInvalid(rule: String(describing: error))
        }
    }
}
