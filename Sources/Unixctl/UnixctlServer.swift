import JSON
import JSONRPC
import NIOCore
import NIOPosix
import Streams

/// A daemon's control socket: JSON-RPC on a unix socket whose methods are named commands
/// taking string arguments, answered with text — the protocol `ovs-appctl` speaks.
///
/// Modules register their own commands. Handlers run on the server's event loop.
public final class UnixctlServer: @unchecked Sendable {
    /// How a command answers: text for success, or an error message.
    public enum Reply {
        case success(String)
        case failure(String)
    }

    public typealias Handler = (_ args: [String], _ reply: @escaping (Reply) -> Void) -> Void

    struct Command {
        var usage: String
        var minArgs: Int
        var maxArgs: Int
        var handler: Handler
    }

    public let path: String
    private let eventLoop: EventLoop
    private var commands: [String: Command] = [:]
    private var channel: Channel?

    /// Binds the control socket at `path` (removing a stale one).
    public init(path: String, eventLoop: EventLoop, programName: String, version: String) {
        self.path = path
        self.eventLoop = eventLoop
        register("list-commands", usage: "", min: 0, max: 0) { [unowned self] _, reply in reply(.success(self.commandList)) }
        register("version", usage: "", min: 0, max: 0) { _, reply in reply(.success("\(programName) (Open vSwitch) \(version)\n")) }
    }

    public func start() -> EventLoopFuture<Void> {
        Streams.listen(.punix(path: path), group: eventLoop) { [unowned self] channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(JSONRPCDecoder(maximumMessageLength: 16 << 20)))
                try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(JSONRPCEncoder()))
                try channel.pipeline.syncOperations.addHandler(UnixctlConnection(server: self))
            }
        }.map { [unowned self] in self.channel = $0 }
    }

    public func stop() -> EventLoopFuture<Void> {
        channel?.close() ?? eventLoop.makeSucceededFuture(())
    }

    /// Adds a command; `usage` is shown by `list-commands`.
    public func register(_ name: String, usage: String, min: Int, max: Int, handler: @escaping Handler) {
        commands[name] = Command(usage: usage, minArgs: min, maxArgs: max, handler: handler)
    }

    /// Adds a command that answers at once: its result is the reply text, and what it throws
    /// becomes the error reply.
    public func register(_ name: String, usage: String, min: Int, max: Int, _ body: @escaping (_ args: [String]) throws -> String) {
        register(name, usage: usage, min: min, max: max) { args, reply in
            do {
                reply(.success(try body(args)))
            } catch {
                reply(.failure("\(error)"))
            }
        }
    }

    var commandList: String {
        var s = "The available commands are:\n"
        for name in commands.keys.sorted() {
            let usage = commands[name]!.usage
            s += "  " + name.padding(toLength: max(23, name.count)) + " " + usage + "\n"
        }
        return s
    }

    /// Runs one request and answers it through `reply`.
    func dispatch(method: String, params: JSON, reply: @escaping (Reply) -> Void) {
        guard let command = commands[method] else {
            reply(.failure("\"\(method)\" is not a valid command (use \"list-commands\" to see a list of valid commands)"))
            return
        }
        guard let args = params.arrayValue?.compactMap(\.stringValue), args.count == params.arrayValue?.count else {
            reply(.failure("command has non-string argument"))
            return
        }
        if args.count < command.minArgs {
            reply(.failure("\"\(method)\" command requires at least \(command.minArgs) arguments"))
        } else if args.count > command.maxArgs {
            reply(.failure("\"\(method)\" command takes at most \(command.maxArgs) arguments"))
        } else {
            command.handler(args, reply)
        }
    }
}

/// An error whose text is the reply to a control command.
public struct UnixctlError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    func padding(toLength n: Int) -> String {
        count >= n ? self : self + String(repeating: " ", count: n - count)
    }
}

/// One `ovs-appctl` connection.
final class UnixctlConnection: ChannelInboundHandler {
    typealias InboundIn = JSONRPCMessage
    typealias OutboundOut = JSONRPCMessage

    private let server: UnixctlServer

    init(server: UnixctlServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .request(let method, let params, let id) = unwrapInboundIn(data) else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        server.dispatch(method: method, params: params) { reply in
            let context = loopBound.value
            let message: JSONRPCMessage
            switch reply {
            case .success(let text): message = .reply(result: .string(text), id: id)
            case .failure(let text): message = .error(error: .string(text.hasSuffix("\n") ? text : text + "\n"), id: id)
            }
            context.writeAndFlush(NIOAny(message), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
