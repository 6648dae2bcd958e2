import COpenSSL
import JSON
#if canImport(Glibc)
import Glibc
#endif

/// Open vSwitch's append-only log of JSON records: each record is a header line
/// `OVSDB JSON <length> <sha1>\n` and then `<length>` bytes of JSON text ending in a newline,
/// the SHA-1 covering those bytes. A torn or corrupt tail, as a crash leaves, ends the readable
/// log; `truncateAtLastGoodRecord()` cuts it off before the next append.
public final class LogFile {
    public static let magic = "OVSDB JSON"

    public let path: String
    private var fd: Int32
    private var lock: LockFile?
    /// Offset just past the last record that read back whole.
    public private(set) var goodOffset: Int = 0
    /// Why reading stopped before the end of the file, if it did.
    public private(set) var tailError: String?

    /// Opens `path` for reading and appending, creating it if `create` is set. `lock` takes
    /// Open vSwitch's lock file (`.NAME.~lock~`) so two programs never write one log.
    public init(path: String, create: Bool = false, lock: Bool = true) throws(OVSDBError) {
        self.path = path
        if lock { self.lock = try LockFile(for: path) }
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0)
        fd = Glibc.open(path, flags, 0o644)
        if fd < 0 { throw LogFile.ioError("\(path): open failed", errno) }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    static func ioError(_ what: String, _ code: Int32) -> OVSDBError {
        OVSDBError("I/O error", "\(what) (\(String(cString: strerror(code))))")
    }

    /// Reads every whole record from the start, stopping quietly at a bad tail.
    public func readAll() throws(OVSDBError) -> [JSON] {
        let bytes = try contents()
        var records: [JSON] = []
        var offset = 0
        goodOffset = 0
        tailError = nil
        while offset < bytes.count {
            switch LogFile.parseRecord(bytes, at: offset) {
            case .success(let (json, next)):
                records.append(json)
                offset = next
                goodOffset = next
            case .failure(let message):
                tailError = "\(path): \(message) at offset \(offset)"
                return records
            }
        }
        return records
    }

    private func contents() throws(OVSDBError) -> [UInt8] {
        var st = stat()
        if fstat(fd, &st) != 0 { throw LogFile.ioError("\(path): stat failed", errno) }
        let size = Int(st.st_size)
        var out = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, size - done, off_t(done)) }
            if n < 0 { if errno == EINTR { continue }; throw LogFile.ioError("\(path): read failed", errno) }
            if n == 0 { break }
            done += n
        }
        return Array(out[0..<done])
    }

    enum RecordResult {
        case success((JSON, Int))
        case failure(String)
    }

    /// Parses the record starting at `offset`.
    static func parseRecord(_ bytes: [UInt8], at offset: Int) -> RecordResult {
        guard let eol = bytes[offset...].firstIndex(of: 0x0A) else { return .failure("unexpected end of file reading header") }
        let header = String(decoding: bytes[offset..<eol], as: UTF8.self)
        let fields = header.split(separator: " ")
        guard fields.count == 4, "\(fields[0]) \(fields[1])" == magic, let length = Int(fields[2]), length >= 0,
              fields[3].utf8.count == 40
        else { return .failure("parse error reading header") }
        let start = eol + 1
        guard start + length <= bytes.count else { return .failure("\(length) bytes starting at offset \(start) have truncated") }
        let digest = bytes[start..<(start + length)].withUnsafeBytes { sha1Hex($0) }
        guard digest == fields[3].lowercased() else {
            return .failure("\(length) bytes starting at offset \(start) have SHA-1 hash \(digest) but should have hash \(fields[3])")
        }
        do {
            let json = try bytes[start..<(start + length)].withUnsafeBytes { try JSONParser.parse($0) }
            return .success((json, start + length))
        } catch {
            return .failure("\(length) bytes starting at offset \(start) are not valid JSON (\(error))")
        }
    }

    static func sha1Hex(_ data: UnsafeRawBufferPointer) -> String {
        var md = [UInt8](repeating: 0, count: 20)
        _ = md.withUnsafeMutableBufferPointer { SHA1(data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count, $0.baseAddress) }
        let hex: StaticString = "0123456789abcdef"
        var s = [UInt8]()
        s.reserveCapacity(40)
        for b in md {
            s.append(hex.utf8Start[Int(b >> 4)])
            s.append(hex.utf8Start[Int(b & 0xF)])
        }
        return String(decoding: s, as: UTF8.self)
    }

    /// The bytes of one record for `json`.
    public static func encode(_ json: JSON) -> [UInt8] {
        var body = JSONSerializer.bytes(json)
        body.append(0x0A)
        let digest = body.withUnsafeBytes { sha1Hex($0) }
        var out = Array("\(magic) \(body.count) \(digest)\n".utf8)
        out.append(contentsOf: body)
        return out
    }

    /// Cuts off whatever follows the last good record (a torn write from a crash).
    public func truncateAtLastGoodRecord() throws(OVSDBError) {
        if ftruncate(fd, off_t(goodOffset)) != 0 { throw LogFile.ioError("\(path): truncate failed", errno) }
        tailError = nil
    }

    /// Appends records; with `sync`, returns only once they are on disk.
    public func append(_ records: [JSON], sync: Bool) throws(OVSDBError) {
        var bytes: [UInt8] = []
        for r in records { bytes.append(contentsOf: LogFile.encode(r)) }
        try write(bytes, at: goodOffset)
        goodOffset += bytes.count
        if sync { try self.sync() }
    }

    public func sync() throws(OVSDBError) {
        if fsync(fd) != 0 { throw LogFile.ioError("\(path): fsync failed", errno) }
    }

    private func write(_ bytes: [UInt8], at offset: Int) throws(OVSDBError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                _ = ftruncate(fd, off_t(offset))
                throw LogFile.ioError("\(path): write failed", code)
            }
            done += n
        }
    }

    /// The size of the log in bytes.
    public var size: Int { goodOffset }

    /// Atomically replaces the log at `path` with `records`: write a temporary file, sync it,
    /// rename it over the log, sync the directory. The new log stays open in `self`.
    public func replace(with records: [JSON]) throws(OVSDBError) {
        let temp = path + ".tmp"
        unlink(temp)
        let tfd = Glibc.open(temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if tfd < 0 { throw LogFile.ioError("\(temp): open failed", errno) }
        let old = fd
        fd = tfd
        goodOffset = 0
        do {
            try append(records, sync: true)
        } catch {
            Glibc.close(tfd)
            fd = old
            unlink(temp)
            throw error
        }
        if rename(temp, path) != 0 {
            let code = errno
            Glibc.close(tfd)
            fd = old
            unlink(temp)
            throw LogFile.ioError("\(path): rename failed", code)
        }
        Glibc.close(old)
        LogFile.syncDirectory(of: path)
    }

    static func syncDirectory(of path: String) {
        let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let dfd = Glibc.open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            Glibc.close(dfd)
        }
    }
}
