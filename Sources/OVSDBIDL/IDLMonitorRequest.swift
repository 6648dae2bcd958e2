import JSON

/// The `<monitor-requests>` for a selection: for each table, the columns to follow, in a
/// stable order.
enum IDLMonitorRequest {
    static func tables(_ selection: IDLSelection) -> JSON {
        var o = JSONObject()
        for table in selection.tables.keys.sorted() {
            let columns = selection.tables[table]!.sorted().map { JSON.string($0) }
            o.appendUnique(table, [.object(JSONObject([("columns", .array(columns))]))])
        }
        return .object(o)
    }
}
