/// A list a person moves through with the arrow keys, choosing one item or ticking several.
public struct ChoiceList<Item: Hashable & Sendable>: Hashable, Sendable {
    public let items: [Item]
    /// The item the highlight is on.
    public private(set) var highlighted: Int = 0
    /// The ticked items (multi-select) or the one chosen item (single choice).
    public private(set) var chosen: Set<Item> = []
    public let allowsMany: Bool

    public init(_ items: [Item], allowsMany: Bool) {
        precondition(!items.isEmpty, "a choice list needs items")
        self.items = items
        self.allowsMany = allowsMany
    }

    public var highlightedItem: Item { items[highlighted] }

    /// The chosen items in list order.
    public var chosenInOrder: [Item] { items.filter(chosen.contains) }

    /// Moves the highlight; returns true when the key was a movement key.
    public mutating func move(_ key: Key) -> Bool {
        switch key {
        case .up: highlighted = max(0, highlighted - 1)
        case .down: highlighted = min(items.count - 1, highlighted + 1)
        case .home, .pageUp: highlighted = 0
        case .end, .pageDown: highlighted = items.count - 1
        default: return false
        }
        return true
    }

    /// Ticks or unticks the highlighted item (many), or chooses it (one).
    public mutating func toggleHighlighted() {
        let item = highlightedItem
        if allowsMany {
            if chosen.contains(item) { chosen.remove(item) } else { chosen.insert(item) }
        } else {
            chosen = [item]
        }
    }

    /// Chooses the highlighted item alone (single choice).
    public mutating func chooseHighlighted() { chosen = [highlightedItem] }

    /// Chooses an item (alone, for a single choice) and highlights it.
    public mutating func choose(_ item: Item) {
        guard items.contains(item) else { return }
        chosen = [item]
        highlight(item)
    }

    /// Ticks an item without unticking others (many).
    public mutating func tick(_ item: Item) {
        guard items.contains(item) else { return }
        if allowsMany { chosen.insert(item) } else { chosen = [item] }
    }

    /// Whether the highlight is on the first or the last item.
    public var isAtTop: Bool { highlighted == 0 }
    public var isAtBottom: Bool { highlighted == items.count - 1 }

    /// Puts the highlight on an item, if it is in the list.
    public mutating func highlight(_ item: Item) {
        if let index = items.firstIndex(of: item) { highlighted = index }
    }
}
