// ovsdb-client: Open vSwitch's database JSON-RPC client, command for command (3.1).
import Daemon
import Streams

Console.programName = "ovsdb-client"
FatalSignal.install()
BlockingStream.interruptionHandler = FatalSignal.run
let options = ClientOptions.parse(Array(CommandLine.arguments.dropFirst()))
if options.timeout > 0 { FatalSignal.setTimeout(options.timeout) }
ClientCommand.main(options)
