/// The committed rows of one table, with its unique indexes.
public struct Table: Sendable {
    public let schema: TableSchema
    public internal(set) var rows: [UUID: Row] = [:]
    /// For each schema index, the row holding each combination of values.
    var indexes: [[[Datum]: UUID]]

    init(schema: TableSchema) {
        self.schema = schema
        self.indexes = Array(repeating: [:], count: schema.indexes.count)
    }

    static func indexKey(_ row: Row, _ index: [Int]) -> [Datum] { index.map { row.values[$0] } }

    mutating func put(_ row: Row) {
        if let old = rows[row.uuid] { unindex(old) }
        rows[row.uuid] = row
        for (i, index) in schema.indexes.enumerated() { indexes[i][Table.indexKey(row, index)] = row.uuid }
    }

    mutating func remove(_ uuid: UUID) {
        if let old = rows.removeValue(forKey: uuid) { unindex(old) }
    }

    private mutating func unindex(_ row: Row) {
        for (i, index) in schema.indexes.enumerated() {
            let key = Table.indexKey(row, index)
            if indexes[i][key] == row.uuid { indexes[i][key] = nil }
        }
    }
}
