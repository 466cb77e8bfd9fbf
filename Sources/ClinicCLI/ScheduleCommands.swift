import ArgumentParser
import ClinicEvents
import ClinicProjections
import ClinicStore
import FoundationEssentials
import RecordLog

/// `clinic availability define`: a provider's bookable hours.
struct AvailabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "availability", abstract: "Define a provider's bookable hours.", subcommands: [Define.self])

    struct Define: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "define",
            abstract: "Define bookable hours on weekdays (--days mon-fri) or on one date (--date).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Option(help: "The provider's staff id.") var provider: String
        @Option(help: "Weekdays: mon-fri, or a list such as mon,wed,fri.") var days: String?
        @Option(help: "One date instead of weekdays: YYYY-MM-DD.") var date: String?
        @Option(help: "Start, HH:MM.") var from: String
        @Option(help: "End, HH:MM.") var to: String
        @Option(help: "Slot length in minutes.") var slot: UInt32 = 15

        func run() throws {
            try WriteContext.run(options, actorOptions) { context in
                let providerID = try Parse.staffID(provider)
                let start = UInt32(try Parse.minuteOfDay(from))
                let end = UInt32(try Parse.minuteOfDay(to))
                var windows: [AvailabilityDay] = []
                if let date {
                    windows = [.date(daysSince1970: try Parse.day(date, calendar: context.calendar, now: context.now))]
                } else {
                    windows = try Self.weekdays(days ?? "mon-fri").map { .weekday($0) }
                }
                for (index, window) in windows.enumerated() {
                    // One command per window: the first has the command id, the others ids derived from it.
                    let commandID = index == 0 ? context.commandID : context.newID("availability window \(index)")
                    let receipt = try context.store.execute(
                        .scheduling(
                            providerStaffID: providerID,
                            .defineAvailability(
                                day: window, startMinuteOfDay: start, endMinuteOfDay: end, slotMinutes: slot)),
                        by: context.actor, commandID: commandID)
                    try context.report(
                        receipt,
                        "Defined availability of \(providerID) \(Self.describe(window)) \(from)-\(to), \(slot)-minute slots."
                    )
                }
            }
        }

        static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

        static func weekdays(_ text: String) throws -> [UInt8] {
            let lower = text.lowercased()
            let invalid = CLIError.usage(
                "The days '\(Parse.sanitized(text))' are not valid; use a range such as mon-fri or a list mon,wed.")
            if lower.contains("-") {
                let ends = lower.split(separator: "-").map(String.init)
                guard ends.count == 2, let first = weekdayNames.firstIndex(of: ends[0]),
                    let last = weekdayNames.firstIndex(of: ends[1]), first <= last
                else { throw invalid }
                return (first...last).map { UInt8($0 + 1) }
            }
            return try lower.split(separator: ",").map { name in
                guard let index = weekdayNames.firstIndex(of: String(name)) else { throw invalid }
                return UInt8(index + 1)
            }
        }

        static func describe(_ day: AvailabilityDay) -> String {
            switch day {
            case .weekday(let weekday): "on \(weekdayNames[Int(weekday) - 1])"
            case .date(let days): "on \(Parse.dateText(days))"
            }
        }
    }
}

/// `clinic book PATIENT --provider P --start "YYYY-MM-DD HH:MM"`.
struct BookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book", abstract: "Book an appointment for a patient with a provider.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument(help: "The patient id (or its first digits).") var patient: String
    @Option(help: "The provider's staff id.") var provider: String
    @Option(help: "Start: YYYY-MM-DD HH:MM, tomorrow HH:MM, or HH:MM today.") var start: String
    @Option(help: "Length in minutes.") var minutes: UInt32 = 15
    @Option(name: .customLong("visit-reason"), help: "Reason for the visit.") var visitReason: String = "Office visit"
    @Flag(help: "Book over another appointment; you must be a provider or the office manager to approve it.")
    var overbook = false

    func run() throws {
        try WriteContext.run(options, actorOptions) { context in
            let patientID = try context.patient(patient)
            let providerID = try Parse.staffID(provider)
            let startMinutes = try Parse.localMinutes(start, calendar: context.calendar, now: context.now)
            let appointmentID = context.newID("appointment")
            let approval =
                overbook
                ? OverbookApproval(approverStaffID: context.actor.staffID, approverRole: context.actor.role) : nil
            let receipt = try context.execute(
                .scheduling(
                    providerStaffID: providerID,
                    .book(
                        appointmentID: appointmentID, patientID: patientID, startLocalMinutesSince1970: startMinutes,
                        durationMinutes: minutes, reason: try Parse.text(visitReason, what: "visit reason"),
                        overbookApproval: approval)))
            try context.report(
                receipt,
                "Booked appointment \(shortID(appointmentID)) with \(providerID) at \(Parse.localMinutesText(startMinutes)) for \(minutes) minutes.",
                details: ["appointmentID": appointmentID.description])
        }
    }
}

/// `clinic reschedule APPT --start ...`.
struct RescheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reschedule", abstract: "Move an appointment.")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument(help: "The appointment id (or its first digits).") var appointment: String
    @Option(help: "New start.") var start: String
    @Option(help: "New length in minutes (default: unchanged).") var minutes: UInt32?
    @Flag(help: "Move over another appointment (providers and the office manager).") var overbook = false

    func run() throws {
        try WriteContext.run(options, actorOptions) { context in
            let found = try context.appointment(appointment)
            let schedule = try context.reader.schedule(of: found.providerStaffID)
            let current = schedule.appointment(found.appointmentID)
            let startMinutes = try Parse.localMinutes(start, calendar: context.calendar, now: context.now)
            let approval =
                overbook
                ? OverbookApproval(approverStaffID: context.actor.staffID, approverRole: context.actor.role) : nil
            let receipt = try context.execute(
                .scheduling(
                    providerStaffID: found.providerStaffID,
                    .reschedule(
                        appointmentID: found.appointmentID, startLocalMinutesSince1970: startMinutes,
                        durationMinutes: minutes ?? current.durationMinutes, overbookApproval: approval)))
            try context.report(
                receipt, "Moved appointment \(shortID(found.appointmentID)) to \(Parse.localMinutesText(startMinutes))."
            )
        }
    }
}

/// `clinic confirm|arrive|checkin|room|checkout|noshow APPT`: the visit's steps.
struct AppointmentStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit",
        abstract: "Move a visit along: confirm, arrive, checkin, room, checkout, noshow, error.",
        subcommands: [
            Confirm.self, Arrive.self, CheckIn.self, Room.self, CheckOut.self, NoShow.self, EnteredInError.self,
        ])

    static func step(
        _ options: StoreOptions, _ actorOptions: ActorOptions, _ appointment: String, verb: String,
        _ make: (EventID, inout WriteContext) throws -> SchedulingCommand
    ) throws {
        try WriteContext.run(options, actorOptions) { context in
            let found = try context.appointment(appointment)
            let command = try make(found.appointmentID, &context)
            let receipt = try context.execute(.scheduling(providerStaffID: found.providerStaffID, command))
            var details: [String: String] = ["appointmentID": found.appointmentID.description]
            if case .patientCheckedIn(let checkedIn)? = receipt.events.first {
                details["encounterID"] = checkedIn.encounterID.description
            }
            let encounter = details["encounterID"].map { " Encounter \(shortID($0))." } ?? ""
            try context.report(
                receipt, "\(verb) appointment \(shortID(found.appointmentID)).\(encounter)", details: details)
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm", abstract: "The patient confirmed the appointment.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var appointment: String
        func run() throws {
            try AppointmentStatusCommand.step(options, actorOptions, appointment, verb: "Confirmed") { id, _ in
                .confirm(appointmentID: id)
            }
        }
    }

    struct Arrive: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "arrive", abstract: "The patient arrived.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var appointment: String
        func run() throws {
            try AppointmentStatusCommand.step(options, actorOptions, appointment, verb: "Marked arrived") { id, _ in
                .markArrived(appointmentID: id)
            }
        }
    }

    struct CheckIn: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkin", abstract: "Check the patient in (opens the visit's encounter).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var appointment: String
        func run() throws {
            try AppointmentStatusCommand.step(options, actorOptions, appointment, verb: "Checked in") { id, context in
                let found = try context.appointment(appointment)
                let status = try context.reader.schedule(of: found.providerStaffID).appointment(id).status
                if status == .booked || status == .confirmed {
                    // Everything typed is checked before the arrival is appended, so a refusal appends nothing.
                    let reason = try actorOptions.reason.map { try Parse.text($0, what: "reason") }
                    try context.store.execute(
                        .scheduling(providerStaffID: found.providerStaffID, .markArrived(appointmentID: id)),
                        by: context.actor, commandID: context.newID("arrival"),
                        effectiveTimeMicroseconds: try actorOptions.effectiveTime(
                            calendar: context.calendar, now: context.now),
                        reason: reason)
                }
                return .checkIn(appointmentID: id, encounterID: context.newID("encounter"))
            }
        }
    }

    struct Room: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "room", abstract: "Put the patient in an exam room.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var appointment: String
        @Option(help: "The room.") var room: String
        func run() throws {
            try AppointmentStatusCommand.step(options, actorOptions, appointment, verb: "Roomed") { id, _ in
                .room(appointmentID: id, room: try Parse.text(room, what: "room"))
            }
        }
    }

    struct CheckOut: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checkout", abstract: "Check the patient out.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var appointment: String
        func run() throws {
            try AppointmentStatusCommand.step(options, actorOptions, appointment, verb: "Checked out") { id, _ in
                .checkOut(appointmentID: id)
            }
        }
    }

    struct NoShow: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "noshow", abstract: "The patient did not come.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var appointment: String
        func run() throws {
            try AppointmentStatusCommand.step(options, actorOptions, appointment, verb: "Marked no-show") { id, _ in
                .markNoShow(appointmentID: id)
            }
        }
    }

    struct EnteredInError: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "error", abstract: "Void an appointment that should never have been booked.")
        @OptionGroup var options: StoreOptions
        @OptionGroup var actorOptions: ActorOptions
        @Argument var appointment: String
        func run() throws {
            try AppointmentStatusCommand.step(options, actorOptions, appointment, verb: "Voided") { id, _ in
                .enterInError(
                    appointmentID: id, reason: try Parse.text(actorOptions.reason ?? "", what: "reason (--reason)"))
            }
        }
    }
}

/// `clinic cancel APPT --reason ...`.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel an appointment (flags a cancellation under 24 hours).")
    @OptionGroup var options: StoreOptions
    @OptionGroup var actorOptions: ActorOptions
    @Argument var appointment: String

    func run() throws {
        try WriteContext.run(options, actorOptions) { context in
            guard let why = actorOptions.reason else {
                throw CLIError.usage("A cancellation needs a reason; give one with --reason.")
            }
            let found = try context.appointment(appointment)
            let receipt = try context.execute(
                .scheduling(
                    providerStaffID: found.providerStaffID,
                    .cancel(appointmentID: found.appointmentID, reason: try Parse.text(why, what: "reason"))))
            var late = false
            if case .appointmentCancelled(let cancelled)? = receipt.events.first { late = cancelled.isLate }
            try context.report(
                receipt,
                "Cancelled appointment \(shortID(found.appointmentID))"
                    + (late ? " (late: under 24 hours before its start)." : "."),
                details: ["late": late ? "true" : "false"])
        }
    }
}
