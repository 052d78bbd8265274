/// The bytes of an index (`HNSWLayout`), which are also its file's exact content: allocated and written by a
/// build, or mapped read-only from a file, never copied.
final class IndexImage: @unchecked Sendable {
    // @unchecked Sendable: the bytes are written only by the build that allocated them, before the index that
    // holds the image exists; afterwards nothing writes them (a mapped image is PROT_READ).

    /// Where the image starts (64-byte aligned; page-aligned when mapped).
    let base: UnsafeMutableRawPointer
    /// Its size in bytes.
    let byteCount: Int
    /// Whether `base` is a file mapping (unmapped on release) rather than an allocation (freed).
    let isMapped: Bool

    /// A zeroed image of `byteCount` bytes for a build to fill.
    init(allocating byteCount: Int) {
        base = .allocate(byteCount: max(byteCount, 1), alignment: HNSWLayout.alignment)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        self.byteCount = byteCount
        isMapped = false
    }

    /// Wraps a mapping of `byteCount` bytes at `base`, which the image unmaps when released.
    init(mapped base: UnsafeMutableRawPointer, byteCount: Int) {
        self.base = base
        self.byteCount = byteCount
        isMapped = true
    }

    deinit {
        if isMapped {
            Self.unmap(base, byteCount: byteCount)
        } else {
            base.deallocate()
        }
    }

    /// The image's bytes.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: byteCount) }

    /// `base + offset` as a pointer to `Value`s (the layout keeps every section aligned for its type).
    func pointer<Value>(at offset: Int, as _: Value.Type) -> UnsafeMutablePointer<Value> {
        (base + offset).assumingMemoryBound(to: Value.self)
    }
}
