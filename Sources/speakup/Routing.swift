import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules

/// Chooses the rules a report is routed by: `--rules PATH` or `$SPEAKUP_RULES`,
/// else the built-in defaults (docs/rules/default.yaml). A rules file that does
/// not load never stops a report: the defaults are used and the explanation
/// kept with the case says so.
enum Routing {
    static func router(rulesPath: String?, storeIsEmbeddedDefault: Bool, owner: String?, staff: [StaffMember]) -> RulesRouter {
        let directory = StaffDirectory(staff)
        // An installed SpeakUp routes by the rules its settings name; $SPEAKUP_RULES is for development.
        let installation = (try? Deployment.get())?.installation
        let path = rulesPath ?? (installation != nil ? installation?.rules
            : ProcessInfo.processInfo.environment["SPEAKUP_RULES"].flatMap { $0.isEmpty ? nil : $0 })
        var preface: [String] = []
        var rules = DefaultRules.ruleSet
        if let path {
            if let bytes = GroupPrivilege.withoutGroup({ FileManager.default.contents(atPath: path) }), let text = String(data: bytes, encoding: .utf8) {
                switch RulesLoader.load(text) {
                case .success(let loaded):
                    rules = loaded
                    preface.append("Routed by the rules in \(path).")
                case .failure(let problems):
                    preface.append("The rules file \(path) could not be used (\(problems.all.count) problems; the first: line \(problems.all[0].line): \(problems.all[0].sentence)). The built-in default rules were used instead; run `speakup rules check \(path)`.")
                }
            } else {
                preface.append("The rules file \(path) could not be read. The built-in default rules were used instead.")
            }
        } else {
            preface.append("Routed by the built-in default rules.")
        }
        if path == nil && storeIsEmbeddedDefault && installation == nil, let owner {
            preface.append("In this embedded store its owner, \(owner), holds every role.")
            return RulesRouter(rules: rules, directory: directory, membership: OwnerHoldsEveryRole(owner: owner), preface: preface)
        }
        return RulesRouter(rules: rules, directory: directory, membership: SystemGroups(), preface: preface)
    }
}

/// Unix group members from the system's group database (getgrnam_r).
struct SystemGroups: GroupMembership {
    func members(ofGroup group: String) -> [String] {
        var entry = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>? = nil
        var buffer = [CChar](repeating: 0, count: 65_536)
        guard getgrnam_r(group, &entry, &buffer, buffer.count, &result) == 0, result != nil, var member = entry.gr_mem else { return [] }
        var names: [String] = []
        while let name = member.pointee {
            names.append(String(cString: name))
            member += 1
        }
        return names
    }
}

/// A router built only when a report is routed.
struct DeferredRouter: CaseRouter {
    let make: @Sendable () -> RulesRouter

    func route(_ report: Report, history: any ReportHistory, from: Date) -> CaseRouting {
        make().route(report, history: history, from: from)
    }
}
