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
    /// The magic of a clustered (Raft) database file, which we recognise but do not read.
    public static let clusterMagic = "OVSDB CLUSTER"

    public let path: String
    private var fd: Int32
    private var lock: LockFile?
    /// Opened read-only: appends fail, as they do on Open vSwitch's read-only logs.
    public let readOnly: Bool
    /// Offset just past the last record that read back whole.
    public private(set) var goodOffset: Int = 0
    /// Why reading stopped before the end of the file, if it did, with Open vSwitch's error.
    public private(set) var tailFailure: OVSDBError?
    /// `tailFailure` as Open vSwitch prints it.
    public var tailError: String? { tailFailure?.text }

    /// Opens `path` for reading and appending, creating it if `create` is set (it must not
    /// exist yet). `lock` takes Open vSwitch's lock file (`.NAME.~lock~`) so two programs never
    /// write one log; `readOnly` opens the file only for reading. An existing file must start
    /// with a standalone database's header, as Open vSwitch checks on opening.
    public init(path: String, create: Bool = false, lock: Bool = true, readOnly: Bool = false) throws(OVSDBError) {
        self.path = path
        self.readOnly = readOnly && !create
        if lock { self.lock = try LockFile(for: path) }
        let flags = (self.readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0)
        fd = Glibc.open(path, flags, 0o660)
        if fd < 0 { throw LogFile.ioError("\(path): \(create ? "create" : "open") failed", errno) }
        if !create { try checkFileType() }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    static func ioError(_ what: String, _ code: Int32) -> OVSDBError {
        OVSDBError("I/O error", what, ioError: String(cString: strerror(code)))
    }

    /// Open vSwitch's check of the first header line when it opens a database file.
    private func checkFileType() throws(OVSDBError) {
        var first = [UInt8](repeating: 0, count: LogFile.maxHeaderLength)
        let n = first.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        if n < 0 { throw LogFile.ioError("\(path): read error", errno) }
        if n == 0 { throw OVSDBError("ovsdb error", "\(path): cannot identify file type") }
        let line = first[0..<n].firstIndex(of: 0x0A).map { Array(first[...$0]) } ?? Array(first[0..<n])
        guard case .success(let header) = LogFile.parseHeader(line) else {
            throw OVSDBError("ovsdb error", "\(path): unexpected file format")
        }
        if header.magic == LogFile.clusterMagic {
            throw OVSDBError("ovsdb error", "\(path): cannot apply this operation to clustered database file")
        }
        guard header.magic == LogFile.magic else { throw OVSDBError("ovsdb error", "\(path): cannot identify file type") }
    }

    /// Reads every whole record from the start, stopping quietly at a bad tail (see
    /// `tailFailure`).
    public func readAll() throws(OVSDBError) -> [JSON] {
        let bytes = try contents()
        var records: [JSON] = []
        var offset = 0
        goodOffset = 0
        tailFailure = nil
        while offset < bytes.count {
            switch LogFile.parseRecord(bytes, at: offset, path: path) {
            case .success(let (json, next)):
                records.append(json)
                offset = next
                goodOffset = next
            case .failure(let error):
                tailFailure = error
                return records
            }
        }
        return records
    }

    /// Reads just the first record (a database's schema), failing if it is not whole.
    public func readFirst() throws(OVSDBError) -> JSON {
        let bytes = try contents()
        switch LogFile.parseRecord(bytes, at: 0, path: path) {
        case .success(let (json, _)): return json
        case .failure(let error): throw error
        }
    }

    /// Where `path` leads once symbolic links are followed (up to 10 of them, as Open vSwitch's
    /// `follow_symlinks()`), so that replacing a database file replaces the link's target
    /// rather than the link.
    public static func followingSymlinks(_ path: String) -> String {
        var current = path
        for _ in 0..<10 {
            var st = stat()
            guard lstat(current, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { return current }
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("/") {
                current = target
            } else if let slash = current.lastIndex(of: "/") {
                current = String(current[...slash]) + target
            } else {
                current = target
            }
        }
        return path
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
        case failure(OVSDBError)
    }

    /// Open vSwitch reads header lines with `fgets()` into a 128-byte buffer.
    static let maxHeaderLength = 127

    struct Header {
        var magic: String
        var length: Int
        var sha1: String
    }

    enum HeaderResult {
        case success(Header)
        /// The header did not parse; `shown` is the part of the line Open vSwitch's message
        /// quotes (its parser cuts the line after the magic once it has found it).
        case failure(shown: [UInt8])
    }

    /// Parses a header line as Open vSwitch's `parse_header()` does: `OVSDB `, a magic word,
    /// a space, a nonzero decimal length, a space, 40 hex digits and a new-line.
    static func parseHeader(_ line: [UInt8]) -> HeaderResult {
        let untilNewline = Array(line.prefix { $0 != 0x0A })
        let lead = Array("OVSDB ".utf8)
        guard line.starts(with: lead) else { return .failure(shown: untilNewline) }
        var i = lead.count
        while i < line.count && line[i] != 0x20 && line[i] != 0 { i += 1 }
        guard i < line.count, line[i] == 0x20 else { return .failure(shown: untilNewline) }
        let magicEnd = i
        let shown = Array(line[0..<magicEnd])
        i += 1
        var length = 0
        let digitsStart = i
        while i < line.count, line[i] >= 0x30, line[i] <= 0x39 {
            length = length &* 10 &+ Int(line[i] - 0x30)
            i += 1
        }
        guard i > digitsStart, length > 0, i - digitsStart < 19, i < line.count, line[i] == 0x20 else { return .failure(shown: shown) }
        i += 1
        guard i + 40 < line.count, line[i + 40] == 0x0A else { return .failure(shown: shown) }
        let hex = line[i..<(i + 40)]
        guard hex.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else {
            return .failure(shown: shown)
        }
        return .success(Header(magic: String(decoding: line[0..<magicEnd], as: UTF8.self), length: length,
                               sha1: String(decoding: hex, as: UTF8.self).lowercased()))
    }

    /// Parses the record starting at `offset`, failing with the error Open vSwitch's
    /// `ovsdb_log_read()` gives for the same bytes.
    static func parseRecord(_ bytes: [UInt8], at offset: Int, path: String) -> RecordResult {
        let lineEnd = min(bytes.count, offset + maxHeaderLength)
        let line = bytes[offset..<lineEnd].firstIndex(of: 0x0A).map { Array(bytes[offset...$0]) } ?? Array(bytes[offset..<lineEnd])
        let header: Header
        switch parseHeader(line) {
        case .success(let h) where h.magic == magic:
            header = h
        case .success(let h):
            return .failure(.syntax(nil, "\(path): parse error at offset \(offset) in header line \"\(h.magic)\""))
        case .failure(let shown):
            return .failure(.syntax(nil, "\(path): parse error at offset \(offset) in header line \"\(String(decoding: shown, as: UTF8.self))\""))
        }
        let start = offset + line.count
        let length = header.length
        guard start + length <= bytes.count else {
            return .failure(OVSDBError("I/O error", "\(path): error reading \(length) bytes starting at offset \(start)", ioError: "End of file"))
        }
        let digest = bytes[start..<(start + length)].withUnsafeBytes { sha1Hex($0) }
        guard digest == header.sha1 else {
            return .failure(.syntax(nil, "\(path): \(length) bytes starting at offset \(start) have SHA-1 hash \(digest) but should have hash \(header.sha1)"))
        }
        let json: JSON
        do {
            json = try bytes[start..<(start + length)].withUnsafeBytes { try JSONParser.parse($0) }
        } catch {
            return .failure(.syntax(nil, "\(path): \(length) bytes starting at offset \(start) are not valid JSON (\(error))"))
        }
        if case .string(let s) = json {
            return .failure(.syntax(nil, "\(path): \(length) bytes starting at offset \(start) are not valid JSON (\(s))"))
        }
        guard json.objectValue != nil else {
            return .failure(.syntax(nil, "\(path): \(length) bytes starting at offset \(start) are not a JSON object"))
        }
        return .success((json, start + length))
    }

    static func sha1Hex(_ data: UnsafeRawBufferPointer) -> String {
        String(decoding: sha1HexBytes(data), as: UTF8.self)
    }

    /// OpenSSL's SHA-1, looked up once: its one-shot `SHA1()` looks the algorithm up again for
    /// every record.
    private static let sha1Algorithm = EVP_MD_fetch(nil, "SHA1", nil)

    /// The 40 lower-case hex digits of `data`'s SHA-1.
    static func sha1HexBytes(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var md = [UInt8](repeating: 0, count: 20)
        _ = md.withUnsafeMutableBufferPointer { EVP_Digest(data.baseAddress, data.count, $0.baseAddress, nil, sha1Algorithm, nil) }
        let hex: StaticString = "0123456789abcdef"
        var s = [UInt8]()
        s.reserveCapacity(40)
        for b in md {
            s.append(hex.utf8Start[Int(b >> 4)])
            s.append(hex.utf8Start[Int(b & 0xF)])
        }
        return s
    }

    /// The bytes of one record for `json`.
    public static func encode(_ json: JSON) -> [UInt8] {
        encode(serialized: JSONSerializer.bytes(json))
    }

    /// The bytes of one record whose JSON text is `text`: the header, the text, a new-line.
    static func encode(serialized text: [UInt8]) -> [UInt8] {
        var out = Array("\(magic) \(text.count + 1) ".utf8)
        let digestAt = out.count
        out.reserveCapacity(digestAt + 41 + text.count + 1)
        out.append(contentsOf: repeatElement(0, count: 40))
        out.append(0x0A)
        let bodyAt = out.count
        out.append(contentsOf: text)
        out.append(0x0A)
        let digest = out.withUnsafeBytes { sha1HexBytes(UnsafeRawBufferPointer(rebasing: $0[bodyAt...])) }
        out.replaceSubrange(digestAt..<(digestAt + 40), with: digest)
        return out
    }

    /// Cuts off whatever follows the last good record (a torn write from a crash).
    public func truncateAtLastGoodRecord() throws(OVSDBError) {
        if ftruncate(fd, off_t(goodOffset)) != 0 { throw LogFile.ioError("\(path): truncate failed", errno) }
        tailFailure = nil
    }

    /// Appends records; with `sync`, returns only once they are on disk.
    public func append(_ records: [JSON], sync: Bool) throws(OVSDBError) {
        var bytes: [UInt8] = []
        for r in records { bytes.append(contentsOf: LogFile.encode(r)) }
        try appendEncoded(bytes, sync: sync)
    }

    /// Appends one record given as its JSON text (an object); with `sync`, returns only once
    /// it is on disk.
    public func append(serialized text: [UInt8], sync: Bool) throws(OVSDBError) {
        try appendEncoded(LogFile.encode(serialized: text), sync: sync)
    }

    private func appendEncoded(_ bytes: [UInt8], sync: Bool) throws(OVSDBError) {
        if readOnly {
            // Open vSwitch truncates a log it has read before its first write, which fails on
            // a read-only descriptor: `ovsdb-tool query` reports that for a query that writes.
            if ftruncate(fd, off_t(goodOffset)) != 0 {
                throw LogFile.ioError("\(path): cannot truncate to length \(goodOffset)", errno)
            }
        }
        try write(bytes, at: goodOffset)
        goodOffset += bytes.count
        if sync { try self.sync() }
    }

    /// Waits until everything appended is on disk. The data and the file's size, not its
    /// times: `fdatasync`, as Open vSwitch's ovsdb-server syncs its log.
    public func sync() throws(OVSDBError) {
        if fdatasync(fd) != 0 { throw LogFile.ioError("\(path): fdatasync failed", errno) }
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
        let tfd = Glibc.open(temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o660)
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
