import Daemon
import JSON
import OVSDB
import Streams
#if canImport(Glibc)
import Glibc
#endif

/// `--help`, `--commands`, `--options`, `--version`: what Open vSwitch's ovs-vsctl prints.
enum Usage {
    static func print() -> Never {
        Console.write(synopsis + "\n" + rowReferences + "\n" + options + "\n")
        exit(0)
    }

    /// How records of each table may be named, from the schema and `RowIdentifier`.
    static var rowReferences: String {
        var s = "Database commands may reference a row in each table in the following ways:\n"
        let tables = VSwitchSchema.schema.tables.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for t in tables {
            s += "  \(t.name):\n    by UUID\n"
            if t.isSingleton { s += "    as \".\"\n" }
            if let id = RowIdentifier.byTable[t.name] {
                if let u = id.uuidColumn {
                    s += "    via \"\(u)\" of \(id.nameTable) with matching \"\(id.nameColumn)\"\n"
                } else {
                    s += "    by \"\(id.nameColumn)\"\n"
                }
            }
        }
        return s
    }

    /// `--commands`: `[options] ,name,arguments` for each command, in Open vSwitch's hash
    /// order, with arguments marked for bash completion.
    static func printCommands() -> Never {
        for name in ShashOrder(CommandSyntax.registered.map(\.name)).keys {
            let c = CommandSyntax.all[name]!
            let options = c.options.split(separator: ",").map { "[\($0)] " }.joined()
            Console.write("\(options),\(c.name),\(completionArguments(c.arguments))\n")
        }
        exit(0)
    }

    /// Marks each argument word (`print_command_arguments`): `!` required, `?` optional, `*` any
    /// number, `+` one or more; `[`/`]`/`...` are consumed.
    static func completionArguments(_ arguments: String) -> String {
        let a = Array(arguments.utf8)
        guard !a.isEmpty else { return "" }
        var out: [UInt8] = []
        var stack: UInt32 = 0
        var inRepeated = false, wholeWordIsOptional = false
        var i = a.count
        while i > 0 {
            i -= 1
            let c = a[i]
            switch c {
            case UInt8(ascii: "]"):
                stack <<= 1
                let next = i + 1 < a.count ? a[i + 1] : 0
                if next == 0 || next == UInt8(ascii: " ") || next == UInt8(ascii: ".") { stack |= 1 }
            case UInt8(ascii: "["):
                if (i == 0 || a[i - 1] == UInt8(ascii: " ")) && stack & 1 != 0 {
                    out.append(inRepeated ? UInt8(ascii: "*") : UInt8(ascii: "?"))
                    wholeWordIsOptional = true
                } else {
                    out.append(UInt8(ascii: "?"))
                    wholeWordIsOptional = false
                }
                stack >>= 1
            case UInt8(ascii: " "):
                if !wholeWordIsOptional { out.append(inRepeated ? UInt8(ascii: "+") : UInt8(ascii: "!")) }
                out.append(c)
                inRepeated = false
                wholeWordIsOptional = false
            case UInt8(ascii: "."):
                inRepeated = true
            default:
                out.append(c)
            }
        }
        if a[0] != UInt8(ascii: "[") && !out.isEmpty {
            out.append(inRepeated ? UInt8(ascii: "+") : UInt8(ascii: "!"))
        }
        return String(decoding: out.reversed(), as: UTF8.self)
    }

    /// `--options`: the global long options, and their short forms.
    static func printOptions(_ options: [OptionParser.Option]) -> Never {
        for o in options {
            let arg = o.argument == .none ? "" : "=ARG"
            Console.write("--\(o.name)\(arg)\n")
            if let s = o.short { Console.write("-\(s)\(o.argument == .none ? "" : " ARG")\n") }
        }
        exit(0)
    }

    /// `$OVS_LOGDIR`, else /var/log/openvswitch.
    static var logDirectory: String {
        getenv("OVS_LOGDIR").map { String(cString: $0) } ?? "/var/log/openvswitch"
    }

    static func printVersion() -> Never {
        Console.write("ovs-vsctl (Open vSwitch) \(OVSDBVersion.string)\nDB Schema \(VSwitchSchema.schema.version)\n")
        exit(0)
    }

    static var synopsis: String {
        """
\(Console.programName): ovs-vswitchd management utility
usage: \(Console.programName) [OPTIONS] COMMAND [ARG...]

Open vSwitch commands:
  init                        initialize database, if not yet initialized
  show                        print overview of database contents
  emer-reset                  reset configuration to clean state

Bridge commands:
  add-br BRIDGE               create a new bridge named BRIDGE
  add-br BRIDGE PARENT VLAN   create new fake BRIDGE in PARENT on VLAN
  del-br BRIDGE               delete BRIDGE and all of its ports
  list-br                     print the names of all the bridges
  br-exists BRIDGE            exit 2 if BRIDGE does not exist
  br-to-vlan BRIDGE           print the VLAN which BRIDGE is on
  br-to-parent BRIDGE         print the parent of BRIDGE
  br-set-external-id BRIDGE KEY VALUE  set KEY on BRIDGE to VALUE
  br-set-external-id BRIDGE KEY  unset KEY on BRIDGE
  br-get-external-id BRIDGE KEY  print value of KEY on BRIDGE
  br-get-external-id BRIDGE  list key-value pairs on BRIDGE

Port commands (a bond is considered to be a single port):
  list-ports BRIDGE           print the names of all the ports on BRIDGE
  add-port BRIDGE PORT        add network device PORT to BRIDGE
  add-bond BRIDGE PORT IFACE...  add bonded port PORT in BRIDGE from IFACES
  del-port [BRIDGE] PORT      delete PORT (which may be bonded) from BRIDGE
  port-to-br PORT             print name of bridge that contains PORT

Interface commands (a bond consists of multiple interfaces):
  list-ifaces BRIDGE          print the names of all interfaces on BRIDGE
  iface-to-br IFACE           print name of bridge that contains IFACE

Controller commands:
  get-controller BRIDGE      print the controllers for BRIDGE
  del-controller BRIDGE      delete the controllers for BRIDGE
  [--inactivity-probe=MSECS]
  set-controller BRIDGE TARGET...  set the controllers for BRIDGE
  get-fail-mode BRIDGE       print the fail-mode for BRIDGE
  del-fail-mode BRIDGE       delete the fail-mode for BRIDGE
  set-fail-mode BRIDGE MODE  set the fail-mode for BRIDGE to MODE

Manager commands:
  get-manager                print the managers
  del-manager                delete the managers
  [--inactivity-probe=MSECS]
  set-manager TARGET...      set the list of managers to TARGET...

SSL commands:
  get-ssl                     print the SSL configuration
  del-ssl                     delete the SSL configuration
  set-ssl PRIV-KEY CERT CA-CERT  set the SSL configuration

Auto Attach commands:
  add-aa-mapping BRIDGE I-SID VLAN   add Auto Attach mapping to BRIDGE
  del-aa-mapping BRIDGE I-SID VLAN   delete Auto Attach mapping VLAN from BRIDGE
  get-aa-mapping BRIDGE              get Auto Attach mappings from BRIDGE

Switch commands:
  emer-reset                  reset switch to known good state

Database commands:
  list TBL [REC]              list RECord (or all records) in TBL
  find TBL CONDITION...       list records satisfying CONDITION in TBL
  get TBL REC COL[:KEY]       print values of COLumns in RECord in TBL
  set TBL REC COL[:KEY]=VALUE set COLumn values in RECord in TBL
  add TBL REC COL [KEY=]VALUE add (KEY=)VALUE to COLumn in RECord in TBL
  remove TBL REC COL [KEY=]VALUE  remove (KEY=)VALUE from COLumn
  clear TBL REC COL           clear values from COLumn in RECord in TBL
  create TBL COL[:KEY]=VALUE  create and initialize new record
  destroy TBL REC             delete RECord from TBL
  wait-until TBL REC [COL[:KEY]=VALUE]  wait until condition is true
Potentially unsafe database commands require --force option.
"""
    }

    static var options: String {
        """
Options:
  --db=DATABASE               connect to DATABASE
                              (default: \(VsctlOptions.defaultDatabase))
  --no-wait                   do not wait for ovs-vswitchd to reconfigure
  --retry                     keep trying to connect to server forever
  -t, --timeout=SECS          wait at most SECS seconds for ovs-vswitchd
  --dry-run                   do not commit changes to database
  --oneline                   print exactly one line of output per command

""" + TableStyle.usage + """

Logging options:
  -vSPEC, --verbose=SPEC   set logging levels
  -v, --verbose            set maximum verbosity level
  --log-file[=FILE]        enable logging to specified FILE
                           (default: \(logDirectory)/ovs-vsctl.log)
  --syslog-method=(libc|unix:file|udp:ip:port)
                           specify how to send messages to syslog daemon
  --syslog-target=HOST:PORT  also send syslog msgs to HOST:PORT via UDP
  --no-syslog             equivalent to --verbose=vsctl:syslog:warn


""" + StreamTarget.usage("database", bootstrap: true) + """

Other options:
  -h, --help                  display this help message
  -V, --version               display version information
"""
    }
}
