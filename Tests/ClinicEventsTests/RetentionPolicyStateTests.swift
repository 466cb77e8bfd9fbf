import ClinicEvents
import RecordLog
import XCTest

final class RetentionPolicyStateTests: XCTestCase {
    func testThePolicyInForceIsTheLastOneSet() throws {
        let first = try RetentionPolicySet(years: 10, minorYears: 3)
        let second = try RetentionPolicySet(years: 7, minorYears: 0)
        let state = RetentionPolicyState().applying([.retentionPolicySet(first), .retentionPolicySet(second)])
        XCTAssertEqual(state.current, second)
        XCTAssertEqual(state.streamVersion, 2)
        XCTAssertNil(RetentionPolicyState().current)
        XCTAssertEqual(RetentionPolicyState.streamName, "retention")
    }

    func testSettingDecidesOneEventUnlessThatPolicyIsInForce() throws {
        let empty = RetentionPolicyState()
        let decision = try empty.decide(.setPolicy(years: 10, minorYears: 3), by: .officeManager)
        let tenYears = try RetentionPolicySet(years: 10, minorYears: 3)
        XCTAssertEqual(
            decision,
            StreamDecision(stream: "retention", decidedOnStreamVersion: 0, events: [.retentionPolicySet(tenYears)]))
        let set = empty.applying(decision.events)
        XCTAssertEqual(
            try set.decide(.setPolicy(years: 10, minorYears: 3), by: .officeManager),
            StreamDecision(stream: "retention", decidedOnStreamVersion: 1, events: []),
            "the same policy again: nothing")
        XCTAssertEqual(
            try set.decide(.setPolicy(years: 10, minorYears: 0), by: .officeManager).events,
            [.retentionPolicySet(try RetentionPolicySet(years: 10, minorYears: 0))], "a change of minor years")
        let back = set.applying([.retentionPolicySet(try RetentionPolicySet(years: 8, minorYears: 0))])
        XCTAssertEqual(
            try back.decide(.setPolicy(years: 10, minorYears: 3), by: .officeManager).events,
            [.retentionPolicySet(tenYears)], "back to an earlier policy is a change")
    }

    func testOnlyTheOfficeManagerSetsItAndValuesOutOfRangeAreRefused() throws {
        for role in StaffRole.allCases where role != .officeManager {
            XCTAssertThrowsError(try RetentionPolicyState().decide(.setPolicy(years: 10, minorYears: 3), by: role)) {
                XCTAssertEqual(
                    $0 as? RetentionPolicyRefusal, .roleNotPermitted(command: "setRetentionPolicy", role: role))
            }
        }
        XCTAssertThrowsError(
            try RetentionPolicyState().decide(.setPolicy(years: 5, minorYears: 3), by: .officeManager)
        ) {
            XCTAssertEqual($0 as? RetentionPolicyRefusal, .detailsInvalid(rule: "yearsOutOfRange"))
        }
        XCTAssertThrowsError(
            try RetentionPolicyState().decide(.setPolicy(years: 10, minorYears: 101), by: .officeManager)
        ) {
            XCTAssertEqual($0 as? RetentionPolicyRefusal, .detailsInvalid(rule: "minorYearsOutOfRange"))
        }
    }
}
