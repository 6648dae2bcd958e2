import JSON
import XCTest
@testable import OVSDB

final class TransactionTests: XCTestCase {
    func testInsertSelectUpdateDelete() throws {
        let db = TestSchema.database()
        let r = db.transact([["op": "insert", "table": "Root", "row": ["name": "r1", "n": 5, "tags": ["set", ["x", "y"]]]]])
        XCTAssertNotNil(r[0]["uuid"])
        let sel = db.transact([["op": "select", "table": "Root", "where": [["name", "==", "r1"]], "columns": ["n", "tags"]]])
        XCTAssertEqual(sel[0], ["rows": [["n": 5, "tags": ["set", ["x", "y"]]]]])
        XCTAssertEqual(db.transact([["op": "update", "table": "Root", "where": [], "row": ["n": 7]]])[0], ["count": 1])
        XCTAssertEqual(db.transact([["op": "select", "table": "Root", "where": [["n", ">", 6]], "columns": ["n"]]])[0], ["rows": [["n": 7]]])
        XCTAssertEqual(db.transact([["op": "delete", "table": "Root", "where": [["name", "==", "r1"]]]])[0], ["count": 1])
        XCTAssertEqual(db.count("Root"), 0)
    }

    func testFailedOperationIsFollowedByNullsAndChangesNothing() {
        let db = TestSchema.database()
        let r = db.transact([
            ["op": "insert", "table": "Root", "row": ["name": "a"]],
            ["op": "insert", "table": "Root", "row": ["n": 101]],
            ["op": "comment", "comment": "never reached"],
        ])
        XCTAssertEqual(r.count, 3)
        XCTAssertEqual(r[1].errorName, "constraint violation")
        XCTAssertEqual(r[1]["details"], "101 is not in the valid range 0 to 100 (inclusive)")
        XCTAssertEqual(r[2], .null)
        XCTAssertEqual(db.count("Root"), 0)
    }

    func testParseErrorsArePrefixedAndCarryTheOperation() {
        let db = TestSchema.database()
        let r = db.transact([["op": "select", "table": "Nope", "where": []]])
        XCTAssertEqual(r[0].errorName, "syntax error")
        XCTAssertEqual(r[0]["details"], "Parsing ovsdb operation 1 of 1 failed: No table named Nope.")
        XCTAssertEqual(r[0]["syntax"], #"{"op":"select","table":"Nope","where":[]}"#)
        let extra = db.transact([["op": "insert", "table": "Root", "row": [:], "bogus": 1]])
        XCTAssertEqual(extra[0]["details"], "Parsing ovsdb operation 1 of 1 failed: Member 'bogus' is present but not allowed here.")
        XCTAssertEqual(db.transact([["table": "Root"]])[0]["details"], "Parsing ovsdb operation 1 of 1 failed: Required 'op' member is missing.")
        XCTAssertEqual(db.transact([["op": "frob"]])[0]["details"], "Parsing ovsdb operation 1 of 1 failed: No operation \"frob\"")
        XCTAssertEqual(db.transact([["op": "insert", "table": "Root", "row": ["nope": 1]]])[0].errorName, "unknown column")
    }

    func testImmutableColumnsCannotBeUpdated() {
        let db = TestSchema.database()
        db.transact([["op": "insert", "table": "Root", "row": ["name": "a", "fixed": "f"]]])
        let r = db.transact([["op": "update", "table": "Root", "where": [], "row": ["fixed": "g"]]])
        XCTAssertEqual(r[0]["details"], "Cannot update immutable column fixed in table Root.")
    }

    func testUnreferencedNonRootRowsAreCollected() {
        let db = TestSchema.database()
        db.transact([["op": "insert", "table": "Child", "row": ["name": "orphan"]]])
        XCTAssertEqual(db.count("Child"), 0)
        db.transact([
            ["op": "insert", "table": "Root", "row": ["name": "r", "children": ["named-uuid", "c"]]],
            ["op": "insert", "table": "Child", "uuid-name": "c", "row": ["name": "kid", "grandchild": ["named-uuid", "l"]]],
            ["op": "insert", "table": "Leaf", "uuid-name": "l", "row": ["x": 1]],
        ])
        XCTAssertEqual(db.count("Child"), 1)
        XCTAssertEqual(db.count("Leaf"), 1)
        // Dropping the only reference collects the child and, in cascade, its leaf.
        db.transact([["op": "update", "table": "Root", "where": [], "row": ["children": ["set", []]]]])
        XCTAssertEqual(db.count("Child"), 0)
        XCTAssertEqual(db.count("Leaf"), 0)
    }

    func testForwardNamedUUIDReferencesResolve() {
        let db = TestSchema.database()
        let r = db.transact([
            ["op": "insert", "table": "Root", "uuid-name": "r", "row": ["name": "r"]],
            ["op": "mutate", "table": "Root", "where": [["_uuid", "==", ["named-uuid", "r"]]],
             "mutations": [["children", "insert", ["set", [["named-uuid", "later"]]]]]],
            ["op": "insert", "table": "Child", "uuid-name": "later", "row": ["name": "k"]],
        ])
        XCTAssertEqual(r[1], ["count": 1])
        XCTAssertEqual(r.count, 3)
        XCTAssertEqual(db.count("Child"), 1)
    }

    func testStrongReferencesMustExistAndBlockDeletion() {
        let db = TestSchema.database()
        let dangling = db.transact([["op": "insert", "table": "Root", "row": ["name": "r", "children": ["uuid", "2d3b0b4c-4d73-4a0f-8c5f-8a3f6c3b1a11"]]]])
        XCTAssertEqual(dangling.count, 2, "the commit error follows the operation results")
        XCTAssertEqual(dangling[1].errorName, "referential integrity violation")
        XCTAssertTrue(dangling[1]["details"]!.stringValue!.contains("references nonexistent row 2d3b0b4c-4d73-4a0f-8c5f-8a3f6c3b1a11 in table Child."))

        db.transact([
            ["op": "insert", "table": "Root", "row": ["name": "r", "children": ["named-uuid", "c"]]],
            ["op": "insert", "table": "Child", "uuid-name": "c", "row": ["name": "k"]],
        ])
        let del = db.transact([["op": "delete", "table": "Child", "where": []]])
        XCTAssertEqual(del[1].errorName, "referential integrity violation")
        XCTAssertTrue(del[1]["details"]!.stringValue!.hasPrefix("cannot delete Child row "))
        XCTAssertEqual(db.count("Child"), 1)
    }

    func testWeakReferencesToDeletedRowsDisappear() {
        let db = TestSchema.database()
        db.transact([
            ["op": "insert", "table": "Root", "row": ["name": "owner", "children": ["named-uuid", "c"]]],
            ["op": "insert", "table": "Root", "row": ["name": "watcher", "watch": ["named-uuid", "c"]]],
            ["op": "insert", "table": "Child", "uuid-name": "c", "row": ["name": "k"]],
        ])
        let before = db.transact([["op": "select", "table": "Root", "where": [["name", "==", "watcher"]], "columns": ["watch"]]])
        XCTAssertNotEqual(before[0]["rows"]?.arrayValue?.first?["watch"], ["set", []])
        db.transact([["op": "update", "table": "Root", "where": [["name", "==", "owner"]], "row": ["children": ["set", []]]]])
        let after = db.transact([["op": "select", "table": "Root", "where": [["name", "==", "watcher"]], "columns": ["watch"]]])
        XCTAssertEqual(after[0], ["rows": [["watch": ["set", []]]]])
    }

    func testIndexUniqueness() {
        let db = TestSchema.database()
        db.transact([["op": "insert", "table": "Root", "row": ["name": "dup"]]])
        let r = db.transact([["op": "insert", "table": "Root", "row": ["name": "dup"]]])
        XCTAssertEqual(r[1].errorName, "constraint violation")
        XCTAssertTrue(r[1]["details"]!.stringValue!.hasPrefix("Transaction causes multiple rows in \"Root\" table to have identical values (dup) for index on column \"name\".  First row, with UUID "))
        // Swapping names inside one transaction is fine.
        db.transact([["op": "insert", "table": "Root", "row": ["name": "other"]]])
        let swap = db.transact([
            ["op": "update", "table": "Root", "where": [["name", "==", "dup"]], "row": ["name": "tmp"]],
            ["op": "update", "table": "Root", "where": [["name", "==", "other"]], "row": ["name": "dup"]],
            ["op": "update", "table": "Root", "where": [["name", "==", "tmp"]], "row": ["name": "other"]],
        ])
        XCTAssertEqual(swap.count, 3)
        XCTAssertEqual(db.count("Root"), 2)
    }

    func testMaxRows() {
        let db = TestSchema.database()
        let r = db.transact([["op": "insert", "table": "Single", "row": [:]], ["op": "insert", "table": "Single", "row": [:]]])
        XCTAssertEqual(r[2].errorName, "constraint violation")
        XCTAssertEqual(db.count("Single"), 0)
    }

    func testMutations() {
        let db = TestSchema.database()
        db.transact([["op": "insert", "table": "Root", "row": ["name": "m", "n": 10, "opts": ["map", [["a", "1"], ["b", "2"]]]]]])
        XCTAssertEqual(db.transact([["op": "mutate", "table": "Root", "where": [], "mutations": [["n", "+=", 5], ["n", "*=", 2]]]])[0], ["count": 1])
        XCTAssertEqual(db.transact([["op": "select", "table": "Root", "where": [], "columns": ["n"]]])[0], ["rows": [["n": 30]]])
        XCTAssertEqual(db.transact([["op": "mutate", "table": "Root", "where": [], "mutations": [["n", "/=", 0]]]])[0].errorName, "domain error")
        XCTAssertEqual(db.transact([["op": "mutate", "table": "Root", "where": [], "mutations": [["n", "+=", 100]]]])[0].errorName, "constraint violation")
        db.transact([["op": "mutate", "table": "Root", "where": [], "mutations": [
            ["opts", "delete", ["set", ["a"]]], ["opts", "insert", ["map", [["b", "ignored"], ["c", "3"]]]], ["tags", "insert", "t"],
        ]]])
        XCTAssertEqual(db.transact([["op": "select", "table": "Root", "where": [], "columns": ["opts", "tags"]]])[0],
                       ["rows": [["opts": ["map", [["b", "2"], ["c", "3"]]], "tags": "t"]]])
        XCTAssertEqual(db.transact([["op": "mutate", "table": "Root", "where": [], "mutations": [["fixed", "insert", "x"]]]])[0].errorName, "constraint violation")
    }

    func testConditionFunctions() {
        let db = TestSchema.database()
        db.transact([
            ["op": "insert", "table": "Root", "row": ["name": "a", "n": 1, "tags": ["set", ["x", "y"]], "opts": ["map", [["k", "v"]]]]],
            ["op": "insert", "table": "Root", "row": ["name": "b", "n": 2, "tags": "z"]],
        ])
        func names(_ w: JSON) -> [String] {
            let r = db.transact([["op": "select", "table": "Root", "where": w, "columns": ["name"]]])
            return (r[0]["rows"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.sorted()
        }
        XCTAssertEqual(names([["n", "<=", 1]]), ["a"])
        XCTAssertEqual(names([["n", "!=", 1]]), ["b"])
        XCTAssertEqual(names([["tags", "includes", "x"]]), ["a"])
        XCTAssertEqual(names([["tags", "excludes", "x"]]), ["b"])
        XCTAssertEqual(names([["opts", "includes", ["map", [["k", "v"]]]]]), ["a"])
        XCTAssertEqual(names([["opts", "includes", ["map", [["k", "other"]]]]]), [])
        XCTAssertEqual(names([true]), ["a", "b"])
        XCTAssertEqual(names([false]), [])
    }

    func testWaitAbortAssert() {
        let db = TestSchema.database()
        XCTAssertEqual(db.transact([["op": "wait", "table": "Root", "where": [], "columns": ["name"], "until": "==", "rows": [], "timeout": 0]])[0], [:])
        let timedOut = db.transact([["op": "wait", "table": "Root", "where": [], "columns": ["name"], "until": "!=", "rows": [], "timeout": 0]])
        XCTAssertEqual(timedOut[0].errorName, "timed out")
        XCTAssertEqual(db.transact([["op": "abort"]])[0], ["details": "aborted by request", "error": "aborted"])
        XCTAssertEqual(db.transact([["op": "assert", "lock": "l"]])[0]["details"], "Asserted lock l not held.")
        guard case .blocked(let t) = Execution.run([["op": "wait", "table": "Root", "where": [], "columns": ["name"], "until": "!=", "rows": [], "timeout": 500]], on: db) else {
            return XCTFail("a wait with time left must block")
        }
        XCTAssertEqual(t, 500)
    }
}
