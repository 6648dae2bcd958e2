import NIOCore
import Streams

/// One remote the server serves: a listener (`punix:`, `ptcp:`) or an outgoing connection
/// (`unix:`, `tcp:`) that is re-established with exponential backoff when it drops.
final class Remote {
    let target: StreamTarget
    unowned let server: OVSDBServer
    private var channel: Channel?
    private var stopped = false
    private var backoff = TimeAmount.seconds(1)
    private static let maximumBackoff = TimeAmount.seconds(8)

    init(target: StreamTarget, server: OVSDBServer) {
        self.target = target
        self.server = server
    }

    func start() {
        if target.isPassive {
            Streams.listen(target, group: server.eventLoop, initializer: server.initializer(probes: target.needsProbes)).whenComplete { [self] result in
                switch result {
                case .success(let ch):
                    if stopped { ch.close(promise: nil) } else { channel = ch }
                    server.log.info("\(Streams.boundName(target, ch)): listening")
                case .failure(let error):
                    server.log.error("\(target): listen failed: \(error)")
                }
            }
        } else {
            connect()
        }
    }

    private func connect() {
        guard !stopped else { return }
        Streams.connect(target, group: server.eventLoop, initializer: server.initializer(probes: target.needsProbes)).whenComplete { [self] result in
            switch result {
            case .success(let ch):
                if stopped {
                    ch.close(promise: nil)
                    return
                }
                channel = ch
                backoff = .seconds(1)
                server.log.info("\(target): connected")
                ch.closeFuture.whenComplete { [self] _ in
                    channel = nil
                    scheduleReconnect()
                }
            case .failure(let error):
                server.log.info("\(target): connection attempt failed (\(error))")
                scheduleReconnect()
            }
        }
    }

    private func scheduleReconnect() {
        guard !stopped else { return }
        let delay = backoff
        backoff = min(backoff * 2, Remote.maximumBackoff)
        server.eventLoop.scheduleTask(in: delay) { [self] in connect() }
    }

    func stop() { _ = stopFuture() }

    func stopFuture() -> EventLoopFuture<Void> {
        stopped = true
        let ch = channel
        channel = nil
        return ch?.close() ?? server.eventLoop.makeSucceededVoidFuture()
    }
}
