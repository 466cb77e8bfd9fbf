/// The wire layout of one event type at one schema version.
public struct EventSchema: Sendable {
    /// The event type name.
    public let eventType: String
    /// The schema version this layout describes.
    public let version: UInt32
    /// The body's fields, in wire order.
    public let layout: [FieldSpec]

    /// Creates a schema.
    public init(eventType: String, version: UInt32, layout: [FieldSpec]) {
        self.eventType = eventType
        self.version = version
        self.layout = layout
    }
}

/// A function that turns the fields of one schema version of an event type into those of the next.
public struct Upcaster: Sendable {
    /// The event type name.
    public let eventType: String
    /// The version the upcaster reads.
    public let fromVersion: UInt32
    /// The version the upcaster produces; a valid registry requires `fromVersion + 1`.
    public let toVersion: UInt32
    /// The transformation; it throws when the fields are not as the `fromVersion` layout declares.
    public let transform: @Sendable (EventFields) throws -> EventFields

    /// Creates an upcaster.
    public init(
        eventType: String, fromVersion: UInt32, toVersion: UInt32,
        transform: @escaping @Sendable (EventFields) throws -> EventFields
    ) {
        self.eventType = eventType
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.transform = transform
    }
}

/// A registry mistake found by `SchemaRegistry.validate()`; it names event types and versions, never event data.
public enum SchemaRegistryError: Error, Equatable, Sendable {
    /// An event type's current version was declared twice.
    case duplicateEventType(eventType: String)
    /// A current version of 0 was declared; versions start at 1.
    case versionZero(eventType: String)
    /// Two layouts were registered for the same type and version.
    case duplicateSchema(eventType: String, version: UInt32)
    /// Two upcasters were registered from the same type and version.
    case duplicateUpcaster(eventType: String, fromVersion: UInt32)
    /// A schema or upcaster names a type whose current version was never declared.
    case undeclaredEventType(eventType: String)
    /// A version between the oldest registered one and the current one has no layout.
    case missingSchema(eventType: String, version: UInt32)
    /// A version below the current one has no upcaster: the chain has a gap.
    case gap(eventType: String, fromVersion: UInt32)
    /// Following the upcasters from `fromVersion` comes back to a version already visited.
    case cycle(eventType: String, fromVersion: UInt32)
    /// An upcaster reads the current version or later, or produces a version beyond the current one.
    case beyondCurrentVersion(eventType: String, fromVersion: UInt32)
    /// An upcaster skips versions: every step must go from n to n + 1.
    case skipsVersion(eventType: String, fromVersion: UInt32, toVersion: UInt32)
    /// A `sealed` field is not a top-level field of its layout, or wraps another `sealed` field: its name must be the
    /// one bound into its ciphertext, unique in the body.
    case sealedFieldNotTopLevel(eventType: String, version: UInt32, field: String)
}

/// Per event type: its current schema version, the layout of every version ever written, and the upcasters between
/// them. Build it, then call `validate()` at start-up before decoding anything.
public struct SchemaRegistry: Sendable {
    private struct Key: Hashable, Sendable {
        var eventType: String
        var version: UInt32
    }

    private var currentVersions: [String: UInt32] = [:]
    private var schemas: [Key: EventSchema] = [:]
    private var upcasters: [Key: Upcaster] = [:]
    /// Mistakes found while registering, reported by `validate()` in the order they were made.
    private var registrationErrors: [SchemaRegistryError] = []

    /// Creates an empty registry.
    public init() {}

    /// Declares the current schema version of `eventType`, the version every decoded event is upcast to.
    public mutating func declare(eventType: String, currentVersion: UInt32) {
        if currentVersions[eventType] != nil {
            registrationErrors.append(.duplicateEventType(eventType: eventType))
        } else {
            currentVersions[eventType] = currentVersion
        }
    }

    /// Registers the layout of one version of an event type.
    public mutating func register(_ schema: EventSchema) {
        let key = Key(eventType: schema.eventType, version: schema.version)
        if schemas[key] != nil {
            registrationErrors.append(.duplicateSchema(eventType: schema.eventType, version: schema.version))
        } else {
            schemas[key] = schema
        }
    }

    /// Registers an upcaster from one version of an event type.
    public mutating func register(_ upcaster: Upcaster) {
        let key = Key(eventType: upcaster.eventType, version: upcaster.fromVersion)
        if upcasters[key] != nil {
            registrationErrors.append(
                .duplicateUpcaster(eventType: upcaster.eventType, fromVersion: upcaster.fromVersion))
        } else {
            upcasters[key] = upcaster
        }
    }

    /// The current schema version of `eventType`; nil when the type is not declared.
    public func currentVersion(of eventType: String) -> UInt32? {
        currentVersions[eventType]
    }

    /// The layout of `eventType` at `version`; nil when none is registered.
    public func layout(of eventType: String, version: UInt32) -> [FieldSpec]? {
        schemas[Key(eventType: eventType, version: version)]?.layout
    }

    /// Checks the registry: no duplicate registrations, `sealed` fields only at the top level of a layout, and for
    /// every type a layout for each version from the oldest registered to the current one and a chain of n → n + 1
    /// upcasters from each of them to the current one, with no gap, no cycle and nothing beyond the current version.
    /// Throws the first mistake found.
    public func validate() throws(SchemaRegistryError) {
        if let first = registrationErrors.first { throw first }
        for key in schemas.keys.sorted(by: Self.keyOrder) {
            for spec in schemas[key]?.layout ?? [] {
                let nested: Bool =
                    switch spec.kind {
                    case .sealed(let wrapped): wrapped.containsSealed
                    default: spec.kind.containsSealed
                    }
                if nested {
                    throw .sealedFieldNotTopLevel(eventType: key.eventType, version: key.version, field: spec.name)
                }
            }
        }
        for key in schemas.keys.sorted(by: Self.keyOrder) where currentVersions[key.eventType] == nil {
            throw .undeclaredEventType(eventType: key.eventType)
        }
        for key in upcasters.keys.sorted(by: Self.keyOrder) {
            guard let current = currentVersions[key.eventType] else {
                throw .undeclaredEventType(eventType: key.eventType)
            }
            if key.version >= current {
                throw .beyondCurrentVersion(eventType: key.eventType, fromVersion: key.version)
            }
        }
        for eventType in currentVersions.keys.sorted() {
            guard let current = currentVersions[eventType], current >= 1 else {
                throw .versionZero(eventType: eventType)
            }
            let versions = schemas.keys.filter { $0.eventType == eventType }.map(\.version)
            let oldest = min(versions.min() ?? current, current)
            for version in oldest...current where schemas[Key(eventType: eventType, version: version)] == nil {
                throw .missingSchema(eventType: eventType, version: version)
            }
            for start in oldest..<current {
                try walkChain(eventType: eventType, from: start, current: current)
            }
        }
    }

    private func walkChain(eventType: String, from start: UInt32, current: UInt32) throws(SchemaRegistryError) {
        var visited: Set<UInt32> = [start]
        var version = start
        while version != current {
            guard let upcaster = upcasters[Key(eventType: eventType, version: version)] else {
                throw .gap(eventType: eventType, fromVersion: version)
            }
            let next = upcaster.toVersion
            if visited.contains(next) { throw .cycle(eventType: eventType, fromVersion: version) }
            if next > current { throw .beyondCurrentVersion(eventType: eventType, fromVersion: version) }
            if next != version + 1 { throw .skipsVersion(eventType: eventType, fromVersion: version, toVersion: next) }
            visited.insert(next)
            version = next
        }
    }

    private static func keyOrder(_ lhs: Key, _ rhs: Key) -> Bool {
        (lhs.eventType, lhs.version) < (rhs.eventType, rhs.version)
    }

    /// Rewrites a body of `eventType` written at `version` into the current version's layout, by decoding it with that
    /// version's layout, running the upcasters in order and encoding the result with the current layout.
    ///
    /// Call only on a registry that passed `validate()`. The body must be read completely; errors name the field.
    public func upcastBody(eventType: String, version: UInt32, body: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard let current = currentVersions[eventType] else {
            throw EventDecodingError(.unknownEventType, field: "envelope.eventType", offset: 0)
        }
        guard version <= current, let oldLayout = layout(of: eventType, version: version),
            let currentLayout = layout(of: eventType, version: current)
        else { throw EventDecodingError(.unsupportedSchemaVersion, field: "envelope.schemaVersion", offset: 0) }
        var fields = try BinaryDecoder.decode(body) { try EventFields.decode(layout: oldLayout, from: &$0) }
        var step = version
        while step < current {
            guard let upcaster = upcasters[Key(eventType: eventType, version: step)], upcaster.toVersion == step + 1
            else { throw EventDecodingError(.unsupportedSchemaVersion, field: "envelope.schemaVersion", offset: 0) }
            do { fields = try upcaster.transform(fields) } catch let error as EventDecodingError { throw error } catch {
                throw EventDecodingError(.upcastFailed, field: "body", offset: 0)
            }
            step += 1
        }
        var encoder = BinaryEncoder(capacityBytes: body.count + 16)
        try fields.encode(layout: currentLayout, into: &encoder)
        return encoder.bytes
    }
}
