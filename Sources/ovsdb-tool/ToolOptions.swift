/// ovsdb-tool's options, parsed as Open vSwitch's `getopt_long()` parses them: options may
/// come anywhere among the arguments (`show-log -m db`), short ones may be bundled (`-mm`),
/// long ones abbreviated (`--mo`), and `--` ends them.
struct ToolOptions {
    enum Argument { case none, required, optional }

    struct Option {
        var name: String
        var argument: Argument
        var short: Character?
        var help: String?
    }

    /// The options in Open vSwitch's order, which `--option` lists.
    static let table: [Option] = [
        Option(name: "more", argument: .none, short: "m", help: "increase show-log verbosity"),
        Option(name: "verbose", argument: .optional, short: "v", help: nil),
        Option(name: "help", argument: .none, short: "h", help: "display this help message"),
        Option(name: "option", argument: .none, short: "o", help: nil),
        Option(name: "version", argument: .none, short: "V", help: "display version information"),
    ]

    /// `-m` given this many times: how much `show-log` prints.
    var verbosity = 0
    var help = false
    var listOptions = false
    var version = false
    /// The command and its arguments.
    var arguments: [String] = []

    struct UsageError: Error {
        var message: String
    }

    init(_ args: ArraySlice<String>) throws(UsageError) {
        var rest = args
        // `--help`, `--version` and `--option` act (and exit) as soon as they are read.
        while !help && !version && !listOptions, let arg = rest.popFirst() {
            if arg == "--" {
                arguments += rest
                break
            } else if arg.hasPrefix("--") {
                try parseLong(arg, &rest)
            } else if arg.hasPrefix("-") && arg != "-" {
                try parseShort(arg)
            } else {
                arguments.append(arg)
            }
        }
    }

    private mutating func parseLong(_ arg: String, _ rest: inout ArraySlice<String>) throws(UsageError) {
        let body = arg.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let value = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        let option: Option
        if let exact = ToolOptions.table.first(where: { $0.name == name }) {
            option = exact
        } else {
            let candidates = ToolOptions.table.filter { $0.name.hasPrefix(name) }
            guard let only = candidates.first else { throw UsageError(message: "unrecognized option '\(arg)'") }
            guard candidates.count == 1 else {
                let names = candidates.map { "'--\($0.name)'" }.joined(separator: " ")
                throw UsageError(message: "option '--\(name)' is ambiguous; possibilities: \(names)")
            }
            option = only
        }
        switch option.argument {
        case .none:
            if value != nil { throw UsageError(message: "option '--\(option.name)' doesn't allow an argument") }
            apply(option, nil)
        case .required:
            if let value {
                apply(option, value)
            } else if let next = rest.popFirst() {
                apply(option, next)
            } else {
                throw UsageError(message: "option '--\(option.name)' requires an argument")
            }
        case .optional:
            apply(option, value)
        }
    }

    private mutating func parseShort(_ arg: String) throws(UsageError) {
        var letters = Substring(arg.dropFirst())
        while let c = letters.popFirst() {
            guard let option = ToolOptions.table.first(where: { $0.short == c }) else {
                throw UsageError(message: "invalid option -- '\(c)'")
            }
            switch option.argument {
            case .none:
                apply(option, nil)
            case .optional, .required:
                // `-v` takes only an attached argument (`-vdbg`), as getopt's "v::" does.
                apply(option, letters.isEmpty ? nil : String(letters))
                return
            }
        }
    }

    private mutating func apply(_ option: Option, _ value: String?) {
        switch option.name {
        case "more": verbosity += 1
        case "help": help = true
        case "option": listOptions = true
        case "version": version = true
        default: break  // --verbose: ovsdb-tool logs nothing worth a level.
        }
    }

    /// The `--option` listing: every long option, and its short form, with how it takes an
    /// argument.
    static var listing: String {
        var s = ""
        for o in table {
            let arg = o.argument == .required ? "ARG" : o.argument == .optional ? "[ARG]" : ""
            s += "--\(o.name)\(arg.isEmpty ? "" : "=")\(arg)\n"
            if let short = o.short { s += "-\(short) \(arg)\n" }
        }
        return s
    }
}
