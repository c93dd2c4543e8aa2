/// A list a person moves through with the arrow keys, choosing one item or ticking several.
///
/// A list starts with nothing highlighted and nothing chosen: an answer is only ever one
/// the person picked. The first ↓ puts the highlight on the first item.
public struct ChoiceList<Item: Hashable & Sendable>: Hashable, Sendable {
    public let items: [Item]
    /// The item the highlight is on, if the person has moved onto the list.
    public private(set) var highlighted: Int? = nil
    /// The ticked items (multi-select) or the one chosen item (single choice).
    public private(set) var chosen: Set<Item> = []
    public let allowsMany: Bool

    public init(_ items: [Item], allowsMany: Bool) {
        precondition(!items.isEmpty, "a choice list needs items")
        self.items = items
        self.allowsMany = allowsMany
    }

    public var highlightedItem: Item? { highlighted.map { items[$0] } }

    /// The chosen items in list order.
    public var chosenInOrder: [Item] { items.filter(chosen.contains) }

    /// Moves the highlight; returns true when the key was a movement key.
    public mutating func move(_ key: Key) -> Bool {
        switch key {
        case .up: highlighted = highlighted.map { max(0, $0 - 1) }
        case .down: highlighted = highlighted.map { min(items.count - 1, $0 + 1) } ?? 0
        case .home, .pageUp: highlighted = 0
        case .end, .pageDown: highlighted = items.count - 1
        default: return false
        }
        return true
    }

    /// Ticks or unticks the highlighted item (many), or chooses it (one). Nothing, when nothing is highlighted.
    public mutating func toggleHighlighted() {
        guard let item = highlightedItem else { return }
        if allowsMany {
            if chosen.contains(item) { chosen.remove(item) } else { chosen.insert(item) }
        } else {
            chosen = [item]
        }
    }

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

    /// Whether ↑ would leave the list (nothing highlighted, or the first item is) or ↓ would (the last is).
    public var isAtTop: Bool { (highlighted ?? 0) == 0 }
    public var isAtBottom: Bool { highlighted == items.count - 1 }

    /// Puts the highlight on an item, if it is in the list.
    public mutating func highlight(_ item: Item) {
        if let index = items.firstIndex(of: item) { highlighted = index }
    }
}
