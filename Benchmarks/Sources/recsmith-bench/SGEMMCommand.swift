import ArgumentParser
import Foundation
import LinearAlgebra

/// `recsmith-bench sgemm`: the float32 sgemm rate on one thread and on several.
struct SGEMMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sgemm", abstract: "GFLOP/s of an n×n×n float32 sgemm, median of several products.")

    @Option(help: "Matrix size n.") var size: Int = 2048
    @Option(help: "Comma list of thread counts.") var threads: String = "1,2"
    @Option(help: "Timed products per thread count.") var repetitions: Int = 5

    func validate() throws {
        guard size > 0, repetitions > 0 else { throw ValidationError("size and repetitions must be positive") }
        _ = try threadCounts(threads)
    }

    func run() throws {
        for count in try threadCounts(threads) {
            let rate = SGEMMRate.measure(size: size, threads: count, repetitions: repetitions)
            print("sgemm size=\(size) threads=\(count) gflops=\(String(format: "%.1f", rate)) blas_core=\(BLAS.coreName)")
        }
    }
}

/// Parses a comma list of positive thread counts.
func threadCounts(_ text: String) throws -> [Int] {
    let counts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw ValidationError("threads must be a comma list of positive integers, not '\(text)'")
    }
    return counts.map { $0! }
}
