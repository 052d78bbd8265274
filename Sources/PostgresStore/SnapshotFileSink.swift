/// Where `PostgresSnapshots.download` puts a model set's files as their chunks arrive, so a download holds one
/// chunk in memory whatever the set's size. Called on the downloading thread, in order: `startFile`, its
/// chunks through `append`, `finishFile`, then the next file. A download that throws stops wherever it was; the
/// sink then holds a partial set it must not install.
package protocol SnapshotFileSink {
    /// Starts the file `name` (a name the publisher gave, to be checked before it becomes a path).
    func startFile(_ name: String) throws
    /// The next bytes of the current file; the buffer is valid only during the call.
    func append(_ bytes: UnsafeRawBufferPointer) throws
    /// The current file is whole.
    func finishFile() throws
}
