import JSON
import OVSDB

/// `query` and `transact`: run a transaction, as `ovsdb-server`'s `transact` method takes it,
/// against a database file and print the result.
extension Tool {
    /// `query [db] trns` and `transact [db] trns`. A query opens the file read-only, so a
    /// transaction that changes anything fails when its commit cannot be written; `transact`
    /// appends the commit to the file.
    func transact(_ args: [String], readWrite: Bool) throws -> Int32 {
        let path = args.count >= 2 ? args[0] : Tool.defaultDatabase
        let text = args[args.count - 1]
        let storage = try openDatabase(path, readWrite: readWrite)
        storage.programName = Tool.programName
        storage.attach()
        let request = try Tool.parseJSON(text)
        let result = Tool.execute(request, on: storage.database)
        write(JSONSerializer.string(result, options: .sortedKeys) + "\n")
        return 0
    }

    /// The parameters of a `transact` request, run as Open vSwitch's `ovsdb_execute()` runs
    /// them: the database's name, then the operations. Nothing can wake a `wait` up later, so
    /// one that is not satisfied fails.
    static func execute(_ request: JSON, on database: Database) -> JSON {
        guard let params = request.arrayValue else {
            return OVSDBError.syntax(request, "array expected").json
        }
        guard params.first?.stringValue == database.name else {
            return OVSDBError.syntax(request, "database name expected as first parameter").json
        }
        switch Execution.run(params.dropFirst(), on: database, context: Execution.Context(supportsTriggers: false)) {
        case .completed(let result, _):
            return result
        case .blocked:
            // Not reached without triggers; answered as Open vSwitch would if it were.
            return OVSDBError("not supported", "triggers not supported").json
        }
    }

    /// Parses a JSON argument (an array or object), failing as Open vSwitch does with the
    /// text and the parser's complaint.
    static func parseJSON(_ text: String) throws -> JSON {
        do {
            return try JSONParser.parseContainer(text)
        } catch {
            throw ToolError("\"\(text)\": \(error)")
        }
    }
}
