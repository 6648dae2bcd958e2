/// Parses command lines in Open vSwitch's getopt_long style, which daemons and scripts rely
/// on: `--name`, `--name=value`, `--name value` for required arguments, optional arguments
/// only as `--name=value` (`--pidfile` or `--pidfile=FILE`), short aliases, and `--` ending
/// the options.
public struct OptionParser {
    public enum Argument: Sendable { case none, required, optional }

    public struct Option: Sendable {
        public var name: String
        public var argument: Argument
        public var short: Character?

        public init(_ name: String, _ argument: Argument = .none, short: Character? = nil) {
            self.name = name
            self.argument = argument
            self.short = short
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public let options: [Option]

    public init(_ options: [Option]) { self.options = options }

    /// The options given, in order, as (name, value), and the remaining positional arguments.
    /// With `stopAtFirstArgument` (getopt's `+`), options end at the first positional argument,
    /// which with everything after it is returned as is.
    public func parse(_ args: [String], stopAtFirstArgument: Bool = false) throws -> (options: [(String, String?)], arguments: [String]) {
        var out: [(String, String?)] = []
        var positional: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--" {
                positional.append(contentsOf: args[i...])
                break
            }
            if a.hasPrefix("--") {
                let body = a.dropFirst(2)
                let name = String(body.split(separator: "=", maxSplits: 1)[0])
                let inline = body.contains("=") ? String(body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[1]) : nil
                let matches = options.filter { $0.name == name }
                let prefixMatches = options.filter { $0.name.hasPrefix(name) }
                guard let option = matches.first ?? (prefixMatches.count == 1 ? prefixMatches[0] : nil) else {
                    throw ParseError(description: prefixMatches.count > 1
                        ? "option '--\(name)' is ambiguous; possibilities:" + prefixMatches.map { " '--\($0.name)'" }.joined()
                        : "unrecognized option '\(a)'")
                }
                switch option.argument {
                case .none:
                    if inline != nil { throw ParseError(description: "option '--\(option.name)' doesn't allow an argument") }
                    out.append((option.name, nil))
                case .optional:
                    out.append((option.name, inline))
                case .required:
                    if let inline {
                        out.append((option.name, inline))
                    } else if i < args.count {
                        out.append((option.name, args[i]))
                        i += 1
                    } else {
                        throw ParseError(description: "option '--\(option.name)' requires an argument")
                    }
                }
            } else if a.hasPrefix("-") && a.count > 1 {
                var chars = Array(a.dropFirst())
                while !chars.isEmpty {
                    let c = chars.removeFirst()
                    guard let option = options.first(where: { $0.short == c }) else {
                        throw ParseError(description: "invalid option -- '\(c)'")
                    }
                    if option.argument == .none {
                        out.append((option.name, nil))
                        continue
                    }
                    if !chars.isEmpty {
                        out.append((option.name, String(chars)))
                    } else if option.argument == .required {
                        guard i < args.count else { throw ParseError(description: "option requires an argument -- '\(c)'") }
                        out.append((option.name, args[i]))
                        i += 1
                    } else {
                        out.append((option.name, nil))
                    }
                    break
                }
            } else if stopAtFirstArgument {
                positional.append(contentsOf: args[(i - 1)...])
                break
            } else {
                positional.append(a)
            }
        }
        return (out, positional)
    }
}
