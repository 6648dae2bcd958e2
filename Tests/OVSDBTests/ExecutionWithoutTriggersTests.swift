import JSON
import XCTest
@testable import OVSDB

/// Without triggers (`ovsdb-tool query` and `transact`), a `wait` that is not satisfied fails
/// at once, as Open vSwitch's `ovsdb_execute()` does when it is given no timeout to report.
final class ExecutionWithoutTriggersTests: XCTestCase {
    private func run(_ ops: JSON, triggers: Bool) -> Execution.Outcome {
        Execution.run(ops.arrayValue![...], on: TestSchema.database(), context: Execution.Context(supportsTriggers: triggers))
    }

    private let waitForARow: JSON = [
        ["op": "select", "table": "Root", "where": [], "columns": ["name"]],
        ["op": "wait", "table": "Root", "where": [], "columns": ["name"], "until": "==", "rows": [["name": "x"]], "timeout": 1000],
        ["op": "comment", "comment": "not reached"],
    ]

    func testUnsatisfiedWaitFailsWithoutTriggers() {
        guard case .completed(let result, nil) = run(waitForARow, triggers: false) else { return XCTFail("blocked") }
        XCTAssertEqual(result, [["rows": []], ["error": "not supported", "details": "triggers not supported"], nil])
    }

    func testUnsatisfiedWaitBlocksWithTriggers() {
        guard case .blocked(let timeout) = run(waitForARow, triggers: true) else { return XCTFail("not blocked") }
        XCTAssertEqual(timeout, 1000)
    }
}
