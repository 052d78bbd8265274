import ArgumentParser
import Evaluation
import Foundation
import JSON
import Models
import Reports

extension EvaluateCommand {
    /// `--task pairs`: held-out relations, AUC-ROC per model, the table on stdout, `--json` and `--html` on request.
    func runPairs() throws {
        let progress: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data("[evaluate] \(line)\n".utf8))
        }
        do {
            let report = try makePairsEvaluation(progress: progress).run(path: relations ?? "")
            print(report.text, terminator: "")
            if let jsonPath { try write(report.json.serialized() + "\n", to: jsonPath) }
            if let htmlPath { try write(PairsReportPage(report: report, context: reportContext).html, to: htmlPath) }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The flags of `--task pairs`, or a `ValidationError` naming the bad or misplaced flag.
    func makePairsEvaluation(progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> PairsEvaluation {
        guard relations != nil else { throw ValidationError("--task pairs needs --relations FILE.csv (from,to,type[,weight])") }
        guard data == nil, split == nil, items == nil, seeds == nil, grid.isEmpty, dumpSplit == nil, cutoffs.isEmpty,
              assignments.isEmpty
        else {
            throw ValidationError("--task pairs takes --relations, --models, --factors, --seed, --curve, --json and --html only")
        }
        let factors = self.factors ?? 64
        guard factors > 0, factors <= 1024 else { throw ValidationError("--factors must be from 1 to 1024, got \(factors)") }
        let list: [PairsEvaluation.Model]
        switch PairsEvaluation.Model.parseList(models ?? PairsEvaluation.Model.defaultList.map(\.rawValue).joined(separator: ",")) {
        case .success(let parsed): list = parsed
        case .failure(let error): throw ValidationError("\(error); --task pairs evaluates pairmf and pairmf-nobias")
        }
        guard !list.isEmpty else { throw ValidationError("--models names no model") }
        var parameters = PairMFParameters()
        parameters.factors = factors
        return PairsEvaluation(models: list, parameters: parameters, seed: seed ?? 1, curve: curve, progress: progress)
    }
}
