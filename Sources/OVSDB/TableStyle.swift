/// How a tool lays out a table of OVSDB data (Open vSwitch's `struct table_style`), set by the
/// options `ovsdb-client` and `ovs-vsctl` share: `--format`, `--data`, `--no-headings`,
/// `--pretty`, `--bare`, `--max-column-width`.
public struct TableStyle: Sendable, Equatable {
    /// `--format`: the shape of the whole table.
    public enum Format: String, Sendable, CaseIterable {
        /// Aligned columns under a heading and a rule of dashes.
        case table
        /// One `heading: value` line per cell, a blank line between rows.
        case list
        case html
        case csv
        /// `{"headings": [...], "data": [[...], ...]}`.
        case json
    }

    /// `--data`: how a cell that holds OVSDB data is written.
    public enum CellFormat: String, Sendable, CaseIterable {
        /// OVSDB's text form: `[a, b]`, `{k=v}`, strings quoted when they must be.
        case string
        /// Elements separated by spaces, nothing quoted.
        case bare
        /// The RFC 7047 JSON form.
        case json
    }

    public var format: Format
    public var cellFormat: CellFormat
    public var headings: Bool
    /// `--pretty`: indent JSON output (JSON is always written with sorted object members).
    public var pretty: Bool
    /// `--max-column-width`: widest a `table` column may be, in bytes; 0 for no limit.
    public var maxColumnWidth: Int

    /// Open vSwitch's `TABLE_STYLE_DEFAULT` (list format); `ovsdb-client` starts from `table`.
    public init(format: Format = .list, cellFormat: CellFormat = .string, headings: Bool = true,
                pretty: Bool = false, maxColumnWidth: Int = 0) {
        self.format = format
        self.cellFormat = cellFormat
        self.headings = headings
        self.pretty = pretty
        self.maxColumnWidth = maxColumnWidth
    }

    /// What a bad `--format` or `--data` argument is told.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Applies `--format=NAME`.
    public mutating func setFormat(_ name: String) throws(ParseError) {
        guard let f = Format(rawValue: name) else { throw ParseError(description: "unknown output format \"\(name)\"") }
        format = f
    }

    /// Applies `--data=NAME`.
    public mutating func setCellFormat(_ name: String) throws(ParseError) {
        guard let f = CellFormat(rawValue: name) else { throw ParseError(description: "unknown data format \"\(name)\"") }
        cellFormat = f
    }

    /// Applies `--bare`: `--format=list --data=bare --no-headings`.
    public mutating func setBare() {
        format = .list
        cellFormat = .bare
        headings = false
    }

    /// The options' help, as `table_usage()` prints it.
    public static let usage = """

        Output formatting options:
          -f, --format=FORMAT         set output formatting to FORMAT
                                      ("table", "html", "csv", or "json")
          -d, --data=FORMAT           set table cell output formatting to
                                      FORMAT ("string", "bare", or "json")
          --no-headings               omit table heading row
          --pretty                    pretty-print JSON in output
          --bare                      equivalent to "--format=list --data=bare --no-headings"

        """
}
