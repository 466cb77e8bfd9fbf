/// The rule on the effective time staff give a command (when, they say, it happened), checked against the engine's
/// clock before any command is decided.
///
/// An effective time may be earlier than now (a late entry) but not later than now plus `futureToleranceMicroseconds`
/// (a clock a little ahead, a form filled in a minute early). A late entry older than
/// `lateEntryReasonAfterMicroseconds` must say why, in the envelope's `reason`, as a chart's late-entry note does.
public struct EffectiveTimePolicy: Hashable, Sendable {
    /// The default tolerance into the future: 5 minutes.
    public static let defaultFutureToleranceMicroseconds: Int64 = 5 * 60 * 1_000_000
    /// The default age past which a late entry needs a reason: 24 hours.
    public static let defaultLateEntryReasonAfterMicroseconds: Int64 = 24 * 60 * 60 * 1_000_000

    /// How far past now an effective time may be, in microseconds (0 or more).
    public let futureToleranceMicroseconds: Int64
    /// How far before now an effective time may be without a reason, in microseconds; nil never asks for one.
    public let lateEntryReasonAfterMicroseconds: Int64?

    /// Creates a policy; both limits must be 0 or more.
    public init(
        futureToleranceMicroseconds: Int64 = defaultFutureToleranceMicroseconds,
        lateEntryReasonAfterMicroseconds: Int64? = defaultLateEntryReasonAfterMicroseconds
    ) {
        precondition(futureToleranceMicroseconds >= 0, "the future tolerance is never negative")
        precondition((lateEntryReasonAfterMicroseconds ?? 0) >= 0, "the late-entry limit is never negative")
        self.futureToleranceMicroseconds = futureToleranceMicroseconds
        self.lateEntryReasonAfterMicroseconds = lateEntryReasonAfterMicroseconds
    }

    /// Checks an effective time given at `nowMicroseconds` (the injected clock) with the reason staff gave, if any.
    ///
    /// Refuses a time more than the tolerance after now (`inFuture`), and a late entry older than the limit without a
    /// non-empty reason (`lateEntryWithoutReason`). Times are microseconds since 1970-01-01T00:00:00Z.
    public func check(
        effectiveTimeMicroseconds effective: Int64, nowMicroseconds now: Int64, reason: String?
    ) throws(EffectiveTimeRefusal) {
        let (ahead, overflow) = effective.subtractingReportingOverflow(now)
        if overflow ? effective > now : ahead > futureToleranceMicroseconds {
            throw .inFuture(toleranceMicroseconds: futureToleranceMicroseconds)
        }
        guard let limit = lateEntryReasonAfterMicroseconds else { return }
        let (behind, behindOverflow) = now.subtractingReportingOverflow(effective)
        let isLate = behindOverflow ? now > effective : behind > limit
        if isLate && (reason ?? "").utf8.isEmpty {
            throw .lateEntryWithoutReason(limitMicroseconds: limit)
        }
    }

    /// Checks the effective time and reason of `envelope` at `nowMicroseconds`; see `check(effectiveTimeMicroseconds:
    /// nowMicroseconds:reason:)`.
    public func check(_ envelope: EventEnvelope, nowMicroseconds now: Int64) throws(EffectiveTimeRefusal) {
        try check(
            effectiveTimeMicroseconds: envelope.effectiveTimeMicroseconds, nowMicroseconds: now, reason: envelope.reason
        )
    }
}

/// Why a command's effective time was refused; the message names the rule and what to do, never patient data.
public enum EffectiveTimeRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The effective time is later than now plus the tolerance.
    case inFuture(toleranceMicroseconds: Int64)
    /// The effective time is older than the late-entry limit and no reason was given.
    case lateEntryWithoutReason(limitMicroseconds: Int64)

    /// One sentence naming the rule and what to do.
    public var message: String {
        switch self {
        case .inFuture(let tolerance):
            "The effective time is more than \(Self.describe(tolerance)) in the future; give the time it happened, "
                + "now or earlier."
        case .lateEntryWithoutReason(let limit):
            "An entry dated more than \(Self.describe(limit)) ago is a late entry; give the reason for the late entry."
        }
    }

    /// The message.
    public var description: String { message }

    /// A duration in whole minutes, hours or seconds, as reads best.
    private static func describe(_ microseconds: Int64) -> String {
        let seconds = microseconds / 1_000_000
        if seconds % 3600 == 0 && seconds >= 3600 { return plural(seconds / 3600, "hour") }
        if seconds % 60 == 0 && seconds >= 60 { return plural(seconds / 60, "minute") }
        return plural(seconds, "second")
    }

    private static func plural(_ count: Int64, _ unit: String) -> String {
        count == 1 ? "1 \(unit)" : "\(count) \(unit)s"
    }
}
