import ClinicEvents

/// The fixed vocabulary of the demo office: names, payers, visit types, codes and fees, chart content and
/// disclosure recipients. All of it is invented; any likeness to a real person is chance.
enum DemoCatalogue {
    /// Common US given names (female and male), drawn uniformly.
    static let givenNames = [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
        "Lisa", "Nancy", "Betty", "Sandra", "Margaret", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
        "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Dorothy", "Rebecca", "Sharon", "Laura", "Cynthia",
        "Amy", "Kathleen", "Angela", "Shirley", "Emma", "Brenda", "Pamela", "Nicole", "Anna", "Samantha",
        "Katherine", "Christine", "Debra", "Rachel", "Carolyn", "Janet", "Maria", "Olivia", "Heather", "Helen",
        "Sofia", "Camila", "Mia", "Aaliyah", "Grace", "Chloe", "Mei", "Priya", "Fatima", "Yesenia",
        "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Christopher",
        "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Paul", "Joshua",
        "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan",
        "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon",
        "Benjamin", "Samuel", "Gregory", "Alexander", "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry",
        "Luis", "Carlos", "Jose", "Juan", "Miguel", "Wei", "Hiroshi", "Arjun", "Omar", "Tyrone",
    ]

    /// Common US family names, drawn uniformly.
    static let familyNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
        "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
        "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
        "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
        "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
        "Chen", "Wang", "Singh", "Okafor", "O'Brien", "Kowalski", "Novak", "Schmidt", "Murray", "Sullivan",
    ]

    /// A demo staff member's template: id, display name and roles.
    struct StaffTemplate {
        let staffID: String
        let displayName: String
        let roles: [StaffRole]
    }

    /// The office manager, who is also the store's first administrator.
    static let officeManager = StaffTemplate(
        staffID: "manager", displayName: "Patricia Alvarez", roles: [.officeManager])

    /// The support staff, added by the office manager on the first day.
    static let supportStaff = [
        StaffTemplate(staffID: "frontdesk-1", displayName: "Maria Lopez", roles: [.frontDesk]),
        StaffTemplate(staffID: "frontdesk-2", displayName: "Kevin Brooks", roles: [.frontDesk]),
        StaffTemplate(staffID: "biller", displayName: "James Carter", roles: [.biller]),
        StaffTemplate(staffID: "nurse", displayName: "Angela Reed, RN", roles: [.nurse]),
        StaffTemplate(staffID: "ma-1", displayName: "Tyrone Evans, CMA", roles: [.medicalAssistant]),
        StaffTemplate(staffID: "ma-2", displayName: "Mei Chen, CMA", roles: [.medicalAssistant]),
        StaffTemplate(staffID: "compliance", displayName: "Linda Park", roles: [.complianceOfficer]),
    ]

    /// The front-desk clerk hired when `frontdesk-2` leaves.
    static let replacementFrontDesk = StaffTemplate(
        staffID: "frontdesk-3", displayName: "Yesenia Cruz", roles: [.frontDesk])

    /// The providers, in the order they are used; beyond this list providers are numbered.
    static let providers = [
        StaffTemplate(staffID: "dr-patel", displayName: "Dr. Anika Patel, MD", roles: [.physician]),
        StaffTemplate(staffID: "np-reyes", displayName: "Carlos Reyes, FNP", roles: [.nursePractitioner]),
        StaffTemplate(staffID: "dr-okafor", displayName: "Dr. Daniel Okafor, DO", roles: [.physician]),
        StaffTemplate(staffID: "dr-kowalski", displayName: "Dr. Emily Kowalski, MD", roles: [.physician]),
        StaffTemplate(staffID: "pa-nguyen", displayName: "Hannah Nguyen, PA-C", roles: [.physicianAssistant]),
    ]

    /// The provider template for the provider at `index` (numbered ones after the named list).
    static func provider(at index: Int) -> StaffTemplate {
        if index < providers.count { return providers[index] }
        return StaffTemplate(
            staffID: "provider-\(index + 1)", displayName: "Provider \(index + 1), MD", roles: [.physician])
    }

    /// An insurance payer of the demo office and how it pays.
    struct PayerTemplate {
        let name: String
        let type: PayerType
        /// The share of the billed fee the payer allows, in thousandths.
        let allowedThousandths: Int64
        /// The coinsurance the patient owes of the allowed amount after the copay, in thousandths.
        let coinsuranceThousandths: Int64
        /// The copays its plans carry, in cents.
        let copaysCents: [Int64]
        /// How often a patient with a plan of this payer has it (relative weight).
        let weight: Double
    }

    /// Medicare, Medicaid and three commercial payers.
    static let payers = [
        PayerTemplate(
            name: "Medicare Part B", type: .medicare, allowedThousandths: 560, coinsuranceThousandths: 200,
            copaysCents: [0], weight: 0),
        PayerTemplate(
            name: "State Medicaid", type: .medicaid, allowedThousandths: 450, coinsuranceThousandths: 0,
            copaysCents: [0, 300], weight: 0),
        PayerTemplate(
            name: "BlueShield PPO", type: .commercial, allowedThousandths: 780, coinsuranceThousandths: 100,
            copaysCents: [2000, 2500, 3000], weight: 4),
        PayerTemplate(
            name: "Aetna Choice POS", type: .commercial, allowedThousandths: 740, coinsuranceThousandths: 150,
            copaysCents: [2500, 3500], weight: 3),
        PayerTemplate(
            name: "UnitedHealthcare HMO", type: .commercial, allowedThousandths: 700, coinsuranceThousandths: 0,
            copaysCents: [1500, 2000, 4000], weight: 3),
    ]
    /// The index of Medicare in `payers`.
    static let medicareIndex = 0
    /// The index of Medicaid in `payers`.
    static let medicaidIndex = 1
    /// The indexes of the commercial payers in `payers`.
    static let commercialIndexes = [2, 3, 4]

    /// A procedure the office bills, with its fee when the history starts and its name in the fee schedule.
    struct Procedure {
        let code: String
        let feeCents: Int64
        let name: String
    }

    /// New-patient office visits by complexity (99202 ... 99205).
    static let newPatientVisits = [
        Procedure(code: "99202", feeCents: 11_000, name: "New patient visit, straightforward"),
        Procedure(code: "99203", feeCents: 17_000, name: "New patient visit, low complexity"),
        Procedure(code: "99204", feeCents: 25_500, name: "New patient visit, moderate complexity"),
        Procedure(code: "99205", feeCents: 33_500, name: "New patient visit, high complexity"),
    ]
    /// Established-patient office visits by complexity (99211 ... 99215).
    static let establishedVisits = [
        Procedure(code: "99211", feeCents: 4_500, name: "Established patient visit, minimal"),
        Procedure(code: "99212", feeCents: 9_000, name: "Established patient visit, straightforward"),
        Procedure(code: "99213", feeCents: 13_000, name: "Established patient visit, low complexity"),
        Procedure(code: "99214", feeCents: 19_000, name: "Established patient visit, moderate complexity"),
        Procedure(code: "99215", feeCents: 26_000, name: "Established patient visit, high complexity"),
    ]
    /// The relative frequency of each established-visit level.
    static let establishedVisitWeights: [Double] = [2, 18, 45, 30, 5]
    /// The relative frequency of each new-patient visit level.
    static let newPatientVisitWeights: [Double] = [10, 45, 35, 10]
    /// Preventive visit of an established adult 40-64 (99396) and the Medicare annual wellness visit (G0439).
    static let preventiveVisit = Procedure(
        code: "99396", feeCents: 22_000, name: "Preventive visit, established, 40-64 years")
    /// The Medicare annual wellness visit, subsequent (a HCPCS code).
    static let medicareWellnessVisit = Procedure(
        code: "G0439", feeCents: 12_000, name: "Annual wellness visit, subsequent")

    /// Procedures performed along with a visit, with the diagnosis they go with when they need one of their own.
    static let venipuncture = Procedure(code: "36415", feeCents: 1_200, name: "Venipuncture")
    static let lipidPanel = Procedure(code: "80061", feeCents: 3_500, name: "Lipid panel")
    static let metabolicPanel = Procedure(code: "80053", feeCents: 3_000, name: "Comprehensive metabolic panel")
    static let hemoglobinA1c = Procedure(code: "83036", feeCents: 2_500, name: "Hemoglobin A1c")
    static let urinalysis = Procedure(code: "81002", feeCents: 800, name: "Urinalysis, non-automated")
    static let strepTest = Procedure(code: "87880", feeCents: 2_000, name: "Rapid strep test")
    static let electrocardiogram = Procedure(
        code: "93000", feeCents: 4_500, name: "Electrocardiogram with interpretation")
    static let fluVaccine = Procedure(code: "90686", feeCents: 2_800, name: "Influenza vaccine, quadrivalent")
    static let tdapVaccine = Procedure(code: "90715", feeCents: 4_500, name: "Tdap vaccine")
    static let vaccineAdministration = Procedure(code: "90471", feeCents: 3_000, name: "Vaccine administration, first")

    /// Every procedure the office bills: its fee schedule, set on the first day.
    static let feeSchedule =
        newPatientVisits + establishedVisits + [
            preventiveVisit, medicareWellnessVisit, venipuncture, lipidPanel, metabolicPanel, hemoglobinA1c, urinalysis,
            strepTest, electrocardiogram, fluVaccine, tdapVaccine, vaccineAdministration,
        ]
    /// The yearly fee increase, in thousandths: each December the office raises its fees for the next year by 3%,
    /// rounded to the dollar.
    static let yearlyFeeIncreaseThousandths: Int64 = 30

    /// A reason for a visit and the diagnoses it is billed under.
    struct VisitReason {
        let text: String
        let diagnoses: [String]
    }

    /// Acute visit reasons.
    static let acuteReasons = [
        VisitReason(text: "Sore throat", diagnoses: ["J02.9"]),
        VisitReason(text: "Cough and congestion", diagnoses: ["J06.9", "R05.9"]),
        VisitReason(text: "Painful urination", diagnoses: ["N39.0"]),
        VisitReason(text: "Low back pain", diagnoses: ["M54.50"]),
        VisitReason(text: "Rash", diagnoses: ["R21"]),
        VisitReason(text: "Ear pain", diagnoses: ["H66.90"]),
        VisitReason(text: "Sprained ankle", diagnoses: ["S93.401A"]),
        VisitReason(text: "Headache", diagnoses: ["R51.9"]),
        VisitReason(text: "Sinus pressure", diagnoses: ["J01.90"]),
        VisitReason(text: "Stomach pain", diagnoses: ["R10.9"]),
    ]

    /// The acute reasons patients also book days ahead (by index in `acuteReasons`): back pain, rash, headache,
    /// stomach pain.
    static let routineAcuteReasons = [3, 4, 7, 9]

    /// Chronic conditions: their follow-up reason and diagnoses.
    static let chronicReasons = [
        VisitReason(text: "Blood pressure follow-up", diagnoses: ["I10"]),
        VisitReason(text: "Diabetes follow-up", diagnoses: ["E11.9", "Z79.84"]),
        VisitReason(text: "Cholesterol follow-up", diagnoses: ["E78.5"]),
        VisitReason(text: "Asthma follow-up", diagnoses: ["J45.909"]),
        VisitReason(text: "Anxiety follow-up", diagnoses: ["F41.1"]),
        VisitReason(text: "Reflux follow-up", diagnoses: ["K21.9"]),
        VisitReason(text: "Thyroid follow-up", diagnoses: ["E03.9"]),
        VisitReason(text: "Depression follow-up", diagnoses: ["F32.A"]),
    ]
    /// The names of the chronic conditions, by index in `chronicReasons` (the reason a medication is taken).
    static let conditionNames = [
        "Hypertension", "Type 2 diabetes", "Hyperlipidemia", "Asthma", "Generalized anxiety disorder",
        "Gastroesophageal reflux", "Hypothyroidism", "Depression",
    ]

    /// The short-course medication of each acute reason, by index in `acuteReasons` (into `acuteMedications`).
    static let acuteMedicationOfReason: [Int?] = [0, nil, 1, 2, nil, 0, 2, 2, 3, nil]

    /// How common each chronic condition is among patients (percent, before the age factor).
    static let chronicWeights: [Double] = [30, 12, 25, 8, 10, 10, 6, 8]

    /// The diagnosis of a routine adult examination and of a vaccination encounter.
    static let examinationDiagnosis = "Z00.00"
    static let vaccinationDiagnosis = "Z23"

    /// A medication started for a chronic condition (by index in `chronicReasons`).
    struct MedicationTemplate {
        let name: String
        let dose: String
        let route: MedicationRoute
        let frequency: String
    }

    /// The medications each chronic condition is treated with, by its index in `chronicReasons`.
    static let medications: [[MedicationTemplate]] = [
        [
            MedicationTemplate(name: "Lisinopril", dose: "10 mg", route: .oral, frequency: "once daily"),
            MedicationTemplate(name: "Amlodipine", dose: "5 mg", route: .oral, frequency: "once daily"),
        ],
        [
            MedicationTemplate(name: "Metformin", dose: "500 mg", route: .oral, frequency: "twice daily"),
            MedicationTemplate(
                name: "Insulin glargine", dose: "10 units", route: .subcutaneous, frequency: "at bedtime"),
        ],
        [MedicationTemplate(name: "Atorvastatin", dose: "20 mg", route: .oral, frequency: "once daily")],
        [
            MedicationTemplate(
                name: "Albuterol HFA", dose: "2 puffs", route: .inhaled, frequency: "every 4 hours as needed"),
            MedicationTemplate(name: "Fluticasone HFA", dose: "110 mcg", route: .inhaled, frequency: "twice daily"),
        ],
        [MedicationTemplate(name: "Sertraline", dose: "50 mg", route: .oral, frequency: "once daily")],
        [MedicationTemplate(name: "Omeprazole", dose: "20 mg", route: .oral, frequency: "once daily before breakfast")],
        [MedicationTemplate(name: "Levothyroxine", dose: "50 mcg", route: .oral, frequency: "once daily")],
        [MedicationTemplate(name: "Escitalopram", dose: "10 mg", route: .oral, frequency: "once daily")],
    ]

    /// Short-course medications for acute problems.
    static let acuteMedications = [
        MedicationTemplate(
            name: "Amoxicillin", dose: "500 mg", route: .oral, frequency: "three times daily for 10 days"),
        MedicationTemplate(name: "Nitrofurantoin", dose: "100 mg", route: .oral, frequency: "twice daily for 5 days"),
        MedicationTemplate(name: "Ibuprofen", dose: "600 mg", route: .oral, frequency: "every 6 hours as needed"),
        MedicationTemplate(name: "Fluticasone nasal", dose: "50 mcg", route: .nasal, frequency: "2 sprays daily"),
    ]

    /// An allergy as recorded: substance, reaction, severity.
    struct AllergyTemplate {
        let substance: String
        let reaction: String
        let severity: AllergySeverity
    }

    /// Common drug and environmental allergies.
    static let allergies = [
        AllergyTemplate(substance: "Penicillin", reaction: "Hives", severity: .moderate),
        AllergyTemplate(substance: "Sulfamethoxazole", reaction: "Rash", severity: .mild),
        AllergyTemplate(substance: "Codeine", reaction: "Nausea and vomiting", severity: .mild),
        AllergyTemplate(substance: "Peanuts", reaction: "Anaphylaxis", severity: .severe),
        AllergyTemplate(substance: "Latex", reaction: "Contact dermatitis", severity: .moderate),
        AllergyTemplate(substance: "Shellfish", reaction: "Throat swelling", severity: .severe),
        AllergyTemplate(substance: "Aspirin", reaction: "Wheezing", severity: .moderate),
        AllergyTemplate(substance: "Cephalexin", reaction: "Itching", severity: .mild),
    ]

    /// The exam rooms.
    static let rooms = ["Exam 1", "Exam 2", "Exam 3", "Exam 4", "Exam 5", "Exam 6", "Procedure"]

    /// Reasons given for cancellations.
    static let cancellationReasons = [
        "Patient called to cancel", "Patient feeling better", "Work conflict", "Transportation problem",
        "Provider out sick", "Weather closure", "Patient scheduled elsewhere",
    ]

    /// Specialists patients are referred to (disclosures for treatment).
    static let specialists = [
        "Riverside Cardiology Associates", "Lakeside Orthopedics", "Valley Dermatology Group",
        "Metro Endocrinology", "Northgate Gastroenterology", "Summit Physical Therapy",
    ]

    /// Law firms that ask for records with a signed authorization.
    static let attorneys = ["Hale & Morrison LLP", "Bennett Injury Law", "Carver Legal Group"]

    /// Life insurers that ask for records with a signed authorization.
    static let lifeInsurers = ["Guardian Mutual Life", "Northwestern Heritage Life", "Pacific Life Underwriting"]

    /// The research registry patients may consent to share with.
    static let researchRegistry = "State Chronic Disease Registry"

    /// The public health agency that receives required reports.
    static let publicHealthAgency = "County Department of Public Health"

    /// The text of a signed progress note for a visit (no identifying data beyond the clinical content).
    static func noteText(reason: String, diagnoses: [String], isNewPatient: Bool) -> String {
        let opening = isNewPatient ? "New patient visit." : "Established patient visit."
        return
            "\(opening) Chief complaint: \(reason). History and examination documented. "
            + "Assessment: \(diagnoses.joined(separator: ", ")). Plan discussed with the patient, "
            + "questions answered, return as needed or as scheduled."
    }
}
