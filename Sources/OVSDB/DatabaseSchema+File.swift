import JSON
#if canImport(Glibc)
import Glibc
#endif

extension DatabaseSchema {
    /// Reads the schema file at `path` (a `.ovsschema`), failing with the errors Open vSwitch's
    /// `ovsdb_schema_from_file()` gives: "failed to read schema" when the file cannot be read
    /// or is not JSON, else the schema's own error prefixed with which file it came from.
    public init(file path: String) throws(OVSDBError) {
        let json: JSON
        switch DatabaseSchema.readJSON(path) {
        case .success(let j): json = j
        case .failure(let message):
            throw OVSDBError("failed to read schema", "\"\(path)\" could not be read as JSON (\(message))")
        }
        do {
            try self.init(json: json)
        } catch {
            throw error.prefixed("failed to parse \"\(path)\" as ovsdb schema: ")
        }
    }

    enum JSONFileResult {
        case success(JSON)
        case failure(String)
    }

    /// `json_from_file()`: the JSON in a file, or the message Open vSwitch would give instead.
    static func readJSON(_ path: String) -> JSONFileResult {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure("error opening \"\(path)\": \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure("error reading \"\(path)\": \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        do {
            return .success(try JSONParser.parseContainer(bytes: bytes))
        } catch {
            return .failure("\(error)")
        }
    }
}
