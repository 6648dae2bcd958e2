import JSON
#if canImport(Glibc)
import Glibc
#endif

/// A database kept in an Open vSwitch standalone database file: the schema record, then a
/// record per committed transaction (`"_is_diff": true` form), compacted now and then into a
/// single snapshot record. Files written by Open vSwitch's `ovsdb-tool` and `ovsdb-server`
/// open here, and ours open there.
public final class FileStorage {
    public let log: LogFile
    /// The database the file holds; replaced when the file is converted to a new schema.
    public private(set) var database: Database
    /// Transactions appended since the file was last compacted (or opened).
    public private(set) var transactionsSinceSnapshot = 0
    private var sizeAfterSnapshot: Int
    private var lastSnapshotTime: Int64
    /// Name written in compaction comments ("compacted by ovsdb-server 3.1.0").
    public var programName = "ovsdb-server"

    /// Writes a new database file at `path` holding only `schema`.
    public static func create(path: String, schema: DatabaseSchema) throws(OVSDBError) {
        let log = try LogFile(path: path, create: true)
        try log.append([schema.json], sync: true)
        LogFile.syncDirectory(of: path)
    }

    /// Opens and replays the database file at `path`. A corrupt tail is dropped (the file is
    /// truncated there, unless `truncateBadTail` is off or the file is opened `readOnly`) and
    /// reported in `recoveredFrom`.
    public init(path: String, lock: Bool = true, readOnly: Bool = false, truncateBadTail: Bool = true) throws(OVSDBError) {
        log = try LogFile(path: path, lock: lock, readOnly: readOnly)
        let records = try log.readAll()
        guard let first = records.first else {
            throw log.tailFailure ?? OVSDBError("ovsdb error", "unexpected end of file reading schema")
        }
        let schema = try DatabaseSchema(json: first)
        database = Database(schema: schema)
        var rows: [[UUID: Row]] = Array(repeating: [:], count: schema.tables.count)
        for record in records.dropFirst() { try FileStorage.replay(record, schema: schema, into: &rows) }
        database.load(rows.map { Array($0.values) })
        recoveredFrom = log.tailError
        if log.tailError != nil && truncateBadTail && !readOnly { try log.truncateAtLastGoodRecord() }
        transactionsSinceSnapshot = records.count - 1
        sizeAfterSnapshot = log.size
        lastSnapshotTime = FileStorage.now()
    }

    /// Why the tail of the file was unreadable when it was opened, if it was.
    public let recoveredFrom: String?

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Appends `changes` to the file; installed as the database's `persist` hook.
    public func write(_ changes: ChangeSet) throws(OVSDBError) {
        guard let record = FileStorage.record(for: changes, schema: database.schema, date: FileStorage.now()) else { return }
        try log.append(serialized: record, sync: changes.durable)
        transactionsSinceSnapshot += 1
    }

    /// Makes the database write every commit to this file.
    public func attach() {
        database.persist = { [unowned self] (changes: ChangeSet) throws(OVSDBError) in try self.write(changes) }
    }

    /// True when the log has grown enough to be worth compacting, by Open vSwitch's rule:
    /// 100 transactions, 10 MB, four times the size after the last compaction, and 10 minutes.
    public var shouldCompact: Bool {
        transactionsSinceSnapshot >= 100 && log.size >= 10 * 1024 * 1024 && log.size >= 4 * sizeAfterSnapshot
            && FileStorage.now() - lastSnapshotTime >= 10 * 60 * 1000
    }

    /// Rewrites the file as the schema and one snapshot record.
    public func compact() throws(OVSDBError) {
        try log.replace(with: [database.schema.json, snapshotRecord()])
        transactionsSinceSnapshot = 0
        sizeAfterSnapshot = log.size
        lastSnapshotTime = FileStorage.now()
    }

    /// Converts the database to `schema` (`ovsdb-client convert`): the file is rewritten as
    /// the new schema and a snapshot, atomically, and the new database takes over commits.
    /// Returns the converted database; the old one is left as it was.
    @discardableResult
    public func convert(to schema: DatabaseSchema) throws(OVSDBError) -> Database {
        let converted = try database.converted(to: schema)
        try log.replace(with: [schema.json, FileStorage.snapshotRecord(of: converted, comment: "converted by \(programName) \(OVSDBVersion.string)")])
        database.persist = nil
        database = converted
        attach()
        transactionsSinceSnapshot = 0
        sizeAfterSnapshot = log.size
        lastSnapshotTime = FileStorage.now()
        return converted
    }

    /// The whole database as one record.
    public func snapshotRecord() -> JSON {
        FileStorage.snapshotRecord(of: database, comment: "compacted by \(programName) \(OVSDBVersion.string)")
    }

    /// `database` as one record: every row in full, no diffs, annotated with `comment`.
    public static func snapshotRecord(of database: Database, comment: String?) -> JSON {
        var o = JSONObject()
        o.appendUnique("_date", .integer(FileStorage.now()))
        for (t, table) in database.schema.tables.enumerated() where !database.tables[t].rows.isEmpty {
            var rows = JSONObject(minimumCapacity: database.tables[t].rows.count)
            for (u, r) in database.tables[t].rows { rows.appendUnique(u.description, FileStorage.fullRow(r, table)) }
            o.appendUnique(table.name, .object(rows))
        }
        if let comment { o.appendUnique("_comment", .string(comment)) }
        return .object(o)
    }

    /// Writes `database` as a new standalone database file at `path` (its schema, then one
    /// snapshot record), atomically: a temporary file beside it, synced, then renamed over
    /// whatever `path` held. With `lock`, holds `path`'s lock file meanwhile (leave it off
    /// when this process already holds it).
    public static func writeSnapshot(of database: Database, to path: String, comment: String?, lock: Bool = true) throws(OVSDBError) {
        let held = lock ? try LockFile(for: path) : nil
        defer { withExtendedLifetime(held) {} }
        let temp = path + ".tmp"
        unlink(temp)
        do {
            let log = try LogFile(path: temp, create: true, lock: false)
            try log.append([database.schema.json, snapshotRecord(of: database, comment: comment)], sync: true)
        } catch {
            unlink(temp)
            throw error
        }
        if rename(temp, path) != 0 {
            let code = errno
            unlink(temp)
            throw LogFile.ioError("failed to rename \"\(temp)\" to \"\(path)\"", code)
        }
        LogFile.syncDirectory(of: path)
    }
}

// MARK: - Record format

extension FileStorage {
    /// The text of the log record for a change set, or nil if it changes nothing persistent.
    /// Written straight to bytes: this runs on every commit.
    static func record(for changes: ChangeSet, schema: DatabaseSchema, date: Int64) -> [UInt8]? {
        var s = JSONSerializer(reservingCapacity: 512)
        s.writeRaw(#"{"_date":"#)
        s.write(JSON.integer(date))
        let empty = s.count
        for (t, list) in changes.tables.enumerated() where !list.isEmpty {
            let table = schema.tables[t]
            let tableStart = s.count
            s.writeRaw(",")
            s.writeString(table.name)
            s.writeRaw(":{")
            let rowsStart = s.count
            for c in list {
                let rowStart = s.count
                if rowStart > rowsStart { s.writeRaw(",") }
                s.writeString(c.uuid)
                s.writeRaw(":")
                switch (c.old, c.new) {
                case (_, nil):
                    s.writeRaw("null")
                case (nil, let new?):
                    writeFullRow(new, table, to: &s)
                case (let old?, let new?):
                    s.writeRaw("{")
                    let columnsStart = s.count
                    for i in c.changed where table.persistentColumns.contains(i) {
                        if s.count > columnsStart { s.writeRaw(",") }
                        let column = table.columns[i]
                        s.writeString(column.name)
                        s.writeRaw(":")
                        s.write(old.values[i].diff(to: new.values[i], type: column.type))
                    }
                    if s.count == columnsStart {
                        s.truncate(to: rowStart)
                    } else {
                        s.writeRaw("}")
                    }
                }
            }
            if s.count == rowsStart {
                s.truncate(to: tableStart)
            } else {
                s.writeRaw("}")
            }
        }
        guard s.count > empty else { return nil }
        if let comment = changes.comment {
            s.writeRaw(#","_comment":"#)
            s.writeString(comment)
        }
        s.writeRaw(#","_is_diff":true}"#)
        return s.bytes
    }

    /// Writes what `fullRow` gives, as text.
    static func writeFullRow(_ row: Row, _ table: TableSchema, to s: inout JSONSerializer) {
        s.writeRaw("{")
        var first = true
        for i in table.persistentColumns where !row.values[i].isDefault(table.columns[i].type) {
            if !first { s.writeRaw(",") }
            first = false
            s.writeString(table.columns[i].name)
            s.writeRaw(":")
            s.write(row.values[i])
        }
        s.writeRaw("}")
    }

    /// A row's persistent columns that differ from their defaults.
    static func fullRow(_ row: Row, _ table: TableSchema) -> JSON {
        var cols = JSONObject()
        for i in table.persistentColumns where !row.values[i].isDefault(table.columns[i].type) {
            let column = table.columns[i]
            cols.appendUnique(column.name, row.values[i].json)
        }
        return .object(cols)
    }

    /// Applies one transaction record to rows being loaded, failing where Open vSwitch's
    /// `ovsdb_file_txn_from_json()` fails: unknown tables and columns, deletion of a row that
    /// does not exist, values that do not fit their column. A column diff applies to a column
    /// that does not hold its default; one that does is replaced, as there.
    static func replay(_ record: JSON, schema: DatabaseSchema, into rows: inout [[UUID: Row]]) throws(OVSDBError) {
        guard let o = record.objectValue else { throw .syntax(record, "object expected") }
        let isDiff = o["_is_diff"]?.boolValue ?? false
        for (name, tableJSON) in o {
            guard let t = schema.position(of: name) else {
                switch name {
                case "_date" where tableJSON.integerValue != nil, "_is_diff" where tableJSON.boolValue != nil, "_comment":
                    continue
                default:
                    throw OVSDBError("unknown table", "No table named \(name).", syntax: record)
                }
            }
            guard let rowsJSON = tableJSON.objectValue else { throw .syntax(tableJSON, "object expected") }
            let table = schema.tables[t]
            for (uuidText, rowJSON) in rowsJSON {
                guard let u = UUID(uuidText) else { throw .syntax(tableJSON, "\"\(uuidText)\" is not a valid UUID") }
                let existing = rows[t][u]
                if rowJSON.isNull {
                    guard existing != nil else { throw .syntax(nil, "transaction deletes row \(u) that does not exist") }
                    rows[t][u] = nil
                    continue
                }
                guard let cols = rowJSON.objectValue else { throw .syntax(rowJSON, "row must be JSON object") }
                var row = existing ?? Row(defaultsFor: table, uuid: u)
                for (colName, value) in cols {
                    guard let i = table.position(of: colName) else {
                        throw OVSDBError("unknown column", "No column \(colName) in table \(table.name).", syntax: rowJSON)
                    }
                    let type = table.columns[i].type
                    let datum = try Datum(uncheckedSizeJSON: value, type: type)
                    if isDiff && existing != nil && row.values[i] != Datum.defaultValue(type) {
                        row.values[i].apply(diff: datum, type: type)
                    } else {
                        row.values[i] = datum
                    }
                }
                row.version = .random()
                rows[t][u] = row
            }
        }
    }
}

/// The Open vSwitch release whose behaviour and formats we match.
public enum OVSDBVersion {
    public static let string = "3.1.0"
}
