import JSON
import JSONRPC
import OVSDB
import Streams

/// A replica kept over one blocking connection, for command-line tools such as `ovs-vsctl`
/// that connect, read, commit and exit (the synchronous use of Open vSwitch's IDL).
///
/// It fetches the schema, monitors the selection with the newest method the server knows
/// (`monitor_cond_since`, else `monitor_cond`, else `monitor`), and applies every update that
/// arrives while it waits for replies, so the replica is never behind what a reply reports.
public final class IDLSession {
    public let database: String
    public private(set) var replica: IDLReplica
    public private(set) var version: MonitorVersion
    private let client: JSONRPCClient
    private static let monitorID: JSON = "idl"

    /// Connects to `remote`, then replicates `selection` (built against the server's schema,
    /// which `select` receives). A caller that was built for a schema passes it as
    /// `knownSchema`: when the server's has the same version and checksum, it is used instead
    /// of building the server's copy again.
    public init(remote: StreamTarget, database: String, knownSchema: DatabaseSchema? = nil,
                select: (DatabaseSchema) throws -> IDLSelection) throws {
        do {
            client = try JSONRPCClient(connectingTo: remote)
        } catch {
            throw IDLError.connection(error.reason)
        }
        self.database = database
        let schemaJSON = try IDLSession.call(client, "get_schema", [.string(database)])
        let schema: DatabaseSchema
        if let knownSchema, let cksum = knownSchema.cksum, schemaJSON["cksum"]?.stringValue == cksum,
           schemaJSON["version"]?.stringValue == knownSchema.version, schemaJSON["name"]?.stringValue == knownSchema.name {
            schema = knownSchema
        } else {
            do {
                schema = try DatabaseSchema(json: schemaJSON)
            } catch {
                throw IDLError.protocolError("\(database) schema: \(error)")
            }
        }
        var replica = IDLReplica(schema: schema, selection: try select(schema))
        let requests = IDLMonitorRequest.tables(replica.selection)
        do {
            let reply = try client.call("monitor_cond_since", [.string(database), IDLSession.monitorID, requests, .string(UUID.zero.description)])
            guard let a = reply.arrayValue, a.count == 3, let last = a[1].stringValue else {
                throw IDLError.protocolError("bad monitor_cond_since reply")
            }
            replica.lastTransactionID = UUID(last)
            try replica.apply(a[2], version: .v3)
            version = .v3
        } catch JSONRPCClient.Error.errorReply(let e) where IDLSession.isUnknownMethod(e) {
            do {
                try replica.apply(try client.call("monitor_cond", [.string(database), IDLSession.monitorID, requests]), version: .v2)
                version = .v2
            } catch JSONRPCClient.Error.errorReply(let e) where IDLSession.isUnknownMethod(e) {
                try replica.apply(try IDLSession.call(client, "monitor", [.string(database), IDLSession.monitorID, requests]), version: .v1)
                version = .v1
            }
        } catch let e as JSONRPCClient.Error {
            throw IDLSession.translate(e)
        }
        self.replica = replica
        try applyQueued()
    }

    deinit { client.close() }

    /// Waits for the next message from the server and applies it if it is an update. Returns
    /// false if `deadline` passed first.
    @discardableResult
    public func waitForUpdate(until deadline: ContinuousClock.Instant? = nil) throws -> Bool {
        let timeout = deadline.map { ContinuousClock.now.duration(to: $0) }
        if let timeout, timeout <= .zero { return false }
        let message: JSONRPCMessage
        do {
            message = try client.nextNotification(timeout: timeout)
        } catch {
            if case .stream(let e) = error, e.isTimeout { return false }
            throw IDLSession.translate(error)
        }
        try handle(message)
        return true
    }

    /// Sends `transaction` and waits for its outcome, applying the updates that come first.
    public func commit(_ transaction: IDLTransaction) throws -> IDLTransaction.Outcome {
        let (operations, changesAnything, layout) = transaction.operations()
        guard changesAnything else { return .unchanged }
        let reply: IDLTransaction.Reply
        do {
            reply = .result(try client.transact(database, operations))
        } catch {
            guard case .errorReply(let e) = error else { throw IDLSession.translate(error) }
            reply = .error(e)
        }
        try applyQueued()
        return transaction.outcome(reply: reply, layout: layout)
    }

    private func applyQueued() throws {
        for message in client.takeQueued() { try handle(message) }
    }

    private func handle(_ message: JSONRPCMessage) throws {
        guard case .notification(let method, let params) = message, let p = params.arrayValue, p.count >= 2 else { return }
        switch method {
        case "update" where p[0] == IDLSession.monitorID:
            try replica.apply(p[1], version: .v1)
        case "update2" where p[0] == IDLSession.monitorID:
            try replica.apply(p[1], version: .v2)
        case "update3" where p.count == 3 && p[0] == IDLSession.monitorID:
            replica.lastTransactionID = p[1].stringValue.flatMap(UUID.init)
            try replica.apply(p[2], version: .v3)
        default:
            break
        }
    }

    private static func call(_ client: JSONRPCClient, _ method: String, _ params: [JSON]) throws -> JSON {
        do {
            return try client.call(method, params)
        } catch {
            throw translate(error)
        }
    }

    private static func translate(_ error: JSONRPCClient.Error) -> IDLError {
        switch error {
        case .stream(let e): return .connection(e.reason)
        case .malformed(let m): return .protocolError(m)
        case .errorReply(let e): return .server(IDLTransaction.errorText(e))
        }
    }

    static func isUnknownMethod(_ error: JSON) -> Bool {
        error.stringValue == "unknown method" || error["error"]?.stringValue == "unknown method"
    }
}
