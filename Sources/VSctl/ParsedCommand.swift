import JSON

/// One command of an invocation, after parsing: its syntax, its options (`--name` → value)
/// and its words, the command name first (`argv[0]`).
struct ParsedCommand {
    var syntax: CommandSyntax
    var options: [(name: String, value: String?)]
    var argv: [String]

    func has(_ option: String) -> Bool { options.contains { $0.name == option } }
    func value(_ option: String) -> String? { options.first { $0.name == option }?.value ?? nil }

    /// Splits `args` at `--` into commands (`ctl_parse_commands`); `firstOptions` are options
    /// given before the first command.
    static func parseAll(_ args: [String], firstOptions: [(String, String?)]) throws -> [ParsedCommand] {
        var commands: [ParsedCommand] = []
        var pending = firstOptions
        var start = 0
        for i in 0...args.count where i == args.count || args[i] == "--" {
            if i > start {
                commands.append(try parse(Array(args[start..<i]), options: pending))
                pending = []
            } else if !pending.isEmpty {
                throw VsctlError.fatal("missing command name (use --help for help)")
            }
            start = i + 1
        }
        if commands.isEmpty { throw VsctlError.fatal("missing command name (use --help for help)") }
        return commands
    }

    /// One command: leading `--option[=value]` words, the name, the arguments (`parse_command`).
    static func parse(_ words: [String], options initial: [(String, String?)]) throws -> ParsedCommand {
        var options: [(name: String, value: String?)] = initial.map { ($0.0, $0.1) }
        var i = 0
        while i < words.count, words[i].hasPrefix("-") {
            let word = words[i]
            let name: String, value: String?
            if let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq])
                value = String(word[word.index(after: eq)...])
            } else {
                name = word
                value = nil
            }
            if options.contains(where: { $0.name == name }) {
                throw VsctlError.fatal("'\(word)' option specified multiple times")
            }
            options.append((name, value))
            i += 1
        }
        guard i < words.count else { throw VsctlError.fatal("missing command name (use --help for help)") }
        let commandName = words[i]
        guard let syntax = CommandSyntax.all[commandName] else {
            throw VsctlError.fatal("unknown command '\(commandName)'; use --help for help")
        }
        // OVS checks the options in its hash order; they are seldom more than one.
        for name in ShashOrder(Set(options.map(\.name))).keys {
            let value = options.first { $0.name == name }!.value
            let end = Self.optionSuffix(name, in: syntax.options)
            guard let end, "=,? ".contains(end) || end == "\0" else {
                throw VsctlError.fatal("'\(commandName)' command has no '\(name)' option")
            }
            if end != "?" && (end == "=") != (value != nil) {
                if end == "=" {
                    throw VsctlError.fatal("missing argument to '\(name)' option on '\(commandName)' command")
                } else {
                    throw VsctlError.fatal("'\(name)' option on '\(commandName)' does not accept an argument")
                }
            }
        }
        let nArgs = words.count - i - 1
        if nArgs < syntax.minArgs {
            throw VsctlError.fatal("'\(syntax.name)' command requires at least \(syntax.minArgs) arguments")
        } else if nArgs > syntax.maxArgs {
            if words[(i + 1)...].contains(where: { $0.hasPrefix("-") }) {
                throw VsctlError.fatal("'\(syntax.name)' command takes at most \(syntax.maxArgs) arguments "
                    + "(note that options must precede command names and follow a \"--\" argument)")
            }
            throw VsctlError.fatal("'\(syntax.name)' command takes at most \(syntax.maxArgs) arguments")
        }
        return ParsedCommand(syntax: syntax, options: options, argv: Array(words[i...]))
    }

    /// The character after the first occurrence of `name` in `list` (`strstr`), "\0" at the
    /// end, nil if absent.
    private static func optionSuffix(_ name: String, in list: String) -> Character? {
        let l = Array(list.utf8), n = Array(name.utf8)
        guard !n.isEmpty, l.count >= n.count else { return nil }
        for start in 0...(l.count - n.count) where Array(l[start..<(start + n.count)]) == n {
            let after = start + n.count
            return after < l.count ? Character(Unicode.Scalar(l[after])) : "\0"
        }
        return nil
    }
}
