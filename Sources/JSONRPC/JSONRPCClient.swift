import JSON
import Streams

/// A JSON-RPC connection for command-line tools (`ovsdb-client`, `ovs-vsctl`): one caller,
/// blocking calls, as Open vSwitch's `jsonrpc_transact_block()`.
///
/// Requests get ids 0, 1, 2, …. While the client waits for a reply it answers the server's
/// `echo` requests itself and keeps notifications (and other requests) for the caller, in
/// order, to collect with `nextNotification()`; replies to requests nobody is waiting for are
/// dropped, as OVS drops them.
public final class JSONRPCClient {
    /// Why a call failed.
    public enum Error: Swift.Error, CustomStringConvertible {
        /// The connection failed, closed (`StreamError.isEndOfFile`) or timed out.
        case stream(StreamError)
        /// The peer sent something that is not a JSON-RPC message.
        case malformed(String)
        /// The server answered the request with an error object.
        case errorReply(JSON)

        public var description: String {
            switch self {
            case .stream(let e): return e.description
            case .malformed(let m): return "error parsing stream: \(m)"
            case .errorReply(let e): return "error reply: \(JSONSerializer.string(e, options: .sortedKeys))"
            }
        }
    }

    public let stream: BlockingStream
    /// Default bound on each wait, when a call gives none; nil waits forever.
    public var timeout: Duration?

    private var input: [UInt8] = []
    private var splitter = JSONStreamSplitter()
    private var queued: [JSONRPCMessage] = []
    private var nextID: Int64 = 0

    public init(stream: BlockingStream, timeout: Duration? = nil) {
        self.stream = stream
        self.timeout = timeout
    }

    /// Connects to `target` (see `BlockingStream`).
    public convenience init(connectingTo target: StreamTarget, timeout: Duration? = nil) throws(StreamError) {
        self.init(stream: try BlockingStream(connectingTo: target, timeout: timeout), timeout: timeout)
    }

    /// The peer's name, as OVS messages use it (`unix:/var/run/openvswitch/db.sock`).
    public var name: String { stream.target.description }

    public func close() { stream.close() }

    // MARK: Sending

    /// Sends one message.
    public func send(_ message: JSONRPCMessage) throws(Error) {
        do {
            try stream.send(message.bytes, deadline: deadline(nil))
        } catch {
            throw .stream(error)
        }
    }

    /// Sends a request with the next id and returns that id, for callers that wait for the
    /// reply themselves with `receive()`.
    @discardableResult
    public func sendRequest(_ method: String, _ params: [JSON]) throws(Error) -> JSON {
        let id = JSON.integer(nextID)
        nextID += 1
        try send(.request(method: method, params: .array(params), id: id))
        return id
    }

    // MARK: Receiving

    /// The next message from the peer, in arrival order (queued ones first), answering `echo`
    /// requests on the way without returning them.
    public func receive(timeout: Duration? = nil) throws(Error) -> JSONRPCMessage {
        if !queued.isEmpty { return queued.removeFirst() }
        return try receiveNew(deadline(timeout))
    }

    /// The messages that arrived while a `call` waited for its reply, oldest first, without
    /// waiting for more.
    public func takeQueued() -> [JSONRPCMessage] {
        defer { queued = [] }
        return queued
    }

    /// The next notification or request from the server, skipping stray replies.
    public func nextNotification(timeout: Duration? = nil) throws(Error) -> JSONRPCMessage {
        while true {
            let m = try receive(timeout: timeout)
            switch m {
            case .notification, .request: return m
            case .reply, .error: continue
            }
        }
    }

    /// Sends a request and waits for its reply, returning the result; an error reply throws
    /// `.errorReply`. Messages that arrive meanwhile are kept for `nextNotification()`.
    public func call(_ method: String, _ params: [JSON], timeout: Duration? = nil) throws(Error) -> JSON {
        let id = try sendRequest(method, params)
        let deadline = deadline(timeout)
        var held: [JSONRPCMessage] = []
        defer { queued.insert(contentsOf: held, at: 0) }
        while true {
            let message = try receiveNew(deadline)
            switch message {
            case .reply(let result, let rid) where rid == id: return result
            case .error(let error, let rid) where rid == id: throw .errorReply(error)
            case .reply, .error: continue
            case .notification, .request: held.append(message)
            }
        }
    }

    /// An OVSDB `transact` call: `[database, operation...]`, returning the result array.
    public func transact(_ database: String, _ operations: [JSON], timeout: Duration? = nil) throws(Error) -> JSON {
        try call("transact", [.string(database)] + operations, timeout: timeout)
    }

    /// Like `receive` but never returns queued messages (a call must not see its own past).
    private func receiveNew(_ deadline: ContinuousClock.Instant?) throws(Error) -> JSONRPCMessage {
        while true {
            let message = try readMessage(deadline)
            if case .request("echo", let params, let id) = message {
                try send(.reply(result: params, id: id))
                continue
            }
            return message
        }
    }

    private func deadline(_ timeout: Duration?) -> ContinuousClock.Instant? {
        (timeout ?? self.timeout).map { ContinuousClock.now.advanced(by: $0) }
    }

    /// Reads bytes until one whole message is buffered, and decodes it.
    private func readMessage(_ deadline: ContinuousClock.Instant?) throws(Error) -> JSONRPCMessage {
        while true {
            let length: Int?
            do {
                length = try input.withUnsafeBytes { try splitter.nextMessageLength($0) }
            } catch {
                throw .malformed("\(error)")
            }
            if let length {
                let chunk = Array(input[0..<length])
                input.removeSubrange(0..<length)
                do {
                    return try JSONRPCMessage(json: try JSONParser.parse(bytes: chunk))
                } catch {
                    throw .malformed("\(error)")
                }
            }
            do {
                input += try stream.receive(deadline: deadline)
            } catch {
                throw .stream(error)
            }
        }
    }
}
