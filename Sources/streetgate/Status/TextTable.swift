/// Columns aligned on the visible text, with colour added after padding so escapes never shift a
/// column, and every cell cut to its column's maximum width with "…".
struct TextTable {
    struct Column {
        var title: String
        var maxWidth: Int
        var alignRight = false
    }

    struct Cell {
        var text: String
        var colour: TerminalStyle.Colour?

        init(_ text: String, _ colour: TerminalStyle.Colour? = nil) {
            self.text = text
            self.colour = colour
        }
    }

    var columns: [Column]
    var rows: [[Cell]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count)
        rows.append(row)
    }

    /// The header and the rows, each line prefixed by `indent`, trailing spaces removed.
    func lines(indent: String = "  ", style: TerminalStyle) -> [String] {
        let header = columns.map { Cell($0.title) }
        let cut = ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                Cell(Self.fit(cell.text, columns[index].maxWidth), cell.colour)
            }
        }
        let widths = columns.indices.map { index in cut.map { $0[index].text.count }.max() ?? 0 }
        return cut.map { row in
            var line = indent
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.text.count)
                let isLast = index == row.count - 1
                let padded = columns[index].alignRight ? padding + cell.text : cell.text + (isLast ? "" : padding)
                line += style.paint(padded, cell.colour)
                if !isLast { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// `text` cut to `width` characters, the last one "…" when something was cut.
    static func fit(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }
}
