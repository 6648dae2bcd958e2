import JSON
import JSONRPC
import NIOCore
import OVSDB

/// A `transact` waiting on a `wait` operation: run again after each commit to its database
/// until it completes or its time runs out.
final class Trigger {
    unowned let session: Session
    let id: JSON
    let database: Database
    let operations: ArraySlice<JSON>
    let started: NIODeadline
    var timer: Scheduled<Void>?

    init(session: Session, id: JSON, database: Database, operations: ArraySlice<JSON>) {
        self.session = session
        self.id = id
        self.database = database
        self.operations = operations
        self.started = .now()
    }

    var elapsedMilliseconds: Int64 { (NIODeadline.now() - started).nanoseconds / 1_000_000 }
}

extension OVSDBServer {
    /// Answers one JSON-RPC request from `session`.
    func handle(method: String, params: JSON, id: JSON, from session: Session) {
        let reply: JSON?
        do throws(OVSDBError) {
            switch method {
            case "list_dbs": reply = .array(databaseNames.map { .string($0) })
            case "get_schema": reply = try database(params, method).schema.json
            case "transact": reply = try transact(params, id: id, session: session)
            case "cancel": reply = cancel(params, session: session)
            case "monitor": reply = try monitor(params, session: session, version: .v1)
            case "monitor_cond": reply = try monitor(params, session: session, version: .v2)
            case "monitor_cond_since": reply = try monitor(params, session: session, version: .v3)
            case "monitor_cond_change": reply = try monitorCondChange(params, session: session)
            case "monitor_cancel": reply = try monitorCancel(params, session: session)
            case "lock", "steal", "unlock": reply = try lock(method, params, session: session)
            case "echo": reply = params
            case "convert": reply = try convert(params, session: session)
            case "set_db_change_aware":
                guard let b = params.arrayValue?.first?.boolValue, params.arrayValue?.count == 1 else {
                    throw .syntax(params, "set_db_change_aware requires 1 boolean argument")
                }
                session.changeAware = b
                reply = .object(JSONObject())
            default:
                session.send(.error(error: "unknown method", id: id))
                return
            }
        } catch let e {
            session.send(.error(error: e.json, id: id))
            return
        }
        if let reply { session.send(.reply(result: reply, id: id)) }
    }

    /// The database named by the first parameter.
    private func database(_ params: JSON, _ method: String) throws(OVSDBError) -> Database {
        guard let name = params.arrayValue?.first?.stringValue else {
            throw .syntax(params, "\(method) request params must begin with <db-name>")
        }
        guard let hosted = databases[name] else {
            throw OVSDBError("unknown database", "\(method) request specifies unknown database \(name)", syntax: params)
        }
        return hosted.database
    }

    // MARK: transact

    private func transact(_ params: JSON, id: JSON, session: Session) throws(OVSDBError) -> JSON? {
        let db = try database(params, "transact")
        let trigger = Trigger(session: session, id: id, database: db, operations: params.arrayValue!.dropFirst())
        return run(trigger, timedOut: false)
    }

    /// Runs a transaction; returns the result, or nil when it now waits as a trigger.
    private func run(_ trigger: Trigger, timedOut: Bool) -> JSON? {
        let owner = ObjectIdentifier(trigger.session)
        let context = Execution.Context(
            ownsLock: { [locks] name in locks.owner(name) == owner },
            elapsedMilliseconds: timedOut ? .max : trigger.elapsedMilliseconds,
            readOnly: trigger.database === serverDatabase)
        switch Execution.run(trigger.operations, on: trigger.database, context: context) {
        case .completed(let results, _):
            trigger.timer?.cancel()
            triggers.removeAll { $0 === trigger }
            return results
        case .blocked(let timeout):
            if !triggers.contains(where: { $0 === trigger }) {
                triggers.append(trigger)
                if let timeout {
                    trigger.timer = eventLoop.scheduleTask(in: .milliseconds(max(0, timeout))) { [self] in
                        guard triggers.contains(where: { $0 === trigger }) else { return }
                        if let result = run(trigger, timedOut: true) { trigger.session.send(.reply(result: result, id: trigger.id)) }
                    }
                }
            }
            return nil
        }
    }

    /// Re-runs the triggers waiting on `database`.
    func retryTriggers(for database: Database) {
        for trigger in triggers where trigger.database === database {
            if let result = run(trigger, timedOut: false) { trigger.session.send(.reply(result: result, id: trigger.id)) }
        }
    }

    private func cancel(_ params: JSON, session: Session) -> JSON? {
        guard let target = params.arrayValue?.first else { return nil }
        for trigger in triggers where trigger.session === session && trigger.id == target {
            trigger.timer?.cancel()
            triggers.removeAll { $0 === trigger }
            session.send(.error(error: "canceled", id: trigger.id))
        }
        return nil
    }

    // MARK: convert

    /// Converts a database to a new schema online (`ovsdb-client convert`).
    private func convert(_ params: JSON, session: Session) throws(OVSDBError) -> JSON {
        let old = try database(params, "convert")
        guard let a = params.arrayValue, a.count == 2 else { throw .syntax(params, "convert request params must be <db-name> <new-schema>") }
        let schema = try DatabaseSchema(json: a[1])
        guard schema.name == old.name else {
            throw OVSDBError("syntax error", "new schema name (\(schema.name)) does not match database name (\(old.name))")
        }
        try replaceDatabase(old, convertingTo: schema)
        return .object(JSONObject())
    }

    // MARK: monitors

    private func monitor(_ params: JSON, session: Session, version: Monitor.Version) throws(OVSDBError) -> JSON {
        let db = try database(params, version == .v1 ? "monitor" : (version == .v2 ? "monitor_cond" : "monitor_cond_since"))
        guard let a = params.arrayValue, a.count >= 3 else { throw .syntax(params, "invalid parameters") }
        if session.monitors[a[1]] != nil { throw .syntax(a[1], "duplicate monitor ID") }
        let monitor = try Monitor(id: a[1], database: db, version: version, requests: a[2])
        shareSpec(of: monitor)
        session.monitors[a[1]] = monitor
        let initial = monitor.initial()
        if version == .v3 {
            // A standalone database keeps no transaction history: always a full resync.
            return [false, .string(UUID.zero.description), initial]
        }
        return initial
    }

    private func monitorCondChange(_ params: JSON, session: Session) throws(OVSDBError) -> JSON {
        guard let a = params.arrayValue, a.count == 3 else { throw .syntax(params, "monitor_cond_change requires 3 parameters") }
        guard let monitor = session.monitors[a[0]] else { throw .syntax(a[0], "unknown monitor session") }
        if a[1] != a[0] {
            if session.monitors[a[1]] != nil { throw .syntax(a[1], "duplicate monitor ID") }
            session.monitors[a[0]] = nil
            session.monitors[a[1]] = monitor
            monitor.id = a[1]
        }
        let updates = try monitor.changeConditions(a[2])
        shareSpec(of: monitor)
        if let updates {
            let params: JSON = monitor.version == .v3 ? [monitor.id, .string(UUID.zero.description), updates] : [monitor.id, updates]
            eventLoop.execute { session.send(.notification(method: monitor.version.notification, params: params)) }
        }
        return .object(JSONObject())
    }

    /// Lets `monitor` share the spec of an existing monitor equal to it (see `Monitor.shareSpec`).
    private func shareSpec(of monitor: Monitor) {
        for session in sessions.values {
            for other in session.monitors.values where other !== monitor && other.spec == monitor.spec {
                monitor.shareSpec(with: other)
                return
            }
        }
    }

    private func monitorCancel(_ params: JSON, session: Session) throws(OVSDBError) -> JSON {
        guard let a = params.arrayValue, a.count == 1 else { throw .syntax(params, "invalid parameters") }
        guard session.monitors.removeValue(forKey: a[0]) != nil else { throw .syntax(a[0], "unknown monitor") }
        return .object(JSONObject())
    }

    // MARK: locks

    private func lock(_ method: String, _ params: JSON, session: Session) throws(OVSDBError) -> JSON {
        guard let a = params.arrayValue, a.count == 1, let name = a[0].stringValue else {
            throw .syntax(params, "\(method) request params must be <id>")
        }
        let me = ObjectIdentifier(session)
        switch method {
        case "lock":
            if locks.isQueued(name, me) {
                throw OVSDBError("duplicate lock", "Session already has this lock.")
            }
            return ["locked": .bool(locks.lock(name, me))]
        case "steal":
            if let previous = locks.steal(name, me) {
                sessions[previous]?.send(.notification(method: "stolen", params: [.string(name)]))
            }
            return ["locked": true]
        default:
            if let next = locks.unlock(name, me) {
                sessions[next]?.send(.notification(method: "locked", params: [.string(name)]))
            }
            return .object(JSONObject())
        }
    }
}
