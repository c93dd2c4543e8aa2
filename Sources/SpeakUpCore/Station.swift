/// Where a report was raised from, which says how much its reporter's identity means.
public enum Station: Hashable, Sendable {
    /// The reporter's own login (an SSH session or their own terminal): the
    /// operating system vouches for who they are.
    case personal
    /// A ward-station terminal whose login many people share: a name given there
    /// is the reporter's own word, not checked.
    case ward(location: String?)
    /// A public kiosk where nobody is logged in: every report is anonymous.
    case kiosk(location: String?)

    /// The stored name of the kind of station.
    public var kind: String {
        switch self {
        case .personal: "personal"
        case .ward: "ward"
        case .kiosk: "kiosk"
        }
    }

    /// The location configured for the terminal, if any.
    public var location: String? {
        switch self {
        case .personal: nil
        case .ward(let location), .kiosk(let location): location
        }
    }

    public init?(kind: String, location: String?) {
        switch kind {
        case "personal": self = .personal
        case "ward": self = .ward(location: location)
        case "kiosk": self = .kiosk(location: location)
        default: return nil
        }
    }

    /// True where the login says nothing about who is at the keyboard, so reports
    /// made there are followed up by receipt code rather than by login.
    public var isShared: Bool { self != .personal }

    /// A kiosk: anonymous only, and no staff names offered to whoever stands at it.
    public var isKiosk: Bool {
        if case .kiosk = self { return true }
        return false
    }

    /// The ways of raising a concern offered here (a kiosk is anonymous only).
    public var ways: [WayOfRaising] {
        if case .kiosk = self { return [.anonymous] }
        return WayOfRaising.allCases
    }
}
