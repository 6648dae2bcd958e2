/// An Open vSwitch connection method: active (`unix:PATH`, `tcp:HOST:PORT`) or passive
/// (`punix:PATH`, `ptcp:PORT[:HOST]`), as written in `--remote`, `--db` and the database.
public enum StreamTarget: Equatable, Hashable, Sendable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)
    case punix(path: String)
    case ptcp(port: Int, host: String)

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws {
        guard let colon = text.firstIndex(of: ":") else {
            throw ParseError(description: "\(text): unknown stream type")
        }
        let kind = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        switch kind {
        case "unix", "punix":
            guard !rest.isEmpty else { throw ParseError(description: "\(text): missing path") }
            self = kind == "unix" ? .unix(path: rest) : .punix(path: rest)
        case "tcp":
            let (host, port) = try StreamTarget.hostAndPort(rest, text)
            guard let host, let port else { throw ParseError(description: "\(text): bad peer name format") }
            self = .tcp(host: host, port: port)
        case "ptcp":
            // ptcp:PORT[:HOST]
            let parts = StreamTarget.splitPortFirst(rest)
            guard let port = parts.port.isEmpty ? 0 : Int(parts.port), (0...65535).contains(port) else {
                throw ParseError(description: "\(text): bad port number \"\(parts.port)\"")
            }
            self = .ptcp(port: port, host: parts.host ?? "0.0.0.0")
        default:
            throw ParseError(description: "\(text): unknown stream type \"\(kind)\"")
        }
    }

    /// Splits `HOST:PORT`, where HOST may be `[v6]`.
    private static func hostAndPort(_ s: String, _ whole: String) throws -> (String?, Int?) {
        var host: String
        var portText: String
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { throw ParseError(description: "\(whole): bad IPv6 address") }
            host = String(s[s.index(after: s.startIndex)..<close])
            let after = s[s.index(after: close)...]
            portText = after.hasPrefix(":") ? String(after.dropFirst()) : ""
        } else if let c = s.lastIndex(of: ":") {
            host = String(s[..<c])
            portText = String(s[s.index(after: c)...])
        } else {
            host = s
            portText = "6640"
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw ParseError(description: "\(whole): bad port number \"\(portText)\"")
        }
        if host.isEmpty { host = "127.0.0.1" }
        return (host, port)
    }

    private static func splitPortFirst(_ s: String) -> (port: String, host: String?) {
        guard let c = s.firstIndex(of: ":") else { return (s, nil) }
        var host = String(s[s.index(after: c)...])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (String(s[..<c]), host)
    }

    public var isPassive: Bool {
        switch self {
        case .punix, .ptcp: return true
        case .unix, .tcp: return false
        }
    }

    /// Whether idle connections of this kind need echo probes (not unix sockets, as in OVS).
    public var needsProbes: Bool {
        switch self {
        case .tcp, .ptcp: return true
        case .unix, .punix: return false
        }
    }

    public var description: String {
        switch self {
        case .unix(let p): return "unix:\(p)"
        case .punix(let p): return "punix:\(p)"
        case .tcp(let h, let p): return h.contains(":") ? "tcp:[\(h)]:\(p)" : "tcp:\(h):\(p)"
        case .ptcp(let p, let h): return h == "0.0.0.0" ? "ptcp:\(p)" : (h.contains(":") ? "ptcp:\(p):[\(h)]" : "ptcp:\(p):\(h)")
        }
    }
}
