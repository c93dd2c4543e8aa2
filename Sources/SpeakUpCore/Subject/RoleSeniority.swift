/// The seniority band a role as typed usually means ("consultant" → senior clinician),
/// offered to the reporter as a suggestion to confirm, never taken as their answer.
public enum RoleSeniority {
    /// Posts (RoleTitles' one names) and the band they sit in.
    static let posts: [String: Seniority] = [
        "chief executive": .chiefExecutive,
        "medical director": .executive, "chief nurse": .executive, "chief operating officer": .executive,
        "finance director": .executive, "chief people officer": .executive,
        "chair": .board, "non executive director": .board,
        "deputy chief nurse": .director, "director of midwifery": .director, "clinical director": .director,
        "ward manager": .manager, "matron": .manager,
        "registrar": .seniorPractitioner,
        "staff nurse": .practitioner, "foundation doctor": .practitioner,
        "healthcare assistant": .staff, "porter": .staff,
    ]

    /// Single words that place a role when no post above does, most senior first.
    static let words: [(String, Seniority)] = [
        ("consultant", .seniorClinician), ("surgeon", .seniorClinician), ("anaesthetist", .seniorClinician),
        ("physician", .seniorClinician), ("gp", .seniorClinician),
        ("director", .director),
        ("manager", .manager), ("matron", .manager),
        ("registrar", .seniorPractitioner), ("sister", .seniorPractitioner),
        ("nurse", .practitioner), ("midwife", .practitioner), ("physiotherapist", .practitioner),
        ("pharmacist", .practitioner), ("paramedic", .practitioner), ("radiographer", .practitioner),
        ("doctor", .practitioner),
        ("student", .student), ("trainee", .student), ("apprentice", .student),
        ("porter", .staff), ("receptionist", .staff), ("cleaner", .staff), ("administrator", .staff),
        ("secretary", .staff), ("assistant", .staff), ("clerk", .staff),
    ]

    /// The band `role` usually means, or nil when the role says too little to suggest one.
    public static func suggested(forRole role: String) -> Seniority? {
        let typed = RoleTitles.Typed(role)
        guard !typed.key.isEmpty else { return nil }
        if let band = posts[typed.post] { return band }
        let typedWords = Set(typed.keyWords)
        // "Student nurse" is a student; a word for a learner outranks the job being learnt.
        for learner in ["student", "trainee", "apprentice"] where typedWords.contains(learner) { return .student }
        for (word, band) in words where typedWords.contains(word) { return band }
        return nil
    }
}
