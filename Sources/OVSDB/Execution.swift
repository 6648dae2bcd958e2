import JSON

/// Runs the operations of a `transact` request against a database (RFC 7047 §4.1.3, §5.2),
/// producing the result array exactly as Open vSwitch lays it out: one result per operation;
/// on an operation's failure its error object then `null` for each operation not run; on a
/// commit-time failure every result and then the error.
public struct Execution {
    /// What the server knows about the client that the operations may ask.
    public struct Context {
        /// Whether the session holds lock `name` (for `assert`).
        public var ownsLock: (String) -> Bool
        /// How long this request has already waited, for `wait` timeouts.
        public var elapsedMilliseconds: Int64
        /// Whether the session may only read (then anything that writes fails).
        public var readOnly: Bool
        /// Whether an unsatisfied `wait` may block until a later commit. Without triggers (as
        /// in `ovsdb-tool transact`) it fails at once with "not supported".
        public var supportsTriggers: Bool

        public init(ownsLock: @escaping (String) -> Bool = { _ in false }, elapsedMilliseconds: Int64 = 0, readOnly: Bool = false,
                    supportsTriggers: Bool = true) {
            self.ownsLock = ownsLock
            self.elapsedMilliseconds = elapsedMilliseconds
            self.readOnly = readOnly
            self.supportsTriggers = supportsTriggers
        }
    }

    public enum Outcome {
        /// The result array, and what was committed (nil when nothing was).
        case completed(JSON, ChangeSet?)
        /// A `wait` is not satisfied yet: run the request again after the next commit, or once
        /// `timeoutMilliseconds` have passed (nil: no limit).
        case blocked(timeoutMilliseconds: Int64?)
    }

    let transaction: Transaction
    let symbols = SymbolTable()
    let context: Context
    private var waitTimeout: Int64?
    private var blocked = false

    private init(database: Database, context: Context) {
        self.transaction = Transaction(database)
        self.context = context
    }

    /// Executes `operations` (the `transact` params after the database name).
    public static func run(_ operations: ArraySlice<JSON>, on database: Database, context: Context = Context()) -> Outcome {
        var x = Execution(database: database, context: context)
        return x.run(operations)
    }

    private mutating func run(_ operations: ArraySlice<JSON>) -> Outcome {
        var results: [JSON] = []
        results.reserveCapacity(operations.count + 1)
        let n = operations.count
        for (i, op) in operations.enumerated() {
            var result = JSONObject()
            var parser = MemberParser(op, operation: i, of: n)
            var error: OVSDBError?
            do throws(OVSDBError) {
                try execute(&parser, &result)
            } catch let e {
                error = e
            }
            if let parseError = parser.finish() { error = parseError }
            if blocked { return .blocked(timeoutMilliseconds: waitTimeout) }
            if let error {
                results.append(error.json)
                while results.count < n { results.append(.null) }
                return .completed(.array(results), nil)
            }
            results.append(.object(result))
        }
        do throws(OVSDBError) {
            if transaction.isEmpty { return .completed(.array(results), nil) }
            let changes = try transaction.commit()
            return .completed(.array(results), changes)
        } catch let e {
            results.append(e.json)
            return .completed(.array(results), nil)
        }
    }

    private mutating func execute(_ p: inout MemberParser, _ result: inout JSONObject) throws(OVSDBError) {
        guard let op = p.member("op", .identifier)?.stringValue else { return }
        switch op {
        case "insert": try insert(&p, &result)
        case "select": try select(&p, &result)
        case "update": try update(&p, &result)
        case "mutate": try mutate(&p, &result)
        case "delete": try delete(&p, &result)
        case "wait": try wait(&p)
        case "commit": try commit(&p)
        case "abort": throw OVSDBError("aborted", "aborted by request")
        case "comment": if let c = p.member("comment", .string)?.stringValue { transaction.comments.append(c) }
        case "assert": try assertLock(&p)
        default: p.raise("No operation \"\(op)\"")
        }
    }

    // MARK: Operations

    private func table(_ p: inout MemberParser) -> (Int, TableSchema)? {
        guard let name = p.member("table", .identifier)?.stringValue else { return nil }
        guard let t = transaction.schema.position(of: name) else {
            p.raise("No table named \(name).")
            return nil
        }
        return (t, transaction.schema.tables[t])
    }

    /// Parses a row object into column values (`ovsdb_row_from_json`).
    private func rowValues(_ json: JSON, _ table: TableSchema) throws(OVSDBError) -> [(ColumnRef, Datum)] {
        guard let o = json.objectValue else { throw .syntax(json, "row must be JSON object") }
        var out: [(ColumnRef, Datum)] = []
        out.reserveCapacity(o.count)
        for (name, value) in o {
            guard let c = ColumnRef(name, in: table) else {
                throw OVSDBError("unknown column", "No column \(name) in table \(table.name).", syntax: json)
            }
            out.append((c, try Datum(json: value, type: c.type(in: table), symbols: symbols)))
        }
        return out
    }

    /// Parses a list of distinct column names; all columns when absent.
    private func columnList(_ json: JSON?, _ table: TableSchema) throws(OVSDBError) -> [ColumnRef] {
        guard let json else { return ColumnRef.all(table) }
        var out: [ColumnRef] = []
        for n in json.arrayValue ?? [] {
            guard let s = n.stringValue else { throw .syntax(json, "array of distinct column names expected") }
            guard let c = ColumnRef(s, in: table) else { throw .syntax(json, "\(s) is not a valid column name") }
            if out.contains(c) { throw .syntax(json, "array of distinct column names expected") }
            out.append(c)
        }
        return out
    }

    private func checkWritable(_ op: String) throws(OVSDBError) {
        if context.readOnly {
            throw OVSDBError("not allowed", "\(op) operation not allowed on table in reserved database \(transaction.database.name)")
        }
    }

    // Each operation reads all of its members first, so that a malformed member is reported
    // before anything inside the values is looked at, as in Open vSwitch.

    private mutating func insert(_ p: inout MemberParser, _ result: inout JSONObject) throws(OVSDBError) {
        let target = table(&p)
        let uuidJSON = p.member("uuid", .string, optional: true)
        let uuidName = p.member("uuid-name", .identifier, optional: true)
        let rowJSON = p.member("row", .object)
        guard let (t, schema) = target, let rowJSON, !p.hasError else { return }
        var explicit: UUID?
        if let uuidJSON {
            guard let text = uuidJSON.stringValue, let u = UUID(text) else { throw .syntax(uuidJSON, "bad uuid") }
            guard transaction.row(t, u) == nil && transaction.overlay[t][u] == nil else {
                throw OVSDBError("duplicate uuid", "This UUID would duplicate a UUID already present within the table or deleted within the same transaction.", syntax: uuidJSON)
            }
            explicit = u
        }
        var uuid = explicit ?? .random()
        if let uuidName {
            do throws(OVSDBError) {
                uuid = try symbols.create(uuidName.stringValue!, uuid: explicit)
            } catch let e {
                throw OVSDBError(e.error, e.details, syntax: uuidName)
            }
        }
        var row = Row(defaultsFor: schema, uuid: uuid)
        for (c, d) in try rowValues(rowJSON, schema) { if case .user(let i) = c { row.values[i] = d } }
        // Defaults must satisfy the constraints too.
        for (i, column) in schema.columns.enumerated() where row.values[i].count == 1 {
            for k in row.values[i].keys { try column.type.key.check(k) }
            if let vt = column.type.value, let vs = row.values[i].values { for v in vs { try vt.check(v) } }
        }
        try checkWritable("insert")
        transaction.put(t, row)
        result.appendUnique("uuid", Atom.uuid(uuid).json)
    }

    private mutating func select(_ p: inout MemberParser, _ result: inout JSONObject) throws(OVSDBError) {
        let target = table(&p)
        let whereJSON = p.member("where", .array)
        let columnsJSON = p.member("columns", .array, optional: true)
        let sortJSON = p.member("sort", .array, optional: true)
        guard let (t, schema) = target, let whereJSON, !p.hasError else { return }
        let condition = try Where(json: whereJSON, table: schema, symbols: symbols)
        let columns = try columnList(columnsJSON, schema)
        let sort = sortJSON == nil ? [] : try columnList(sortJSON, schema)
        var rows = transaction.rows(t, where: condition)
        if !columns.contains(.uuid) {
            // Like Open vSwitch's ovsdb_query_distinct: rows alike in every selected column
            // are reported once.
            var seen = Set<[Datum]>()
            rows = rows.filter { r in seen.insert(columns.map { r.value($0) }).inserted }
        }
        if !sort.isEmpty {
            rows.sort { a, b in
                for c in sort {
                    let x = Datum.compare3way(a.value(c), b.value(c))
                    if x != 0 { return x < 0 }
                }
                return false
            }
        }
        result.appendUnique("rows", .array(rows.map { $0.json(columns, schema: schema) }))
    }

    private mutating func update(_ p: inout MemberParser, _ result: inout JSONObject) throws(OVSDBError) {
        let target = table(&p)
        let whereJSON = p.member("where", .array)
        let rowJSON = p.member("row", .object)
        guard let (t, schema) = target, let whereJSON, let rowJSON, !p.hasError else { return }
        let values = try rowValues(rowJSON, schema)
        for (c, _) in values {
            guard case .user(let i) = c, schema.columns[i].mutable else {
                throw OVSDBError("constraint violation", "Cannot update immutable column \(c.name(in: schema)) in table \(schema.name).", syntax: p.json)
            }
        }
        let condition = try Where(json: whereJSON, table: schema, symbols: symbols)
        try checkWritable("update")
        let rows = transaction.rows(t, where: condition)
        for var r in rows {
            for (c, d) in values { if case .user(let i) = c { r.values[i] = d } }
            transaction.put(t, r)
        }
        result.appendUnique("count", .integer(Int64(rows.count)))
    }

    private mutating func mutate(_ p: inout MemberParser, _ result: inout JSONObject) throws(OVSDBError) {
        let target = table(&p)
        let whereJSON = p.member("where", .array)
        let mutationsJSON = p.member("mutations", .array)
        guard let (t, schema) = target, let whereJSON, let list = mutationsJSON?.arrayValue, !p.hasError else { return }
        var mutations: [Mutation] = []
        for m in list { mutations.append(try Mutation(json: m, table: schema, symbols: symbols)) }
        let condition = try Where(json: whereJSON, table: schema, symbols: symbols)
        try checkWritable("mutate")
        let rows = transaction.rows(t, where: condition)
        for var r in rows {
            for m in mutations { try m.apply(to: &r, table: schema) }
            transaction.put(t, r)
        }
        result.appendUnique("count", .integer(Int64(rows.count)))
    }

    private mutating func delete(_ p: inout MemberParser, _ result: inout JSONObject) throws(OVSDBError) {
        let target = table(&p)
        let whereJSON = p.member("where", .array)
        guard let (t, schema) = target, let whereJSON, !p.hasError else { return }
        let condition = try Where(json: whereJSON, table: schema, symbols: symbols)
        try checkWritable("delete")
        let rows = transaction.rows(t, where: condition)
        for r in rows { transaction.delete(t, r.uuid) }
        result.appendUnique("count", .integer(Int64(rows.count)))
    }

    private mutating func wait(_ p: inout MemberParser) throws(OVSDBError) {
        let timeoutJSON = p.member("timeout", .integer, optional: true)
        let whereJSON = p.member("where", .array)
        let columnsJSON = p.member("columns", .array, optional: true)
        let untilJSON = p.member("until", .string)
        let rowsJSON = p.member("rows", .array)
        let target = table(&p)
        guard let (t, schema) = target, let whereJSON, let until = untilJSON?.stringValue, let rows = rowsJSON?.arrayValue, !p.hasError else { return }
        let condition = try Where(json: whereJSON, table: schema, symbols: symbols)
        let columns = try columnList(columnsJSON, schema)
        let timeout = timeoutJSON?.integerValue
        if let timeout, timeout < 0 { throw .syntax(timeoutJSON, "timeout must be nonnegative") }
        guard until == "==" || until == "!=" else { throw .syntax(untilJSON, "\"until\" must be \"==\" or \"!=\"") }
        var expected = Set<[Datum]>()
        for r in rows {
            var row = Row(defaultsFor: schema, uuid: .zero)
            for (c, d) in try rowValues(r, schema) { if case .user(let i) = c { row.values[i] = d } }
            expected.insert(columns.map { row.value($0) })
        }
        let actual = Set(transaction.rows(t, where: condition).map { r in columns.map { r.value($0) } })
        guard (actual == expected) != (until == "==") else { return }
        let limit = timeout ?? .max
        if limit > 0 && context.elapsedMilliseconds < limit {
            guard context.supportsTriggers else { throw OVSDBError("not supported", "triggers not supported") }
            blocked = true
            waitTimeout = timeout.map { $0 - context.elapsedMilliseconds }
            return
        }
        throw OVSDBError("timed out", "\"where\" clause test failed")
    }

    private mutating func commit(_ p: inout MemberParser) throws(OVSDBError) {
        guard let durable = p.member("durable", .boolean)?.boolValue else { return }
        if durable { transaction.durable = true }
    }

    private mutating func assertLock(_ p: inout MemberParser) throws(OVSDBError) {
        guard let lock = p.member("lock", .identifier)?.stringValue else { return }
        if !context.ownsLock(lock) { throw OVSDBError("not owner", "Asserted lock \(lock) not held.") }
    }
}
