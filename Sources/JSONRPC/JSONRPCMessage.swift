import JSON

/// A JSON-RPC 1.0 message as OVSDB uses it (RFC 7047 §4): requests and notifications carry a
/// method and params, replies carry a result or an error for the request with the same id.
public enum JSONRPCMessage: Equatable, Sendable {
    case request(method: String, params: JSON, id: JSON)
    case notification(method: String, params: JSON)
    case reply(result: JSON, id: JSON)
    case error(error: JSON, id: JSON)

    /// Why a JSON value is not a JSON-RPC message.
    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Classifies a parsed JSON value, as Open vSwitch's `jsonrpc_msg_from_json` does.
    public init(json: JSON) throws {
        guard let o = json.objectValue else { throw FormatError(description: "message is not a JSON object") }
        for (key, _) in o {
            switch key {
            case "method", "params", "result", "error", "id": continue
            default: throw FormatError(description: "message has unexpected member \"\(key)\"")
            }
        }
        let id = o["id"] ?? .null
        if let m = o["method"] {
            guard let method = m.stringValue else { throw FormatError(description: "method is not a JSON string") }
            let params = o["params"] ?? .null
            guard params.arrayValue != nil else { throw FormatError(description: "\"params\" must be JSON array") }
            self = id.isNull ? .notification(method: method, params: params) : .request(method: method, params: params, id: id)
        } else if let e = o["error"], !e.isNull {
            self = .error(error: e, id: id)
        } else if let r = o["result"] {
            self = .reply(result: r, id: id)
        } else {
            throw FormatError(description: "message is not a request, notification, or reply")
        }
    }

    /// The wire form, members in Open vSwitch's order.
    public var json: JSON {
        switch self {
        case .request(let method, let params, let id):
            return .object(JSONObject(uniqueKeysWithValues: [("id", id), ("method", .string(method)), ("params", params)]))
        case .notification(let method, let params):
            return .object(JSONObject(uniqueKeysWithValues: [("id", .null), ("method", .string(method)), ("params", params)]))
        case .reply(let result, let id):
            return .object(JSONObject(uniqueKeysWithValues: [("id", id), ("result", result), ("error", .null)]))
        case .error(let error, let id):
            // Open vSwitch sends error replies without a "result" member.
            return .object(JSONObject(uniqueKeysWithValues: [("id", id), ("error", error)]))
        }
    }

    /// `json` serialized, written straight to bytes without building the envelope.
    public var bytes: [UInt8] {
        var s = JSONSerializer()
        switch self {
        case .request(let method, let params, let id):
            s.writeRaw(#"{"id":"#)
            s.write(id)
            s.writeRaw(#","method":"#)
            s.writeString(method)
            s.writeRaw(#","params":"#)
            s.write(params)
        case .notification(let method, let params):
            s.writeRaw(#"{"id":null,"method":"#)
            s.writeString(method)
            s.writeRaw(#","params":"#)
            s.write(params)
        case .reply(let result, let id):
            s.writeRaw(#"{"id":"#)
            s.write(id)
            s.writeRaw(#","result":"#)
            s.write(result)
            s.writeRaw(#","error":null"#)
        case .error(let error, let id):
            s.writeRaw(#"{"id":"#)
            s.write(id)
            s.writeRaw(#","error":"#)
            s.write(error)
        }
        s.writeRaw("}")
        return s.bytes
    }

    /// The id of a request or reply.
    public var id: JSON? {
        switch self {
        case .request(_, _, let id), .reply(_, let id), .error(_, let id): return id
        case .notification: return nil
        }
    }
}
