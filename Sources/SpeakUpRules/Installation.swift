import Foundation
import SpeakUpCore
import Yams

/// An installation's settings, from the `config.yaml` IT writes when installing
/// SpeakUp for a shared host (docs/deployment.md): where the store is, which
/// rules route reports, who holds which role, and how ward terminals and
/// kiosks behave.
public struct Installation: Hashable, Sendable {
    /// Unix users and groups that hold a role.
    public struct Members: Hashable, Sendable {
        public var users: [String] = []
        public var groups: [String] = []
        /// True when everyone with an account holds the role.
        public var everyone = false

        public init(users: [String] = [], groups: [String] = [], everyone: Bool = false) {
            self.users = users
            self.groups = groups
            self.everyone = everyone
        }
    }

    /// How a shared terminal behaves.
    public struct StationSettings: Hashable, Sendable {
        /// Seconds without a key before the form is wiped and the welcome returns.
        public var idleTimeout: Int = 120
        /// The place recorded with each report raised there, if configured.
        public var location: String? = nil
        /// The most reports one kiosk takes in an hour (kiosks only).
        public var submissionsPerHour: Int = 5
        /// The terminals (such as /dev/tty1) the station may run on; empty means any.
        public var terminals: [String] = []
        /// Draw in plain characters (ASCII and the terminal's own line drawing): for an old
        /// terminal or serial console that is not UTF-8.
        public var ascii = false
        public init() {}
    }

    public static let supportedVersion = 1

    /// The store file (its folder is the one `make install` made for group speakup), or a
    /// PostgreSQL store's address (`postgresql://…`).
    public var store: String
    /// The rules file; nil means the built-in default rules.
    public var rules: String? = nil
    /// The retention policy file (`RetentionPolicyLoader`); nil means `RetentionPolicy.standard`.
    public var retention: String? = nil
    public var reporters = Members(everyone: true)
    public var handlers = Members()
    public var administrators = Members(users: ["root"])
    public var ward = StationSettings()
    public var kiosk = StationSettings()
    /// The accounts that run as ward terminals (`wards:`), by login, each with its settings
    /// (`ward:` gives the defaults). Only these may take reports as a ward terminal.
    public var wards: [String: StationSettings] = [:]
    /// The accounts that run as kiosks (`kiosks:`), by login; `kiosk:` gives the defaults.
    public var kiosks: [String: StationSettings] = [:]
    /// A program run for each new reminder (its words, with no report content, on standard
    /// input; `{handler}` in an argument becomes the handler's login), such as a mail command.
    public var notifyCommand: [String]? = nil

    public init(store: String) {
        self.store = store
    }

    /// Reads the settings, giving every problem with its line and column.
    public static func load(_ text: String) -> Result<Installation, RuleProblems> {
        Reader.read(text, what: "The settings file") { reader, root in reader.installation(root) }
    }
}

extension Reader {
    mutating func installation(_ root: Node) -> Installation? {
        let top = entries(root, allowed: ["version", "store", "rules", "retention", "roles", "ward", "kiosk", "wards", "kiosks", "notify-command"],
                          what: "the settings file")
        if let node = top["version"]?.value, node.int != Installation.supportedVersion {
            report(node, "This SpeakUp reads settings files of version \(Installation.supportedVersion); this one says \(node.scalar?.string ?? "something else").")
        }
        guard let storeNode = top["store"]?.value else {
            report(root, "The settings file must say where the store is, as `store: /var/lib/speakup/speakup.sqlite`.")
            return nil
        }
        // A PostgreSQL store's address is read by the program when it opens the store (docs/deployment.md).
        let storeText = storeNode.scalar?.string ?? ""
        let onServer = storeText.hasPrefix("postgresql://") || storeText.hasPrefix("postgres://")
        var installation = Installation(store: onServer ? storeText : absolutePath(storeNode, what: "store") ?? "")
        if let node = top["rules"]?.value { installation.rules = absolutePath(node, what: "rules") }
        if let node = top["retention"]?.value { installation.retention = absolutePath(node, what: "retention") }
        if let node = top["roles"]?.value {
            let roles = entries(node, allowed: ["reporters", "handlers", "administrators"], what: "roles")
            if let node = roles["reporters"]?.value { installation.reporters = members(node, what: "reporters") }
            if let node = roles["handlers"]?.value { installation.handlers = members(node, what: "handlers") }
            if let node = roles["administrators"]?.value { installation.administrators = members(node, what: "administrators") }
        }
        if let node = top["ward"]?.value { installation.ward = station(node, what: "ward", kiosk: false, defaults: .init()) }
        if let node = top["kiosk"]?.value { installation.kiosk = station(node, what: "kiosk", kiosk: true, defaults: .init()) }
        if let node = top["wards"]?.value { installation.wards = stations(node, what: "wards", kiosk: false, defaults: installation.ward) }
        if let node = top["kiosks"]?.value { installation.kiosks = stations(node, what: "kiosks", kiosk: true, defaults: installation.kiosk) }
        if let node = top["notify-command"]?.value {
            let words = strings(node, what: "notify-command")
            if let program = words.first, !program.hasPrefix("/") {
                report(node, "notify-command should start with the program's full path, such as [/usr/bin/mail, -s, SpeakUp reminder, \"{handler}\"].")
            } else if !words.isEmpty {
                installation.notifyCommand = words
            }
        }
        return installation
    }

    private mutating func absolutePath(_ node: Node, what: String) -> String? {
        guard let text = node.scalar?.string, text.hasPrefix("/") else {
            report(node, "\(what) should be a full path starting with /.")
            return nil
        }
        return text
    }

    private mutating func members(_ node: Node, what: String) -> Installation.Members {
        if node.scalar?.string == "everyone" { return Installation.Members(everyone: true) }
        let fields = entries(node, allowed: ["users", "groups"], what: what)
        return Installation.Members(
            users: fields["users"].map { strings($0.value, what: "\(what) users") } ?? [],
            groups: fields["groups"].map { strings($0.value, what: "\(what) groups") } ?? [])
    }

    /// `login: {settings}` for each account that runs as a station.
    private mutating func stations(_ node: Node, what: String, kiosk: Bool, defaults: Installation.StationSettings) -> [String: Installation.StationSettings] {
        guard let mapping = node.mapping else {
            report(node, "\(what) should list the accounts that run as \(kiosk ? "kiosks" : "ward terminals"), each with its settings, such as `\(what): {\(kiosk ? "kiosk" : "ward7"): {location: \(kiosk ? "Main entrance" : "Ward 7")}}`.")
            return [:]
        }
        var found: [String: Installation.StationSettings] = [:]
        for (key, value) in mapping {
            guard let login = key.scalar?.string, !login.isEmpty, login.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
                report(key, "\(what) should be keyed by the account's login, such as kiosk or ward7.")
                continue
            }
            if let text = value.scalar?.string, ["", "~", "null"].contains(text) {
                found[login] = defaults  // listed with no settings of its own
            } else {
                found[login] = station(value, what: "\(what) \(login)", kiosk: kiosk, defaults: defaults)
            }
        }
        return found
    }

    private mutating func station(_ node: Node, what: String, kiosk: Bool, defaults: Installation.StationSettings) -> Installation.StationSettings {
        let allowed = kiosk ? ["idle-timeout", "location", "submissions-per-hour", "terminals", "ascii"] : ["idle-timeout", "location", "terminals", "ascii"]
        let fields = entries(node, allowed: allowed, what: what)
        var settings = defaults
        if let node = fields["idle-timeout"]?.value, let seconds = seconds(node, what: "\(what) idle-timeout") {
            settings.idleTimeout = seconds
        }
        if let node = fields["location"]?.value {
            if let text = node.scalar?.string, !text.isBlank { settings.location = text } else { report(node, "\(what) location should be a place's name.") }
        }
        if let node = fields["submissions-per-hour"]?.value, let count = int(node, what: "submissions-per-hour") {
            if count > 1000 { report(node, "submissions-per-hour should be from 1 to 1000.") }
            settings.submissionsPerHour = count
        }
        if let node = fields["ascii"]?.value {
            switch node.scalar?.string.lowercased() {
            case "true", "yes": settings.ascii = true
            case "false", "no": settings.ascii = false
            default: report(node, "\(what) ascii should be true or false.")
            }
        }
        if let node = fields["terminals"]?.value {
            let terminals = strings(node, what: "\(what) terminals")
            if terminals.contains(where: { !$0.hasPrefix("/dev/") }) {
                report(node, "\(what) terminals should be device paths, such as [/dev/tty1].")
            }
            settings.terminals = terminals
        }
        return settings
    }

    /// `90s`, `2m` or a number of seconds, between 30 seconds and an hour.
    private mutating func seconds(_ node: Node, what: String) -> Int? {
        let text = (node.scalar?.string ?? "").replacingOccurrences(of: " ", with: "")
        let value: Int? = if text.hasSuffix("m") { Int(text.dropLast()).map { $0 * 60 } }
            else if text.hasSuffix("s") { Int(text.dropLast()) } else { Int(text) }
        guard let value, (30...3600).contains(value) else {
            report(node, "\(what) should be a time between 30s and 60m, such as 2m or 90s, not \"\(node.scalar?.string ?? "")\".")
            return nil
        }
        return value
    }
}
