import JSON
import JSONRPC
import Logging
import NIOCore
import Streams

/// One client connection to the server: its monitors and locks, and an inactivity probe for
/// TCP peers. Runs on the server's event loop; all state is touched only there.
final class Session: ChannelInboundHandler {
    typealias InboundIn = JSONRPCMessage
    typealias OutboundOut = ByteBuffer

    unowned let server: OVSDBServer
    let probes: Bool
    private(set) var channel: Channel?
    /// This handler's place in the pipeline: output goes from here straight to the socket.
    private var context: ChannelHandlerContext?
    var monitors: [JSON: Monitor] = [:]
    var changeAware = false
    /// Whether the server has this session on its list to flush.
    var awaitingFlush = false
    private var lastActivity = NIODeadline.now()
    private var probeOutstanding = false
    private var probeTask: RepeatedTask?

    /// How long a TCP peer may stay silent before it is probed, and then dropped.
    static let probeInterval = TimeAmount.seconds(5)

    init(server: OVSDBServer, probes: Bool) {
        self.server = server
        self.probes = probes
    }

    var name: String { channel?.remoteAddress?.description ?? "unix" }

    func channelActive(context: ChannelHandlerContext) {
        channel = context.channel
        self.context = context
        _ = context.channel.setOption(ChannelOptions.writeBufferWaterMark,
                                      value: .init(low: Session.maximumBacklog / 2, high: Session.maximumBacklog))
        server.sessionOpened(self)
        if probes {
            probeTask = context.eventLoop.scheduleRepeatedTask(initialDelay: Session.probeInterval, delay: Session.probeInterval) { [weak self] _ in
                self?.probe()
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        probeTask?.cancel()
        server.sessionClosed(self)
        channel = nil
        self.context = nil
        outbox = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        server.reading = true
        lastActivity = .now()
        probeOutstanding = false
        let message = unwrapInboundIn(data)
        Session.trace.debug("\(name): received \(message.json)")
        switch message {
        case .request(let method, let params, let id):
            server.handle(method: method, params: params, id: id, from: self)
        case .notification, .reply, .error:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        server.reading = false
        server.flushAll(first: self)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        server.log.warning("\(name): closing connection: \(error)")
        context.close(promise: nil)
    }

    /// `-vjsonrpc:dbg` shows every message, as in Open vSwitch.
    static let trace = Logger(label: "jsonrpc")

    /// A peer that stops reading is disconnected once this much is queued for it, so that it
    /// cannot make the server's memory grow without bound.
    static let maximumBacklog = 128 << 20

    /// What has been sent since the last flush, handed to the channel in one write when the
    /// server flushes this session. Kept between flushes (NIO lets go of it once the socket has
    /// taken it) so that sending allocates nothing.
    private var outbox: ByteBuffer?
    /// An outbox that grew past this (a large initial monitor reply) is not kept.
    static let keptOutboxCapacity = 1 << 16

    func send(_ message: JSONRPCMessage) {
        Session.trace.debug("\(name): send \(message.json)")
        let bytes = message.bytes
        append { $0.writeBytes(bytes) }
    }

    /// Sends a monitor's update notification around an already serialized body. `traced`
    /// says whether `trace` logs debug messages, asked once for all the monitors a commit
    /// updates.
    func sendUpdate(_ monitor: Monitor, _ body: [UInt8], traced: Bool) {
        if traced { Session.trace.debug("\(name): send \(String(decoding: monitor.updatePrefix + body, as: UTF8.self))]}") }
        append { buffer in
            buffer.writeBytes(monitor.updatePrefix)
            buffer.writeBytes(body)
            buffer.writeStaticString("]}")
        }
    }

    /// Adds a message to the outbox.
    private func append(_ write: (inout ByteBuffer) -> Void) {
        guard let channel else { return }
        if outbox == nil { outbox = channel.allocator.buffer(capacity: 1024) }
        write(&outbox!)
        server.flushLater(self)
    }

    /// Writes and flushes what was sent since the last flush, unless the peer is too far
    /// behind: NIO counts the bytes the peer has not taken yet, and past the high-water mark
    /// the channel turns unwritable and the peer is dropped.
    func flush() {
        guard let channel, let context, var buffer = outbox, buffer.readableBytes > 0 else { return }
        outbox = nil
        if !channel.isWritable {
            server.log.warning("\(name): excessive sending backlog, disconnecting")
            close()
            return
        }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        buffer.clear()
        if buffer.capacity <= Session.keptOutboxCapacity { outbox = buffer }
    }

    func close() { channel?.close(promise: nil) }

    private func probe() {
        guard NIODeadline.now() - lastActivity >= Session.probeInterval else { return }
        if probeOutstanding {
            server.log.warning("\(name): no response to inactivity probe after 5 seconds, disconnecting")
            close()
            return
        }
        probeOutstanding = true
        send(.request(method: "echo", params: [], id: "echo"))
    }
}
