import JSON
import JSONRPC
import NIOCore
import XCTest

final class JSONRPCDecoderTests: XCTestCase {
    private func decodeAll(_ chunks: [String], maximum: Int = 1 << 20) throws -> [JSONRPCMessage] {
        var decoder = JSONRPCDecoder(maximumMessageLength: maximum)
        var buffer = ByteBuffer()
        var out: [JSONRPCMessage] = []
        for c in chunks {
            buffer.writeString(c)
            while let m = try decoder.nextMessage(&buffer) { out.append(m) }
        }
        return out
    }

    func testMessagesSplitAcrossChunksAndPackedTogether() throws {
        let text = #"{"id":1,"method":"echo","params":["a}\"{"]} {"id":2,"result":{},"error":null}{"id":null,"method":"update","params":[]}"#
        let bytes = Array(text.utf8)
        for split in 1..<bytes.count {
            let chunks = [String(decoding: bytes[..<split], as: UTF8.self), String(decoding: bytes[split...], as: UTF8.self)]
            let messages = try decodeAll(chunks)
            XCTAssertEqual(messages.count, 3, "split at \(split)")
        }
        let messages = try decodeAll([text])
        XCTAssertEqual(messages[0], .request(method: "echo", params: ["a}\"{"], id: 1))
        XCTAssertEqual(messages[1], .reply(result: [:], id: 2))
        XCTAssertEqual(messages[2], .notification(method: "update", params: []))
    }

    func testMalformedInputIsAnError() {
        for bad in [#"{"id":1,"method":"echo","params":[}"#, "42", #""str""#, #"{"id":1,"bogus":2}"#, #"{"method":"x","params":{}}"#] {
            XCTAssertThrowsError(try decodeAll([bad]), bad)
        }
    }

    func testOversizedMessageIsCutOff() {
        let big = #"{"id":1,"method":"echo","params":[""# + String(repeating: "x", count: 5000)
        XCTAssertThrowsError(try decodeAll([big], maximum: 4096))
    }
}
