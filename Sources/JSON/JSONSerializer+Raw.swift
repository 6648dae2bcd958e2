extension JSONSerializer {
    // Writing a document piece by piece, for callers that serialize their own types straight
    // to text instead of building a `JSON` tree first. The caller keeps the text well formed.

    /// The number of bytes written so far.
    public var count: Int { bytes.count }

    /// Appends `text` as is (punctuation, or keys known to need no escaping).
    public mutating func writeRaw(_ text: StaticString) { append(text) }

    /// Appends `text` as is.
    public mutating func writeRaw(_ text: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: text) }

    /// Drops everything written after the first `count` bytes, to take back a piece that
    /// turned out to be empty.
    public mutating func truncate(to count: Int) { bytes.removeSubrange(count...) }
}
