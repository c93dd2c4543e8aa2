import CNCurses

/// Escape sequences terminals send for keys, beyond what one terminfo entry lists.
enum KeySequences {
    /// vt220, xterm (normal and application mode) and rxvt spellings of the editing keys.
    static var commonSpellings: [(String, Int32)] {
        let esc = "\u{1B}"
        return [
            ("\(esc)[A", speakup_key_up()), ("\(esc)OA", speakup_key_up()),
            ("\(esc)[B", speakup_key_down()), ("\(esc)OB", speakup_key_down()),
            ("\(esc)[C", speakup_key_right()), ("\(esc)OC", speakup_key_right()),
            ("\(esc)[D", speakup_key_left()), ("\(esc)OD", speakup_key_left()),
            ("\(esc)[H", speakup_key_home()), ("\(esc)OH", speakup_key_home()),
            ("\(esc)[1~", speakup_key_home()), ("\(esc)[7~", speakup_key_home()),
            ("\(esc)[F", speakup_key_end()), ("\(esc)OF", speakup_key_end()),
            ("\(esc)[4~", speakup_key_end()), ("\(esc)[8~", speakup_key_end()),
            ("\(esc)[3~", speakup_key_dc()),
            ("\(esc)[5~", speakup_key_ppage()), ("\(esc)[6~", speakup_key_npage()),
            ("\(esc)[Z", speakup_key_btab()),
            ("\(esc)OP", speakup_key_f(1)), ("\(esc)[11~", speakup_key_f(1)),
            ("\(esc)[1;5D", wordLeftCode), ("\(esc)[5D", wordLeftCode), ("\(esc)Od", wordLeftCode), ("\(esc)[1;3D", wordLeftCode),
            ("\(esc)[1;5C", wordRightCode), ("\(esc)[5C", wordRightCode), ("\(esc)Oc", wordRightCode), ("\(esc)[1;3C", wordRightCode),
        ]
    }

    /// Codes of our own for Ctrl-Left and Ctrl-Right, above ncurses' own and the paste markers.
    static let wordLeftCode = Int32(KEY_MAX) + 3
    static let wordRightCode = Int32(KEY_MAX) + 4

    /// Removes escape sequences ncurses did not recognise, which arrive as Esc
    /// followed at once by `[` or `O` and more, and Alt chords (Esc and a key at
    /// once). Left in, their Esc would go back a page and the rest would be typed.
    static func droppingUnknownSequences(_ keys: [Key]) -> [Key] {
        guard keys.count > 1, keys.contains(.escape) else { return keys }
        var result: [Key] = []
        result.reserveCapacity(keys.count)
        var index = 0
        while index < keys.count {
            let key = keys[index]
            if key == .escape, index + 1 < keys.count,
                keys[index + 1] == .character("[") || keys[index + 1] == .character("O") {
                // Skip ESC, the introducer, parameters, and the final byte (0x40-0x7E).
                index += 2
                while index < keys.count, case .character(let c) = keys[index],
                    let value = c.unicodeScalars.first?.value, (0x20...0x3F).contains(value) {
                    index += 1
                }
                if index < keys.count, case .character(let c) = keys[index],
                    let value = c.unicodeScalars.first?.value, (0x40...0x7E).contains(value) {
                    index += 1
                }
                continue
            }
            if key == .escape, index + 1 < keys.count, case .character(let letter) = keys[index + 1] {
                // Alt plus a key arrives as Esc and the key at once. Alt-b and Alt-f move
                // by words (as in shells); other Alt chords neither go back nor type.
                if letter == "b" { result.append(.wordLeft) }
                if letter == "f" { result.append(.wordRight) }
                index += 2
                continue
            }
            result.append(key)
            index += 1
        }
        return result
    }
}
