import JSON
import XCTest
@testable import OVSDB
#if canImport(Glibc)
import Glibc
#endif

final class FileStorageTests: XCTestCase {
    var dir = ""

    override func setUp() {
        var template = Array("/tmp/ovsdb-storage-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&template)!)
    }

    override func tearDown() {
        for f in ["db", ".db.~lock~", "db.tmp"] { unlink("\(dir)/\(f)") }
        rmdir(dir)
    }

    private func insert(_ storage: FileStorage, _ name: String) {
        storage.database.transact([["op": "insert", "table": "Root", "row": ["name": .string(name), "status": ["map", [["e", "x"]]]]]])
    }

    func testCommitsSurviveReopenAndEphemeralColumnsAreNotWritten() throws {
        try FileStorage.create(path: "\(dir)/db", schema: TestSchema.schema)
        do {
            let s = try FileStorage(path: "\(dir)/db")
            s.attach()
            insert(s, "a")
            insert(s, "b")
            s.database.transact([["op": "update", "table": "Root", "where": [["name", "==", "a"]], "row": ["tags": ["set", ["t1", "t2"]]]]])
        }
        let s = try FileStorage(path: "\(dir)/db")
        XCTAssertNil(s.recoveredFrom)
        XCTAssertEqual(s.database.count("Root"), 2)
        let rows = s.database.transact([["op": "select", "table": "Root", "where": [["name", "==", "a"]], "columns": ["tags", "status"]]])
        XCTAssertEqual(rows[0], ["rows": [["tags": ["set", ["t1", "t2"]], "status": ["map", []]]]])
    }

    func testTornTailIsDroppedAndEarlierCommitsKept() throws {
        try FileStorage.create(path: "\(dir)/db", schema: TestSchema.schema)
        var sizeAfterFirst = 0
        do {
            let s = try FileStorage(path: "\(dir)/db")
            s.attach()
            insert(s, "kept")
            sizeAfterFirst = s.log.size
            insert(s, "torn")
        }
        truncate("\(dir)/db", off_t(sizeAfterFirst + 30))
        let s = try FileStorage(path: "\(dir)/db")
        XCTAssertNotNil(s.recoveredFrom)
        XCTAssertEqual(s.database.count("Root"), 1)
        s.attach()
        insert(s, "after")
        let again = try FileStorage(path: "\(dir)/db", lock: false)
        withExtendedLifetime(s) {}
        XCTAssertNil(again.recoveredFrom, "the torn bytes were cut off before the next append")
        XCTAssertEqual(again.database.count("Root"), 2)
    }

    func testCorruptRecordIsDetectedBySHA1() throws {
        try FileStorage.create(path: "\(dir)/db", schema: TestSchema.schema)
        do {
            let s = try FileStorage(path: "\(dir)/db")
            s.attach()
            insert(s, "first")
            insert(s, "second")
        }
        // Flip one byte inside the last record's JSON ("second" -> "secand").
        let fd = open("\(dir)/db", O_RDWR)
        var st = stat()
        fstat(fd, &st)
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        _ = read(fd, &bytes, bytes.count)
        let needle = Array("second".utf8)
        let at = (0...(bytes.count - needle.count)).last { Array(bytes[$0..<($0 + needle.count)]) == needle }!
        var o = UInt8(ascii: "a")
        _ = pwrite(fd, &o, 1, off_t(at + 3))
        close(fd)
        let s = try FileStorage(path: "\(dir)/db")
        XCTAssertTrue(s.recoveredFrom?.contains("SHA-1") ?? false)
        XCTAssertEqual(s.database.count("Root"), 1)
    }

    func testCompactionKeepsContentsAndShrinksTheLog() throws {
        try FileStorage.create(path: "\(dir)/db", schema: TestSchema.schema)
        let s = try FileStorage(path: "\(dir)/db")
        s.attach()
        for i in 0..<50 { insert(s, "r\(i)") }
        s.database.transact([["op": "delete", "table": "Root", "where": [["name", "!=", "r0"]]]])
        let before = s.log.size
        try s.compact()
        XCTAssertLessThan(s.log.size, before)
        insert(s, "after")
        let reopened = try FileStorage(path: "\(dir)/db", lock: false)
        XCTAssertEqual(reopened.database.count("Root"), 2)
        XCTAssertEqual(try LogFile(path: "\(dir)/db", lock: false).readAll().count, 3)
    }

    func testSecondWriterIsLockedOut() throws {
        try FileStorage.create(path: "\(dir)/db", schema: TestSchema.schema)
        let s = try FileStorage(path: "\(dir)/db")
        XCTAssertThrowsError(try FileStorage(path: "\(dir)/db"))
        withExtendedLifetime(s) {}
    }
}
