import OVSDB

/// Opening database files as ovsdb-tool does: strictly, so that a damaged tail is reported
/// (and the command fails) rather than repaired.
extension Tool {
    /// The schema a database file starts with. Only that record is read, so a damaged tail
    /// does not matter here.
    func databaseSchema(_ path: String) throws -> DatabaseSchema {
        let log = try LogFile(path: path, lock: false, readOnly: true)
        return try DatabaseSchema(json: try log.readFirst())
    }

    /// Reads the whole database at `path`. `readWrite` takes its lock and lets commits be
    /// appended; otherwise the file is only read. Any record that does not read back whole
    /// is an error, as it is for Open vSwitch's `ovsdb-tool`, which leaves repairing a torn
    /// tail to `ovsdb-server`.
    func openDatabase(_ path: String, readWrite: Bool) throws -> FileStorage {
        let storage = try FileStorage(path: path, lock: readWrite, readOnly: !readWrite, truncateBadTail: false)
        if let failure = storage.log.tailFailure { throw failure }
        return storage
    }
}
