import JSON
import JSONRPC
import NIOCore
import OVSDB
import Streams

/// A replica kept current for a long-running program (ovs-vswitchd's and ovs-vifd's view of
/// the database), usable from async code (Open vSwitch's `ovsdb_idl` with its session).
///
/// `run()` connects, monitors the selection, and on any disconnection reconnects with backoff
/// (1 s doubling to 8 s). After a reconnect it asks for the changes since the last
/// transaction it saw (`monitor_cond_since`), or, if the server no longer has that history,
/// takes a fresh copy and records exactly what differs, so no change is lost or seen twice.
/// Transactions in flight when the connection drops end in `.tryAgain`.
public actor IDLClient {
    public let remote: StreamTarget
    public let database: String
    private let group: EventLoopGroup
    private let select: @Sendable (DatabaseSchema) -> IDLSelection
    private let lockName: String?

    /// The current copy, nil until the first monitor reply.
    public private(set) var replica: IDLReplica?
    /// True while connected and replicating.
    public private(set) var isConnected = false
    /// True while this client holds `lockName`.
    public private(set) var hasLock = false
    /// Connections made so far.
    public private(set) var connectionCount = 0

    private var connection: IDLConnection?
    private var nextID: Int64 = 0
    /// Outstanding requests: what to do with each reply, run as the reply arrives (before any
    /// message after it is handled).
    private var pending: [Int64: (Reply) -> Void] = [:]
    private var changeWaiters: [CheckedContinuation<Void, Never>] = []
    private var stopped = false
    private var tracking = false

    enum Reply { case result(JSON), error(JSON), disconnected }

    public init(remote: StreamTarget, database: String, group: EventLoopGroup, lock: String? = nil,
                select: @escaping @Sendable (DatabaseSchema) -> IDLSelection) {
        self.remote = remote
        self.database = database
        self.group = group
        self.lockName = lock
        self.select = select
    }

    // MARK: Running

    /// Keeps the replica current until `stop()`.
    public func run() async {
        var backoff: Duration = .seconds(1)
        while !stopped {
            do {
                let c = try await IDLConnection.connect(remote, group: group)
                connection = c
                connectionCount += 1
                backoff = .seconds(1)
                let reader = Task { await self.read(c) }
                do {
                    try await synchronize()
                    isConnected = true
                    if let lockName, case .result(let r) = await request("lock", [.string(lockName)]),
                       r["locked"]?.boolValue == true {
                        // Granted at once; otherwise a "locked" notification comes when it is.
                        hasLock = true
                        wakeChangeWaiters()
                    }
                } catch {
                    c.close()
                }
                await reader.value
            } catch {
                // Could not connect: wait and retry.
            }
            disconnected()
            if stopped { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(8))
        }
    }

    /// Closes the connection and makes `run()` return.
    public func stop() {
        stopped = true
        connection?.close()
    }

    /// Records changes for `takeChanges()` from now on.
    public func trackChanges() {
        tracking = true
        replica?.tracksChanges = true
    }

    /// The changes since the last call (with `trackChanges()`).
    public func takeChanges() -> [IDLChange] { replica?.takeChanges() ?? [] }

    /// Schema, then the monitor: the changes since what we have, or everything. The monitor
    /// reply is installed the moment it arrives, so the updates that follow it apply to it.
    private func synchronize() async throws {
        let schemaJSON = try await call("get_schema", [.string(database)])
        let schema = try DatabaseSchema(json: schemaJSON)
        let selection = replica?.selection ?? select(schema)
        let requests = IDLMonitorRequest.tables(selection.restricted(to: schema))
        let since = replica?.lastTransactionID ?? UUID.zero
        let installed = await request("monitor_cond_since", [.string(database), "idl", requests, .string(since.description)]) { reply in
            guard case .result(let r) = reply else { return nil }
            guard let a = r.arrayValue, a.count == 3, let found = a[0].boolValue else {
                return IDLError.protocolError("bad monitor_cond_since reply")
            }
            return self.install(a[2], version: .v3, schema: schema, selection: selection, incremental: found,
                                lastTransactionID: a[1].stringValue.flatMap(UUID.init))
        }
        switch installed {
        case .result: return
        case .error(let e) where IDLSession.isUnknownMethod(e):
            let v2 = await request("monitor_cond", [.string(database), "idl", requests]) { reply in
                guard case .result(let r) = reply else { return nil }
                return self.install(r, version: .v2, schema: schema, selection: selection, incremental: false, lastTransactionID: nil)
            }
            switch v2 {
            case .result: return
            case .error(let e) where IDLSession.isUnknownMethod(e):
                let v1 = await request("monitor", [.string(database), "idl", requests]) { reply in
                    guard case .result(let r) = reply else { return nil }
                    return self.install(r, version: .v1, schema: schema, selection: selection, incremental: false, lastTransactionID: nil)
                }
                if case .result = v1 { return }
                throw IDLClient.failure(v1)
            default:
                throw IDLClient.failure(v2)
            }
        default:
            throw IDLClient.failure(installed)
        }
    }

    /// Applies a monitor reply: the changes since our last transaction if `incremental`, else a
    /// whole new copy compared against the old one.
    private func install(_ updates: JSON, version: MonitorVersion, schema: DatabaseSchema, selection: IDLSelection,
                         incremental: Bool, lastTransactionID: UUID?) -> Error? {
        var base = replica ?? IDLReplica(schema: schema, selection: selection)
        base.tracksChanges = tracking
        do {
            if incremental && replica != nil {
                try base.apply(updates, version: version)
            } else {
                try base.replaceAll(with: updates, version: version)
            }
        } catch {
            return error
        }
        base.lastTransactionID = lastTransactionID
        replica = base
        wakeChangeWaiters()
        return nil
    }

    private static func failure(_ reply: Reply) -> IDLError {
        switch reply {
        case .result: return .protocolError("unexpected reply")
        case .error(let e): return .server(IDLTransaction.errorText(e))
        case .disconnected: return .connection("End of file")
        }
    }

    private func read(_ c: IDLConnection) async {
        for await message in c.messages {
            handle(message)
        }
    }

    private func handle(_ message: JSONRPCMessage) {
        switch message {
        case .reply(let result, let id):
            if let n = id.integerValue, let k = pending.removeValue(forKey: n) { k(.result(result)) }
        case .error(let error, let id):
            if let n = id.integerValue, let k = pending.removeValue(forKey: n) { k(.error(error)) }
        case .notification(let method, let params):
            guard let p = params.arrayValue, !p.isEmpty else { return }
            do {
                switch method {
                case "update" where p.count == 2 && p[0] == "idl": try replica?.apply(p[1], version: .v1)
                case "update2" where p.count == 2 && p[0] == "idl": try replica?.apply(p[1], version: .v2)
                case "update3" where p.count == 3 && p[0] == "idl":
                    try replica?.apply(p[2], version: .v3)
                    replica?.lastTransactionID = p[1].stringValue.flatMap(UUID.init)
                case "locked" where p.first?.stringValue == lockName: hasLock = true
                case "stolen" where p.first?.stringValue == lockName: hasLock = false
                default: return
                }
            } catch {
                // A malformed update: start over on a new connection with a full copy.
                replica?.lastTransactionID = nil
                connection?.close()
            }
            wakeChangeWaiters()
        case .request:
            break
        }
    }

    private func disconnected() {
        connection = nil
        isConnected = false
        hasLock = false
        for (_, k) in pending { k(.disconnected) }
        pending = [:]
        wakeChangeWaiters()
    }

    /// Sends a request and waits for its reply. `onArrival`, if given, handles the reply the
    /// moment it arrives; an error it returns turns the reply into a failure.
    private func request(_ method: String, _ params: [JSON], onArrival: ((Reply) -> Error?)? = nil) async -> Reply {
        guard let connection else { return .disconnected }
        let id = nextID
        nextID += 1
        return await withCheckedContinuation { k in
            pending[id] = { reply in
                if let onArrival, let error = onArrival(reply) {
                    k.resume(returning: .error(.string("\(error)")))
                    self.connection?.close()
                } else {
                    k.resume(returning: reply)
                }
            }
            connection.send(.request(method: method, params: .array(params), id: .integer(id)))
        }
    }

    private func call(_ method: String, _ params: [JSON]) async throws -> JSON {
        switch await request(method, params) {
        case .result(let r): return r
        case .error(let e): throw IDLError.server(IDLTransaction.errorText(e))
        case .disconnected: throw IDLError.connection("End of file")
        }
    }

    // MARK: Waiting

    /// Returns once anything about the replica or the connection changes.
    public func waitForChange() async {
        await withCheckedContinuation { changeWaiters.append($0) }
    }

    /// Waits until `predicate` holds for the replica.
    public func wait(until predicate: (IDLReplica) -> Bool) async {
        while !(replica.map(predicate) ?? false) { await waitForChange() }
    }

    private func wakeChangeWaiters() {
        let waiters = changeWaiters
        changeWaiters = []
        for w in waiters { w.resume() }
    }

    // MARK: Transactions

    /// Commits one transaction built against the current replica.
    public func commit(_ transaction: IDLTransaction) async -> IDLTransaction.Outcome {
        if lockName != nil && !hasLock { return .notLocked }
        var t = transaction
        t.lock = lockName
        let (operations, changesAnything, layout) = t.operations()
        guard changesAnything else { return .unchanged }
        switch await request("transact", [.string(database)] + operations) {
        case .result(let r): return t.outcome(reply: .result(r), layout: layout)
        case .error(let e): return t.outcome(reply: .error(e), layout: layout)
        case .disconnected: return .tryAgain
        }
    }

    /// Builds a transaction with `build` on the current replica and commits it, rebuilding on
    /// a newer replica each time the commit must be tried again (a `verify` failed, or the
    /// connection dropped), until it succeeds, changes nothing, or fails.
    public func transact(_ build: (inout IDLTransaction) throws -> Void) async throws -> IDLTransaction.Outcome {
        while true {
            await wait { _ in true }
            guard let replica else { continue }
            var t = IDLTransaction(base: replica)
            try build(&t)
            let outcome = await commit(t)
            guard outcome == .tryAgain else { return outcome }
            if self.replica?.seqno == replica.seqno { await waitForChange() }
        }
    }
}
