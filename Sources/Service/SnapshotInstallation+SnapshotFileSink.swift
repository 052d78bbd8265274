import PostgresStore
import Training

/// A model set downloaded from the database is written straight into the model directory, chunk by chunk.
extension SnapshotInstallation: SnapshotFileSink {}
