import JSON

extension JSONSerializer {
    // OVSDB values written straight to JSON text, in the same form as their `json` property
    // gives, for the hot paths (log records) that would otherwise build a tree only to
    // serialize it.

    /// Writes `datum` as `Datum.json` would be written.
    mutating func write(_ datum: Datum) {
        if let values = datum.values {
            writeRaw(#"["map",["#)
            for i in datum.keys.indices {
                writeRaw(i == 0 ? "[" : ",[")
                write(datum.keys[i])
                writeRaw(",")
                write(values[i])
                writeRaw("]")
            }
            writeRaw("]]")
        } else if datum.keys.count == 1 {
            write(datum.keys[0])
        } else {
            writeRaw(#"["set",["#)
            for (i, k) in datum.keys.enumerated() {
                if i > 0 { writeRaw(",") }
                write(k)
            }
            writeRaw("]]")
        }
    }

    /// Writes `atom` as `Atom.json` would be written.
    mutating func write(_ atom: Atom) {
        switch atom {
        case .string(let s): writeString(s)
        case .uuid(let u):
            writeRaw(#"["uuid","#)
            writeString(u)
            writeRaw("]")
        default: write(atom.json)
        }
    }

    /// Writes `uuid`'s text form as a JSON string.
    mutating func writeString(_ uuid: UUID) {
        writeRaw("\"")
        uuid.withText { writeRaw($0) }
        writeRaw("\"")
    }
}
