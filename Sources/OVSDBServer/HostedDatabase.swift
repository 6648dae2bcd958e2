import OVSDB

/// A database the server serves, with the file it lives in (none for `_Server`).
final class HostedDatabase {
    var database: Database
    let storage: FileStorage?
    let path: String?

    init(database: Database, storage: FileStorage?, path: String?) {
        self.database = database
        self.storage = storage
        self.path = path
    }

    var name: String { database.name }
}
