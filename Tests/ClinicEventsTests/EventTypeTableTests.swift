import RecordLog
import RecordLogTesting
import XCTest

@testable import ClinicEvents

/// The lookup of event types by the bytes of their names, and the decoding that uses it, against the general path
/// (the type found by its name string through the registry).
final class EventTypeTableTests: XCTestCase {
    func testEveryCatalogueTypeIsFoundAtItsOwnEntry() throws {
        let table = EventTypeTable(registry: EventCodec.makeStandardRegistry())
        XCTAssertEqual(table.entries.map(\.name), ClinicEvent.bodyTypes.map { $0.eventType })
        for (index, bodyType) in ClinicEvent.bodyTypes.enumerated() {
            let found = Array(bodyType.eventType.utf8).withUnsafeBytes { table.index(of: $0) }
            XCTAssertEqual(found, index, bodyType.eventType)
            XCTAssertEqual(table.entries[index].currentVersion, bodyType.currentSchemaVersion, bodyType.eventType)
        }
    }

    func testNamesOutsideTheCatalogueAreNotFound() {
        let table = EventTypeTable(registry: EventCodec.makeStandardRegistry())
        let names = [
            "", "P", "patientRegistered", "PatientRegistere", "PatientRegisteredX", "PatientRegistered ",
            "ChargePosted\u{0}", "Unknown", String(repeating: "A", count: 64),
        ]
        for name in names {
            XCTAssertNil(Array(name.utf8).withUnsafeBytes { table.index(of: $0) }, name)
        }
    }

    /// A name one byte away from a catalogue name (any byte changed, one cut off the end, one added) is found only when
    /// it is itself a catalogue name; so is any name shorter than 8 or longer than 32 bytes: the word-wise comparison
    /// covers every byte of every length.
    func testNamesOneByteAwayFromACatalogueNameAreNotFound() {
        let table = EventTypeTable(registry: EventCodec.makeStandardRegistry())
        let catalogue = Dictionary(uniqueKeysWithValues: table.entries.enumerated().map { (Array($1.name.utf8), $0) })
        func index(of name: [UInt8]) -> Int? { name.withUnsafeBytes { table.index(of: $0) } }
        var checked = 0
        for name in catalogue.keys {
            var variants = [Array(name.dropLast()), name + [0x73], name + [0x00], [0x41] + name]
            for position in name.indices {
                for replacement in [name[position] ^ 0x20, name[position] ^ 0x01, 0x00, 0x7F, 0xFF] {
                    var variant = name
                    variant[position] = replacement
                    variants.append(variant)
                }
            }
            for variant in variants {
                XCTAssertEqual(index(of: variant), catalogue[variant], String(decoding: variant, as: UTF8.self))
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 5_000)
        for count in [0, 1, 7, 33, 64] {
            XCTAssertNil(index(of: [UInt8](repeating: 0x41, count: count)), "\(count)")
        }
    }

    /// The body reader at each index of `ClinicEvent.bodyTypes` reads a body of that type: every generated event's
    /// body, read by its type's index, is the event.
    func testEveryBodyTypeIndexReadsItsOwnType() throws {
        var generator = EventGenerator(seed: 0xB0D1)
        var seen: Set<Int> = []
        for _ in 0..<1_500 {
            let event = try generator.event()
            guard let index = ClinicEvent.bodyTypes.firstIndex(where: { $0.eventType == event.eventType }) else {
                return XCTFail("\(event.eventType) is not in the catalogue")
            }
            var encoder = BinaryEncoder()
            event.encode(into: &encoder)
            let body = encoder.bytes
            XCTAssertEqual(
                try BinaryDecoder.decode(body) { try ClinicEvent.decodeCurrent(bodyTypeIndex: index, from: &$0) },
                event)
            seen.insert(index)
        }
        XCTAssertEqual(seen.count, ClinicEvent.bodyTypes.count)
    }

    func testATypeTheRegistryDoesNotDeclareIsUnknown() throws {
        var registry = SchemaRegistry()
        for bodyType in ClinicEvent.bodyTypes where bodyType.eventType != ChargePosted.eventType {
            registry.declare(eventType: bodyType.eventType, currentVersion: bodyType.currentSchemaVersion)
            for schema in bodyType.schemas { registry.register(schema) }
            for upcaster in bodyType.upcasters { registry.register(upcaster) }
        }
        let codec = try EventCodec(registry: registry)
        var generator = EventGenerator(seed: 0x7AB1)
        let event = ClinicEvent.chargePosted(try generator.chargePosted())
        let payload = try EventCodec().encode(event, envelope: try generator.envelope(for: event))
        XCTAssertThrowsError(try codec.decode(payload)) { error in
            XCTAssertEqual(
                error as? EventDecodingError,
                EventDecodingError(.unknownEventType, field: "envelope.eventType", offset: 0))
        }
    }

    /// Every generated event of every type, in clear and sealed, decoded withheld, opened and erased, decodes to the
    /// same value through the table as through the general path.
    func testDecodingThroughTheTableEqualsTheGeneralPath() throws {
        let codec = try EventCodec()
        let table = EventTypeTable(registry: codec.registry)
        var generator = EventGenerator(seed: 0xFA57)
        let random = RandomByteSource(SeededRandomNumberGenerator(seed: 0xFA58))
        let keyring = PatientKeyring(masterKey: MasterKey.make(using: random), random: random)
        let sealer = PatientDataSealer(keyring: keyring, random: random)
        var seenTypes: Set<String> = []
        var sealedPayloads: [(payload: [UInt8], patientID: EventID?)] = []
        for _ in 0..<2_000 {
            let event = try generator.event()
            let envelope = try generator.envelope(for: event)
            if let patientID = event.subjectPatientID, keyring.wrappedKey(for: patientID) == nil {
                try keyring.createKey(for: patientID)
            }
            let clear = try codec.encode(event, envelope: envelope)
            let sealed = try codec.encode(event, envelope: envelope, sealingWith: sealer)
            for payload in [clear, sealed] {
                for opening in [nil, keyring] {
                    let fast = try decode(payload, codec: codec, opening: opening, eventTypes: table).get()
                    XCTAssertEqual(fast, try decode(payload, codec: codec, opening: opening, eventTypes: nil).get())
                    XCTAssertTrue(fast.envelope.eventType == event.eventType)
                }
            }
            XCTAssertEqual(try codec.decode(sealed, opening: keyring), DecodedEvent(envelope: envelope, event: event))
            sealedPayloads.append((sealed, event.subjectPatientID))
            seenTypes.insert(event.eventType)
        }
        for (payload, patientID) in sealedPayloads.prefix(300) {
            if let patientID { keyring.destroyKey(for: patientID) }
            let fast = try decode(payload, codec: codec, opening: keyring, eventTypes: table).get()
            XCTAssertEqual(fast, try decode(payload, codec: codec, opening: keyring, eventTypes: nil).get())
        }
        XCTAssertEqual(seenTypes, Set(ClinicEvent.bodyTypes.map { $0.eventType }))
    }

    /// Damaged payloads (every envelope byte and some body bytes changed, truncations) are refused through the table
    /// with the very error of the general path, or decode to the same value.
    func testDamagedPayloadsFailAsOnTheGeneralPath() throws {
        let codec = try EventCodec()
        let table = EventTypeTable(registry: codec.registry)
        var generator = EventGenerator(seed: 0xDA3A)
        let random = RandomByteSource(SeededRandomNumberGenerator(seed: 0xDA3B))
        let keyring = PatientKeyring(masterKey: MasterKey.make(using: random), random: random)
        let sealer = PatientDataSealer(keyring: keyring, random: random)
        var failures = 0
        for _ in 0..<40 {
            let event = try generator.event()
            let envelope = try generator.envelope(for: event)
            if let patientID = event.subjectPatientID, keyring.wrappedKey(for: patientID) == nil {
                try keyring.createKey(for: patientID)
            }
            let payload = try codec.encode(event, envelope: envelope, sealingWith: sealer)
            var damaged: [[UInt8]] = (0..<payload.count).map { Array(payload.prefix($0)) }
            for index in payload.indices {
                for replacement: UInt8 in [0x00, 0x7F, 0x80, 0xFF, payload[index] ^ 0x01] {
                    var copy = payload
                    copy[index] = replacement
                    damaged.append(copy)
                }
            }
            for bytes in damaged {
                for opening in [nil, keyring] {
                    let fast = decode(bytes, codec: codec, opening: opening, eventTypes: table)
                    let general = decode(bytes, codec: codec, opening: opening, eventTypes: nil)
                    switch (fast, general) {
                    case (.success(let fastValue), .success(let generalValue)):
                        XCTAssertEqual(fastValue, generalValue)
                    case (.failure(let fastError), .failure(let generalError)):
                        XCTAssertEqual(fastError, generalError)
                        failures += 1
                    default:
                        XCTFail("the two paths disagree on a damaged \(event.eventType): \(fast) and \(general)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(failures, 0)
    }

    private func decode(
        _ payload: [UInt8], codec: EventCodec, opening keyring: PatientKeyring?, eventTypes: EventTypeTable?
    ) -> Result<DecodedEvent, EventDecodingError> {
        do {
            return .success(
                try payload.withUnsafeBytes { try codec.decode($0, opening: keyring, eventTypes: eventTypes) })
        } catch let error as EventDecodingError {
            return .failure(error)
        } catch {
            return .failure(
                EventDecodingError(.ruleViolated(rule: "not a decoding error: \(error)"), field: "", offset: 0))
        }
    }
}
