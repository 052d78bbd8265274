import ArgumentParser
import LinearAlgebra

/// `recsmith-bench`: in-process timings for `Benchmarks/run.sh`, kept out of the product binary.
///
/// Each subcommand prints one `name key=value …` line per measurement, which run.sh parses.
@main
struct RecsmithBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recsmith-bench",
        abstract: "In-process benchmarks: serving top-k, filters, sgemm rate, ALS flops per second, reads during snapshots, content fit and neighbours, the HNSW index.",
        subcommands: [
            TopKCommand.self, FilterCommand.self, SGEMMCommand.self, ALSFlopsCommand.self, SnapshotReadsCommand.self,
            ContentFitCommand.self, ContentNeighboursCommand.self, HNSWCommand.self,
        ]
    )

    static func main() {
        // As in `recsmith`: OpenBLAS on one thread with this CPU's kernels, before any thread of ours starts.
        BLAS.useSingleThread()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
