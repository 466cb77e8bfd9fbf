import ClinicEvents
import RecordLog
import XCTest

final class CoverageStateTests: XCTestCase {
    private static func id(_ low: UInt64) -> EventID { EventID(high: 0xC0FE, low: low) }
    private static let patientID = id(1)
    private static let payerID = id(2)

    private static func add(
        _ coverage: UInt64, order: CoverageOrder, from first: Int64, to last: Int64?
    ) -> CoverageCommand {
        .addCoverage(
            coverageID: id(coverage), payerID: payerID, memberID: "XJ-4471", order: order, copayCents: 2_500,
            effectiveDaysSince1970: first, terminationDaysSince1970: last)
    }

    private func refusal(_ command: CoverageCommand, on state: CoverageState, role: StaffRole = .frontDesk)
        -> CoverageRefusal?
    {
        do {
            _ = try state.decide(command, role: role)
            return nil
        } catch {
            return error
        }
    }

    private func after(_ commands: [CoverageCommand]) throws -> CoverageState {
        try commands.reduce(CoverageState(patientID: Self.patientID)) { state, command in
            state.applying(try state.decide(command, role: .biller).events)
        }
    }

    func testNoTwoCoveragesOfTheSameOrderShareADay() throws {
        let state = try after([Self.add(10, order: .primary, from: 20_000, to: 20_364)])
        XCTAssertEqual(
            refusal(Self.add(11, order: .primary, from: 20_364, to: nil), on: state),
            .orderAlreadyCovered(order: .primary))
        XCTAssertNil(refusal(Self.add(11, order: .primary, from: 20_365, to: nil), on: state))
        XCTAssertNil(refusal(Self.add(11, order: .secondary, from: 20_100, to: nil), on: state))
    }

    func testEndingACoverageFreesItsOrderForLaterDays() throws {
        let state = try after([
            Self.add(10, order: .primary, from: 20_000, to: nil),
            .endCoverage(coverageID: Self.id(10), terminationDaysSince1970: 20_199),
        ])
        XCTAssertEqual(state.coverages[Self.id(10)]?.terminationDaysSince1970, 20_199)
        XCTAssertNil(refusal(Self.add(11, order: .primary, from: 20_200, to: nil), on: state))
        XCTAssertEqual(
            refusal(.endCoverage(coverageID: Self.id(10), terminationDaysSince1970: 20_300), on: state),
            .coverageAlreadyEnded)
        XCTAssertEqual(state.coverages(onDay: 20_100).map(\.added.coverageID), [Self.id(10)])
        XCTAssertEqual(state.coverages(onDay: 20_200), [])
    }

    func testCoverageCommandsNeedAnExistingCoverageAndAPermittedRole() throws {
        let state = try after([Self.add(10, order: .primary, from: 20_000, to: nil)])
        let check = CoverageCommand.recordEligibility(
            coverageID: Self.id(99), result: .active, checkedAtMicroseconds: 1_764_406_800_000_000)
        XCTAssertEqual(refusal(check, on: state), .coverageNotFound)
        XCTAssertEqual(refusal(Self.add(10, order: .tertiary, from: 1, to: nil), on: state), .coverageIDAlreadyUsed)
        XCTAssertEqual(
            refusal(.endCoverage(coverageID: Self.id(10), terminationDaysSince1970: 19_999), on: state),
            .terminationBeforeEffective)
        XCTAssertEqual(
            refusal(Self.add(11, order: .secondary, from: 1, to: nil), on: state, role: .physician),
            .roleNotPermitted(command: "addCoverage", role: .physician))
        let checked = try after([
            Self.add(10, order: .primary, from: 20_000, to: nil),
            .recordEligibility(coverageID: Self.id(10), result: .inactive, checkedAtMicroseconds: 5),
        ])
        XCTAssertEqual(checked.coverages[Self.id(10)]?.latestEligibility?.result, .inactive)
    }

    func testEveryInsuranceEventRoundTripsExactly() throws {
        let seenTypes = try roundTripEveryEvent(seed: 0x1A5) { try $0.insuranceEvent() }
        XCTAssertEqual(seenTypes.count, 4)
    }
}
