import ClinicEvents
import RecordLog
import XCTest

final class EffectiveTimePolicyTests: XCTestCase {
    private let now: Int64 = 1_764_406_800_000_000
    private let minute: Int64 = 60_000_000

    func testAnEffectiveTimeUpToTheToleranceIntoTheFutureIsAccepted() throws {
        let policy = EffectiveTimePolicy()
        XCTAssertEqual(policy.futureToleranceMicroseconds, 5 * minute)
        try policy.check(effectiveTimeMicroseconds: now, nowMicroseconds: now, reason: nil)
        try policy.check(effectiveTimeMicroseconds: now + 5 * minute, nowMicroseconds: now, reason: nil)
        XCTAssertThrowsError(
            try policy.check(effectiveTimeMicroseconds: now + 5 * minute + 1, nowMicroseconds: now, reason: "why")
        ) {
            XCTAssertEqual($0 as? EffectiveTimeRefusal, .inFuture(toleranceMicroseconds: 5 * minute))
            XCTAssertEqual(
                ($0 as? EffectiveTimeRefusal)?.message,
                "The effective time is more than 5 minutes in the future; give the time it happened, now or earlier.")
        }
        XCTAssertThrowsError(try policy.check(effectiveTimeMicroseconds: .max, nowMicroseconds: .min, reason: nil))
    }

    func testTheToleranceIsConfigurable() throws {
        let strict = EffectiveTimePolicy(futureToleranceMicroseconds: 0)
        XCTAssertThrowsError(try strict.check(effectiveTimeMicroseconds: now + 1, nowMicroseconds: now, reason: nil))
        let loose = EffectiveTimePolicy(futureToleranceMicroseconds: 60 * minute)
        try loose.check(effectiveTimeMicroseconds: now + 59 * minute, nowMicroseconds: now, reason: nil)
        XCTAssertThrowsError(
            try loose.check(effectiveTimeMicroseconds: now + 61 * minute, nowMicroseconds: now, reason: nil)
        ) {
            XCTAssertTrue(($0 as? EffectiveTimeRefusal)?.message.contains("1 hour in the future") ?? false)
        }
    }

    func testALateEntryOlderThanTheLimitNeedsAReason() throws {
        let policy = EffectiveTimePolicy()
        let day = 24 * 60 * minute
        try policy.check(effectiveTimeMicroseconds: now - day, nowMicroseconds: now, reason: nil)
        try policy.check(effectiveTimeMicroseconds: now - day - 1, nowMicroseconds: now, reason: "paper chart")
        for reason in [nil, ""] as [String?] {
            XCTAssertThrowsError(
                try policy.check(effectiveTimeMicroseconds: now - day - 1, nowMicroseconds: now, reason: reason)
            ) {
                XCTAssertEqual($0 as? EffectiveTimeRefusal, .lateEntryWithoutReason(limitMicroseconds: day))
                XCTAssertEqual(
                    ($0 as? EffectiveTimeRefusal)?.message,
                    "An entry dated more than 24 hours ago is a late entry; give the reason for the late entry.")
            }
        }
        let never = EffectiveTimePolicy(lateEntryReasonAfterMicroseconds: nil)
        try never.check(effectiveTimeMicroseconds: .min, nowMicroseconds: now, reason: nil)
    }

    func testAnEnvelopeIsCheckedWithItsTimeAndReason() throws {
        let envelope = try EventEnvelope(
            stream: "chart-1", eventID: EventID(high: 1, low: 1), eventType: "NoteSigned", schemaVersion: 2,
            recordedTimeMicroseconds: now, effectiveTimeMicroseconds: now - 3 * 24 * 60 * minute,
            actorStaffID: StaffID("dr-lee"), actorRole: .physician, reason: "late entry: power outage")
        try EffectiveTimePolicy().check(envelope, nowMicroseconds: now)
        let future = try EventEnvelope(
            stream: "chart-1", eventID: EventID(high: 1, low: 2), eventType: "NoteSigned", schemaVersion: 2,
            recordedTimeMicroseconds: now, effectiveTimeMicroseconds: now + 10 * minute,
            actorStaffID: StaffID("dr-lee"), actorRole: .physician)
        XCTAssertThrowsError(try EffectiveTimePolicy().check(future, nowMicroseconds: now))
    }
}
