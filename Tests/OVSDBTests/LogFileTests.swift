import JSON
import XCTest
@testable import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// Reading damaged and foreign files fails with the errors Open vSwitch 3.1 gives for them.
final class LogFileTests: XCTestCase {
    var dir = ""
    var path: String { "\(dir)/db" }

    override func setUp() {
        var template = Array("/tmp/ovsdb-logfile-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&template)!)
    }

    override func tearDown() {
        for f in ["db", ".db.~lock~", "db.tmp", "schema"] { unlink("\(dir)/\(f)") }
        rmdir(dir)
    }

    private func write(_ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    private func contents() -> [UInt8] {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { return out }
            out += buf[0..<n]
        }
    }

    /// A file with the schema and two records; returns the offset of the last record.
    private func makeFile() throws -> Int {
        try FileStorage.create(path: path, schema: TestSchema.schema)
        let s = try FileStorage(path: path)
        s.attach()
        s.database.transact([["op": "insert", "table": "Root", "row": ["name": "first"]]])
        let last = s.log.size
        s.database.transact([["op": "insert", "table": "Root", "row": ["name": "second"]]])
        return last
    }

    private func openError(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? OVSDBError)?.text
        }
    }

    func testTruncatedRecord() throws {
        let last = try makeFile()
        var bytes = contents()
        let header = bytes[last...].firstIndex(of: 0x0A)! + 1
        let length = Int(String(decoding: bytes[last..<header], as: UTF8.self).split(separator: " ")[2])!
        bytes.removeLast(10)
        write(bytes)
        let log = try LogFile(path: path, lock: false, readOnly: true)
        XCTAssertEqual(try log.readAll().count, 2)
        XCTAssertEqual(log.tailError, "I/O error: \(path): error reading \(length) bytes starting at offset \(header) (End of file)")
        XCTAssertEqual(log.goodOffset, last)
    }

    func testTruncatedHeaderQuotesItUpToTheMagic() throws {
        let last = try makeFile()
        write(Array(contents()[..<(last + 15)]))
        let log = try LogFile(path: path, lock: false, readOnly: true)
        _ = try log.readAll()
        XCTAssertEqual(log.tailError, "syntax error: \(path): parse error at offset \(last) in header line \"OVSDB JSON\"")
    }

    func testCorruptByteFailsTheHash() throws {
        _ = try makeFile()
        var bytes = contents()
        bytes[bytes.count - 5] ^= 0x01
        write(bytes)
        let log = try LogFile(path: path, lock: false, readOnly: true)
        XCTAssertEqual(try log.readAll().count, 2)
        let message = try XCTUnwrap(log.tailError)
        XCTAssertTrue(message.hasPrefix("syntax error: \(path): "), message)
        XCTAssertTrue(message.contains(" have SHA-1 hash "), message)
        XCTAssertTrue(message.contains(" but should have hash "), message)
    }

    func testRecordThatIsNotAnObject() throws {
        let body = Array("[1]\n".utf8)
        let sha = body.withUnsafeBytes { LogFile.sha1Hex($0) }
        write(Array("OVSDB JSON 4 \(sha)\n".utf8) + body)
        let log = try LogFile(path: path, lock: false, readOnly: true)
        XCTAssertEqual(try log.readAll().count, 0)
        XCTAssertEqual(log.tailError, "syntax error: \(path): 4 bytes starting at offset 54 are not a JSON object")
    }

    func testFileTypeIsCheckedOnOpening() {
        write([])
        XCTAssertEqual(openError { _ = try LogFile(path: path, lock: false) }, "ovsdb error: \(path): cannot identify file type")
        write(Array("hello\n".utf8))
        XCTAssertEqual(openError { _ = try LogFile(path: path, lock: false) }, "ovsdb error: \(path): unexpected file format")
        write(Array("OVSDB CLUSTER 3 \(String(repeating: "0", count: 40))\n{}\n".utf8))
        XCTAssertEqual(openError { _ = try LogFile(path: path, lock: false) },
                       "ovsdb error: \(path): cannot apply this operation to clustered database file")
        unlink(path)
        XCTAssertEqual(openError { _ = try LogFile(path: path, lock: false) },
                       "I/O error: \(path): open failed (No such file or directory)")
    }

    func testCreatingAnExistingFileFails() throws {
        _ = try makeFile()
        XCTAssertEqual(openError { try FileStorage.create(path: path, schema: TestSchema.schema) },
                       "I/O error: \(path): create failed (File exists)")
    }

    func testReadOnlyLogRefusesAppendsAndStaysUnchanged() throws {
        _ = try makeFile()
        let before = contents()
        let s = try FileStorage(path: path, lock: false, readOnly: true)
        s.attach()
        let r = s.database.transact([["op": "insert", "table": "Root", "row": ["name": "third"]]])
        XCTAssertEqual(r.last?["error"], "I/O error")
        XCTAssertEqual(r.last?["details"], .string("\(path): cannot truncate to length \(before.count)"))
        XCTAssertEqual(r.last?["io-error"], "Invalid argument")
        XCTAssertEqual(contents(), before)
    }

    func testSymlinksAreFollowed() throws {
        _ = try makeFile()
        symlink("db", "\(dir)/link")
        defer { unlink("\(dir)/link") }
        XCTAssertEqual(LogFile.followingSymlinks("\(dir)/link"), "\(dir)/db")
        XCTAssertEqual(LogFile.followingSymlinks(path), path)
    }
}
