import JSON

/// The contents of a standalone database file read from memory, without opening, locking or
/// repairing any file: what `ovsdb-client restore` reads from its standard input.
public struct DatabaseSnapshot: Sendable {
    public let schema: DatabaseSchema
    /// Each table's rows, in schema order, each table's sorted by uuid.
    public let rows: [[Row]]

    /// Replays the records in `bytes`; `name` is the file's name for messages, which are
    /// Open vSwitch's. A torn or corrupt tail after the schema ends the data, as it does when
    /// a server opens the file.
    public init(fileContents bytes: [UInt8], name: String) throws(OVSDBError) {
        let firstLine = Array(bytes.prefix(LogFile.maxHeaderLength).prefix { $0 != 0x0A })
        guard !bytes.isEmpty else { throw OVSDBError("ovsdb error", "\(name): cannot identify file type") }
        guard case .success(let header) = LogFile.parseHeader(firstLine + [0x0A]) else {
            throw OVSDBError("ovsdb error", "\(name): unexpected file format")
        }
        guard header.magic == LogFile.magic else {
            throw OVSDBError("ovsdb error", "\(name): cannot identify file type")
        }
        var records: [JSON] = []
        var offset = 0
        while offset < bytes.count {
            switch LogFile.parseRecord(bytes, at: offset, path: name) {
            case .success(let (json, next)):
                records.append(json)
                offset = next
            case .failure(let error):
                if records.isEmpty { throw error }
                offset = bytes.count
            }
        }
        let schema = try DatabaseSchema(json: records[0])
        var rows: [[UUID: Row]] = Array(repeating: [:], count: schema.tables.count)
        for record in records.dropFirst() { try FileStorage.replay(record, schema: schema, into: &rows) }
        self.schema = schema
        self.rows = rows.map { $0.values.sorted { $0.uuid < $1.uuid } }
    }
}
