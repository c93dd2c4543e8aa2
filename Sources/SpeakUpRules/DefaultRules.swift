/// The rules used when no rules file is configured: the same text as
/// docs/rules/default.yaml (a test keeps the two identical).
public enum DefaultRules {
    public static let text = #"""
# SpeakUp's default escalation rules (format version 1; see docs/escalation.md).
#
# Roles are Unix users and groups. Create the groups below (or edit the names),
# then check the file with:  speakup rules check docs/rules/default.yaml
version: 1

roles:
  guardian:                 # Freedom to Speak Up guardians
    groups: [speakup-guardians]
  patient-safety:           # the patient-safety team
    groups: [speakup-patient-safety]
  independent:              # a non-executive director: independent of the executive chain
    groups: [speakup-independent]

# Any report no route takes goes here, so nothing is ever dropped. If every
# guardian has to be left out (one of them is the subject, or managed by them),
# the independent route is next.
fallback: [guardian, independent]

# Acknowledge within 7 days and feed back within 3 months (EU Whistleblowing Directive).
deadlines:
  acknowledge_within: 7d
  feed_back_within: 3mo

escalation:
  acknowledge_missed:
    notify: [patient-safety]
  feed_back_missed:
    raise_level: true
    notify: [independent]

# Routes are tried in order; the first that matches takes the report, unless it
# says `continue: true`, when later routes are tried too (like Alertmanager).
routes:
  # Urgent skips the pyramid: severe harm or a death reaches patient safety within a day.
  - name: urgent-harm
    match:
      harm: [severe, death]
    level: urgent
    notify: [patient-safety, guardian]
    acknowledge_within: 24h
    feed_back_within: 7d
    continue: true

  # Reports about board executives, the chief executive and the board go to the
  # independent route, never through the chain they run.
  - name: independent-for-senior-subjects
    match:
      seniority: ">= executive"
    notify: [independent]

  # The pyramid, by how many reports name the same person within 28 months
  # (anonymous reports count too): the most serious level that applies wins.
  # No change after repeated interventions: disciplinary.
  - name: pattern-disciplinary
    match:
      pattern: { at_least: 9, within: 28mo }
    level: disciplinary
    notify: [guardian, independent]

  # The pattern persists: a leader-guided plan.
  - name: pattern-authority
    match:
      pattern: { at_least: 6, within: 28mo }
    level: authority
    notify: [guardian]

  # An apparent pattern: a non-punitive awareness conversation.
  - name: pattern-awareness
    match:
      pattern: { at_least: 3, within: 28mo }
    level: awareness
    notify: [guardian]

  # A single event: an informal, private word, handled by a guardian.
  - name: everything-else
    level: informal
    notify: [guardian]
"""#

    /// The default rules, loaded. They are checked by the tests, so loading cannot fail.
    public static var ruleSet: RuleSet {
        try! RulesLoader.load(text).get()
    }
}
