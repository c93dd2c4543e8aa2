/// Where things go on the form at a given window size. Shared by `update`
/// (editors must know their size to move by lines) and `render`.
struct ReporterFormLayout {
    let size: Size

    /// Left margin.
    var left: Int { size.columns >= 100 ? 4 : 2 }
    /// Width for prose and fields: the window less margins, capped for easy reading.
    var width: Int { min(size.columns - 2 * left, 96) }
    /// First row of a page's heading.
    let headingRow = 2
    /// The row for notices (problems and news).
    var noticeRow: Int { size.rows - 3 }
    /// The key bar.
    var keyRow: Int { size.rows - 1 }

    /// The text area inside an editor's box (one cell of padding each side).
    func editorViewport(for field: FormField) -> Size {
        let columns = max(1, width - 4)
        switch field {
        case .account: return Size(columns: columns, rows: max(1, noticeRow - 2 - 7))
        case .witnesses: return Size(columns: columns, rows: max(1, min(8, noticeRow - 2 - 7)))
        default: return Size(columns: columns, rows: 2)
        }
    }
}
