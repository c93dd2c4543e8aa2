import SpeakUpCore
import Testing

@Suite struct RoleSeniorityTests {
    @Test(arguments: [
        ("consultant", Seniority.seniorClinician), ("Consultant anaesthetist", .seniorClinician),
        ("CEO", .chiefExecutive), ("the chief exec", .chiefExecutive), ("director of nursing", .executive),
        ("ward sister", .manager), ("HCA", .staff), ("student nurse", .student), ("staff nurse", .practitioner),
        ("SpR", .seniorPractitioner), ("Matron", .manager), ("NED", .board),
    ])
    func rolesSuggestTheirBand(role: String, band: Seniority) {
        #expect(RoleSeniority.suggested(forRole: role) == band)
    }

    @Test(arguments: ["", "  ", "the tall one", "bob", "someone from IT"])
    func vagueRolesSuggestNothing(role: String) {
        #expect(RoleSeniority.suggested(forRole: role) == nil)
    }
}
