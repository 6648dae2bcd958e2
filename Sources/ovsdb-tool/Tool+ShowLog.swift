import OVSDB

extension Tool {
    /// `show-log [db]`: describes each record of the file (see `LogPrinter`). The records
    /// before a damaged one are printed, then the damage is reported as an error.
    func showLog(_ args: [String]) throws -> Int32 {
        let log = try LogFile(path: args.first ?? Tool.defaultDatabase, lock: false, readOnly: true)
        let records = try log.readAll()
        var printer = LogPrinter(verbosity: verbosity)
        var out = ""
        defer { write(out) }
        for record in records { try printer.print(record, to: &out) }
        if let failure = log.tailFailure { throw failure }
        return 0
    }
}
