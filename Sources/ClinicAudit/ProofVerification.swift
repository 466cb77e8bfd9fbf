/// The outcome of checking a proof document: every step checked, in order, and the first one that failed.
public struct ProofVerification: Sendable, Equatable {
    /// The checks made, in order, each one line; the last is the one that failed when the proof is invalid.
    public private(set) var steps: [String] = []
    /// What failed, in one sentence; nil when every step passed.
    public private(set) var failure: String?

    /// Creates an empty outcome.
    public init() {}

    /// True when every step passed.
    public var isValid: Bool { failure == nil }

    /// Records a check; returns whether it passed. After a failure nothing more is recorded.
    @discardableResult
    mutating func check(_ passed: Bool, _ step: @autoclosure () -> String, failure: @autoclosure () -> String) -> Bool {
        guard self.failure == nil else { return false }
        steps.append(step())
        if !passed { self.failure = failure() }
        return passed
    }

    /// Adds the steps and failure of a nested check, each step prefixed.
    mutating func include(_ nested: ProofVerification, prefix: String) {
        guard failure == nil else { return }
        steps += nested.steps.map { prefix + $0 }
        if let nestedFailure = nested.failure { failure = prefix + nestedFailure }
    }
}
