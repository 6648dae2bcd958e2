import JSON
import JSONRPC
import NIOCore
import Streams

/// One JSON-RPC connection for the async IDL: messages in arrive on an `AsyncStream`, in
/// order, and end when the connection closes; messages out are written on the channel.
final class IDLConnection: Sendable {
    let channel: Channel
    let messages: AsyncStream<JSONRPCMessage>

    private init(channel: Channel, messages: AsyncStream<JSONRPCMessage>) {
        self.channel = channel
        self.messages = messages
    }

    static func connect(_ target: StreamTarget, group: EventLoopGroup) async throws -> IDLConnection {
        let (stream, continuation) = AsyncStream<JSONRPCMessage>.makeStream()
        let channel = try await Streams.connect(target, group: group) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(JSONRPCDecoder()))
                try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(JSONRPCEncoder()))
                try channel.pipeline.syncOperations.addHandler(Forwarder(continuation))
            }
        }.get()
        return IDLConnection(channel: channel, messages: stream)
    }

    func send(_ message: JSONRPCMessage) {
        channel.writeAndFlush(message, promise: nil)
    }

    func close() {
        channel.close(promise: nil)
    }

    /// Hands inbound messages to the stream; answers `echo` itself so that a busy consumer
    /// never misses the server's inactivity probe.
    private final class Forwarder: ChannelInboundHandler, Sendable {
        typealias InboundIn = JSONRPCMessage
        typealias OutboundOut = JSONRPCMessage
        let continuation: AsyncStream<JSONRPCMessage>.Continuation

        init(_ continuation: AsyncStream<JSONRPCMessage>.Continuation) { self.continuation = continuation }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let message = unwrapInboundIn(data)
            if case .request("echo", let params, let id) = message {
                context.writeAndFlush(wrapOutboundOut(.reply(result: params, id: id)), promise: nil)
                return
            }
            continuation.yield(message)
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish()
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            continuation.finish()
            context.close(promise: nil)
        }
    }
}
