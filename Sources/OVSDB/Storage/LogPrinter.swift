import JSON
#if canImport(Glibc)
import Glibc
#endif

/// Describes the records of a standalone database file for people, exactly as
/// `ovsdb-tool show-log` does: a line per record with its number and, after the schema, its
/// date (UTC, to the millisecond) and comment; with `verbosity` 1 the rows each record
/// inserts, changes or deletes, named by their `name` column where they have one; with
/// `verbosity` 2 also the column values.
///
/// Members are visited in the order Open vSwitch's hash tables visit them, so that the output
/// matches byte for byte.
public struct LogPrinter {
    public let verbosity: Int
    private var schema: DatabaseSchema?
    /// What each row seen so far is called: its `name` as JSON, or its uuid's first 8 digits.
    private var names: [String: String] = [:]
    private var index = 0

    public init(verbosity: Int) {
        self.verbosity = verbosity
    }

    /// Appends the description of the next record to `out`. The first record must be the
    /// schema; if it is not a valid one, `out` holds the start of the line when this throws.
    public mutating func print(_ record: JSON, to out: inout String) throws(OVSDBError) {
        out += "record \(index):"
        defer { index += 1 }
        if index == 0 {
            let schema = try DatabaseSchema(json: record)
            self.schema = schema
            out += " \"\(schema.name)\" schema, version=\"\(schema.version)\", cksum=\"\(schema.cksum ?? "")\"\n"
        } else if let o = record.objectValue {
            printChangeRecord(o, to: &out)
        }
        out += "\n"
    }

    private mutating func printChangeRecord(_ record: JSONObject, to out: inout String) {
        if case .integer(var t)? = record["_date"] {
            // Older versions of ovsdb wrote timestamps in seconds.
            if t < Int64(Int32.max) { t *= 1000 }
            out += " " + LogPrinter.formatDate(milliseconds: t)
        }
        if case .string(let comment)? = record["_comment"] {
            out += " \"\(comment)\""
        }
        if verbosity > 0 { printChanges(record, to: &out) }
    }

    private mutating func printChanges(_ record: JSONObject, to out: inout String) {
        let diff = record["_is_diff"]?.boolValue == true
        var first = true
        for (table, rowsJSON) in record.inShashOrder {
            guard !table.hasPrefix("_"), let rows = rowsJSON.objectValue else { continue }
            if first {
                out += "\n"
                first = false
            }
            let tableSchema = schema?.table(table)
            for (uuid, columns) in rows.inShashOrder {
                let oldName = names[uuid]
                var newName: String?
                if let name = columns.objectValue?["name"] {
                    newName = JSONSerializer.string(name, options: .sortedKeys)
                }
                let short = String(uuid.utf8.prefix(8))!
                out += "  table \(table)"
                if let oldName {
                    out += " row \(oldName) (\(short))\(diff ? " diff" : ""):\n"
                } else if let newName {
                    out += " insert row \(newName) (\(short)):\n"
                } else {
                    out += " insert row \(short):\n"
                }
                if let cols = columns.objectValue {
                    if verbosity > 1 {
                        for (column, value) in cols.inShashOrder {
                            out += "    \(column)=\(LogPrinter.valueText(value, tableSchema?.column(column)?.type))\n"
                        }
                    }
                    if let newName, oldName == nil || oldName != newName {
                        names[uuid] = newName
                    } else if oldName == nil {
                        names[uuid] = short
                    }
                } else if columns.isNull {
                    out += "    delete row\n"
                    names[uuid] = nil
                }
            }
        }
    }

    /// A column value as people read it, or its JSON when it is not valid for the column.
    static func valueText(_ value: JSON, _ type: ColumnType?) -> String {
        if let type, let datum = try? Datum(json: value, type: type) { return datum.text(type) }
        return JSONSerializer.string(value, options: .sortedKeys)
    }

    /// `2026-11-25 06:11:20.885`: a time in milliseconds since the epoch, in UTC.
    public static func formatDate(milliseconds t: Int64) -> String {
        var seconds = time_t(t / 1000)
        var tm = tm()
        gmtime_r(&seconds, &tm)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let ms = Int(t % 1000)
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday)) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)).\(msText)"
    }
}
