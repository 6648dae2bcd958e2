import Daemon
import JSON
import OVSDB
import OVSDBIDL
import Streams
#if canImport(Glibc)
import Glibc
#endif

/// ovs-vsctl: reads the database, runs every command of the command line against it as one
/// transaction, commits it (again, on a newer replica, if someone else changed what the
/// commands read), prints what the commands printed, and unless `--no-wait` waits until
/// ovs-vswitchd has applied the change (`cur_cfg` reaches the `next_cfg` it bumped).
public enum Vsctl {
    public static func main(_ args: [String]) -> Never {
        Console.programName = "ovs-vsctl"
        FatalSignal.install()
        BlockingStream.interruptionHandler = FatalSignal.run
        do {
            try run(args)
            Console.flush()
            exit(0)
        } catch VsctlError.exit(let status) {
            Console.flush()
            exit(status)
        } catch {
            Console.fatal("\(error)")
        }
    }

    static func run(_ args: [String]) throws {
        let options = try VsctlOptions.parse(args)
        let commands = try ParsedCommand.parseAll(options.arguments, firstOptions: options.firstCommandOptions)
        let invocation = CommandText.escape(CommandLine.arguments)
        let writes = commands.contains { $0.syntax.mode == .readWrite }
        VsctlLog.log("vsctl", writes ? .info : .dbg, "Called as \(invocation)")
        if options.timeout > 0 { FatalSignal.setTimeout(options.timeout) }

        var selection = IDLSelection()
        selection.addTable("Open_vSwitch")
        if options.waitForReload { selection.addColumn("cur_cfg", of: "Open_vSwitch") }
        for command in commands {
            guard let pre = command.syntax.prerequisites else { continue }
            var p = Prerequisites(schema: VSwitchSchema.schema, selection: selection, command: command)
            try pre(&p)
            selection = p.selection
        }

        let database = options.database ?? VsctlOptions.defaultDatabase
        let session = try connect(database, selection: selection, retry: options.retry)
        let comment = "ovs-vsctl (invoked by \(parentProcess())): \(invocation)"
        var seqno = session.replica.seqno
        while true {
            if try attempt(session, commands, options, comment: comment) { return }
            if session.replica.seqno == seqno {
                do {
                    while session.replica.seqno == seqno { try session.waitForUpdate() }
                } catch {
                    throw VsctlError.fatal("\(database): database connection failed (\(reason(error)))")
                }
            }
            seqno = session.replica.seqno
        }
    }

    /// Connects and replicates, retrying forever with `--retry`.
    private static func connect(_ database: String, selection: IDLSelection, retry: Bool) throws -> IDLSession {
        let target: StreamTarget
        do {
            target = try StreamTarget(database)
        } catch {
            // Open vSwitch knows no stream class for the name.
            throw VsctlError.fatal("\(database): database connection failed (\(String(cString: strerror(EAFNOSUPPORT))))")
        }
        var backoff: UInt32 = 1
        while true {
            do {
                return try IDLSession(remote: target, database: "Open_vSwitch", knownSchema: VSwitchSchema.schema) { _ in selection }
            } catch {
                guard retry else { throw VsctlError.fatal("\(database): database connection failed (\(reason(error)))") }
                sleep(backoff)
                FatalSignal.run()
                backoff = min(backoff * 2, 8)
            }
        }
    }

    private static func reason(_ error: Error) -> String {
        if case IDLError.connection(let r)? = error as? IDLError { return r }
        return "\(error)"
    }

    /// One run of all commands and a commit (`do_vsctl`); false means "try again".
    private static func attempt(_ session: IDLSession, _ commands: [ParsedCommand], _ options: VsctlOptions,
                                comment: String) throws -> Bool {
        var transaction = IDLTransaction(base: session.replica)
        transaction.dryRun = options.dryRun
        transaction.comment = comment
        let ovs = session.replica.rows("Open_vSwitch").keys.min() ?? transaction.insert("Open_vSwitch")
        if options.waitForReload { transaction.increment("Open_vSwitch", ovs, "next_cfg") }

        let ctx = Context(schema: VSwitchSchema.schema, transaction: transaction, openVSwitch: ovs, first: commands[0])
        var outputs: [(String, TextTable?)] = []
        for (i, command) in commands.enumerated() {
            ctx.begin(command, last: i == commands.count - 1)
            try command.syntax.run?(ctx)
            outputs.append((ctx.output, ctx.table))
            if ctx.tryAgain { return false }
        }
        try checkSymbols(ctx.symbols)

        let outcome = try session.commit(ctx.transaction)
        switch outcome {
        case .success(let committed):
            ctx.committed = committed
        case .unchanged:
            ctx.committed = IDLTransaction.Committed()
        case .tryAgain:
            return false
        case .notLocked:
            throw VsctlError.fatal("database not locked")
        case .error(let e, let warnings):
            for w in warnings { VsctlLog.log("ovsdb_idl", .warn, w) }
            throw VsctlError.fatal("transaction error: \(e)")
        }
        for (i, command) in commands.enumerated() {
            guard let post = command.syntax.postprocess else { continue }
            ctx.begin(command, last: false)
            ctx.output = outputs[i].0
            try post(ctx)
            outputs[i].0 = ctx.output
        }

        var formatter = TableFormatter(style: options.style)
        for (text, table) in outputs {
            if let table {
                Console.write(formatter.format(table))
            } else if options.oneline {
                var line = text
                if line.hasSuffix("\n") { line.removeLast() }
                Console.write(line.replacingBackslashesAndNewlines() + "\n")
            } else {
                Console.write(text)
            }
        }
        Console.flush()

        if options.waitForReload, case .success(let committed) = outcome, let next = committed.incrementedValue {
            try waitForReload(session, next, ctx.newInterfaces.compactMap { committed.insertedRows[$0] })
        }
        return true
    }

    /// `row id "@x" is referenced but never created`, and warnings for rows nothing keeps.
    private static func checkSymbols(_ symbols: RowSymbols) throws {
        for name in ShashOrder(symbols.order).keys {
            let s = symbols[name]
            if !s.created {
                throw VsctlError.fatal("row id \"\(name)\" is referenced but never created (e.g. with \"-- --id=\(name) create ...\")")
            }
            if !s.strongReference {
                if !s.weakReference {
                    VsctlLog.warn("row id \"\(name)\" was created but no reference to it was inserted, so it will not actually appear in the database")
                } else {
                    VsctlLog.warn("row id \"\(name)\" was created but only a weak reference to it was inserted, so it will not actually appear in the database")
                }
            }
        }
    }

    /// Waits until ovs-vswitchd reports `cur_cfg >= next`, then reports interfaces it could
    /// not set up (`post_db_reload_do_checks`).
    private static func waitForReload(_ session: IDLSession, _ next: Int64, _ interfaces: [UUID]) throws {
        while !session.replica.rows("Open_vSwitch").values.contains(where: { row in
            if case .integer(let cur)? = row.columns["cur_cfg"]?.first { return cur >= next }
            return next <= 0
        }) {
            try session.waitForUpdate()
        }
        var failed = false
        for uuid in interfaces {
            guard let row = session.replica.row("Interface", uuid) else { continue }
            let ofport = row.columns["ofport"]?.first
            guard ofport == nil || ofport == .integer(-1) else { continue }
            let name = row.columns["name"]?.first?.stringValue ?? ""
            if let error = row.columns["error"]?.first?.stringValue, !error.isEmpty {
                Console.error("Error detected while setting up '\(name)': \(error).  See ovs-vswitchd log for details.")
            } else {
                Console.error("Error detected while setting up '\(name)'.  See ovs-vswitchd log for details.")
            }
            failed = true
        }
        if failed {
            Console.error("The default log directory is \"\(Usage.logDirectory)\".")
        }
    }

    /// The parent's `argv[0]`, recorded in the transaction's comment. (Open vSwitch appends
    /// " (pid N)" after the NUL that ends it, so the pid never shows; neither does ours.)
    private static func parentProcess() -> String {
        let ppid = getppid()
        guard ppid != 0 else { return "init (pid 0)" }
        var name = ""
        if let f = fopen("/proc/\(ppid)/cmdline", "r") {
            var bytes: [UInt8] = []
            while true {
                let c = fgetc(f)
                if c == EOF || c == 0 || c == 0x0A { break }
                bytes.append(UInt8(c))
            }
            fclose(f)
            name = String(decoding: bytes, as: UTF8.self)
        }
        return name
    }
}

extension String {
    /// `--oneline`: newlines as `\n` and backslashes as `\\`.
    func replacingBackslashesAndNewlines() -> String {
        var s = ""
        for c in self {
            switch c {
            case "\n": s += "\\n"
            case "\\": s += "\\\\"
            default: s.append(c)
            }
        }
        return s
    }
}
