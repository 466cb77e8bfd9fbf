import ClinicEvents
import RecordLog

/// The size and shape of a generated demo office history.
public struct DemoConfiguration: Hashable, Sendable {
    /// How many days of history to generate before `lastDaySince1970` (`years` × 365 unless set directly, as
    /// tests and short demos do).
    public var days: Int
    /// How many providers see patients (physicians, nurse practitioners, physician assistants).
    public var providers: Int
    /// About how many distinct patients the office registers over the history.
    public var patients: Int
    /// The seed of every choice the generator makes; the same seed gives the same history.
    public var seed: UInt64
    /// The appointments booked per provider per full office day, on average.
    public var appointmentsPerProviderDay: Int
    /// The office-local day the history ends on, in days since 1970-01-01 (the CLI passes today). Every office
    /// day before it is complete and closed; the history stops at 06:00 on this day, before the office opens, with
    /// this day's and the following weeks' appointments booked and the day itself open.
    public var lastDaySince1970: Int64
    /// The office's time zone, an IANA identifier such as `America/Chicago`.
    public var timeZone: String

    /// The history of the default demo: five years of a three-provider primary-care office with about 3,000
    /// patients and 18 appointments per provider per day, in `America/Chicago`; `days`, when given, sets the
    /// length in days instead of `years`.
    public init(
        years: Int = 5, days: Int? = nil, providers: Int = 3, patients: Int = 3_000, seed: UInt64 = 1,
        appointmentsPerProviderDay: Int = 18, lastDaySince1970: Int64, timeZone: String = "America/Chicago"
    ) {
        self.days = days ?? years * 365
        self.providers = providers
        self.patients = patients
        self.seed = seed
        self.appointmentsPerProviderDay = appointmentsPerProviderDay
        self.lastDaySince1970 = lastDaySince1970
        self.timeZone = timeZone
    }

    /// The length of the history in whole years of 365 days (setting it sets `days`).
    public var years: Int {
        get { days / 365 }
        set { days = newValue * 365 }
    }

    /// The first simulated day: `days` before the last day.
    public var firstDaySince1970: Int64 { lastDaySince1970 - Int64(days) }

    /// Refuses a configuration the generator cannot honour, naming the field and its accepted range.
    func validate() throws(StoreError) {
        func check(_ valid: Bool, _ field: String, _ accepted: String) throws(StoreError) {
            guard valid else {
                throw StoreError(
                    .usage, code: "demoConfiguration",
                    message: "The demo's \(field) must be \(accepted); choose a value in that range.")
            }
        }
        try check((14...(50 * 365)).contains(days), "length of history", "14 days to 50 years")
        try check((1...20).contains(providers), "--providers", "1 to 20")
        try check((1...1_000_000).contains(patients), "--patients", "1 to 1000000")
        try check((1...30).contains(appointmentsPerProviderDay), "appointments per provider day", "1 to 30")
        try check(
            ProviderAvailabilityDefined.dateDaysSince1970Range.contains(lastDaySince1970)
                && firstDaySince1970 > 0,
            "last day", "after 1970 plus the years of history")
    }
}

/// How far the generator has come, reported once per simulated day.
public struct DemoProgress: Equatable, Sendable {
    /// The simulated day just finished, in days since 1970-01-01.
    public var daySince1970: Int64
    /// How many simulated days are finished.
    public var daysDone: Int
    /// How many days the whole history has.
    public var dayCount: Int
    /// How many events the office has recorded so far (held in the current batch included).
    public var eventCount: Int

    /// Creates a progress report.
    public init(daySince1970: Int64, daysDone: Int, dayCount: Int, eventCount: Int) {
        self.daySince1970 = daySince1970
        self.daysDone = daysDone
        self.dayCount = dayCount
        self.eventCount = eventCount
    }
}

/// A staff member of the demo office: who they are and the roles they may act in.
public struct DemoStaffMember: Hashable, Sendable {
    /// The staff id to act as (`--staff`).
    public var staffID: StaffID
    /// The name shown in lists.
    public var displayName: String
    /// The roles the member holds at the end of the history.
    public var roles: [StaffRole]

    /// Creates a staff member entry.
    public init(staffID: StaffID, displayName: String, roles: [StaffRole]) {
        self.staffID = staffID
        self.displayName = displayName
        self.roles = roles
    }
}

/// What a generated history holds: the staff to sign in as, the size of the history and the events by type.
public struct DemoSummary: Equatable, Sendable {
    /// Every staff member with the roles they hold at the end of the history (former staff hold none).
    public var staff: [DemoStaffMember]
    /// The providers whose schedules were filled.
    public var providerStaffIDs: [StaffID]
    /// The insurance payers defined, by name.
    public var payerNames: [String]
    /// The first simulated day, in days since 1970-01-01.
    public var firstDaySince1970: Int64
    /// The day the history ends on (open, not closed), in days since 1970-01-01.
    public var lastDaySince1970: Int64
    /// The patients registered (duplicates later merged included).
    public var patientCount: Int
    /// The appointments booked.
    public var appointmentCount: Int
    /// The office days closed (every office day before the last day).
    public var closedDayCount: Int
    /// The events in the log.
    public var eventCount: Int
    /// The passphrase of every staff member still holding a role, set by the office manager at the end of the
    /// history (random, from the environment's random source; only their scrypt hashes are kept in the store).
    public var passphrases: [StaffID: String] = [:]
    /// How many events of each type the generator recorded, by event type name.
    public var eventCountsByType: [String: Int]
    /// Commands the generator issued on purpose to show a rule refusing them (an overbook without approval, a
    /// charge dated on a closed day, a disclosure an agreed restriction forbids), by refusal code. Nothing was
    /// appended for them.
    public var refusalsDemonstrated: [String: Int]

    /// Creates a summary.
    public init(
        staff: [DemoStaffMember], providerStaffIDs: [StaffID], payerNames: [String], firstDaySince1970: Int64,
        lastDaySince1970: Int64, patientCount: Int, appointmentCount: Int, closedDayCount: Int, eventCount: Int,
        eventCountsByType: [String: Int], refusalsDemonstrated: [String: Int]
    ) {
        self.staff = staff
        self.providerStaffIDs = providerStaffIDs
        self.payerNames = payerNames
        self.firstDaySince1970 = firstDaySince1970
        self.lastDaySince1970 = lastDaySince1970
        self.patientCount = patientCount
        self.appointmentCount = appointmentCount
        self.closedDayCount = closedDayCount
        self.eventCount = eventCount
        self.eventCountsByType = eventCountsByType
        self.refusalsDemonstrated = refusalsDemonstrated
    }
}

/// A realistic, seeded history of a small US primary-care office, generated through the same command path staff use.
///
/// `generate` creates a new store and plays years of office life into it, day by day, with a `DemoClock` that it
/// moves through the simulated time: staff of every role, payers, the fee schedule (raised every January), patients
/// with coverage, provider availability, bookings made days ahead, confirmations, cancellations (some under 24
/// hours), no-shows, rare reschedules and appointments entered in error; visits with arrival, check-in, rooming,
/// vitals, signed notes and addenda, allergies, medications, problems and rare amendments; charges at the scheduled
/// fees, copays, claims moved to insurance, insurance payments with contractual adjustments, secondary claims,
/// patient payments, refunds and voids; privacy notices, consents, authorizations, restrictions and disclosures; and
/// the biller's day close of every office day.
///
/// Every command goes through `ClinicStore.execute`, so every rule holds; a refusal the generator did not ask for
/// stops the generation with that refusal. Each simulated week is written as one batch (one fsync per batch) and
/// followed by a signed checkpoint of the log.
/// The history is deterministic for a seed: the same configuration and the same environment random source (which
/// makes the master key, the patients' keys and the encryption nonces) give byte-identical log segments.
public enum DemoOffice {
    /// Every event type a generated history holds: each at least once in a history of two months or more with 40
    /// patients or more (rare happenings are made to happen once they have had 30 opportunities). Not generated:
    /// `PatientErased` (an office does not erase records in the course of its work), and the access log's events
    /// but `PassphraseSet` (sign-ins, reads and refusals happen when people use the store; the generator acts
    /// through the command path without sessions), `FeeWithdrawn` (the office's fees only change by the yearly
    /// increase) and `RetentionPolicySet` (the office manager sets it with `clinic retention policy`). The history
    /// ends with the office manager setting a passphrase for every staff member still holding a role.
    public static let generatedEventTypes: [String] = [
        StaffMemberAdded.eventType, StaffRoleGranted.eventType, StaffRoleRevoked.eventType, PayerDefined.eventType,
        FeeScheduled.eventType,
        ProviderAvailabilityDefined.eventType, PatientRegistered.eventType, DemographicsCorrected.eventType,
        PatientsMerged.eventType, PatientDeathRecorded.eventType, CoverageAdded.eventType, CoverageEnded.eventType,
        EligibilityChecked.eventType, AppointmentBooked.eventType, AppointmentRescheduled.eventType,
        AppointmentConfirmed.eventType, PatientArrived.eventType, PatientCheckedIn.eventType,
        PatientRoomed.eventType, PatientCheckedOut.eventType, AppointmentCancelled.eventType,
        AppointmentNoShow.eventType, AppointmentEnteredInError.eventType, VitalsRecorded.eventType,
        AllergyRecorded.eventType, AllergyResolved.eventType, AllergyEnteredInError.eventType,
        MedicationStarted.eventType, MedicationStopped.eventType, ProblemAdded.eventType, ProblemResolved.eventType,
        NoteSigned.eventType, NoteAddendumSigned.eventType, AmendmentRequested.eventType,
        AmendmentAccepted.eventType, AmendmentDenied.eventType, ChargePosted.eventType, PaymentPosted.eventType,
        PaymentApplied.eventType, AdjustmentPosted.eventType, RefundIssued.eventType,
        ResponsibilityTransferred.eventType, ChargeVoided.eventType, PaymentVoided.eventType, DayClosed.eventType,
        PrivacyNoticeAcknowledged.eventType, ConsentGranted.eventType, ConsentRevoked.eventType,
        AuthorizationRecorded.eventType, RestrictionRequested.eventType, RestrictionAgreed.eventType,
        DisclosureRecorded.eventType, PassphraseSet.eventType,
    ]

    /// The refusal codes a generated history demonstrates (each at least once): an overbook tried without
    /// approval, a forgotten charge dated on its closed visit day, a disclosure to a health plan an agreed
    /// restriction forbids.
    public static let demonstratedRefusalCodes = ["overlapsAnotherAppointment", "dayClosed", "restrictedByAgreement"]

    /// Creates a store at `location` and generates the configured history into it; refuses a location that holds a
    /// store already.
    ///
    /// - Parameters:
    ///   - environment: the file system, random source and logger of the store; its clock is ignored (the
    ///     generator's `DemoClock` takes its place).
    ///   - progress: called after every simulated day.
    /// - Returns: what was generated; the store is closed again. On a failure the partial store is left at
    ///   `location` (remove it before generating again).
    public static func generate(
        at location: StoreLocation, configuration: DemoConfiguration, environment: StoreEnvironment,
        progress: (DemoProgress) -> Void = { _ in }
    ) throws(StoreError) -> DemoSummary {
        try configuration.validate()
        let calendar: OfficeCalendar
        do {
            calendar = try OfficeCalendar(timeZoneIdentifier: configuration.timeZone)
        } catch {
            throw StoreError(
                .usage, code: "unknownTimeZone",
                message: "The time zone \(configuration.timeZone) is unknown on this machine; pass an IANA name "
                    + "such as America/Chicago.")
        }
        let firstDay = DemoCalendar.officeDay(onOrAfter: configuration.firstDaySince1970)
        let clock = DemoClock(microseconds: calendar.microseconds(atLocalMinutes: firstDay * 1440 + 6 * 60))
        var demoEnvironment = environment
        demoEnvironment.clock = clock
        let administrator = DemoCatalogue.officeManager
        let store = try ClinicStore.create(
            at: location, settings: StoreSettings(calendar: calendar),
            administrator: try DemoSimulation.staffMember(administrator), environment: demoEnvironment)
        defer { store.close() }
        let simulation = try DemoSimulation(
            store: store, clock: clock, calendar: calendar, configuration: configuration, firstDay: firstDay)
        var summary = try simulation.run(progress: progress)
        let manager = StaffActor(staffID: try DemoSimulation.staffMember(administrator).staffID, role: .officeManager)
        for member in summary.staff where !member.roles.isEmpty {
            let passphrase = demoPassphrase(random: environment.random)
            try store.setPassphrase(
                Array(passphrase.utf8), of: member.staffID, by: manager,
                commandID: EventID.derived(from: Array("demo passphrase \(member.staffID)".utf8)))
            summary.passphrases[member.staffID] = passphrase
            summary.eventCountsByType[PassphraseSet.eventType, default: 0] += 1
        }
        summary.eventCount = Int(store.log.nextPosition)
        return summary
    }

    /// A passphrase of five groups of four lower-case letters and digits (100 random bits), easy to copy by hand.
    static func demoPassphrase(random: RandomByteSource) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        let bytes = random.bytes(count: 20)
        let groups = stride(from: 0, to: 20, by: 4).map { start in
            String(bytes[start..<start + 4].map { alphabet[Int($0) % alphabet.count] })
        }
        return groups.joined(separator: "-")
    }
}
