/// One member of staff, from the directory a guardian imports.
public struct StaffMember: Hashable, Sendable {
    public var id: String
    public var name: String
    /// Their Unix login, if they have one (handlers are matched by it).
    public var unixUser: String?
    public var role: String
    public var seniority: Seniority
    /// The staff id of their manager, if any.
    public var managerID: String?
    public var ward: String
    /// Other names they go by ("Bill", a maiden name), from the directory's `known_as` column.
    public var knownAs: [String]

    public init(id: String, name: String, unixUser: String?, role: String, seniority: Seniority, managerID: String?, ward: String,
                knownAs: [String] = []) {
        self.id = id
        self.name = name
        self.unixUser = unixUser
        self.role = role
        self.seniority = seniority
        self.managerID = managerID
        self.ward = ward
        self.knownAs = knownAs
    }
}
