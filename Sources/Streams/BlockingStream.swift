#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connection to an active stream target (`unix:PATH`, `tcp:HOST:PORT`) for programs that
/// do one thing at a time and wait for it, as Open vSwitch's command-line tools do: plain
/// POSIX sockets, no event loop, every wait bounded by an optional deadline (`poll`).
///
/// Not thread-safe; one owner drives it.
public final class BlockingStream {
    public let target: StreamTarget
    private var fd: Int32

    /// Connects to `target`, waiting at most `timeout` (forever if nil).
    public init(connectingTo target: StreamTarget, timeout: Duration? = nil) throws(StreamError) {
        self.target = target
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        switch target {
        case .unix(let path):
            fd = try BlockingStream.connectUnix(path, target)
        case .tcp(let host, let port):
            fd = try BlockingStream.connectTCP(host, port, target, deadline)
        case .punix, .ptcp:
            throw StreamError(target: target, operation: .connect, code: EAFNOSUPPORT)
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    /// Takes over `fileDescriptor`, an already connected stream socket (one end of a
    /// `socketpair` in a test, or an accepted connection), naming it `target` in errors.
    public init(fileDescriptor: Int32, target: StreamTarget) {
        self.target = target
        fd = fileDescriptor
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close() }

    /// True until `close()`.
    public var isOpen: Bool { fd >= 0 }

    /// Closes the connection; later operations fail with `EBADF`.
    public func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// Sends all of `bytes`, waiting for room as needed until `deadline`.
    public func send(_ bytes: [UInt8], deadline: ContinuousClock.Instant? = nil) throws(StreamError) {
        var done = 0
        while done < bytes.count {
            guard fd >= 0 else { throw error(.send, EBADF) }
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                done += n
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                try wait(for: Int16(POLLOUT), .send, deadline)
            } else if n < 0 && errno == EINTR {
                BlockingStream.interrupted()
            } else {
                throw error(.send, n == 0 ? EPIPE : errno)
            }
        }
    }

    /// Receives whatever is available (up to `maximumLength` bytes), waiting until `deadline`
    /// for something to arrive. The peer closing the connection is `StreamError.endOfFile`.
    public func receive(maximumLength: Int = 65536, deadline: ContinuousClock.Instant? = nil) throws(StreamError) -> [UInt8] {
        while true {
            guard fd >= 0 else { throw error(.receive, EBADF) }
            var buffer = [UInt8](repeating: 0, count: maximumLength)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, maximumLength, 0) }
            if n > 0 {
                buffer.removeSubrange(n...)
                return buffer
            } else if n == 0 {
                throw error(.receive, StreamError.endOfFile)
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLIN), .receive, deadline)
            } else if errno == EINTR {
                BlockingStream.interrupted()
            } else {
                throw error(.receive, errno)
            }
        }
    }

    /// Waits until the connection is readable (or closed by the peer), or `deadline` passes;
    /// returns false on timeout.
    public func waitUntilReadable(deadline: ContinuousClock.Instant?) throws(StreamError) -> Bool {
        do {
            try wait(for: Int16(POLLIN), .receive, deadline)
            return true
        } catch let e where e.isTimeout {
            return false
        }
    }

    private func error(_ operation: StreamError.Operation, _ code: Int32) -> StreamError {
        StreamError(target: target, operation: operation, code: code)
    }

    private func wait(for events: Int16, _ operation: StreamError.Operation, _ deadline: ContinuousClock.Instant?) throws(StreamError) {
        try BlockingStream.poll(fd, events, deadline, target, operation)
    }

    /// Polls `fd` for `events`, retrying after signals, until `deadline`.
    static func poll(_ fd: Int32, _ events: Int16, _ deadline: ContinuousClock.Instant?,
                             _ target: StreamTarget, _ operation: StreamError.Operation) throws(StreamError) {
        while true {
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let r = Glibc.poll(&pfd, 1, BlockingStream.milliseconds(until: deadline))
            if r > 0 { return }
            if r == 0 { throw StreamError(target: target, operation: operation, code: ETIMEDOUT) }
            if errno != EINTR { throw StreamError(target: target, operation: operation, code: errno) }
            interrupted()
        }
    }

    /// Called whenever a blocking call is interrupted by a signal, before it is retried, so a
    /// program can act on fatal signals where it waits (Open vSwitch's tools do so in their
    /// poll loop).
    nonisolated(unsafe) public static var interruptionHandler: (() -> Void)?

    static func interrupted() { interruptionHandler?() }

    /// A `poll()` timeout: -1 for no deadline, else the milliseconds left, rounded up.
    static func milliseconds(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let left = ContinuousClock.now.duration(to: deadline)
        if left <= .zero { return 0 }
        let (s, atto) = left.components
        let ms = s * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }
}

// MARK: - Connecting

extension BlockingStream {
    private static func connectUnix(_ path: String, _ target: StreamTarget) throws(StreamError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StreamError(target: target, operation: .connect, code: errno) }
        // sun_path holds 108 bytes; as Open vSwitch does, reach a longer path through its
        // directory's /proc/self/fd entry.
        var name = path
        var dirfd: Int32 = -1
        if path.utf8.count >= 108, let slash = path.lastIndex(of: "/") {
            let dir = String(path[..<slash])
            dirfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dirfd >= 0 { name = "/proc/self/fd/\(dirfd)/\(path[path.index(after: slash)...])" }
        }
        defer { if dirfd >= 0 { _ = Glibc.close(dirfd) } }
        guard name.utf8.count < 108 else {
            _ = Glibc.close(fd)
            throw StreamError(target: target, operation: .connect, code: ENAMETOOLONG)
        }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in name.utf8.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + name.utf8.count + 1)
        var r: Int32
        repeat {
            r = withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
            }
        } while r < 0 && errno == EINTR && { interrupted(); return true }()
        if r < 0 {
            let code = errno
            _ = Glibc.close(fd)
            throw StreamError(target: target, operation: .connect, code: code)
        }
        return fd
    }

    private static func connectTCP(_ host: String, _ port: Int, _ target: StreamTarget,
                                   _ deadline: ContinuousClock.Instant?) throws(StreamError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let gai = getaddrinfo(host, String(port), &hints, &list)
        guard gai == 0, let first = list else {
            throw StreamError(target: target, operation: .connect, code: gai == EAI_SYSTEM ? errno : EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(list) }
        var lastError = ECONNREFUSED
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            ai = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), a.pointee.ai_protocol)
            if fd < 0 {
                lastError = errno
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var r = connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen)
            if r < 0 && errno == EINPROGRESS {
                do {
                    try poll(fd, Int16(POLLOUT), deadline, target, .connect)
                    var soError: Int32 = 0
                    var len = socklen_t(MemoryLayout<Int32>.size)
                    _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                    if soError != 0 {
                        errno = soError
                        r = -1
                    } else {
                        r = 0
                    }
                } catch {
                    _ = Glibc.close(fd)
                    throw error
                }
            }
            if r == 0 { return fd }
            lastError = errno
            _ = Glibc.close(fd)
        }
        throw StreamError(target: target, operation: .connect, code: lastError)
    }
}
