/// A reason to stop: printed as `ovs-vsctl: <message>` with exit status 1 (`ctl_fatal`), or
/// a bare exit status (`br-exists` exits 2 with no message).
public enum VsctlError: Error, CustomStringConvertible, Equatable {
    case fatal(String)
    case exit(Int32)

    public var description: String {
        switch self {
        case .fatal(let m): return m
        case .exit(let status): return "exit status \(status)"
        }
    }
}
