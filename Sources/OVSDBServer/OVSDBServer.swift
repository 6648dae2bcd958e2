import JSON
import JSONRPC
import Logging
import NIOCore
import NIOPosix
import OVSDB
import Streams
import Unixctl

/// An OVSDB server (RFC 7047 plus Open vSwitch's extensions): hosts databases, listens on and
/// connects to remotes, and serves JSON-RPC sessions.
///
/// Everything runs on one event loop, as Open vSwitch's ovsdb-server runs on one thread, so
/// transactions are serial and need no locks.
public final class OVSDBServer: @unchecked Sendable {
    public let eventLoop: EventLoop
    let log = Logger(label: "ovsdb_server")
    var databases: [String: HostedDatabase] = [:]
    let serverDatabase = Database(schema: ServerSchema.schema)
    private var serverRows: [String: UUID] = [:]
    var sessions: [ObjectIdentifier: Session] = [:]
    var locks = LockTable()
    var triggers: [Trigger] = []
    /// Remotes named on the command line or with `ovsdb-server/add-remote`.
    public private(set) var configuredRemotes: [String] = []
    private var remotes: [String: Remote] = [:]
    /// Called when a client or `exit` asks the server to stop.
    public var onExit: (() -> Void)?

    public init(eventLoop: EventLoop) {
        self.eventLoop = eventLoop
        databases["_Server"] = HostedDatabase(database: serverDatabase, storage: nil, path: nil)
        // Databases coming and going change _Server: its monitors and its waiting
        // transactions (ovsdb-client wait) hear of it like any other database's.
        serverDatabase.observers.append { [unowned self] changes in
            notifyMonitors(changes, of: serverDatabase)
            if triggers.contains(where: { $0.database === serverDatabase }) {
                eventLoop.execute { self.retryTriggers(for: self.serverDatabase) }
            }
        }
        publish(serverDatabase)
    }

    // MARK: Databases

    /// Opens the database file at `path` and starts serving it.
    @discardableResult
    public func addDatabase(path: String) throws -> String {
        let storage = try FileStorage(path: path)
        if let why = storage.recoveredFrom { log.warning("\(path): dropped a damaged tail: \(why)") }
        let name = storage.database.name
        guard databases[name] == nil else { throw OVSDBError("I/O error", "\(path): duplicate database name \(name)") }
        storage.attach()
        host(storage.database, storage: storage, path: path)
        return name
    }

    /// Starts serving `database`, kept in `storage` if it has one (in memory otherwise).
    public func host(_ database: Database, storage: FileStorage? = nil, path: String? = nil) {
        let hosted = HostedDatabase(database: database, storage: storage, path: path)
        database.observers.append { [unowned self, unowned hosted] changes in self.committed(changes, in: hosted) }
        databases[database.name] = hosted
        publish(database)
    }

    /// Stops serving database `name`; its monitors' sessions are disconnected unless they said
    /// they are change-aware, in which case the monitors are cancelled.
    public func removeDatabase(_ name: String) throws {
        guard let hosted = databases[name], hosted.database !== serverDatabase else { throw OVSDBError("not found", "Failed to find the database.") }
        dropMonitors(of: hosted.database)
        triggers.removeAll { $0.database === hosted.database }
        // Let go of the database (and so of its file and lock file) entirely.
        hosted.database.observers.removeAll()
        hosted.database.persist = nil
        databases[name] = nil
        if let u = serverRows.removeValue(forKey: name) {
            let t = Transaction(serverDatabase)
            t.delete(0, u)
            try? t.commit()
        }
    }

    /// Converts a served database to `schema` in place: clients watching it lose their
    /// monitors (change-aware ones are told; others are disconnected, as in Open vSwitch) and
    /// `_Server` shows the new schema.
    func replaceDatabase(_ old: Database, convertingTo schema: DatabaseSchema) throws(OVSDBError) {
        guard let hosted = databases[old.name], let storage = hosted.storage else {
            throw OVSDBError("not allowed", "\(old.name) cannot be converted")
        }
        let converted = try storage.convert(to: schema)
        dropMonitors(of: old)
        triggers.removeAll { $0.database === old }
        hosted.database = converted
        old.observers.removeAll()
        converted.observers.append { [unowned self, unowned hosted] changes in self.committed(changes, in: hosted) }
        publish(converted)
    }

    private func dropMonitors(of database: Database) {
        for session in sessions.values {
            let affected = session.monitors.filter { $0.value.database === database }
            guard !affected.isEmpty else { continue }
            if session.changeAware {
                for (id, _) in affected {
                    session.monitors[id] = nil
                    session.send(.notification(method: "monitor_canceled", params: [id]))
                }
            } else {
                session.close()
            }
        }
    }

    /// Adds or refreshes `database`'s row in `_Server`.
    private func publish(_ database: Database) {
        let uuid = serverRows[database.name] ?? .random()
        serverRows[database.name] = uuid
        let t = Transaction(serverDatabase)
        t.put(0, ServerSchema.row(for: database, uuid: uuid))
        do { try t.commit() } catch { log.error("could not update _Server: \(error)") }
    }

    public var databaseNames: [String] { databases.keys.sorted() }

    /// After a commit: compact if due, tell monitors, retry blocked transactions, refresh
    /// remotes that come from the database.
    private func committed(_ changes: ChangeSet, in hosted: HostedDatabase) {
        if let storage = hosted.storage, storage.shouldCompact {
            do { try storage.compact() } catch { log.error("\(hosted.name): compaction failed: \(error)") }
        }
        notifyMonitors(changes, of: hosted.database)
        let waiting = triggers.contains { $0.database === hosted.database }
        let remotesFromDatabase = configuredRemotes.contains { $0.hasPrefix("db:") && $0.dropFirst(3).hasPrefix(hosted.name + ",") }
        guard waiting || remotesFromDatabase else { return }
        // After the reply to this commit has been written.
        eventLoop.execute { [self] in
            if waiting { retryTriggers(for: hosted.database) }
            if remotesFromDatabase { reconcileRemotes() }
        }
    }

    /// Sends each monitor what a commit changed. Updates are composed and serialized once per
    /// distinct monitor spec, so a hundred identical monitors cost one composition.
    private func notifyMonitors(_ changes: ChangeSet, of database: Database) {
        var composed: [Monitor.Spec: [UInt8]?] = [:]
        // Usually every monitor has the same spec (shared, so comparing is an identity check).
        var last: (spec: Monitor.Spec, body: [UInt8]?)?
        let traced = Session.trace.logLevel <= .debug
        for session in sessions.values {
            for monitor in session.monitors.values where monitor.database === database {
                let spec = monitor.spec
                let body: [UInt8]?
                if let last, last.spec == spec {
                    body = last.body
                } else if let cached = composed[spec] {
                    body = cached
                } else {
                    body = monitor.updates(for: changes).map { JSONSerializer.bytes($0) }
                    composed[spec] = body
                }
                last = (spec, body)
                guard let body else { continue }
                session.sendUpdate(monitor, body, traced: traced)
            }
        }
    }

    // MARK: Sessions

    /// Sessions with written but unflushed output, in the order they first wrote.
    private var unflushed: [Session] = []
    /// True while a session is handling a batch of reads; its end flushes everyone.
    var reading = false

    /// Flushes `session` once the server has finished what it is doing now (the current batch
    /// of reads, or else the current event-loop task), so that the replies and updates of a
    /// burst of requests leave in one write per connection, as Open vSwitch's poll loop sends
    /// them.
    func flushLater(_ session: Session) {
        guard !session.awaitingFlush else { return }
        if unflushed.isEmpty && !reading {
            eventLoop.execute { [self] in flushAll() }
        }
        session.awaitingFlush = true
        unflushed.append(session)
    }

    /// Flushes every session with output waiting. `first`, the session whose requests were
    /// just handled, goes first: as in Open vSwitch, a client gets its reply before the other
    /// clients' monitor updates are written, and can send its next request meanwhile.
    func flushAll(first: Session? = nil) {
        if let first, first.awaitingFlush {
            first.awaitingFlush = false
            first.flush()
        }
        guard !unflushed.isEmpty else { return }
        let sessions = unflushed
        unflushed.removeAll(keepingCapacity: true)
        for s in sessions where s.awaitingFlush {
            s.awaitingFlush = false
            s.flush()
        }
    }

    func sessionOpened(_ session: Session) { sessions[ObjectIdentifier(session)] = session }

    func sessionClosed(_ session: Session) {
        let id = ObjectIdentifier(session)
        sessions[id] = nil
        triggers.removeAll { $0.session === session }
        for name in locks.names(of: id) {
            if let next = locks.unlock(name, id) { sessions[next]?.send(.notification(method: "locked", params: [.string(name)])) }
        }
    }

    /// A pipeline initializer for new connections.
    func initializer(probes: Bool) -> Streams.Initializer {
        { [unowned self] channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(JSONRPCDecoder()))
                try channel.pipeline.syncOperations.addHandler(Session(server: self, probes: probes))
            }
        }
    }

    // MARK: Remotes

    /// Adds a remote (`punix:`, `ptcp:`, `unix:`, `tcp:` or `db:DB,TABLE,COLUMN`).
    public func addRemote(_ remote: String) throws {
        if !remote.hasPrefix("db:") { _ = try StreamTarget(remote) }
        if !configuredRemotes.contains(remote) { configuredRemotes.append(remote) }
        reconcileRemotes()
    }

    public func removeRemote(_ remote: String) throws {
        guard let i = configuredRemotes.firstIndex(of: remote) else { throw OVSDBError("not found", "\(remote): no such remote") }
        configuredRemotes.remove(at: i)
        reconcileRemotes()
    }

    /// The stream targets wanted now: static remotes plus those read from databases.
    var desiredTargets: [String] {
        var out: [String] = []
        for r in configuredRemotes {
            if r.hasPrefix("db:") { out.append(contentsOf: targets(fromDatabaseRemote: r)) } else { out.append(r) }
        }
        return out
    }

    /// Reads `db:DB,TABLE,COLUMN`: the column holds targets, or references rows whose
    /// `target` column does (as Open_vSwitch's `manager_options` does).
    private func targets(fromDatabaseRemote remote: String) -> [String] {
        let parts = remote.dropFirst(3).split(separator: ",").map(String.init)
        guard parts.count == 3, let db = databases[parts[0]]?.database, let t = db.schema.position(of: parts[1]),
              let c = db.schema.tables[t].position(of: parts[2])
        else { return [] }
        let column = db.schema.tables[t].columns[c]
        var out: [String] = []
        for row in db.tables[t].rows.values {
            for atom in row.values[c].keys {
                if let s = atom.stringValue {
                    out.append(s)
                } else if let u = atom.uuidValue, let ref = column.type.key.refTable, let rt = db.schema.position(of: ref),
                          let target = db.schema.tables[rt].position(of: "target"), let r = db.tables[rt].rows[u],
                          let s = r.values[target].first?.stringValue {
                    out.append(s)
                }
            }
        }
        return out
    }

    /// Starts remotes that are wanted and stops those that are not.
    func reconcileRemotes() {
        let wanted = Set(desiredTargets.filter { (try? StreamTarget($0)) != nil })
        for (name, remote) in remotes where !wanted.contains(name) {
            remote.stop()
            remotes[name] = nil
        }
        for name in wanted where remotes[name] == nil {
            guard let target = try? StreamTarget(name) else { continue }
            let remote = Remote(target: target, server: self)
            remotes[name] = remote
            remote.start()
        }
    }

    /// `ovsdb-server/list-remotes`: the configured remotes, sorted.
    public var remoteListing: [String] { configuredRemotes.sorted() }

    /// Closes every listener and connection.
    public func shutdown() -> EventLoopFuture<Void> {
        let futures = remotes.values.map { $0.stopFuture() } + sessions.values.compactMap { s in s.channel?.close() }
        remotes = [:]
        return EventLoopFuture.andAllComplete(futures, on: eventLoop)
    }
}
