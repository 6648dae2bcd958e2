import JSON

/// A table of cells to print (Open vSwitch's `struct table`): headings, rows, and an optional
/// caption and timestamp. `TableFormatter` writes it in any `TableStyle`.
public struct TextTable: Sendable {
    /// One cell: literal text, or JSON that is formatted according to the style.
    public enum Cell: Sendable, Equatable {
        /// Nothing (an empty string; `null` in JSON output).
        case empty
        /// Text printed as is whatever the style.
        case text(String)
        /// JSON printed as JSON whatever the style.
        case json(JSON)
        /// An OVSDB value of `type`, as RFC 7047 JSON: printed per the style's cell format, or as
        /// JSON if it is not a valid value of the type.
        case datum(JSON, ColumnType)
    }

    public var headings: [String]
    public var rows: [[Cell]] = []
    /// A line printed above the table (`Bridge table` in `ovsdb-client dump`).
    public var caption: String?
    /// Whether to print the time above the table (`--timestamp`).
    public var timestamp: Bool

    public init(headings: [String], caption: String? = nil, timestamp: Bool = false) {
        self.headings = headings
        self.caption = caption
        self.timestamp = timestamp
    }

    /// Appends a row; missing trailing cells are empty.
    public mutating func addRow(_ cells: [Cell]) {
        precondition(cells.count <= headings.count, "row has more cells than the table has columns")
        rows.append(cells + Array(repeating: .empty, count: headings.count - cells.count))
    }
}
