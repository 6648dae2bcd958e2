import JSON
import NIOCore

/// Decodes a byte stream into JSON-RPC messages. Malformed input is an error that the
/// pipeline reports and the connection's owner answers by closing that connection alone.
public struct JSONRPCDecoder: ByteToMessageDecoder {
    public typealias InboundOut = JSONRPCMessage

    private var splitter: JSONStreamSplitter

    public init(maximumMessageLength: Int = 128 << 20) {
        splitter = JSONStreamSplitter(maximumLength: maximumMessageLength)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try nextMessage(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// Takes the next whole message off the front of `buffer`, if there is one.
    public mutating func nextMessage(_ buffer: inout ByteBuffer) throws -> JSONRPCMessage? {
        let length = try buffer.withUnsafeReadableBytes { bytes in try splitter.nextMessageLength(bytes) }
        guard let length else { return nil }
        let json = try buffer.withUnsafeReadableBytes { bytes in
            try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        }
        buffer.moveReaderIndex(forwardBy: length)
        return try JSONRPCMessage(json: json)
    }
}

/// Encodes JSON-RPC messages as compact JSON.
public struct JSONRPCEncoder: MessageToByteEncoder {
    public typealias OutboundIn = JSONRPCMessage

    public init() {}

    public func encode(data: JSONRPCMessage, out: inout ByteBuffer) throws {
        out.writeBytes(data.bytes)
    }
}
