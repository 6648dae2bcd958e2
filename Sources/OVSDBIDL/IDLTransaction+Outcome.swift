import JSON
import OVSDB

extension IDLTransaction {
    /// How a commit ended (`enum ovsdb_idl_txn_status`).
    public enum Outcome: Sendable, Equatable {
        /// Nothing to change, so nothing was sent.
        case unchanged
        case success(Committed)
        /// A precondition failed or the server could not take it now: rerun on a newer replica.
        case tryAgain
        /// The transaction needs a lock this client does not hold.
        case notLocked
        /// The server refused it: the error as Open vSwitch prints it (sorted JSON), and the
        /// warnings Open vSwitch's IDL logs about the reply (`transaction error: ...`).
        case error(String, warnings: [String])
    }

    /// What a successful commit reports.
    public struct Committed: Sendable, Equatable {
        /// Stand-in uuid of each inserted row → the uuid the server gave it.
        public var insertedRows: [UUID: UUID] = [:]
        /// The incremented column's new value.
        public var incrementedValue: Int64?

        public init(insertedRows: [UUID: UUID] = [:], incrementedValue: Int64? = nil) {
            self.insertedRows = insertedRows
            self.incrementedValue = incrementedValue
        }
    }

    /// The server's answer to a `transact`.
    public enum Reply: Sendable {
        case result(JSON)
        case error(JSON)
    }

    /// Interprets the server's answer to `operations()` (`ovsdb_idl_txn_process_reply`).
    public func outcome(reply: Reply, layout: Layout) -> Outcome {
        let results: [JSON]
        switch reply {
        case .error(let error):
            if error.stringValue == "canceled" { return .tryAgain }
            return .error(IDLTransaction.errorText(error), warnings: [])
        case .result(let result):
            guard let a = result.arrayValue else {
                return .error(IDLTransaction.errorText(result), warnings: ["reply to \"transact\" is not JSON array"])
            }
            results = a
        }
        var hardError: String?
        var warnings: [String] = []
        var softErrors = 0, lockErrors = 0
        for op in results {
            if op.isNull { softErrors += 1; continue }
            guard let o = op.objectValue else {
                hardError = hardError ?? IDLTransaction.errorText(op)
                warnings.append("operation reply is not JSON null or object")
                continue
            }
            guard let error = o["error"] else { continue }
            switch error.stringValue {
            case "timed out"?, "unknown database"?: softErrors += 1
            case "not owner"?: lockErrors += 1
            case "aborted"?: break
            case "not allowed"?: hardError = hardError ?? IDLTransaction.errorText(op)
            case nil:
                hardError = hardError ?? IDLTransaction.errorText(op)
                warnings.append("\"error\" in reply is not JSON string")
            default:
                hardError = hardError ?? IDLTransaction.errorText(op)
                warnings.append("transaction error: \(hardError!)")
            }
        }
        if let hardError { return .error(hardError, warnings: warnings) }
        if lockErrors > 0 { return .notLocked }
        if softErrors > 0 { return .tryAgain }

        var committed = Committed()
        for (standIn, index) in layout.inserts {
            guard index < results.count, let u = results[index]["uuid"]?.arrayValue, u.count == 2,
                  let s = u[1].stringValue, let real = UUID(s) else {
                return .error("insert operation reply lacks a valid \"uuid\"", warnings: [])
            }
            committed.insertedRows[standIn] = real
        }
        if let index = layout.increment, let increment {
            guard index + 1 < results.count,
                  let rows = results[index + 1]["rows"]?.arrayValue, rows.count == 1,
                  let v = rows[0][increment.column]?.integerValue else {
                return .error("\"select\" reply for the increment is not one row holding an integer", warnings: [])
            }
            committed.incrementedValue = v
        }
        return .success(committed)
    }

    /// `json_to_string(json, JSSF_SORT)`.
    static func errorText(_ json: JSON) -> String {
        JSONSerializer.string(json, options: .sortedKeys)
    }
}
