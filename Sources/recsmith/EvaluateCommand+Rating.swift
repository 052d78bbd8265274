import ArgumentParser
import Configuration
import Evaluation
import Foundation
import JSON
import Models
import Reports

extension EvaluateCommand {
    /// The `--task` flag, or a `ValidationError` naming the tasks.
    func evaluationTask() throws -> EvaluationTask {
        guard let parsed = EvaluationTask(rawValue: task) else {
            throw ValidationError(
                "--task must be \(EvaluationTask.allCases.map(\.rawValue).joined(separator: " or ")), got \"\(task)\"")
        }
        return parsed
    }

    /// `--task rating`: hash folds of the ratings, RMSE and MAE per model, the table on stdout, `--json` and `--html`
    /// on request.
    func runRating() throws {
        let evaluation = try makeRatingEvaluation()
        do {
            let report = try evaluation.run(path: data ?? "")
            print(report.table, terminator: "")
            if let jsonPath { try write(report.json.serialized() + "\n", to: jsonPath) }
            if let htmlPath { try write(RatingReportPage(report: report, context: reportContext).html, to: htmlPath) }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The flags of `--task rating` as a run, or a `ValidationError` naming the bad flag (ranking-only flags
    /// are refused rather than ignored).
    func makeRatingEvaluation() throws -> RatingEvaluation {
        guard data != nil else { throw ValidationError("--task rating needs --data FILE.csv") }
        guard relations == nil else { throw ValidationError("--relations belongs to --task pairs") }
        if let split, split != "random" { throw ValidationError("--task rating takes --split random, got \"\(split)\"") }
        guard folds >= 2 && folds <= 100 else { throw ValidationError("--folds must be between 2 and 100, got \(folds)") }
        if seeds != nil || !grid.isEmpty || items != nil || dumpSplit != nil || !cutoffs.isEmpty || minWeight != nil {
            throw ValidationError("--seeds, --grid, --items, --dump-split, --k and --min-weight apply to --task ranking only")
        }
        let configured = try ratingParameters()
        var parameters = configured.mf
        if let factors {
            guard factors >= 0 else { throw ValidationError("--factors must not be negative, got \(factors)") }
            parameters.factors = factors
        }
        let list: [RatedModel]
        do {
            list = try models.map(RatedModel.parseList) ?? RatedModel.defaultList
        } catch {
            throw ValidationError("\(error)")
        }
        guard !list.isEmpty else { throw ValidationError("--models names no model") }
        return RatingEvaluation(
            folds: folds, models: list, parameters: parameters, mlpParameters: configured.mlp, seed: seed ?? 1, curve: curve
        ) { line in
            FileHandle.standardError.write(Data("[evaluate] \(line)\n".utf8))
        }
    }

    /// `MFParameters` and `MLPParameters` with the `--set mf.*` and `--set mlp.*` assignments applied through the
    /// configuration table (same names, ranges and messages as `recsmith serve --set`).
    private func ratingParameters() throws -> (mf: MFParameters, mlp: MLPParameters) {
        var flags: [(key: String, value: String, flag: String)] = []
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), assignment.hasPrefix("mf.") || assignment.hasPrefix("mlp.") else {
                throw ValidationError("--set takes mf.KEY=VALUE or mlp.KEY=VALUE with --task rating, not '\(assignment)'")
            }
            flags.append((String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]), "--set"))
        }
        guard !flags.isEmpty else { return (MFParameters(), MLPParameters()) }
        do {
            let parameters = try ConfigurationResolver.resolve(file: nil, environment: [:], flags: flags).configuration.modelParameters
            return (parameters.mf, parameters.mlp)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
