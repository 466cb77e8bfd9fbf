import ClinicEvents
import RecordLog
import XCTest

final class SchemaRegistryTests: XCTestCase {
    private let layout = [FieldSpec("value", .varUInt)]

    private func identity(_ from: UInt32, _ to: UInt32) -> Upcaster {
        Upcaster(eventType: "Thing", fromVersion: from, toVersion: to) { $0 }
    }

    private func registry(current: UInt32, versions: [UInt32], upcasters: [Upcaster]) -> SchemaRegistry {
        var registry = SchemaRegistry()
        registry.declare(eventType: "Thing", currentVersion: current)
        for version in versions { registry.register(EventSchema(eventType: "Thing", version: version, layout: layout)) }
        for upcaster in upcasters { registry.register(upcaster) }
        return registry
    }

    private func validationError(_ registry: SchemaRegistry) -> SchemaRegistryError? {
        do {
            try registry.validate()
            return nil
        } catch {
            return error
        }
    }

    func testTheStandardRegistryIsValid() throws {
        XCTAssertNoThrow(try EventCodec.makeStandardRegistry().validate())
        XCTAssertEqual(EventCodec.makeStandardRegistry().currentVersion(of: "PatientRegistered"), 3)
    }

    func testACompleteChainIsValid() {
        let chain = [identity(1, 2), identity(2, 3)]
        XCTAssertNil(validationError(registry(current: 3, versions: [1, 2, 3], upcasters: chain)))
        XCTAssertNil(validationError(registry(current: 1, versions: [1], upcasters: [])))
    }

    func testAGapIsRefused() {
        XCTAssertEqual(
            validationError(registry(current: 3, versions: [1, 2, 3], upcasters: [identity(1, 2)])),
            .gap(eventType: "Thing", fromVersion: 2))
        XCTAssertEqual(
            validationError(registry(current: 3, versions: [1, 3], upcasters: [identity(1, 2), identity(2, 3)])),
            .missingSchema(eventType: "Thing", version: 2))
        XCTAssertEqual(
            validationError(registry(current: 3, versions: [1, 2, 3], upcasters: [identity(1, 3), identity(2, 3)])),
            .skipsVersion(eventType: "Thing", fromVersion: 1, toVersion: 3))
        XCTAssertEqual(
            validationError(registry(current: 2, versions: [1], upcasters: [identity(1, 2)])),
            .missingSchema(eventType: "Thing", version: 2))
    }

    func testACycleIsRefused() {
        XCTAssertEqual(
            validationError(registry(current: 3, versions: [1, 2, 3], upcasters: [identity(1, 2), identity(2, 1)])),
            .cycle(eventType: "Thing", fromVersion: 2))
        XCTAssertEqual(
            validationError(registry(current: 2, versions: [1, 2], upcasters: [identity(1, 1)])),
            .cycle(eventType: "Thing", fromVersion: 1))
    }

    func testDuplicatesAreRefused() {
        XCTAssertEqual(
            validationError(registry(current: 2, versions: [1, 2], upcasters: [identity(1, 2), identity(1, 2)])),
            .duplicateUpcaster(eventType: "Thing", fromVersion: 1))
        XCTAssertEqual(
            validationError(registry(current: 2, versions: [1, 2, 2], upcasters: [identity(1, 2)])),
            .duplicateSchema(eventType: "Thing", version: 2))
        var twice = registry(current: 1, versions: [1], upcasters: [])
        twice.declare(eventType: "Thing", currentVersion: 2)
        XCTAssertEqual(validationError(twice), .duplicateEventType(eventType: "Thing"))
    }

    func testStrayRegistrationsAreRefused() {
        XCTAssertEqual(
            validationError(registry(current: 2, versions: [1, 2], upcasters: [identity(1, 2), identity(2, 3)])),
            .beyondCurrentVersion(eventType: "Thing", fromVersion: 2))
        XCTAssertEqual(
            validationError(registry(current: 0, versions: [], upcasters: [])), .versionZero(eventType: "Thing"))
        var stray = registry(current: 1, versions: [1], upcasters: [])
        stray.register(EventSchema(eventType: "Other", version: 1, layout: layout))
        XCTAssertEqual(validationError(stray), .undeclaredEventType(eventType: "Other"))
    }

    func testACodecRefusesAnInvalidRegistry() {
        XCTAssertThrowsError(try EventCodec(registry: registry(current: 2, versions: [1, 2], upcasters: [])))
    }

    func testUpcastingRunsTheWholeChain() throws {
        let chain = [
            Upcaster(eventType: "Thing", fromVersion: 1, toVersion: 2) { fields in
                var next = fields
                next["label"] = .string("none")
                return next
            },
            Upcaster(eventType: "Thing", fromVersion: 2, toVersion: 3) { fields in
                var next = fields
                guard case .unsigned(let value)? = fields["value"] else { throw UpcastTestError.wrongShape }
                next["value"] = .unsigned(value * 100)
                return next
            },
        ]
        var registry = SchemaRegistry()
        registry.declare(eventType: "Thing", currentVersion: 3)
        registry.register(EventSchema(eventType: "Thing", version: 1, layout: layout))
        let later = layout + [FieldSpec("label", .string(byteCountMax: 8))]
        registry.register(EventSchema(eventType: "Thing", version: 2, layout: later))
        registry.register(EventSchema(eventType: "Thing", version: 3, layout: later))
        for upcaster in chain { registry.register(upcaster) }
        try registry.validate()

        let fromVersion1 = try [UInt8]([0x07]).withUnsafeBytes {
            try registry.upcastBody(eventType: "Thing", version: 1, body: $0)
        }
        XCTAssertEqual(fromVersion1, [0xBC, 0x05, 4] + Array("none".utf8))
        let fromVersion2 = try [UInt8]([0x07, 0x01, 0x61]).withUnsafeBytes {
            try registry.upcastBody(eventType: "Thing", version: 2, body: $0)
        }
        XCTAssertEqual(fromVersion2, [0xBC, 0x05, 1, 0x61])
        XCTAssertThrowsError(
            try [UInt8]([0x07, 0x00]).withUnsafeBytes {
                try registry.upcastBody(eventType: "Thing", version: 1, body: $0)
            }
        ) { XCTAssertEqual(($0 as? EventDecodingError)?.kind, .trailingBytes(count: 1)) }
        XCTAssertThrowsError(
            try [UInt8]([0x07]).withUnsafeBytes { try registry.upcastBody(eventType: "Thing", version: 4, body: $0) }
        ) { XCTAssertEqual(($0 as? EventDecodingError)?.kind, .unsupportedSchemaVersion) }
    }

    func testAnUpcasterThatBreaksTheLayoutIsATypedError() throws {
        var registry = SchemaRegistry()
        registry.declare(eventType: "Thing", currentVersion: 2)
        registry.register(EventSchema(eventType: "Thing", version: 1, layout: layout))
        registry.register(EventSchema(eventType: "Thing", version: 2, layout: layout))
        registry.register(Upcaster(eventType: "Thing", fromVersion: 1, toVersion: 2) { _ in EventFields() })
        try registry.validate()
        XCTAssertThrowsError(
            try [UInt8]([0x07]).withUnsafeBytes { try registry.upcastBody(eventType: "Thing", version: 1, body: $0) }
        ) { XCTAssertEqual($0 as? EventDecodingError, EventDecodingError(.upcastFailed, field: "value", offset: 0)) }
    }
}

private enum UpcastTestError: Error {
    case wrongShape
}
