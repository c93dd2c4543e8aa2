/// Word wrapping for prose measured in terminal cells.
public enum Wrap {
    /// Splits text into lines no wider than `width` cells, breaking at spaces
    /// where it can and inside a word only when the word alone is too wide.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var result: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let wordWidth = CellWidth.of(word)
                let gap = line.isEmpty ? 0 : 1
                if lineWidth + gap + wordWidth <= width {
                    if gap == 1 { line.append(" ") }
                    line += word
                    lineWidth += gap + wordWidth
                    continue
                }
                if !line.isEmpty { result.append(line) }
                line = ""
                lineWidth = 0
                for character in word {
                    let characterWidth = CellWidth.of(character)
                    if lineWidth + characterWidth > width {
                        result.append(line)
                        line = ""
                        lineWidth = 0
                    }
                    line.append(character)
                    lineWidth += characterWidth
                }
            }
            result.append(line)
        }
        return result
    }
}
