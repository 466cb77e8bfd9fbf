import ClinicEvents
import RecordLog

/// A piece of simulated office work: the commands one staff member issues at one moment.
typealias DemoWork = () throws(StoreError) -> Void

/// Work due at a moment of a simulated day, in office-local seconds since 1970 (ties keep the order they were
/// scheduled in).
struct DemoTask {
    let localSecond: Int64
    let sequence: Int
    let work: DemoWork

    /// Whether this task runs before `other`.
    func precedes(_ other: DemoTask) -> Bool {
        (localSecond, sequence) < (other.localSecond, other.sequence)
    }
}

/// The work of one simulated day, in time order: a binary min-heap of tasks.
struct DemoAgenda {
    private var heap: [DemoTask] = []

    /// Whether no task is left.
    var isEmpty: Bool { heap.isEmpty }

    /// Adds a task.
    mutating func insert(_ task: DemoTask) {
        heap.append(task)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest task.
    mutating func removeFirst() -> DemoTask? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}

/// The rare happenings a history shows at least once: each happens with its own probability,
/// and surely once it has had its warm-up of opportunities (30 unless stated) without happening, so that a
/// two-month demo of 40 patients shows every kind of event.
enum DemoFeature: Hashable {
    case misspelledName, duplicateRegistration, death, secondaryCoverageEnded, appointmentEnteredInError
    case overbook, forgottenCharge, chargeCorrection, duplicateCopay, bouncedCheck, claimDenied
    case lateNote, addendum, amendment, amendmentAccepted, amendmentDenied, allergyResolved, allergyEnteredInError
    case recordsToPatient, publicHealthReport, researchConsent, consentRevoked, authorization, authorizationRevoked
    case restriction
}

/// One provider of the demo office: who they are and their weekly bookable windows.
struct DemoProvider {
    /// A weekly window of bookable time.
    struct Window {
        let weekday: UInt8
        let startMinuteOfDay: Int
        let endMinuteOfDay: Int
    }

    let staffID: StaffID
    let actor: StaffActor
    let windows: [Window]

    /// The provider's windows on `day`.
    func windows(on day: Int64) -> [Window] {
        let weekday = DemoCalendar.weekday(ofDaysSince1970: day)
        return windows.filter { $0.weekday == weekday }
    }
}

/// The running state of a demo history being generated: the office as the generator sees it (patients, the
/// schedule, the accounts), the day's agenda and the work planned for later days.
///
/// The generator keeps its own account of everything it has recorded, so that it only ever issues commands the
/// rules accept; the store decides every one of them again.
final class DemoSimulation {
    /// The length of a booking slot, in minutes.
    static let slotMinutes = 15
    /// How many days ahead the schedule is planned (and bookings may be made).
    static let planningHorizonDays: Int64 = 60
    /// The share of the configured patients who were the office's patients before the history starts.
    static let establishedShareOfPanel = 0.6
    /// The share of the first bookings that register one of those patients (until all are registered).
    static let establishedShareOfEarlyBookings = 0.75
    /// The opportunities after which a rare happening that has not happened yet is made to happen.
    static let featureWarmUp = 30
    /// The privacy notice versions in force: the first until the middle of the history, the second after.
    static let noticeVersions = ["NPP-2019-01", "NPP-2024-04"]

    let store: ClinicStore
    let clock: DemoClock
    let calendar: OfficeCalendar
    let configuration: DemoConfiguration
    var random: DemoRandom
    /// The first simulated day and the day the history ends on (simulated only up to 06:00).
    let firstDay: Int64
    let endDay: Int64
    /// The day being simulated, and the offset of office time from UTC during its office hours.
    var today: Int64
    var todayOffsetSeconds: Int64 = 0
    var agenda = DemoAgenda()
    var laterTasks: [Int64: [DemoTask]] = [:]
    var taskSequence = 0

    // Staff.
    let manager: StaffActor
    var frontDesk: [StaffActor] = []
    let biller: StaffActor
    let nurse: StaffActor
    let assistants: [StaffActor]
    let compliance: StaffActor
    var providers: [DemoProvider] = []
    var staffRoster: [DemoStaffMember] = []

    // The office's records as the generator knows them.
    var payerIDs: [EventID] = []
    /// The payer ids as payments name them (their UUID text).
    var payerIDTexts: [String] = []
    var patients: [DemoPatient] = []
    var activePatients: [Int] = []
    var activePatientSlot: [Int: Int] = [:]
    var appointments: [DemoAppointment] = []
    var appointmentsByVisitDay: [Int64: [Int]] = [:]
    var todaysAppointments: [Int] = []
    var bookingsByDay: [Int64: [Int]] = [:]
    var occupancy: [Int64: [[UInt8]]] = [:]
    var plannedThrough: Int64
    var bookingsMade = 0
    let expectedBookings: Int
    var newPatientsRegistered = 0
    var establishedPatientsRegistered = 0
    var charges: [EventID: DemoCharge] = [:]
    /// The fee schedule's default fee of each procedure code, as last set.
    var feesCents: [String: Int64] = [:]
    var payments: [EventID: DemoPayment] = [:]
    var todaysClaims: [DemoClaim] = []
    var dayTotals = DemoDayTotals()
    var closedDayCount = 0
    let noticeVersionChangeDay: Int64
    let staffChangeDays: (departure: Int64, backupBiller: Int64)

    var featureOpportunities: [DemoFeature: Int] = [:]
    var featureCounts: [DemoFeature: Int] = [:]

    // What the summary reports.
    var eventCounts: [String: Int] = [:]
    var eventTotal = 0
    var refusalsDemonstrated: [String: Int] = [:]

    init(
        store: ClinicStore, clock: DemoClock, calendar: OfficeCalendar, configuration: DemoConfiguration,
        firstDay: Int64
    ) throws(StoreError) {
        self.store = store
        self.clock = clock
        self.calendar = calendar
        self.configuration = configuration
        self.random = DemoRandom(seed: configuration.seed)
        self.firstDay = firstDay
        self.endDay = configuration.lastDaySince1970
        self.today = firstDay
        self.plannedThrough = firstDay - 1
        func actor(_ template: DemoCatalogue.StaffTemplate) throws(StoreError) -> StaffActor {
            StaffActor(staffID: try Self.staffID(template.staffID), role: template.roles[0])
        }
        let support = DemoCatalogue.supportStaff
        manager = try actor(DemoCatalogue.officeManager)
        frontDesk = [try actor(support[0]), try actor(support[1])]
        biller = try actor(support[2])
        nurse = try actor(support[3])
        assistants = [try actor(support[4]), try actor(support[5])]
        compliance = try actor(support[6])
        let officeDays = (firstDay..<endDay).filter(DemoCalendar.isOfficeDay).count
        expectedBookings = max(1, officeDays * configuration.providers * configuration.appointmentsPerProviderDay)
        let span = endDay - firstDay
        noticeVersionChangeDay = firstDay + span / 2
        eventTotal = Int(store.log.nextPosition)
        eventCounts[StaffMemberAdded.eventType] = eventTotal  // the store's creation added the administrator
        staffChangeDays = (firstDay + span * 2 / 5, firstDay + span * 3 / 5)
    }

    // MARK: Running the history

    /// Plays every day of the history into the store and returns the summary.
    func run(progress: (DemoProgress) -> Void) throws(StoreError) -> DemoSummary {
        let dayCount = Int(endDay - firstDay)
        store.beginBatch()
        for day in firstDay..<endDay {
            try simulate(day: day)
            let isEndOfWeek = DemoCalendar.weekday(ofDaysSince1970: day) == 7 || day == endDay - 1
            if isEndOfWeek {
                try store.commitBatch()
                try store.checkpoint()
                store.beginBatch()
            }
            progress(
                DemoProgress(
                    daySince1970: day, daysDone: Int(day - firstDay) + 1, dayCount: dayCount, eventCount: eventTotal))
        }
        try store.commitBatch()
        return summary()
    }

    /// Simulates one day: plans the schedule ahead, runs the day's work in time order, closes an office day.
    func simulate(day: Int64) throws(StoreError) {
        today = day
        todayOffsetSeconds = calendar.offsetSeconds(
            atMicroseconds: (day * 86_400 + 12 * 3_600) * 1_000_000)
        let isOfficeDay = DemoCalendar.isOfficeDay(day)
        if day == firstDay { try openOffice() }
        try planSchedule(through: day + Self.planningHorizonDays)
        for task in laterTasks.removeValue(forKey: day) ?? [] { agenda.insert(task) }
        if isOfficeDay {
            dayTotals = DemoDayTotals()
            scheduleOfficeDay()
        }
        while let task = agenda.removeFirst() {
            clock.advance(to: (task.localSecond - todayOffsetSeconds) * 1_000_000)
            try task.work()
        }
        if isOfficeDay {
            clock.advance(to: (day * 86_400 + 19 * 3_600 - todayOffsetSeconds) * 1_000_000)
            try closeDay()
        }
        occupancy.removeValue(forKey: day)
    }

    /// The day's standing work: staff changes, coverage renewals, bookings, visits, confirmations and billing.
    private func scheduleOfficeDay() {
        if today == DemoCalendar.officeDay(onOrAfter: staffChangeDays.departure) {
            schedule(at: 7 * 60) { () throws(StoreError) in try self.replaceDepartingFrontDesk() }
        }
        if today == DemoCalendar.officeDay(onOrAfter: staffChangeDays.backupBiller) {
            schedule(at: 7 * 60 + 5) { () throws(StoreError) in try self.grantBackupBillerRole() }
        }
        let date = DemoCalendar.civilDate(ofDaysSince1970: today)
        let previousOfficeDay = (today - 7..<today).last(where: DemoCalendar.isOfficeDay) ?? today - 7
        if today != firstDay, DemoCalendar.civilDate(ofDaysSince1970: previousOfficeDay).year != date.year {
            schedule(at: 7 * 60 + 10) { () throws(StoreError) in try self.renewCoverages() }
        }
        if today == DemoCalendar.officeDay(onOrAfter: DemoCalendar.daysSince1970(year: date.year, month: 12, day: 15)) {
            schedule(at: 16 * 60 + 30) { () throws(StoreError) in try self.raiseFees() }
        }
        scheduleBookings()
        scheduleVisits()
        scheduleConfirmations()
        scheduleSameDayOverbooks()
        schedulePatientRecordUpkeep()
        schedule(at: 17 * 60 + 15) { () throws(StoreError) in try self.submitClaims() }
    }

    /// Adds work at `minuteOfDay` (and `second`) of today.
    func schedule(at minuteOfDay: Int, second: Int = 0, _ work: @escaping DemoWork) {
        schedule(on: today, at: minuteOfDay, second: second, work)
    }

    /// Adds work at `minuteOfDay` of `day` (today or later).
    func schedule(on day: Int64, at minuteOfDay: Int, second: Int = 0, _ work: @escaping DemoWork) {
        precondition(day >= today, "demo work is never scheduled in the past")
        taskSequence += 1
        let task = DemoTask(
            localSecond: day * 86_400 + Int64(minuteOfDay) * 60 + Int64(second), sequence: taskSequence, work: work)
        if day == today {
            agenda.insert(task)
        } else if day < endDay {
            laterTasks[day, default: []].append(task)
        }
    }

    /// Adds work on the first office day at least `days` after today, at `minuteOfDay`.
    func schedule(officeDaysAfter days: Int64, at minuteOfDay: Int, _ work: @escaping DemoWork) {
        schedule(on: DemoCalendar.officeDay(onOrAfter: today + days), at: minuteOfDay, work)
    }

    /// The current minute of the office day, from the clock.
    var nowMinuteOfDay: Int {
        let localSeconds = clock.nowMicroseconds() / 1_000_000 + todayOffsetSeconds
        return Int(localSeconds - today * 86_400) / 60
    }

    // MARK: Rare happenings

    /// Whether the rare `feature` happens at this opportunity: with `probability`, or surely when it has had
    /// `warmUp` opportunities and has happened fewer than `minimum` times. With `counting`, a yes counts as
    /// happened; otherwise the caller calls `happened(_:)` once it could make it happen.
    func happens(
        _ feature: DemoFeature, _ probability: Double, minimum: Int = 1, warmUp: Int = featureWarmUp,
        counting: Bool = true
    ) -> Bool {
        let opportunities = featureOpportunities[feature, default: 0] + 1
        featureOpportunities[feature] = opportunities
        let isDue = featureCounts[feature, default: 0] < minimum && opportunities >= warmUp
        guard isDue || random.chance(probability) else { return false }
        if counting { happened(feature) }
        return true
    }

    /// Counts that `feature` happened.
    func happened(_ feature: DemoFeature) {
        featureCounts[feature, default: 0] += 1
    }

    // MARK: Issuing commands

    /// Issues `command` as `actor` (effective now, or at `effectiveTimeMicroseconds` for a late entry, which
    /// gives a `reason`) and counts its events; a refusal stops the generation, naming the command.
    @discardableResult
    func execute(
        _ command: OfficeCommand, as actor: StaffActor, effectiveTimeMicroseconds: Int64? = nil, reason: String? = nil
    ) throws(StoreError) -> CommandReceipt {
        let receipt: CommandReceipt
        do {
            receipt = try store.execute(
                command, by: actor, commandID: random.eventID(), effectiveTimeMicroseconds: effectiveTimeMicroseconds,
                reason: reason)
        } catch {
            throw StoreError(
                error.category, code: error.code,
                message: "The demo generator's \(command.name) on \(DemoCalendar.isoDate(today)) failed, which is a "
                    + "defect of the generator: \(error.message)")
        }
        for event in receipt.events { eventCounts[event.eventType, default: 0] += 1 }
        eventTotal += receipt.events.count
        return receipt
    }

    /// Issues `command`, which a rule must refuse with `code`, to show the refusal; nothing is appended.
    func demonstrateRefusal(_ command: OfficeCommand, as actor: StaffActor, expecting code: String) throws(StoreError) {
        do {
            try store.execute(command, by: actor, commandID: random.eventID())
        } catch {
            guard error.code == code else {
                throw StoreError(
                    error.category, code: error.code,
                    message: "The demo generator expected \(command.name) to be refused with \(code) on "
                        + "\(DemoCalendar.isoDate(today)), but: \(error.message)")
            }
            refusalsDemonstrated[code, default: 0] += 1
            return
        }
        throw StoreError(
            .usage, code: "demoRefusalExpected",
            message: "The demo generator expected \(command.name) to be refused with \(code) on "
                + "\(DemoCalendar.isoDate(today)), but it was recorded; this is a defect of the generator.")
    }

    // MARK: The first day

    /// Makes a staff id from a catalogue id (always well formed).
    static func staffID(_ value: String) throws(StoreError) -> StaffID {
        do {
            return try StaffID(value)
        } catch {
            throw StoreError(.usage, code: "demoStaffID", message: "The demo staff id \(value) is malformed.")
        }
    }

    /// The staff-added event of a catalogue template.
    static func staffMember(_ template: DemoCatalogue.StaffTemplate) throws(StoreError) -> StaffMemberAdded {
        let id = try staffID(template.staffID)
        do {
            return try StaffMemberAdded(staffID: id, displayName: template.displayName, roles: template.roles)
        } catch {
            throw StoreError(
                .usage, code: "demoStaff", message: "The demo staff member \(template.staffID) is invalid.")
        }
    }

    /// The first morning: staff, providers and their availability, payers, the fee schedule.
    private func openOffice() throws(StoreError) {
        clock.advance(to: (firstDay * 86_400 + 6 * 3_600 + 5 * 60 - todayOffsetSeconds) * 1_000_000)
        staffRoster.append(try rosterEntry(DemoCatalogue.officeManager))
        for template in DemoCatalogue.supportStaff {
            try execute(.addStaff(try Self.staffMember(template)), as: manager)
            staffRoster.append(try rosterEntry(template))
        }
        for index in 0..<configuration.providers {
            let template = DemoCatalogue.provider(at: index)
            try execute(.addStaff(try Self.staffMember(template)), as: manager)
            staffRoster.append(try rosterEntry(template))
            let staffID = try Self.staffID(template.staffID)
            let provider = DemoProvider(
                staffID: staffID, actor: StaffActor(staffID: staffID, role: template.roles[0]),
                windows: Self.windows(ofProviderAt: index))
            providers.append(provider)
            for window in provider.windows {
                try execute(
                    .scheduling(
                        providerStaffID: staffID,
                        .defineAvailability(
                            day: .weekday(window.weekday), startMinuteOfDay: UInt32(window.startMinuteOfDay),
                            endMinuteOfDay: UInt32(window.endMinuteOfDay), slotMinutes: UInt32(Self.slotMinutes))),
                    as: provider.actor)
            }
        }
        for template in DemoCatalogue.payers {
            let payerID = random.eventID()
            let payer: PayerDefined
            do {
                payer = try PayerDefined(payerID: payerID, name: template.name, type: template.type)
            } catch {
                throw StoreError(.usage, code: "demoPayer", message: "The demo payer \(template.name) is invalid.")
            }
            try execute(.definePayer(payer), as: biller)
            payerIDs.append(payerID)
            payerIDTexts.append(payerID.description)
        }
        for procedure in DemoCatalogue.feeSchedule {
            try setFee(procedure, cents: procedure.feeCents, from: firstDay)
        }
    }

    /// The roster entry of a catalogue template.
    private func rosterEntry(_ template: DemoCatalogue.StaffTemplate) throws(StoreError) -> DemoStaffMember {
        DemoStaffMember(
            staffID: try Self.staffID(template.staffID), displayName: template.displayName, roles: template.roles)
    }

    /// The weekly windows of the provider at `index`: weekdays 08:00-12:00 and 13:00-17:00, less one half day of
    /// administrative time that differs between providers.
    static func windows(ofProviderAt index: Int) -> [DemoProvider.Window] {
        let halfDayOff = index % 10
        var windows: [DemoProvider.Window] = []
        for weekday: UInt8 in 1...5 {
            for (half, (start, end)) in [(8 * 60, 12 * 60), (13 * 60, 17 * 60)].enumerated()
            where Int(weekday - 1) * 2 + half != halfDayOff {
                windows.append(DemoProvider.Window(weekday: weekday, startMinuteOfDay: start, endMinuteOfDay: end))
            }
        }
        return windows
    }

    // MARK: Staff changes

    /// `frontdesk-2` leaves the office (their role is revoked) and `frontdesk-3` is hired.
    private func replaceDepartingFrontDesk() throws(StoreError) {
        let departing = frontDesk[1]
        try execute(.revokeRole(StaffRoleRevoked(staffID: departing.staffID, role: .frontDesk)), as: manager)
        let template = DemoCatalogue.replacementFrontDesk
        try execute(.addStaff(try Self.staffMember(template)), as: manager)
        frontDesk[1] = try StaffActor(staffID: Self.staffID(template.staffID), role: .frontDesk)
        if let index = staffRoster.firstIndex(where: { $0.staffID == departing.staffID }) {
            staffRoster[index].roles = []
        }
        staffRoster.append(try rosterEntry(template))
    }

    /// `frontdesk-1` is granted the biller role as the biller's backup.
    private func grantBackupBillerRole() throws(StoreError) {
        let backup = frontDesk[0]
        try execute(.grantRole(StaffRoleGranted(staffID: backup.staffID, role: .biller)), as: manager)
        if let index = staffRoster.firstIndex(where: { $0.staffID == backup.staffID }) {
            staffRoster[index].roles.append(.biller)
        }
    }

    // MARK: The summary

    private func summary() -> DemoSummary {
        DemoSummary(
            staff: staffRoster, providerStaffIDs: providers.map(\.staffID),
            payerNames: DemoCatalogue.payers.map(\.name), firstDaySince1970: firstDay, lastDaySince1970: endDay,
            patientCount: patients.count, appointmentCount: bookingsMade, closedDayCount: closedDayCount,
            eventCount: Int(store.log.nextPosition), eventCountsByType: eventCounts,
            refusalsDemonstrated: refusalsDemonstrated)
    }
}
