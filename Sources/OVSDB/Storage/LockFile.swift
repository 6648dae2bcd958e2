#if canImport(Glibc)
import Glibc
#endif

/// Open vSwitch's advisory lock beside a database file (`dir/.NAME.~lock~`, an fcntl write
/// lock), so our tools and Open vSwitch's never write one database at once.
final class LockFile {
    private let fd: Int32
    let path: String
    /// fcntl locks do not exclude the process that holds them, so this process's own locks are
    /// tracked here, as Open vSwitch's lockfile module does.
    nonisolated(unsafe) private static var held = Set<String>()

    init(for file: String) throws(OVSDBError) {
        let slash = file.lastIndex(of: "/")
        let dir = slash.map { String(file[...$0]) } ?? ""
        let base = slash.map { String(file[file.index(after: $0)...]) } ?? file
        path = "\(dir).\(base).~lock~"
        if LockFile.held.contains(path) {
            throw LogFile.ioError("\(file): failed to lock lockfile", EDEADLK)
        }
        fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { throw LogFile.ioError("\(file): failed to lock lockfile", errno) }
        var l = flock()
        l.l_type = Int16(F_WRLCK)
        l.l_whence = Int16(SEEK_SET)
        if fcntl(fd, F_SETLK, &l) != 0 {
            let code = errno
            Glibc.close(fd)
            throw LogFile.ioError("\(file): failed to lock lockfile", code == EACCES ? EAGAIN : code)
        }
        LockFile.held.insert(path)
    }

    deinit {
        LockFile.held.remove(path)
        Glibc.close(fd)
    }
}
