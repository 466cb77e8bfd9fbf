import RecordLog

/// The office's retention policy as the log records it: a pure fold over the `retention` stream, where the last
/// `RetentionPolicySet` is the policy in force.
public struct RetentionPolicyState: Equatable, Sendable {
    /// The name of the office's retention policy stream.
    public static let streamName = "retention"

    /// The policy in force: the last `RetentionPolicySet` of the stream, or nil when none was recorded.
    public private(set) var current: RetentionPolicySet?
    /// The version of the retention stream this state reflects: the number of its events folded (0 for none).
    public private(set) var streamVersion: UInt64 = 0

    /// The state of a stream with no event.
    public init() {}

    /// The state after one more event of the retention stream; every event counts towards `streamVersion`.
    public mutating func apply(_ event: ClinicEvent) {
        streamVersion += 1
        if case .retentionPolicySet(let set) = event { current = set }
    }

    /// The state after `events`, in order.
    public func applying(_ events: some Sequence<ClinicEvent>) -> RetentionPolicyState {
        var next = self
        for event in events { next.apply(event) }
        return next
    }
}

/// A retention policy command: what the office manager asks of the office's retention policy.
public enum RetentionPolicyCommand: Hashable, Sendable {
    /// Set the policy: keep a record `years` after the patient's last activity and, for a patient who was a minor
    /// then, `minorYears` after their 18th birthday.
    case setPolicy(years: Int, minorYears: Int)

    /// The roles that may set the retention policy: the office manager.
    public static let permittedRoles: Set<StaffRole> = [.officeManager]

    /// The command's name, for refusals and logs.
    public var name: String {
        switch self {
        case .setPolicy: "setRetentionPolicy"
        }
    }
}

/// Why a retention policy command was refused. Every case names the rule; none carries patient data.
public enum RetentionPolicyRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The acting role may not set the retention policy.
    case roleNotPermitted(command: String, role: StaffRole)
    /// A value of the command breaks the event's field rule (named, never the value).
    case detailsInvalid(rule: String)

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .roleNotPermitted(let command, let role):
            "The role \(role) may not \(command); ask the office manager."
        case .detailsInvalid(let rule):
            "The policy breaks the field rule '\(rule)': years must be 6 to 100 and minor years 0 to 100."
        }
    }

    /// The message.
    public var description: String { message }
}

extension RetentionPolicyState {
    /// Decides `command`, issued by `role`, against this state: one `RetentionPolicySet`, none when the policy in
    /// force is already exactly that one, or the rule it breaks. Pure: nothing is appended here.
    public func decide(
        _ command: RetentionPolicyCommand, by role: StaffRole
    ) throws(RetentionPolicyRefusal) -> StreamDecision {
        guard RetentionPolicyCommand.permittedRoles.contains(role) else {
            throw .roleNotPermitted(command: command.name, role: role)
        }
        switch command {
        case .setPolicy(let years, let minorYears):
            let policy: RetentionPolicySet
            do {
                policy = try RetentionPolicySet(years: years, minorYears: minorYears)
            } catch {
                throw .detailsInvalid(rule: String(describing: error))
            }
            let events: [ClinicEvent] = current == policy ? [] : [.retentionPolicySet(policy)]
            return StreamDecision(stream: Self.streamName, decidedOnStreamVersion: streamVersion, events: events)
        }
    }
}
