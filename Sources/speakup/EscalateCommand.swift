import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// `speakup escalate tick`: for cron or a systemd timer.
struct EscalateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate",
        abstract: "Apply passed deadlines (run regularly from cron or a systemd timer).",
        subcommands: [Tick.self]
    )

    struct Tick: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tick",
            abstract: "Escalate every case whose acknowledge or feed-back deadline has passed. Running it twice changes nothing the second time."
        )

        @Option(help: ArgumentHelp("Act as if it were this moment (ISO 8601, e.g. 2026-12-05T09:00:00Z).", valueName: "time"))
        var now: String?

        @Option(name: .customLong("rules"), help: ArgumentHelp("The escalation rules file (default: $SPEAKUP_RULES, else the built-in rules).", valueName: "path"))
        var rulesPath: String?

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let moment: Date
            if let now {
                guard let parsed = try? Date(now, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)),
                    (CalendarDay.earliest.deadlineStart...CalendarDay(year: 9999, month: 12, day: 31)!.deadlineStart).contains(parsed)
                else {
                    Failure("--now needs a moment from 1948 to 9999 like 2026-12-05T09:00:00Z; \(now) is not one.", code: 64).exit()
                }
                moment = parsed
            } else {
                moment = Date()
            }
            do {
                try Roles.require(.administrator, toDo: "run the escalation tick")
                let (store, isDefault) = try storeOptions.open(createIfMissing: false)
                let staff: [StaffMember]
                do { staff = try store.staff() } catch { throw Failure(error.sentence) }
                let router = Routing.router(rulesPath: rulesPath, storeIsEmbeddedDefault: isDefault, owner: RealIdentity.current()?.reporter.userName, staff: staff)
                for line in router.preface where line.contains("could not be") { Diagnostics.say("Warning: " + line) }
                let escalated: [DeadlineTick.Escalated]
                let released: [CaseReference]
                do {
                    let tick = DeadlineTick(router: router)
                    released = try tick.releaseHolds(on: store, now: moment)
                    escalated = try tick.run(on: store, now: moment)
                } catch {
                    throw Failure(error.sentence)
                }
                let reminders: [Reminder]
                do {
                    try store.sealAudit(today: CalendarDay.local(moment))
                    try store.indexPendingWords()
                    reminders = try store.makeReminders(at: moment)
                } catch {
                    throw Failure(error.sentence)
                }
                for reference in released { print("\(reference): its hold ended, released to its handlers.") }
                for reminder in reminders {
                    print("\(reminder.reference): reminder for \(reminder.handler): \(reminder.deadline == .acknowledge ? "acknowledge" : "feed back") \(reminder.stage == .passed ? "was due" : "is due") by \(SubmissionTime.instant(reminder.due).text).")
                    Notifier.send(reminder)
                }
                if escalated.isEmpty && released.isEmpty && reminders.isEmpty {
                    print("Nothing to escalate.")
                } else {
                    for item in escalated {
                        print("\(item.reference): \(item.deadline == .acknowledge ? "not acknowledged in time" : "no feedback in time"), escalated.")
                    }
                }
            } catch let failure as Failure {
                failure.exit()
            }
        }
    }
}
