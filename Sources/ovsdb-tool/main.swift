import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// ovsdb-tool: creates, reads, compacts, converts and queries standalone OVSDB database files
/// without a server, with Open vSwitch's command line, output and errors.

/// Reports `message` and exits with status 1. Standard output is flushed only by `exit()`,
/// after the message, as Open vSwitch's stdio does when both go to one pipe.
func fail(_ message: String) -> Never {
    fputs("\(Tool.programName): \(message)\n", stderr)
    exit(EXIT_FAILURE)
}

let options: ToolOptions
do {
    options = try ToolOptions(CommandLine.arguments.dropFirst())
} catch {
    // getopt() names the program as it was invoked.
    fputs("\(CommandLine.arguments.first ?? Tool.programName): \(error.message)\n", stderr)
    exit(EXIT_FAILURE)
}
if options.help {
    fputs(Tool.usage, stdout)
    exit(EXIT_SUCCESS)
}
if options.version {
    fputs(Tool.version, stdout)
    exit(EXIT_SUCCESS)
}
if options.listOptions {
    fputs(ToolOptions.listing, stdout)
    exit(EXIT_SUCCESS)
}

let status: Int32
do {
    status = try Tool(verbosity: options.verbosity).runCommand(options.arguments)
} catch let error as OVSDBError {
    fail(error.text)
} catch let error as ToolError {
    fail(error.message)
} catch {
    fail("\(error)")
}
fflush(stdout)
exit(status)
