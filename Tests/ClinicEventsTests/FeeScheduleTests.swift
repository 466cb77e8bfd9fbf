import ClinicEvents
import RecordLog
import XCTest

final class FeeScheduleTests: XCTestCase {
    private static func procedure(_ code: String = "99213", _ modifiers: [String] = []) throws -> ProcedureCode {
        try ProcedureCode(code: code, modifiers: modifiers)
    }

    private static func set(
        _ code: String = "99213", _ modifiers: [String] = [], cents: Int64, from day: Int64,
        _ description: String? = nil
    ) throws -> ClinicEvent {
        .feeScheduled(
            try FeeScheduled(
                procedure: try procedure(code, modifiers), amount: try MoneyCents(cents: cents),
                effectiveDaysSince1970: day, procedureDescription: description))
    }

    private static func withdraw(_ code: String = "99213", _ modifiers: [String] = [], from day: Int64) throws
        -> ClinicEvent
    {
        .feeWithdrawn(try FeeWithdrawn(procedure: try procedure(code, modifiers), effectiveDaysSince1970: day))
    }

    /// The fee in cents of `code` with `modifiers` on `day`, nil when none is in force.
    private func cents(
        _ schedule: FeeSchedule, _ code: String = "99213", _ modifiers: [String] = [], on day: Int64
    ) throws -> Int64? {
        schedule.fee(for: try Self.procedure(code, modifiers), onDaysSince1970: day)?.amount.cents
    }

    /// The fee in cents of 99213 with `modifiers` on `day`.
    private func cents(_ schedule: FeeSchedule, _ modifiers: [String], on day: Int64) throws -> Int64? {
        try cents(schedule, "99213", modifiers, on: day)
    }

    func testTheFeeOfADayIsTheLatestEntryEffectiveOnOrBeforeIt() throws {
        let schedule = FeeSchedule().applying([
            try Self.set(cents: 10_000, from: 20_000), try Self.set(cents: 11_000, from: 20_454),
        ])
        XCTAssertNil(try cents(schedule, on: 19_999))
        XCTAssertEqual(try cents(schedule, on: 20_000), 10_000)
        XCTAssertEqual(try cents(schedule, on: 20_453), 10_000)
        XCTAssertEqual(try cents(schedule, on: 20_454), 11_000)
        XCTAssertEqual(try cents(schedule, on: 30_000), 11_000)
        XCTAssertNil(try cents(schedule, "99214", on: 20_454), "another code has no fee")
        XCTAssertEqual(schedule.streamVersion, 2)
    }

    func testALateEntryTakesEffectBetweenTheEntriesAroundItAndTheSameDayIsReplaced() throws {
        let schedule = FeeSchedule().applying([
            try Self.set(cents: 10_000, from: 20_000), try Self.set(cents: 11_000, from: 20_454),
            // Entered later, dated between the two.
            try Self.set(cents: 10_500, from: 20_200),
            // Entered later again, for a day that already has an entry: it replaces that entry.
            try Self.set(cents: 12_000, from: 20_454, "Level 3 visit"),
        ])
        XCTAssertEqual(try cents(schedule, on: 20_199), 10_000)
        XCTAssertEqual(try cents(schedule, on: 20_200), 10_500)
        XCTAssertEqual(try cents(schedule, on: 20_453), 10_500)
        XCTAssertEqual(try cents(schedule, on: 20_454), 12_000)
        XCTAssertEqual(
            schedule.fee(for: try Self.procedure(), onDaysSince1970: 20_500),
            ScheduledFee(
                procedure: try Self.procedure(), amount: try MoneyCents(cents: 12_000), effectiveDaysSince1970: 20_454,
                procedureDescription: "Level 3 visit"))
        XCTAssertEqual(schedule.fees(onDaysSince1970: 20_500).count, 1, "one fee per code and modifiers")
    }

    func testAFeeForTheExactModifiersWinsOverTheCodesDefault() throws {
        let schedule = FeeSchedule().applying([
            try Self.set(cents: 10_000, from: 20_000),
            try Self.set("99213", ["59", "25"], cents: 13_000, from: 20_100),
        ])
        XCTAssertEqual(try cents(schedule, ["25", "59"], on: 20_150), 13_000, "the same set in another order")
        XCTAssertEqual(try cents(schedule, ["59", "25"], on: 20_150), 13_000)
        XCTAssertEqual(try cents(schedule, ["25"], on: 20_150), 10_000, "another set takes the default")
        XCTAssertEqual(try cents(schedule, ["25", "59", "LT"], on: 20_150), 10_000)
        XCTAssertEqual(try cents(schedule, ["25", "59"], on: 20_050), 10_000, "before the modifier fee starts")
        XCTAssertEqual(try cents(schedule, on: 20_150), 10_000)
        XCTAssertEqual(
            schedule.fee(for: try Self.procedure("99213", ["59", "25"]), onDaysSince1970: 20_150)?.procedure,
            try Self.procedure("99213", ["25", "59"]), "modifiers are kept in code order")
        XCTAssertNil(try cents(schedule, "99214", ["25"], on: 20_150))
    }

    func testAWithdrawnFeeStopsOnItsDayAndAWithdrawnModifierFeeFallsBackToTheDefault() throws {
        let schedule = FeeSchedule().applying([
            try Self.set(cents: 10_000, from: 20_000), try Self.set("99213", ["25"], cents: 13_000, from: 20_100),
            try Self.withdraw("99213", ["25"], from: 20_300), try Self.withdraw(from: 20_400),
            try Self.set(cents: 14_000, from: 20_500),
        ])
        XCTAssertEqual(try cents(schedule, ["25"], on: 20_299), 13_000)
        XCTAssertEqual(try cents(schedule, ["25"], on: 20_300), 10_000)
        XCTAssertEqual(try cents(schedule, on: 20_399), 10_000)
        XCTAssertNil(try cents(schedule, on: 20_400))
        XCTAssertNil(try cents(schedule, ["25"], on: 20_499))
        XCTAssertEqual(try cents(schedule, on: 20_500), 14_000)
        XCTAssertEqual(try cents(schedule, ["25"], on: 20_500), 14_000)
        XCTAssertEqual(schedule.streamVersion, 5)
    }

    func testTheListOfADayHasEveryFeeInForceByCodeThenModifiers() throws {
        let schedule = FeeSchedule().applying([
            try Self.set("G0439", cents: 12_000, from: 20_000),
            try Self.set("99213", ["25"], cents: 9_000, from: 20_000),
            try Self.set(cents: 10_000, from: 20_000), try Self.set("36415", cents: 1_200, from: 20_100),
            try Self.set("80053", cents: 3_000, from: 20_000), try Self.withdraw("80053", from: 20_050),
        ])
        func listed(_ day: Int64) -> [String] {
            schedule.fees(onDaysSince1970: day).map { "\($0.procedure) \($0.amount)" }
        }
        XCTAssertEqual(listed(20_100), ["36415 12.00", "99213 100.00", "99213-25 90.00", "G0439 120.00"])
        XCTAssertEqual(listed(20_000), ["80053 30.00", "99213 100.00", "99213-25 90.00", "G0439 120.00"])
        XCTAssertEqual(listed(19_999), [])
    }

    func testEventsOfOtherStreamsOnlyCountTowardsTheVersion() throws {
        var generator = EventGenerator(seed: 0xFEE0)
        let schedule = FeeSchedule().applying([try Self.set(cents: 10_000, from: 20_000)])
        for _ in 0..<300 {
            let event = try generator.event()
            if case .feeScheduled = event { continue }
            if case .feeWithdrawn = event { continue }
            let after = schedule.applying(event)
            XCTAssertEqual(after.fees(onDaysSince1970: 20_000), schedule.fees(onDaysSince1970: 20_000))
            XCTAssertEqual(after.streamVersion, 2)
        }
    }

    // MARK: Decisions

    func testSettingAFeeRecordsItWithItsModifiersInCodeOrderOnTheVersionDecidedOn() throws {
        let schedule = FeeSchedule().applying([try Self.set(cents: 10_000, from: 20_000)])
        let decision = try schedule.decide(
            .setFee(
                procedure: try Self.procedure("99213", ["59", "25"]), amount: try MoneyCents(cents: 13_000),
                effectiveDaysSince1970: 20_100, procedureDescription: "Visit with separate procedure"),
            by: .biller)
        XCTAssertEqual(decision.stream, "fees")
        XCTAssertEqual(decision.decidedOnStreamVersion, 1)
        XCTAssertEqual(
            decision.events,
            [try Self.set("99213", ["25", "59"], cents: 13_000, from: 20_100, "Visit with separate procedure")])
    }

    func testTheSameFeeFromTheSameDayDecidesNothingAndAChangeIsRecorded() throws {
        let schedule = FeeSchedule().applying([try Self.set("99213", ["25", "59"], cents: 10_000, from: 20_000, "V")])
        func decide(_ modifiers: [String], cents: Int64, day: Int64 = 20_000, _ description: String? = "V") throws
            -> [ClinicEvent]
        {
            try schedule.decide(
                .setFee(
                    procedure: try Self.procedure("99213", modifiers), amount: try MoneyCents(cents: cents),
                    effectiveDaysSince1970: day, procedureDescription: description),
                by: .officeManager
            ).events
        }
        XCTAssertEqual(try decide(["25", "59"], cents: 10_000), [])
        XCTAssertEqual(try decide(["59", "25"], cents: 10_000), [], "the same modifiers in another order")
        XCTAssertEqual(try decide(["25", "59"], cents: 10_001).count, 1, "another amount")
        XCTAssertEqual(try decide(["25", "59"], cents: 10_000, nil).count, 1, "another description")
        XCTAssertEqual(try decide(["25", "59"], cents: 10_000, day: 20_001).count, 1, "another day")
        XCTAssertEqual(try decide(["25"], cents: 10_000).count, 1, "other modifiers")
    }

    func testAFeeCommandIsRefusedByRoleAndFieldRules() throws {
        let schedule = FeeSchedule()
        func refusal(_ command: FeeScheduleCommand, by role: StaffRole = .biller) -> FeeScheduleRefusal? {
            do {
                _ = try schedule.decide(command, by: role)
                return nil
            } catch {
                return error
            }
        }
        func set(cents: Int64, day: Int64 = 20_000, _ description: String? = nil) throws -> FeeScheduleCommand {
            .setFee(
                procedure: try Self.procedure(), amount: try MoneyCents(cents: cents), effectiveDaysSince1970: day,
                procedureDescription: description)
        }
        for role in StaffRole.allCases where ![.biller, .officeManager].contains(role) {
            XCTAssertEqual(
                refusal(try set(cents: 100), by: role), .roleNotPermitted(command: "setFee", role: role), "\(role)")
        }
        XCTAssertEqual(refusal(try set(cents: 0)), .detailsInvalid(rule: "amountOutOfRange"))
        XCTAssertEqual(refusal(try set(cents: 100, day: 80_001)), .detailsInvalid(rule: "dateOutOfRange"))
        XCTAssertEqual(refusal(try set(cents: 100, "")), .detailsInvalid(rule: "descriptionLength"))
        XCTAssertNil(refusal(try set(cents: 100)))
        XCTAssertEqual(
            refusal(.withdrawFee(procedure: try Self.procedure(), effectiveDaysSince1970: 20_000), by: .frontDesk),
            .roleNotPermitted(command: "withdrawFee", role: .frontDesk))
        XCTAssertTrue(FeeScheduleRefusal.feeNotFound(procedure: try Self.procedure()).message.contains("99213"))
    }

    func testAWithdrawalNamesAFeeInForceOnItsDayWithExactlyItsModifiers() throws {
        let schedule = FeeSchedule().applying([
            try Self.set(cents: 10_000, from: 20_000), try Self.set("99213", ["25"], cents: 9_000, from: 20_100),
            try Self.withdraw("99213", ["25"], from: 20_300),
        ])
        func withdraw(_ modifiers: [String], from day: Int64) throws -> [ClinicEvent]? {
            let procedure = try Self.procedure("99213", modifiers)
            do {
                return try schedule.decide(
                    .withdrawFee(procedure: procedure, effectiveDaysSince1970: day), by: .biller
                ).events
            } catch {
                XCTAssertEqual(error, .feeNotFound(procedure: procedure))
                return nil
            }
        }
        XCTAssertEqual(try withdraw([], from: 20_200), [try Self.withdraw(from: 20_200)])
        XCTAssertEqual(try withdraw(["25"], from: 20_150), [try Self.withdraw("99213", ["25"], from: 20_150)])
        XCTAssertNil(try withdraw([], from: 19_999), "no fee in force before the first one")
        XCTAssertNil(try withdraw(["25"], from: 20_050), "the modifier fee starts later")
        XCTAssertNil(try withdraw(["59"], from: 20_200), "no fee for exactly these modifiers")
        XCTAssertNil(try withdraw(["25"], from: 20_301), "already withdrawn")
        XCTAssertEqual(try withdraw(["25"], from: 20_300), [], "the same withdrawal again decides nothing")
    }
}
