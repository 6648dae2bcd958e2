import NIOCore
import NIOPosix

/// Opens listeners and connections for stream targets on SwiftNIO.
public enum Streams {
    /// Sets up each new connection's pipeline.
    public typealias Initializer = @Sendable (Channel) -> EventLoopFuture<Void>

    /// Listens on a passive target (`punix:` or `ptcp:`); a stale socket file is replaced.
    public static func listen(_ target: StreamTarget, group: EventLoopGroup, initializer: @escaping Initializer) -> EventLoopFuture<Channel> {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 128)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .childChannelInitializer(initializer)
        switch target {
        case .punix(let path):
            return bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
        case .ptcp(let port, let host):
            return bootstrap.bind(host: host, port: port)
        case .unix, .tcp:
            return group.next().makeFailedFuture(StreamTarget.ParseError(description: "\(target): not a passive target"))
        }
    }

    /// Connects to an active target (`unix:` or `tcp:`).
    public static func connect(_ target: StreamTarget, group: EventLoopGroup, initializer: @escaping Initializer) -> EventLoopFuture<Channel> {
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelInitializer(initializer)
        switch target {
        case .unix(let path):
            return bootstrap.connect(unixDomainSocketPath: path)
        case .tcp(let host, let port):
            return bootstrap.connect(host: host, port: port)
        case .punix, .ptcp:
            return group.next().makeFailedFuture(StreamTarget.ParseError(description: "\(target): not an active target"))
        }
    }

    /// The address a passive target actually bound, as `ovsdb-server/list-remotes` and
    /// `ovs-appctl` print it (`ptcp:34567:127.0.0.1` for port 0).
    public static func boundName(_ target: StreamTarget, _ channel: Channel) -> String {
        guard case .ptcp(_, let host) = target, let port = channel.localAddress?.port else { return target.description }
        return StreamTarget.ptcp(port: port, host: host).description
    }
}
