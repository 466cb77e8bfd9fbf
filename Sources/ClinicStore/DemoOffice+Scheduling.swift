import ClinicEvents
import RecordLog

extension DemoSimulation {
    // MARK: Planning the schedule ahead

    /// Plans every office day up to `lastDay`: which slots of each provider will be booked, when each booking is
    /// made, and what becomes of it. Patients are chosen only when the booking is made.
    func planSchedule(through lastDay: Int64) throws(StoreError) {
        while plannedThrough < lastDay {
            plannedThrough += 1
            let day = plannedThrough
            guard DemoCalendar.isOfficeDay(day) else { continue }
            let month = DemoCalendar.civilDate(ofDaysSince1970: day).month
            let seasonal = [12, 1, 2].contains(month) ? 1.1 : [6, 7, 8].contains(month) ? 0.9 : 1.0
            var dayOccupancy: [[UInt8]] = []
            for providerIndex in providers.indices {
                var slots = [UInt8](repeating: 0, count: 1440 / Self.slotMinutes)
                let windows = providers[providerIndex].windows(on: day)
                let windowMinutes = windows.reduce(0) { $0 + $1.endMinuteOfDay - $1.startMinuteOfDay }
                let perDay = Double(configuration.appointmentsPerProviderDay)
                let target = Int(
                    (random.around(perDay, deviation: perDay * 0.12) * seasonal * Double(windowMinutes) / 480)
                        .rounded())
                var starts = windows.flatMap { stride(from: $0.startMinuteOfDay, to: $0.endMinuteOfDay, by: 15) }
                shuffle(&starts)
                var made = 0
                for start in starts where made < target {
                    let slot = start / Self.slotMinutes
                    guard slots[slot] == 0 else { continue }
                    let window = windows.first { $0.startMinuteOfDay <= start && start < $0.endMinuteOfDay }
                    var duration = 15
                    if random.chance(0.28), let window, start + 30 <= window.endMinuteOfDay, slots[slot + 1] == 0 {
                        duration = 30
                        slots[slot + 1] = 1
                    }
                    slots[slot] = 1
                    planAppointment(providerIndex: providerIndex, day: day, start: start, duration: duration)
                    made += 1
                }
                dayOccupancy.append(slots)
            }
            occupancy[day] = dayOccupancy
        }
    }

    /// Shuffles `values` with the generator's random source (Fisher-Yates, fixed across toolchains).
    func shuffle(_ values: inout [Int]) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, random.int(in: 0...index))
        }
    }

    /// Plans one appointment: when it is booked (the same day for 15%, up to the planning horizon for the rest)
    /// and what becomes of it (about 5% cancelled, 4% no-shows, 2% rescheduled, 0.3% entered in error).
    private func planAppointment(providerIndex: Int, day: Int64, start: Int, duration: Int) {
        let roll = random.unit()
        let lead: Int64 =
            roll < 0.15
            ? 0
            : roll < 0.40 ? random.int64(in: 1...3) : roll < 0.75 ? random.int64(in: 4...14) : random.int64(in: 15...60)
        var bookingDay = max(today, day - lead)
        if !DemoCalendar.isOfficeDay(bookingDay) {
            let earlier = (max(today, bookingDay - 6)..<bookingDay).last(where: DemoCalendar.isOfficeDay)
            bookingDay = earlier ?? DemoCalendar.officeDay(onOrAfter: bookingDay)
        }
        let bookingMinute =
            bookingDay < day ? random.int(in: (8 * 60)...(16 * 60 + 45)) : random.int(in: (7 * 60)...(start - 60))
        var appointment = DemoAppointment(
            appointmentID: random.eventID(), providerIndex: providerIndex, day: day, startMinuteOfDay: start,
            durationMinutes: duration, bookingDay: bookingDay, bookingMinuteOfDay: bookingMinute, fate: .seen)
        let fateRoll = random.unit()
        if fateRoll < 0.05 {
            if let moment = momentBefore(appointment, latestMinutesBeforeStart: 30, preferLate: random.chance(0.3)) {
                appointment.fate = .cancelled(day: moment.day, minuteOfDay: moment.minute)
            }
        } else if fateRoll < 0.09 {
            appointment.fate = .noShow
        } else if fateRoll < 0.11 {
            if let moment = momentBefore(appointment, latestMinutesBeforeStart: 60, preferLate: false) {
                appointment.fate = .rescheduled(day: moment.day, minuteOfDay: moment.minute)
            }
        } else if happens(.appointmentEnteredInError, 0.003 / 0.89, counting: false) {
            if let moment = momentBefore(appointment, latestMinutesBeforeStart: 30, preferLate: false) {
                appointment.fate = .enteredInError(day: moment.day, minuteOfDay: moment.minute)
                happened(.appointmentEnteredInError)
            }
        }
        let index = appointments.count
        appointments.append(appointment)
        bookingsByDay[bookingDay, default: []].append(index)
        appointmentsByVisitDay[day, default: []].append(index)
    }

    /// A moment during office hours after the booking and at least `latestMinutesBeforeStart` before the start;
    /// with `preferLate`, within the last day before the start (a late cancellation). Nil when there is none.
    private func momentBefore(
        _ appointment: DemoAppointment, latestMinutesBeforeStart: Int, preferLate: Bool
    ) -> (day: Int64, minute: Int)? {
        let days = (appointment.bookingDay...appointment.day).filter(DemoCalendar.isOfficeDay)
        var candidates = preferLate ? Array(days.suffix(2)) : days
        while !candidates.isEmpty {
            let position = random.int(in: 0...(candidates.count - 1))
            let day = candidates[position]
            let lower = day == appointment.bookingDay ? appointment.bookingMinuteOfDay + 10 : 7 * 60 + 30
            var upper = day == appointment.day ? appointment.startMinuteOfDay - latestMinutesBeforeStart : 17 * 60
            if preferLate, day < appointment.day {
                let withinDay = max(lower, appointment.startMinuteOfDay)
                if withinDay <= upper { return (day, random.int(in: withinDay...upper)) }
            }
            upper = min(upper, 17 * 60)
            if lower <= upper { return (day, random.int(in: lower...upper)) }
            candidates.remove(at: position)
        }
        return nil
    }

    // MARK: Bookings

    /// Schedules today's bookings at the moments they are made.
    func scheduleBookings() {
        for index in bookingsByDay.removeValue(forKey: today) ?? [] {
            let minute = appointments[index].bookingMinuteOfDay
            schedule(at: minute, second: random.int(in: 0...59)) { () throws(StoreError) in try self.book(index) }
        }
    }

    /// The front-desk clerk who serves the provider at `providerIndex`.
    func frontDesk(for providerIndex: Int) -> StaffActor {
        frontDesk[providerIndex % frontDesk.count]
    }

    /// Books a planned appointment for a patient who calls: a new patient (registered first) or a returning one.
    private func book(_ index: Int) throws(StoreError) {
        let clerk = frontDesk(for: appointments[index].providerIndex)
        let patientIndex = try choosePatient(for: appointments[index], clerk: clerk)
        var appointment = appointments[index]
        let patient = patients[patientIndex]
        appointment.patientIndex = patientIndex
        appointment.kind = visitKind(of: patient, appointment: appointment)
        let provider = providers[appointment.providerIndex]
        try execute(
            .scheduling(
                providerStaffID: provider.staffID,
                .book(
                    appointmentID: appointment.appointmentID, patientID: patient.patientID,
                    startLocalMinutesSince1970: appointment.day * 1440 + Int64(appointment.startMinuteOfDay),
                    durationMinutes: UInt32(appointment.durationMinutes), reason: visitReasonText(appointment.kind),
                    overbookApproval: nil)),
            as: clerk)
        appointment.status = .booked
        appointments[index] = appointment
        patients[patientIndex].openAppointments.append(index)
        bookingsMade += 1
        if let coverage = patient.primaryCoverage, random.chance(0.4) {
            try checkEligibility(of: patientIndex, coverage: coverage, clerk: clerk)
        }
        switch appointment.fate {
        case .cancelled(let day, let minute):
            schedule(on: day, at: minute) { () throws(StoreError) in try self.cancel(index) }
        case .rescheduled(let day, let minute):
            schedule(on: day, at: minute) { () throws(StoreError) in try self.reschedule(index) }
        case .enteredInError(let day, let minute):
            schedule(on: day, at: minute) { () throws(StoreError) in try self.enterInError(index) }
        case .seen, .noShow:
            break
        }
    }

    /// Records an eligibility check of a coverage (almost always active).
    func checkEligibility(of patientIndex: Int, coverage: DemoPatient.Coverage, clerk: StaffActor) throws(StoreError) {
        let result: EligibilityResult = random.chance(0.02) ? .unknown : .active
        try execute(
            .coverage(
                patientID: patients[patientIndex].patientID,
                .recordEligibility(
                    coverageID: coverage.coverageID, result: result, checkedAtMicroseconds: clock.nowMicroseconds())),
            as: clerk)
    }

    /// The patient for a booking. The office has patients from before the history: in its first weeks most who
    /// call are registered on their first call (`establishedShareOfPanel` of the panel, about
    /// `establishedShareOfEarlyBookings` of the early bookings); new patients join evenly over the whole history
    /// (the rest of the panel). Otherwise a returning patient who is not new-and-unseen and has no other visit that
    /// day (those with chronic conditions come more often); a new patient again when no returning one is found.
    private func choosePatient(for appointment: DemoAppointment, clerk: StaffActor) throws(StoreError) -> Int {
        let establishedPanel = Int(Double(configuration.patients) * Self.establishedShareOfPanel)
        let newPanel = configuration.patients - establishedPanel
        let progress = Double(bookingsMade + 1) / Double(expectedBookings)
        if establishedPatientsRegistered < establishedPanel,
            Double(establishedPatientsRegistered) < Self.establishedShareOfEarlyBookings * Double(bookingsMade + 1)
        {
            return try registerPatient(isNewToOffice: false, clerk: clerk)
        }
        if Double(newPatientsRegistered) < Double(newPanel) * progress {
            return try registerPatient(isNewToOffice: true, clerk: clerk)
        }
        for attempt in 0..<32 where !activePatients.isEmpty {
            let candidate = activePatients[random.int(in: 0...(activePatients.count - 1))]
            let patient = patients[candidate]
            guard patient.visitCount > 0 || !patient.isNewToOffice else { continue }
            let isBookedThatDay = patient.openAppointments.contains { appointments[$0].day == appointment.day }
            let weight = Double(1 + patient.chronicConditions.count) / 4
            if attempt < 24, isBookedThatDay || random.unit() >= weight { continue }
            return candidate
        }
        return try registerPatient(isNewToOffice: true, clerk: clerk)
    }

    /// The kind of visit a patient books: a new-patient visit first (for a patient new to the office); in a long
    /// slot an annual physical; booked
    /// for within two days mostly a sick visit; booked further ahead mostly a chronic condition's follow-up or a
    /// routine complaint.
    private func visitKind(of patient: DemoPatient, appointment: DemoAppointment) -> DemoAppointment.Kind {
        if patient.isNewToOffice && patient.visitCount == 0 { return .newPatient }
        if appointment.durationMinutes == 30 { return .physical }
        let isSoon = appointment.day - appointment.bookingDay <= 2
        if !patient.chronicConditions.isEmpty, random.chance(isSoon ? 0.25 : 0.85) {
            return .chronicFollowUp(condition: random.pick(patient.chronicConditions))
        }
        let reasons = isSoon ? Array(DemoCatalogue.acuteReasons.indices) : DemoCatalogue.routineAcuteReasons
        return .acute(reason: random.pick(reasons))
    }

    /// The reason recorded on the booking.
    func visitReasonText(_ kind: DemoAppointment.Kind) -> String {
        switch kind {
        case .newPatient: "New patient, establish care"
        case .physical: "Annual physical"
        case .chronicFollowUp(let condition): DemoCatalogue.chronicReasons[condition].text
        case .acute(let reason): DemoCatalogue.acuteReasons[reason].text
        }
    }

    // MARK: Changes before the visit

    /// The patient cancels (late when under 24 hours before the start, which the rules flag).
    private func cancel(_ index: Int) throws(StoreError) {
        guard appointments[index].isPending else { return }
        try cancel(index, reason: random.pick(DemoCatalogue.cancellationReasons))
    }

    /// Cancels a pending appointment with `reason`.
    func cancel(_ index: Int, reason: String) throws(StoreError) {
        let appointment = appointments[index]
        try execute(
            .scheduling(
                providerStaffID: providers[appointment.providerIndex].staffID,
                .cancel(appointmentID: appointment.appointmentID, reason: reason)),
            as: frontDesk(for: appointment.providerIndex))
        appointments[index].status = .cancelled
        closeOpenAppointment(index)
    }

    /// Removes a finished appointment from its patient's open appointments.
    func closeOpenAppointment(_ index: Int) {
        let patientIndex = appointments[index].patientIndex
        patients[patientIndex].openAppointments.removeAll { $0 == index }
    }

    /// Moves a pending appointment to a free slot one to two weeks later, when there is one.
    private func reschedule(_ index: Int) throws(StoreError) {
        var appointment = appointments[index]
        guard appointment.isPending else { return }
        let provider = providers[appointment.providerIndex]
        let slotsNeeded = appointment.durationMinutes / Self.slotMinutes
        var target: (day: Int64, start: Int)?
        var day = max(appointment.day, today) + random.int64(in: 1...4)
        while target == nil, day <= today + 14 {
            if DemoCalendar.isOfficeDay(day), let slots = occupancy[day]?[appointment.providerIndex] {
                for window in provider.windows(on: day) where target == nil {
                    for start in stride(from: window.startMinuteOfDay, to: window.endMinuteOfDay, by: 15)
                    where start + appointment.durationMinutes <= window.endMinuteOfDay {
                        let first = start / Self.slotMinutes
                        if (first..<(first + slotsNeeded)).allSatisfy({ slots[$0] == 0 }) {
                            target = (day, start)
                            break
                        }
                    }
                }
            }
            day += 1
        }
        guard let target else {
            appointments[index].fate = .seen
            if appointment.day == today { scheduleVisit(index) }
            return
        }
        try execute(
            .scheduling(
                providerStaffID: provider.staffID,
                .reschedule(
                    appointmentID: appointment.appointmentID,
                    startLocalMinutesSince1970: target.day * 1440 + Int64(target.start),
                    durationMinutes: UInt32(appointment.durationMinutes), overbookApproval: nil)),
            as: frontDesk(for: appointment.providerIndex))
        let first = target.start / Self.slotMinutes
        for slot in first..<(first + slotsNeeded) { occupancy[target.day]?[appointment.providerIndex][slot] = 1 }
        appointment.day = target.day
        appointment.startMinuteOfDay = target.start
        appointment.status = .booked
        appointment.fate = random.chance(0.9) ? .seen : .noShow
        appointments[index] = appointment
        appointmentsByVisitDay[target.day, default: []].append(index)
    }

    /// Voids an appointment booked by mistake.
    private func enterInError(_ index: Int) throws(StoreError) {
        let appointment = appointments[index]
        guard appointment.isPending else { return }
        try execute(
            .scheduling(
                providerStaffID: providers[appointment.providerIndex].staffID,
                .enterInError(appointmentID: appointment.appointmentID, reason: "Booked for the wrong patient")),
            as: frontDesk(for: appointment.providerIndex))
        appointments[index].status = .enteredInError
        closeOpenAppointment(index)
    }

    /// Schedules the calls confirming tomorrow's appointments (most patients confirm).
    func scheduleConfirmations() {
        let nextOfficeDay = DemoCalendar.officeDay(onOrAfter: today + 1)
        for index in appointmentsByVisitDay[nextOfficeDay] ?? [] where appointments[index].day == nextOfficeDay {
            let minute = random.int(in: (15 * 60)...(16 * 60 + 30))
            schedule(at: minute, second: random.int(in: 0...59)) { () throws(StoreError) in
                let appointment = self.appointments[index]
                guard appointment.status == .booked, appointment.day == nextOfficeDay, self.random.chance(0.85)
                else { return }
                try self.execute(
                    .scheduling(
                        providerStaffID: self.providers[appointment.providerIndex].staffID,
                        .confirm(appointmentID: appointment.appointmentID)),
                    as: self.frontDesk(for: appointment.providerIndex))
                self.appointments[index].status = .confirmed
            }
        }
    }

    /// Now and then a patient who is sick asks to be seen today when the provider is full: the front desk's
    /// booking over another appointment is refused, then booked again as an overbook the provider approves.
    func scheduleSameDayOverbooks() {
        for providerIndex in providers.indices where happens(.overbook, 0.06, counting: false) {
            let minute = random.int(in: (8 * 60)...(8 * 60 + 40))
            schedule(at: minute) { () throws(StoreError) in try self.overbook(providerIndex: providerIndex) }
        }
    }

    private func overbook(providerIndex: Int) throws(StoreError) {
        let now = nowMinuteOfDay
        let candidates = todaysAppointments.filter {
            let appointment = appointments[$0]
            return appointment.providerIndex == providerIndex && appointment.day == today && appointment.isPending
                && appointment.fate == .seen && appointment.startMinuteOfDay >= now + 90
        }
        guard !candidates.isEmpty, !activePatients.isEmpty else { return }
        let existing = appointments[random.pick(candidates)]
        let patientIndex = activePatients[random.int(in: 0...(activePatients.count - 1))]
        guard patients[patientIndex].visitCount > 0,
            !patients[patientIndex].openAppointments.contains(where: { appointments[$0].day == today })
        else { return }
        let provider = providers[providerIndex]
        let clerk = frontDesk(for: providerIndex)
        let reason = random.int(in: 0...(DemoCatalogue.acuteReasons.count - 1))
        var appointment = DemoAppointment(
            appointmentID: random.eventID(), providerIndex: providerIndex, day: today,
            startMinuteOfDay: existing.startMinuteOfDay, durationMinutes: 15, bookingDay: today,
            bookingMinuteOfDay: now, fate: .seen)
        appointment.patientIndex = patientIndex
        appointment.kind = .acute(reason: reason)
        func booking(_ approval: OverbookApproval?) -> OfficeCommand {
            .scheduling(
                providerStaffID: provider.staffID,
                .book(
                    appointmentID: appointment.appointmentID, patientID: patients[patientIndex].patientID,
                    startLocalMinutesSince1970: today * 1440 + Int64(appointment.startMinuteOfDay),
                    durationMinutes: 15, reason: visitReasonText(appointment.kind), overbookApproval: approval))
        }
        try demonstrateRefusal(booking(nil), as: clerk, expecting: "overlapsAnotherAppointment")
        try execute(
            booking(OverbookApproval(approverStaffID: provider.staffID, approverRole: provider.actor.role)), as: clerk)
        appointment.status = .booked
        let index = appointments.count
        appointments.append(appointment)
        appointmentsByVisitDay[today, default: []].append(index)
        patients[patientIndex].openAppointments.append(index)
        bookingsMade += 1
        happened(.overbook)
        scheduleVisit(index)
    }

    /// Schedules today's visits: arrivals of the patients who come, no-shows of those who do not.
    func scheduleVisits() {
        todaysAppointments = (appointmentsByVisitDay.removeValue(forKey: today) ?? []).filter {
            appointments[$0].day == today
        }
        for index in todaysAppointments { scheduleVisit(index) }
    }

    /// Schedules the arrival (or the no-show) of one of today's appointments.
    func scheduleVisit(_ index: Int) {
        let appointment = appointments[index]
        switch appointment.fate {
        case .noShow:
            schedule(at: appointment.startMinuteOfDay + 20) { () throws(StoreError) in try self.markNoShow(index) }
        case .seen:
            let earliest = appointment.bookingDay == today ? appointment.bookingMinuteOfDay + 5 : 7 * 60
            let arrival = max(earliest, appointment.startMinuteOfDay - random.int(in: 3...15))
            schedule(at: arrival, second: random.int(in: 0...59)) { () throws(StoreError) in
                try self.arrive(index)
            }
        case .cancelled, .rescheduled, .enteredInError:
            break
        }
    }

    private func markNoShow(_ index: Int) throws(StoreError) {
        let appointment = appointments[index]
        guard appointment.isPending else { return }
        try execute(
            .scheduling(
                providerStaffID: providers[appointment.providerIndex].staffID,
                .markNoShow(appointmentID: appointment.appointmentID)),
            as: frontDesk(for: appointment.providerIndex))
        appointments[index].status = .noShow
        closeOpenAppointment(index)
    }
}
