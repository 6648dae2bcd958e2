// ovs-vsctl: Open vSwitch's configuration tool for the Open_vSwitch database (3.1).
import VSctl

Vsctl.main(Array(CommandLine.arguments.dropFirst()))
