import OVSDB

/// The commands about schemas: creating a database from one, and reporting a schema's or a
/// database's name, version and checksum.
extension Tool {
    func create(_ args: [String]) throws -> Int32 {
        let path = args.count >= 1 ? args[0] : Tool.defaultDatabase
        let schema = try DatabaseSchema(file: args.count >= 2 ? args[1] : Tool.defaultSchema)
        try FileStorage.create(path: path, schema: schema)
        return 0
    }

    /// Prints "yes" if the database's schema differs from the schema file, else "no".
    func needsConversion(_ args: [String]) throws -> Int32 {
        let current = try databaseSchema(args.count >= 1 ? args[0] : Tool.defaultDatabase)
        let wanted = try DatabaseSchema(file: args.count >= 2 ? args[1] : Tool.defaultSchema)
        // Compared as Open vSwitch compares them: their JSON, so order and docs do not count.
        write(current.json == wanted.json ? "no\n" : "yes\n")
        return 0
    }

    func dbName(_ args: [String]) throws -> Int32 {
        write(try databaseSchema(args.first ?? Tool.defaultDatabase).name + "\n")
        return 0
    }

    func dbVersion(_ args: [String]) throws -> Int32 {
        write(try databaseSchema(args.first ?? Tool.defaultDatabase).version + "\n")
        return 0
    }

    func dbChecksum(_ args: [String]) throws -> Int32 {
        write((try databaseSchema(args.first ?? Tool.defaultDatabase).cksum ?? "") + "\n")
        return 0
    }

    func schemaName(_ args: [String]) throws -> Int32 {
        write(try DatabaseSchema(file: args.first ?? Tool.defaultSchema).name + "\n")
        return 0
    }

    func schemaVersion(_ args: [String]) throws -> Int32 {
        write(try DatabaseSchema(file: args.first ?? Tool.defaultSchema).version + "\n")
        return 0
    }

    func schemaChecksum(_ args: [String]) throws -> Int32 {
        write((try DatabaseSchema(file: args.first ?? Tool.defaultSchema).cksum ?? "") + "\n")
        return 0
    }

    /// Exits 0 if `a op b` holds for two `x.y.z` versions, 2 if it does not.
    func compareVersions(_ args: [String]) throws -> Int32 {
        func parse(_ s: String) throws -> [UInt32] {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            let numbers = parts.compactMap { p in p.allSatisfy(\.isASCII) ? UInt32(p) : nil }
            guard parts.count == 3, numbers.count == 3 else {
                throw ToolError("\(s): not an OVSDB version number in format x.y.z")
            }
            return numbers
        }
        let a = try parse(args[0]), b = try parse(args[2])
        let holds: Bool
        switch args[1] {
        case "<": holds = a.lexicographicallyPrecedes(b)
        case "<=": holds = !b.lexicographicallyPrecedes(a)
        case "==": holds = a == b
        case ">=": holds = !a.lexicographicallyPrecedes(b)
        case ">": holds = b.lexicographicallyPrecedes(a)
        case "!=": holds = a != b
        default: throw ToolError("\(args[1]): not a relational operator")
        }
        return holds ? 0 : 2
    }
}
