/// OVSDB locks (RFC 7047 §4.1.8–4.1.10): per name, a queue of sessions whose head owns it.
struct LockTable {
    private var queues: [String: [ObjectIdentifier]] = [:]

    func owner(_ name: String) -> ObjectIdentifier? { queues[name]?.first }

    /// Queues `session` for `name`; true if it owns the lock now.
    mutating func lock(_ name: String, _ session: ObjectIdentifier) -> Bool {
        var q = queues[name] ?? []
        if !q.contains(session) { q.append(session) }
        queues[name] = q
        return q.first == session
    }

    /// Makes `session` the owner; returns the owner it displaced, if any.
    mutating func steal(_ name: String, _ session: ObjectIdentifier) -> ObjectIdentifier? {
        var q = queues[name] ?? []
        let previous = q.first
        q.removeAll { $0 == session }
        q.insert(session, at: 0)
        queues[name] = q
        return previous == session ? nil : previous
    }

    /// Removes `session` from `name`'s queue; returns the new owner if ownership passed on.
    mutating func unlock(_ name: String, _ session: ObjectIdentifier) -> ObjectIdentifier? {
        guard var q = queues[name], let i = q.firstIndex(of: session) else { return nil }
        q.remove(at: i)
        queues[name] = q.isEmpty ? nil : q
        return i == 0 ? q.first : nil
    }

    /// Whether `session` waits for or holds `name`.
    func isQueued(_ name: String, _ session: ObjectIdentifier) -> Bool { queues[name]?.contains(session) ?? false }

    /// Names whose queue `session` is in.
    func names(of session: ObjectIdentifier) -> [String] { queues.filter { $0.value.contains(session) }.map(\.key) }
}
