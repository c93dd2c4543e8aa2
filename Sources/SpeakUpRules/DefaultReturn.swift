import SpeakUpCore

/// The return `speakup export return` writes when no `--definition` is given: NHS England's
/// quarterly Freedom to Speak Up return, the same text as docs/returns/nhse-ftsu-quarterly.yaml
/// (a test keeps the two identical).
public enum DefaultReturn {
    public static let path = "docs/returns/nhse-ftsu-quarterly.yaml"

    /// The shipped definition, read (a test proves it reads without a problem).
    public static let definition: ReturnDefinition = {
        switch ReturnDefinitionLoader.load(text) {
        case .success(let definition): return definition
        case .failure(let problems): fatalError("The built-in return definition has problems: \(problems.all)")
        }
    }()

    public static let text = #"""
# NHS England's quarterly Freedom to Speak Up data return (return definition format 1;
# see docs/governance.md, "The national return").
#
# Based on the categories the National Guardian's Office last published before it closed in
# 2026. A trust changes what is counted by editing a copy of this file, then:
#   speakup export return --quarter 2026Q3 --definition my-return.yaml
# Every figure is a count of case facts: nothing a person typed is ever in a return, and
# counts from 1 to 4 are written <5.
format: 1
name: NHS England Freedom to Speak Up quarterly data return
version: "2026/27"

# Quarters of the NHS financial year, which starts in April: a quarter is written as the year
# the financial year starts in, Q, and 1 to 4. 2026Q1 is April to June 2026, 2026Q2 July to
# September, 2026Q3 October to December 2026, 2026Q4 January to March 2027.
quarters:
  first-month: april

# Each measure has an id (never changes), the return's label, and how it is counted:
#   count: cases     cases raised in the quarter
#   count: answers   answers to "Given your experience, would you speak up again?" given in the quarter
#   count: check-ins answers to the detriment check-ins (1, 3 and 6 months after a case closed) given
#                    in the quarter; a yes opens a detriment case, counted in `detriment` below
#   where:           only those that fit every field given; any of a field's values will do
#     way:                open, confidential, anonymous
#     category:           rude-or-aggressive, unsafe-practice, lack-of-compassion, bullying-or-harassment,
#                         discrimination, worker-safety, detriment, other (a case may have several)
#     professional-group: nursing, midwifery, medical-dental, allied-health, healthcare-assistant,
#                         healthcare-scientist, pharmacy, admin-clerical, estates-ancillary, corporate,
#                         student, other, prefer-not-to-say, not-given (anonymous or not asked)
#     speak-up-again:     yes, no, maybe, dont-know (with count: answers)
#     check-in:           yes, no, rather-not-say (with count: check-ins)
measures:
  - id: cases
    label: Cases raised
    count: cases
  - id: anonymous
    label: Cases raised anonymously
    count: cases
    where: {way: anonymous}
  - id: patient-safety
    label: Cases with an element of patient safety or quality
    count: cases
    where: {category: [unsafe-practice, lack-of-compassion]}
  - id: worker-safety
    label: Cases with an element of worker safety or wellbeing
    count: cases
    where: {category: worker-safety}
  - id: bullying-harassment
    label: Cases with an element of bullying or harassment
    count: cases
    where: {category: bullying-or-harassment}
  - id: attitudes-behaviours
    label: Cases with an element of inappropriate attitudes or behaviours
    count: cases
    where: {category: [rude-or-aggressive, discrimination]}
  - id: detriment
    label: Cases where the person indicated they were suffering detriment for speaking up
    count: cases
    where: {category: detriment}
  - id: group-nurses-midwives
    label: "Professional group: registered nurses and midwives"
    count: cases
    where: {professional-group: [nursing, midwifery]}
  - id: group-medical-dental
    label: "Professional group: medical and dental"
    count: cases
    where: {professional-group: medical-dental}
  - id: group-allied-health
    label: "Professional group: allied health professionals"
    count: cases
    where: {professional-group: allied-health}
  - id: group-healthcare-assistants
    label: "Professional group: nursing assistants or healthcare assistants"
    count: cases
    where: {professional-group: healthcare-assistant}
  - id: group-scientific-technical
    label: "Professional group: healthcare scientists and pharmacy"
    count: cases
    where: {professional-group: [healthcare-scientist, pharmacy]}
  - id: group-admin-estates
    label: "Professional group: administrative, clerical, estates and ancillary"
    count: cases
    where: {professional-group: [admin-clerical, estates-ancillary]}
  - id: group-corporate
    label: "Professional group: corporate services"
    count: cases
    where: {professional-group: corporate}
  - id: group-students
    label: "Professional group: students"
    count: cases
    where: {professional-group: student}
  - id: group-other
    label: "Professional group: other"
    count: cases
    where: {professional-group: other}
  - id: group-not-known
    label: "Professional group: not known"
    count: cases
    where: {professional-group: [prefer-not-to-say, not-given]}
  - id: feedback-yes
    label: "Would speak up again: yes"
    count: answers
    where: {speak-up-again: yes}
  - id: feedback-no
    label: "Would speak up again: no"
    count: answers
    where: {speak-up-again: no}
  - id: feedback-maybe
    label: "Would speak up again: maybe"
    count: answers
    where: {speak-up-again: maybe}
  - id: feedback-dont-know
    label: "Would speak up again: I don't know"
    count: answers
    where: {speak-up-again: dont-know}

# Measures in one set must never count the same case (or answer): each case falls in one
# professional group, and each answer is one answer. Checked when the file is read.
exclusive:
  professional-group: [group-nurses-midwives, group-medical-dental, group-allied-health, group-healthcare-assistants,
                       group-scientific-technical, group-admin-estates, group-corporate, group-students, group-other,
                       group-not-known]
  speak-up-again: [feedback-yes, feedback-no, feedback-maybe, feedback-dont-know]
"""#
}
