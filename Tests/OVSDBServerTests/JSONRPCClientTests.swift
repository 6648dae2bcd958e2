import Glibc
import JSON
import JSONRPC
import Streams
import XCTest

/// The blocking client over one end of a socket pair; the test plays the server on the other
/// end, writing its messages before the client reads, so nothing waits on timing.
final class JSONRPCClientTests: XCTestCase {
    var client: JSONRPCClient!
    var peer: Int32 = -1

    override func setUp() {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds), 0)
        client = JSONRPCClient(stream: BlockingStream(fileDescriptor: fds[0], target: .unix(path: "/test")),
                               timeout: .seconds(5))
        peer = fds[1]
    }

    override func tearDown() {
        client.close()
        close(peer)
    }

    func peerSend(_ text: String) {
        XCTAssertEqual(text.withCString { write(peer, $0, strlen($0)) }, text.utf8.count)
    }

    func peerReceive() -> [JSON] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = read(peer, &buffer, buffer.count)
        var splitter = JSONStreamSplitter()
        var bytes = Array(buffer[0..<max(n, 0)])
        var out: [JSON] = []
        while let length = try! bytes.withUnsafeBytes({ try splitter.nextMessageLength($0) }) {
            out.append(try! JSONParser.parse(bytes: Array(bytes[0..<length])))
            bytes.removeSubrange(0..<length)
        }
        return out
    }

    func testCallAnswersEchoesAndKeepsNotificationsInOrder() throws {
        // Split across writes and messages, as a stream may deliver them.
        peerSend(#"{"id":"e1","method":"echo","params":[]}{"id":null,"method":"upd"#)
        peerSend(#"ate","params":[1]} {"id":99,"result":"stray","error":null}"#)
        peerSend(#"{"id":null,"method":"update","params":[2]}{"id":0,"result":{"ok":true},"error":null}"#)
        XCTAssertEqual(try client.call("m", ["x"]), ["ok": true])
        XCTAssertEqual(peerReceive(), [
            ["id": 0, "method": "m", "params": ["x"]],
            ["id": "e1", "result": [], "error": nil],
        ])
        XCTAssertEqual(try client.nextNotification(), .notification(method: "update", params: [1]))
        XCTAssertEqual(try client.nextNotification(), .notification(method: "update", params: [2]))
    }

    func testErrorReplyAndEndOfFile() {
        peerSend(#"{"id":0,"error":{"error":"unknown database"}}"#)
        XCTAssertThrowsError(try client.transact("Nope", [])) { error in
            guard case .errorReply(let e)? = error as? JSONRPCClient.Error else { return XCTFail("\(error)") }
            XCTAssertEqual(e, ["error": "unknown database"])
        }
        XCTAssertEqual(peerReceive(), [["id": 0, "method": "transact", "params": ["Nope"]]])
        shutdown(peer, Int32(SHUT_WR))
        XCTAssertThrowsError(try client.call("x", [])) { error in
            guard case .stream(let e)? = error as? JSONRPCClient.Error else { return XCTFail("\(error)") }
            XCTAssertTrue(e.isEndOfFile)
            XCTAssertEqual(e.description, "unix:/test: receive failed (End of file)")
        }
    }

    func testTimeout() {
        XCTAssertThrowsError(try client.call("x", [], timeout: .milliseconds(50))) { error in
            guard case .stream(let e)? = error as? JSONRPCClient.Error else { return XCTFail("\(error)") }
            XCTAssertTrue(e.isTimeout)
        }
    }
}
