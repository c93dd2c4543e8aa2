import Testing
@testable import SpeakUpCore

@Suite("Case references")
struct CaseReferenceTests {
    @Test("a new reference reads SU-XXXX-XXXX in Crockford's alphabet")
    func format() {
        for _ in 0..<200 {
            let text = CaseReference.random().text
            #expect(text.count == 12)
            #expect(text.hasPrefix("SU-"))
            #expect(Array(text)[7] == "-")
            #expect(text.dropFirst(3).filter { $0 != "-" }.allSatisfy { CaseReference.alphabet.contains($0) })
            #expect(!text.contains("I") && !text.contains("L") && !text.contains("O") && !text.contains("U", after: 2))
        }
    }

    @Test("references are random, not a running number")
    func randomness() {
        let many = Set((0..<1000).map { _ in CaseReference.random() })
        #expect(many.count == 1000)
    }

    @Test("typed references are forgiven case and dashes", arguments: ["su-7kq4-m2xd", "SU7KQ4M2XD", "su 7KQ4 m2xd"])
    func forgivingParse(_ typed: String) {
        #expect(CaseReference(typed)?.text == "SU-7KQ4-M2XD")
    }

    @Test("malformed references are refused", arguments: ["", "SU-", "SU-7KQ4-M2X", "SU-7KQ4-M2XDD", "XX-7KQ4-M2XD", "SU-7KQ4-M2XI", "SU-7KQ4-M2X\u{1B}"])
    func refused(_ typed: String) {
        #expect(CaseReference(typed) == nil)
    }
}

extension String {
    fileprivate func contains(_ character: Character, after offset: Int) -> Bool {
        dropFirst(offset).contains(character)
    }
}
