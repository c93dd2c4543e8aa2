/// Where things go on the form at a given window size. Shared by `update`
/// (the editor must know its size to move by lines) and `render`.
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

    /// The account editor's first row, and its size inside its box (one cell of padding each side).
    var accountTop: Int { 7 }
    var accountViewport: Size {
        Size(columns: max(1, width - 4), rows: max(1, noticeRow - 2 - accountTop))
    }
}
