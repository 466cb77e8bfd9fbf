import ClinicEvents
import RecordLog

/// Why a store operation failed: one clear sentence naming what was wrong and what to do, never patient data.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The class of failure; the CLI maps each to its own exit code.
    public enum Category: String, Equatable, Sendable, CaseIterable {
        /// A rule of the office refused the command (nothing was appended).
        case refused
        /// Someone else changed the same record at the same moment (nothing was appended); look again and retry.
        case conflict
        /// The patient, appointment, staff member or store named does not exist.
        case notFound
        /// The acting staff member may not do this.
        case permissionDenied
        /// The store's files could not be read or written, or are damaged.
        case storage
        /// The request itself is malformed (a bad value, a store that already exists).
        case usage
    }

    /// The class of failure.
    public let category: Category
    /// A short stable code naming the rule or fault, such as `overlapsAnotherAppointment`.
    public let code: String
    /// One sentence: what was wrong and what to do.
    public let message: String

    /// Creates an error.
    public init(_ category: Category, code: String, message: String) {
        self.category = category
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// A storage failure of the log.
    static func storage(_ error: RecordLogError) -> StoreError {
        if case .wrongExpectedVersion = error {
            return StoreError(
                .conflict, code: "concurrentChange",
                message: "Someone else changed this record at the same moment; look at it again and retry.")
        }
        if case .writerLocked = error {
            return StoreError(
                .storage, code: "storeBusy",
                message: "Another clinic command is still writing to this store; wait a moment and retry.")
        }
        return StoreError(.storage, code: "storage", message: "The store could not be read or written: \(error).")
    }

    /// A failure of the keyring or of patient-data encryption.
    static func keys(_ error: PatientDataError) -> StoreError {
        StoreError(.storage, code: "keys", message: "The patient keys could not be used: \(error).")
    }

    /// A refusal by a rule: `permissionDenied` for a role refusal, `notFound` when the rule is that something named
    /// does not exist, `refused` otherwise. The code is the refusal's case name.
    static func refused(_ refusal: some Error & CustomStringConvertible & RuleCoded, isNotFound: Bool) -> StoreError {
        let code = refusal.code
        if code == "roleNotPermitted" || code == "overbookApproverNotPermitted" {
            return StoreError(.permissionDenied, code: code, message: refusal.description)
        }
        return StoreError(isNotFound ? .notFound : .refused, code: code, message: refusal.description)
    }
}

extension StoreError {
    /// A scheduling refusal.
    static func refused(_ refusal: SchedulingRefusal) -> StoreError {
        refused(refusal, isNotFound: refusal == .appointmentNotFound)
    }

    /// A billing refusal.
    static func refused(_ refusal: BillingRefusal) -> StoreError {
        refused(refusal, isNotFound: refusal == .paymentNotFound || refusal == .chargeNotFound)
    }

    /// A chart refusal.
    static func refused(_ refusal: ChartRefusal) -> StoreError {
        let isNotFound: Bool
        switch refusal {
        case .entryNotFound, .amendedEntryNotFound, .correctingEntryNotFound: isNotFound = true
        default: isNotFound = false
        }
        return refused(refusal, isNotFound: isNotFound)
    }

    /// A consent or disclosure refusal.
    static func refused(_ refusal: DisclosureRefusal) -> StoreError {
        refused(
            refusal,
            isNotFound: [.consentNotFound, .restrictionNotFound, .authorizationNotFound].contains(refusal))
    }

    /// A patient record refusal.
    static func refused(_ refusal: PatientRecordRefusal) -> StoreError {
        refused(refusal, isNotFound: refusal == .patientNotRegistered)
    }

    /// A coverage refusal.
    static func refused(_ refusal: CoverageRefusal) -> StoreError {
        refused(refusal, isNotFound: refusal == .coverageNotFound)
    }

    /// A retention policy refusal.
    static func refused(_ refusal: RetentionPolicyRefusal) -> StoreError {
        refused(refusal, isNotFound: false)
    }

    /// A fee schedule refusal.
    static func refused(_ refusal: FeeScheduleRefusal) -> StoreError {
        if case .feeNotFound = refusal { return refused(refusal, isNotFound: true) }
        return refused(refusal, isNotFound: false)
    }
}
