import RecordLog

/// The limits shared by consent, authorization, restriction and disclosure events.
public enum ConsentLimits {
    /// The accepted times, in microseconds since 1970-01-01T00:00Z (through the year 2099).
    public static let timeMicrosecondsRange: ClosedRange<Int64> = 0...4_102_444_800_000_000
    /// The longest recipient name accepted, in bytes.
    public static let recipientNameByteCountMax = 128
    /// The longest recipient address accepted, in bytes.
    public static let recipientAddressByteCountMax = 256
    /// The longest description of information (or of an expiry event) accepted, in bytes.
    public static let descriptionByteCountMax = 512
    /// The longest privacy notice version accepted, in bytes.
    public static let noticeVersionByteCountMax = 32
    /// The most recipient names, recipient categories or purposes one scope may list.
    public static let scopeEntryCountMax = 16
}

/// Why protected health information is used or disclosed; the wire code of each case is fixed forever.
public enum DisclosurePurpose: UInt8, CaseIterable, Hashable, Sendable {
    /// Treatment of the patient (164.506).
    case treatment = 1
    /// Payment for care (164.506).
    case payment = 2
    /// The office's health-care operations (164.506).
    case healthCareOperations = 3
    /// Research.
    case research = 4
    /// Marketing.
    case marketing = 5
    /// Public health activities.
    case publicHealth = 6
    /// Judicial and administrative proceedings.
    case legalProceedings = 7
    /// Law enforcement.
    case lawEnforcement = 8
    /// Insurance underwriting, employment or other third-party purposes.
    case thirdPartyRequest = 9
    /// At the request of the patient, for the patient's own use.
    case patientRequest = 10
}

/// The kind of person or organisation that receives information; the wire code of each case is fixed forever.
public enum RecipientCategory: UInt8, CaseIterable, Hashable, Sendable {
    /// Another health-care provider.
    case healthCareProvider = 1
    /// A health plan or insurer.
    case healthPlan = 2
    /// A family member, friend or personal representative.
    case familyMember = 3
    /// An employer.
    case employer = 4
    /// An attorney.
    case attorney = 5
    /// A researcher.
    case researcher = 6
    /// A government agency.
    case governmentAgency = 7
    /// The patient.
    case patient = 8
    /// Anyone else.
    case other = 9
}

/// A disclosure category that needs no consent or authorization and is left out of a 164.528 accounting.
///
/// The wire code of each case is fixed forever.
public enum ExemptDisclosureCategory: UInt8, CaseIterable, Hashable, Sendable {
    /// To the patient (164.528(a)(1)(ii)).
    case toPatient = 1
    /// Incidental to a permitted use or disclosure (164.528(a)(1)(iii)).
    case incidental = 2
    /// For the facility directory or to persons involved in the patient's care (164.528(a)(1)(v)).
    case directoryOrInvolvedPersons = 3
    /// For national security or intelligence purposes (164.528(a)(1)(vi)).
    case nationalSecurity = 4
    /// To a correctional institution or law enforcement official with custody (164.528(a)(1)(vii)).
    case lawEnforcementCustodial = 5
    /// As part of a limited data set (164.528(a)(1)(viii)).
    case limitedDataSet = 6
}

/// Who received (or would receive) information: a name, a category and, when known, an address.
public struct DisclosureRecipient: Hashable, Sendable {
    /// The rule a recipient broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The name is empty or longer than `ConsentLimits.recipientNameByteCountMax` bytes.
        case recipientNameLength
        /// The address is empty or longer than `ConsentLimits.recipientAddressByteCountMax` bytes.
        case recipientAddressLength
    }

    /// The name of the person or organisation (164.528(b)(2)(ii)).
    public let name: String
    /// The kind of recipient.
    public let category: RecipientCategory
    /// The recipient's address, when known.
    public let address: String?

    /// Creates a recipient, validating name and address lengths.
    public init(name: String, category: RecipientCategory, address: String? = nil) throws(ValidationError) {
        guard !name.utf8.isEmpty, name.utf8.count <= ConsentLimits.recipientNameByteCountMax else {
            throw .recipientNameLength
        }
        if let address, address.utf8.isEmpty || address.utf8.count > ConsentLimits.recipientAddressByteCountMax {
            throw .recipientAddressLength
        }
        self.name = name
        self.category = category
        self.address = address
    }

    /// The wire layout fields of a recipient in version 1 layouts, in order.
    static let layout: [FieldSpec] = [
        FieldSpec("recipientName", nameKind),
        FieldSpec("recipientCategory", .varUInt),
        FieldSpec("recipientAddress", addressKind),
    ]
    /// The wire kind of a recipient's name.
    static let nameKind = FieldKind.string(byteCountMax: ConsentLimits.recipientNameByteCountMax)
    /// The wire kind of a recipient's address.
    static let addressKind = FieldKind.optional(.string(byteCountMax: ConsentLimits.recipientAddressByteCountMax))

    /// Writes the recipient's name and address, the part sealed since version 2.
    func encodeNameAndAddress(into encoder: inout BinaryEncoder) {
        encoder.writeString(name)
        encoder.writeOptional(address) { $0.writeString($1) }
    }

    /// Reads a recipient's name and address, the part sealed since version 2.
    static func decodeNameAndAddress(from decoder: inout BinaryDecoder) throws -> (name: String, address: String?) {
        let name = try decoder.readString(field: "recipientName", byteCountMax: ConsentLimits.recipientNameByteCountMax)
        let address = try decoder.readOptional(field: "recipientAddress") {
            try $0.readString(field: "recipientAddress", byteCountMax: ConsentLimits.recipientAddressByteCountMax)
        }
        return (name, address)
    }
}

/// Whom and for what a consent or a restriction applies: named recipients or recipient categories, and purposes.
public struct DisclosureScope: Hashable, Sendable {
    /// The rule a scope broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// Neither a recipient name nor a recipient category is given.
        case noRecipient
        /// No purpose is given.
        case noPurpose
        /// A list is longer than `ConsentLimits.scopeEntryCountMax`.
        case tooManyEntries
        /// A recipient name is empty or longer than `ConsentLimits.recipientNameByteCountMax` bytes.
        case recipientNameLength
    }

    /// The recipients covered by name (compared exactly).
    public let recipientNames: [String]
    /// The recipients covered by category.
    public let recipientCategories: [RecipientCategory]
    /// The purposes covered.
    public let purposes: [DisclosurePurpose]

    /// Creates a scope, validating that it names at least one recipient and one purpose.
    public init(
        recipientNames: [String] = [], recipientCategories: [RecipientCategory] = [], purposes: [DisclosurePurpose]
    ) throws(ValidationError) {
        let limit = ConsentLimits.scopeEntryCountMax
        guard recipientNames.count <= limit, recipientCategories.count <= limit, purposes.count <= limit else {
            throw .tooManyEntries
        }
        guard !recipientNames.isEmpty || !recipientCategories.isEmpty else { throw .noRecipient }
        guard !purposes.isEmpty else { throw .noPurpose }
        for name in recipientNames
        where name.utf8.isEmpty || name.utf8.count > ConsentLimits.recipientNameByteCountMax {
            throw .recipientNameLength
        }
        self.recipientNames = recipientNames
        self.recipientCategories = recipientCategories
        self.purposes = purposes
    }

    /// Whether the scope covers disclosing to `recipient` for `purpose`: by name or category, and by purpose.
    public func covers(_ recipient: DisclosureRecipient, for purpose: DisclosurePurpose) -> Bool {
        purposes.contains(purpose)
            && (recipientNames.contains(recipient.name) || recipientCategories.contains(recipient.category))
    }

    /// The wire layout fields of a scope in version 1 layouts, in order.
    static let layout: [FieldSpec] = [
        FieldSpec("recipientNames", namesKind),
        FieldSpec("recipientCategories", .array(.varUInt, countMax: ConsentLimits.scopeEntryCountMax)),
        FieldSpec("purposes", .array(.varUInt, countMax: ConsentLimits.scopeEntryCountMax)),
    ]
    /// The wire kind of the recipient names, the part of a scope that is patient data.
    static let namesKind = FieldKind.array(
        .string(byteCountMax: ConsentLimits.recipientNameByteCountMax), countMax: ConsentLimits.scopeEntryCountMax)

    /// Writes the recipient names (sealed since version 2).
    func encodeNames(into encoder: inout BinaryEncoder) {
        encoder.writeArray(recipientNames) { $0.writeString($1) }
    }

    /// Writes the recipient categories and the purposes (in clear).
    func encodeCategoriesAndPurposes(into encoder: inout BinaryEncoder) {
        encoder.writeArray(recipientCategories) { $0.writeVarUInt(UInt64($1.rawValue)) }
        encoder.writeArray(purposes) { $0.writeVarUInt(UInt64($1.rawValue)) }
    }

    /// Reads the recipient names.
    static func decodeNames(from decoder: inout BinaryDecoder) throws -> [String] {
        try decoder.readArray(field: "recipientNames", countMax: ConsentLimits.scopeEntryCountMax) {
            try $0.readString(field: "recipientNames", byteCountMax: ConsentLimits.recipientNameByteCountMax)
        }
    }

    /// Reads the recipient categories and the purposes.
    static func decodeCategoriesAndPurposes(
        from decoder: inout BinaryDecoder
    ) throws -> (categories: [RecipientCategory], purposes: [DisclosurePurpose]) {
        let limit = ConsentLimits.scopeEntryCountMax
        let categories = try decoder.readArray(field: "recipientCategories", countMax: limit) {
            try $0.readCode(RecipientCategory.self, field: "recipientCategories")
        }
        let purposes = try decoder.readArray(field: "purposes", countMax: limit) {
            try $0.readCode(DisclosurePurpose.self, field: "purposes")
        }
        return (categories, purposes)
    }
}

extension BinaryDecoder {
    /// Reads a time in microseconds since 1970, refusing one outside `ConsentLimits.timeMicrosecondsRange`.
    mutating func readConsentTime(field: String) throws -> Int64 {
        let start = offset
        let value = try readVarInt(field: field)
        guard ConsentLimits.timeMicrosecondsRange.contains(value) else {
            throw EventDecodingError(.ruleViolated(rule: "timeOutOfRange"), field: field, offset: start)
        }
        return value
    }
}
