import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `TextTable`s exactly as Open vSwitch's `lib/table.c` does, for `ovsdb-client` and
/// `ovs-vsctl list`/`find`.
///
/// Output is bytes: widths count bytes and `--max-column-width` may cut a multi-byte character,
/// as OVS's `printf("%-*.*s")` does. A formatter remembers whether it has written a table yet,
/// because every table after the first (except in HTML) is preceded by a blank line.
public struct TableFormatter: Sendable {
    public var style: TableStyle
    private var firstTable = true

    public init(style: TableStyle) { self.style = style }

    /// Forgets earlier tables, so the next one gets no leading blank line (`table_format_reset`).
    public mutating func reset() { firstTable = true }

    /// `table` in the style.
    public mutating func format(_ table: TextTable) -> [UInt8] {
        var out: [UInt8] = []
        switch style.format {
        case .table: formatTable(table, &out)
        case .list: formatList(table, &out)
        case .html: formatHTML(table, &out)
        case .csv: formatCSV(table, &out)
        case .json: formatJSON(table, &out)
        }
        return out
    }

    /// The text of one cell in the style (`cell_to_text`).
    public func text(of cell: TextTable.Cell) -> String {
        switch cell {
        case .empty: return ""
        case .text(let s): return s
        case .json(let j): return JSONSerializer.string(j, options: .sortedKeys)
        case .datum(let j, let type):
            guard style.cellFormat != .json, let datum = try? Datum(json: j, type: type) else {
                return JSONSerializer.string(j, options: .sortedKeys)
            }
            return style.cellFormat == .string ? datum.text(type) : datum.bareText
        }
    }

    // MARK: - Formats

    private mutating func separate(_ out: inout [UInt8]) {
        if firstTable { firstTable = false } else { out.append(0x0A) }
    }

    private func preamble(_ table: TextTable, _ out: inout [UInt8]) {
        if table.timestamp { out += Array((TableFormatter.timestamp() + "\n").utf8) }
        if let caption = table.caption { out += Array((caption + "\n").utf8) }
    }

    private mutating func formatTable(_ table: TextTable, _ out: inout [UInt8]) {
        separate(&out)
        preamble(table, &out)
        let cells = table.rows.map { $0.map { Array(text(of: $0).utf8) } }
        var widths: [Int] = []
        for x in table.headings.indices {
            var w = cells.reduce(0) { max($0, $1[x].count) }
            if style.maxColumnWidth > 0 && w > style.maxColumnWidth { w = style.maxColumnWidth }
            if style.headings { w = max(w, table.headings[x].utf8.count) }
            widths.append(w)
        }
        if style.headings {
            var line: [UInt8] = []
            for (x, h) in table.headings.enumerated() {
                if x > 0 { line.append(0x20) }
                TableFormatter.pad(Array(h.utf8), widths[x], truncate: false, &line)
            }
            TableFormatter.finishLine(&line, &out)
            for x in widths.indices {
                if x > 0 { line.append(0x20) }
                line += Array(repeating: UInt8(ascii: "-"), count: widths[x])
            }
            TableFormatter.finishLine(&line, &out)
        }
        for row in cells {
            var line: [UInt8] = []
            for (x, cell) in row.enumerated() {
                if x > 0 { line.append(0x20) }
                TableFormatter.pad(cell, widths[x], truncate: true, &line)
            }
            TableFormatter.finishLine(&line, &out)
        }
    }

    /// `%-*s` (or `%-*.*s` with `truncate`): left-justified in `width` bytes.
    private static func pad(_ s: [UInt8], _ width: Int, truncate: Bool, _ line: inout [UInt8]) {
        let body = truncate && s.count > width ? Array(s[0..<width]) : s
        line += body
        if body.count < width { line += Array(repeating: 0x20, count: width - body.count) }
    }

    /// Ends a line without its trailing spaces (`table_finish_line`).
    private static func finishLine(_ line: inout [UInt8], _ out: inout [UInt8]) {
        while line.last == 0x20 { line.removeLast() }
        out += line
        out.append(0x0A)
        line.removeAll(keepingCapacity: true)
    }

    private mutating func formatList(_ table: TextTable, _ out: inout [UInt8]) {
        separate(&out)
        preamble(table, &out)
        for (y, row) in table.rows.enumerated() {
            if y > 0 { out.append(0x0A) }
            for (x, cell) in row.enumerated() {
                if style.headings {
                    var h = Array(table.headings[x].utf8)
                    if h.count < 20 { h += Array(repeating: 0x20, count: 20 - h.count) }
                    out += h + Array(": ".utf8)
                }
                out += Array(text(of: cell).utf8)
                out.append(0x0A)
            }
        }
    }

    private func formatHTML(_ table: TextTable, _ out: inout [UInt8]) {
        if table.timestamp { out += Array((TableFormatter.timestamp() + "\n").utf8) }
        out += Array("<table border=1>\n".utf8)
        if let caption = table.caption { TableFormatter.htmlCell("caption", caption, &out) }
        if style.headings {
            out += Array("  <tr>\n".utf8)
            for h in table.headings { TableFormatter.htmlCell("th", h, &out) }
            out += Array("  </tr>\n".utf8)
        }
        for row in table.rows {
            out += Array("  <tr>\n".utf8)
            for (x, cell) in row.enumerated() {
                let content = Array(text(of: cell).utf8)
                if table.headings[x] == "_uuid" {
                    out += Array("    <td><a name=\"".utf8)
                    TableFormatter.escapeHTML(content, &out)
                    out += Array("\">".utf8)
                    TableFormatter.escapeHTML(Array(content.prefix(8)), &out)
                    out += Array("</a></td>\n".utf8)
                } else {
                    TableFormatter.htmlCell("td", String(decoding: content, as: UTF8.self), &out)
                }
            }
            out += Array("  </tr>\n".utf8)
        }
        out += Array("</table>\n".utf8)
    }

    /// A cell whose uuids become links to the rows they name (`table_print_html_cell__`).
    private static func htmlCell(_ element: String, _ content: String, _ out: inout [UInt8]) {
        out += Array("    <\(element)>".utf8)
        let bytes = Array(content.utf8)
        var i = 0
        while i < bytes.count {
            if i + 36 <= bytes.count, let text = String(validating: bytes[i..<(i + 36)], as: UTF8.self), UUID(text) != nil {
                out += Array("<a href=\"#".utf8) + bytes[i..<(i + 36)] + Array("\">".utf8) + bytes[i..<(i + 8)] + Array("</a>".utf8)
                i += 36
            } else {
                escapeHTML([bytes[i]], &out)
                i += 1
            }
        }
        out += Array("</\(element)>\n".utf8)
    }

    private static func escapeHTML(_ bytes: [UInt8], _ out: inout [UInt8]) {
        for b in bytes {
            switch b {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            default: out.append(b)
            }
        }
    }

    private mutating func formatCSV(_ table: TextTable, _ out: inout [UInt8]) {
        separate(&out)
        preamble(table, &out)
        if style.headings {
            for (x, h) in table.headings.enumerated() {
                if x > 0 { out.append(UInt8(ascii: ",")) }
                TableFormatter.csvCell(h, &out)
            }
            out.append(0x0A)
        }
        for row in table.rows {
            for (x, cell) in row.enumerated() {
                if x > 0 { out.append(UInt8(ascii: ",")) }
                TableFormatter.csvCell(text(of: cell), &out)
            }
            out.append(0x0A)
        }
    }

    private static func csvCell(_ s: String, _ out: inout [UInt8]) {
        let bytes = Array(s.utf8)
        guard bytes.contains(where: { $0 == 0x0A || $0 == 0x22 || $0 == 0x2C }) else {
            out += bytes
            return
        }
        out.append(0x22)
        for b in bytes {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    private func formatJSON(_ table: TextTable, _ out: inout [UInt8]) {
        var o = JSONObject()
        if let caption = table.caption { o.appendUnique("caption", .string(caption)) }
        if table.timestamp { o.appendUnique("time", .string(TableFormatter.timestamp())) }
        o.appendUnique("headings", .array(table.headings.map { .string($0) }))
        o.appendUnique("data", .array(table.rows.map { row in
            .array(row.map { cell -> JSON in
                switch cell {
                case .empty: return .null
                case .text(let s): return .string(s)
                case .json(let j), .datum(let j, _): return j
                }
            })
        }))
        var options: JSONSerializer.Options = .sortedKeys
        if style.pretty { options.insert(.pretty) }
        out += JSONSerializer.bytes(.object(o), options: options)
        out.append(0x0A)
    }

    // MARK: - Time

    /// The current UTC time as `--timestamp` prints it: `2024-01-31 12:34:56.789`.
    public static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = Int(ts.tv_nsec) / 1_000_000
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday)) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)).\(msText)"
    }
}
