import OVSDB

/// `compact` and `convert`: rewrite a database file as its schema and one snapshot record,
/// in place or to another file, optionally converted to a new schema.
extension Tool {
    func compact(_ args: [String]) throws -> Int32 {
        let path = args.count >= 1 ? args[0] : Tool.defaultDatabase
        try rewrite(path, to: args.count >= 2 ? args[1] : nil, comment: "compacted by ovsdb-tool \(OVSDBVersion.string)") { $0 }
        return 0
    }

    func convert(_ args: [String]) throws -> Int32 {
        let path = args.count >= 1 ? args[0] : Tool.defaultDatabase
        let schema = try DatabaseSchema(file: args.count >= 2 ? args[1] : Tool.defaultSchema)
        try rewrite(path, to: args.count >= 3 ? args[2] : nil, comment: "converted by ovsdb-tool \(OVSDBVersion.string)") {
            // ovsdb-tool replays the file under the new schema, where values left at their
            // defaults are absent, so they take the new columns' defaults.
            try $0.converted(to: schema, defaults: .reset)
        }
        return 0
    }

    /// Reads the database at `path`, transforms it, and writes the result atomically to
    /// `target`, or over `path` (holding its lock meanwhile) when there is none. Symbolic links
    /// are followed, so the file a link names is what gets replaced.
    private func rewrite(_ path: String, to target: String?, comment: String,
                         _ transform: (Database) throws -> Database) throws {
        let source = LogFile.followingSymlinks(path)
        let inPlace = target == nil
        let storage = try Tool.reportingLockFailure {
            () throws(OVSDBError) in try FileStorage(path: source, lock: inPlace, readOnly: true, truncateBadTail: false)
        }
        if let failure = storage.log.tailFailure { throw failure }
        let result = try transform(storage.database)
        let destination = target.map(LogFile.followingSymlinks) ?? source
        try Tool.reportingLockFailure { () throws(OVSDBError) in
            try FileStorage.writeSnapshot(of: result, to: destination, comment: comment, lock: !inPlace)
        }
        withExtendedLifetime(storage) {}
    }

    /// Runs `body`, turning a lock it cannot take into the message Open vSwitch's `compact`
    /// and `convert` give for one, which has no "I/O error" tag.
    private static func reportingLockFailure<T>(_ body: () throws(OVSDBError) -> T) throws -> T {
        switch Result(catching: body) {
        case .success(let value):
            return value
        case .failure(let error):
            if let details = error.details, details.hasSuffix(": failed to lock lockfile") {
                throw ToolError("\(details) (\(error.ioError ?? ""))")
            }
            throw error
        }
    }
}
