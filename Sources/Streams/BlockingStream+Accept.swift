#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BlockingStream {
    /// Listens on a passive target (`punix:PATH`, `ptcp:PORT[:HOST]`) until one peer connects,
    /// and returns that connection, as Open vSwitch's tools do when given a passive remote.
    /// A stale socket file is replaced, and removed again once the peer has connected.
    public static func accept(on target: StreamTarget, timeout: Duration? = nil) throws(StreamError) -> BlockingStream {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        let listener: Int32
        var unixPath: String?
        switch target {
        case .punix(let path):
            listener = try listenUnix(path, target)
            unixPath = path
        case .ptcp(let port, let host):
            listener = try listenTCP(host, port, target)
        case .unix, .tcp:
            throw StreamError(target: target, operation: .connect, code: EAFNOSUPPORT)
        }
        defer {
            _ = Glibc.close(listener)
            if let unixPath { unlink(unixPath) }
        }
        while true {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let r = Glibc.poll(&pfd, 1, milliseconds(until: deadline))
            if r == 0 { throw StreamError(target: target, operation: .connect, code: ETIMEDOUT) }
            if r < 0 {
                if errno == EINTR { interrupted(); continue }
                throw StreamError(target: target, operation: .connect, code: errno)
            }
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            if fd >= 0 { return BlockingStream(fileDescriptor: fd, target: target) }
            if errno != EINTR && errno != EAGAIN && errno != ECONNABORTED {
                throw StreamError(target: target, operation: .connect, code: errno)
            }
        }
    }

    private static func listenUnix(_ path: String, _ target: StreamTarget) throws(StreamError) -> Int32 {
        guard path.utf8.count < 108 else { throw StreamError(target: target, operation: .connect, code: ENAMETOOLONG) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StreamError(target: target, operation: .connect, code: errno) }
        unlink(path)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.utf8.count + 1)
        let r = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        if r < 0 || listen(fd, 1) < 0 {
            let code = errno
            _ = Glibc.close(fd)
            throw StreamError(target: target, operation: .connect, code: code)
        }
        return fd
    }

    private static func listenTCP(_ host: String, _ port: Int, _ target: StreamTarget) throws(StreamError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let a = list else {
            throw StreamError(target: target, operation: .connect, code: EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(list) }
        let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), a.pointee.ai_protocol)
        guard fd >= 0 else { throw StreamError(target: target, operation: .connect, code: errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) < 0 || listen(fd, 1) < 0 {
            let code = errno
            _ = Glibc.close(fd)
            throw StreamError(target: target, operation: .connect, code: code)
        }
        return fd
    }
}
