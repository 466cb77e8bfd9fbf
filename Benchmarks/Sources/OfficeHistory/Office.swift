import ClinicEvents
import RecordLog
import RecordLogTesting

/// The office's staff and payers, fixed on its first day.
struct Office {
    var providers: [StaffActor]
    var frontDesk: [StaffActor]
    var assistants: [StaffActor]
    var biller: StaffActor
    var manager: StaffActor
    var staffMembers: [StaffMemberAdded]
    var payers: [PayerDefined]

    init(providerCount: Int, random: inout SeededRandomNumberGenerator) throws {
        let providerNames = [
            ("dr-ortiz", "Dr. Elena Ortiz", StaffRole.physician), ("dr-chen", "Dr. Wei Chen", .physician),
            ("np-okafor", "Adaeze Okafor, NP", .nursePractitioner), ("dr-novak", "Dr. Petra Novák", .physician),
            ("pa-reyes", "Luis Reyes, PA", .physicianAssistant), ("dr-haddad", "Dr. Sami Haddad", .physician),
        ]
        var members: [StaffMemberAdded] = []
        var providers: [StaffActor] = []
        for index in 0..<max(1, providerCount) {
            let (id, name, role) = providerNames[index % providerNames.count]
            let suffix = index < providerNames.count ? "" : "-\(index / providerNames.count + 1)"
            let staffID = try StaffID(id + suffix)
            providers.append(StaffActor(staffID: staffID, role: role))
            members.append(try StaffMemberAdded(staffID: staffID, displayName: name, roles: [role]))
        }
        func member(_ id: String, _ name: String, _ role: StaffRole) throws -> StaffActor {
            let staffID = try StaffID(id)
            members.append(try StaffMemberAdded(staffID: staffID, displayName: name, roles: [role]))
            return StaffActor(staffID: staffID, role: role)
        }
        manager = try member("om-patel", "Priya Patel", .officeManager)
        frontDesk = [
            try member("fd-garcia", "Marta García", .frontDesk), try member("fd-lee", "Jordan Lee", .frontDesk),
        ]
        assistants = [
            try member("ma-nguyen", "Linh Nguyen", .medicalAssistant),
            try member("ma-brown", "Tasha Brown", .medicalAssistant),
        ]
        biller = try member("billing-kim", "Daniel Kim", .biller)
        self.providers = providers
        // The office manager first, as `ClinicStore.create` adds its administrator.
        let managerID = manager.staffID
        staffMembers = members.filter { $0.staffID == managerID } + members.filter { $0.staffID != managerID }
        payers = try [
            ("Blue Shield of the Valley", PayerType.commercial), ("Aetna Choice", .commercial),
            ("Medicare Part B", .medicare), ("State Medicaid", .medicaid),
        ].map { name, type in try PayerDefined(payerID: EventID.random(using: &random), name: name, type: type) }
    }
}

/// The words of the generated history: names, reasons, codes, fees and note phrases.
enum Vocabulary {
    static let familyNames = [
        "García", "Nguyen", "Okafor", "Smith", "Kowalski", "Johnson", "Martínez", "Kim", "Haddad", "Müller",
        "O'Brien", "Rossi", "Cohen", "Singh", "Yamamoto", "Dubois", "Ivanova", "Andersson", "Mensah", "Brown",
        "Williams", "Lopez", "Fernández", "Novák", "Papadopoulos", "Schmidt", "Silva", "Chen", "Jones", "Davis",
    ]
    static let givenNames = [
        "Ana", "Minh", "Chidi", "John", "Zofia", "María José", "Liam", "Olivia", "Noah", "Emma", "Aarav", "Sofía",
        "Mateo", "Chloé", "Yuki", "Fatima", "Omar", "Ingrid", "Kwame", "Grace", "Lucas", "Isabella", "Ethan", "Mia",
    ]
    static let visitReasons = [
        "follow-up", "annual physical", "blood pressure check", "flu shot", "back pain", "medication review",
        "cough and fever", "diabetes follow-up", "new patient visit", "lab results",
    ]
    static let cancellationReasons = ["patient request", "illness", "schedule conflict", "transportation", "weather"]
    static let diagnoses = [
        "E11.9", "I10", "J45.909", "Z00.00", "M54.5", "J06.9", "E78.5", "K21.9", "F41.1", "N39.0", "R51.9", "M25.561",
    ]
    static let allergens = ["penicillin", "sulfa drugs", "peanuts", "latex", "codeine", "shellfish"]
    static let medications: [(String, String, String)] = [
        ("metformin", "500 mg", "twice daily"), ("lisinopril", "10 mg", "once daily"),
        ("atorvastatin", "20 mg", "at bedtime"), ("albuterol", "90 mcg", "as needed"),
        ("omeprazole", "20 mg", "once daily"), ("sertraline", "50 mg", "once daily"),
        ("amoxicillin", "500 mg", "three times daily for 10 days"), ("ibuprofen", "400 mg", "every 6 hours as needed"),
    ]
    static let complaints = [
        "Patient reports intermittent headaches for two weeks, worse in the afternoon",
        "Here for routine follow-up of blood pressure; no chest pain or shortness of breath",
        "Cough for five days with low-grade fever, no sick contacts",
        "Lower back pain after lifting boxes, no radiation to the legs",
        "Annual preventive visit; feels well, exercises twice a week",
        "Reports better glucose readings since the last visit, occasional missed doses",
    ]
    static let findings = [
        "Alert and oriented, lungs clear to auscultation, heart regular rate and rhythm",
        "Mild tenderness over the lumbar paraspinal muscles, straight-leg raise negative",
        "Pharynx mildly erythematous, no exudate, tympanic membranes clear",
        "Abdomen soft and non-tender, no edema of the extremities",
        "BP improved from the previous visit, BMI unchanged",
    ]
    static let assessments = [
        "stable on the current regimen", "improving", "new onset, likely viral", "not at goal",
        "uncomplicated, self-limited",
    ]
    static let plans = [
        "Continue current medications and home monitoring", "Labs ordered: CBC, CMP, HbA1c, lipid panel",
        "Supportive care, fluids and rest; call if symptoms worsen", "Physical therapy referral, NSAIDs as needed",
        "Dose adjusted; reviewed side effects and diet",
    ]

    /// The office's fee for a procedure code, in cents.
    static func fee(of code: String) -> Int64 {
        switch code {
        case "99203": 16_500
        case "99204": 24_500
        case "99212": 7_500
        case "99213": 11_000
        case "99214": 16_000
        case "36415": 1_500
        case "81002": 1_200
        case "90471": 2_800
        case "85025": 2_200
        case "93000": 4_500
        default: 10_000
        }
    }
}
