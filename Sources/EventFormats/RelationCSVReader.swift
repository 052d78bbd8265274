/// Reads relations from CSV with the header `from,to,type[,weight]` (columns in any order, `weight` optional and
/// may be empty), checking each row with ``RelationRule``. Used by `recsmith import --relations` and
/// `recsmith evaluate --task pairs`.
package final class RelationCSVReader {
    /// Why a file could not be read, with the line.
    package struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        package let line: Int
        package let message: String
        package var description: String { "line \(line): \(message)" }
        package init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    private let reader: CSVReader
    private let types: RelationTypeWeights
    private let columns: (from: Int, to: Int, type: Int, weight: Int?)
    private let width: Int

    /// Opens `path` and reads its header.
    package init(path: String, types: RelationTypeWeights) throws {
        reader = try CSVReader(path: path)
        self.types = types
        guard let header = try reader.next() else { throw Failure(line: 1, message: "the file is empty; it needs the header from,to,type[,weight]") }
        let names = header.fields
        let known: Set<String> = ["from", "to", "type", "weight"]
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw Failure(line: header.line, message: "unknown column \(unknown); the header is from,to,type[,weight]")
        }
        guard Set(names).count == names.count else { throw Failure(line: header.line, message: "a column appears twice in the header") }
        guard let from = names.firstIndex(of: "from"), let to = names.firstIndex(of: "to"), let type = names.firstIndex(of: "type") else {
            throw Failure(line: header.line, message: "the header needs from, to and type columns")
        }
        columns = (from, to, type, names.firstIndex(of: "weight"))
        width = names.count
    }

    /// The next relation and its line, nil at the end; throws at the first bad row.
    package func next() throws -> (line: Int, relation: Relation)? {
        guard let record = try reader.next() else { return nil }
        guard record.count == width else {
            throw Failure(line: record.line, message: "\(record.count) fields; the header has \(width)")
        }
        var weight: Double?
        if let column = columns.weight, !record[column].isEmpty {
            guard let value = Double(record[column]) else { throw Failure(line: record.line, message: "weight is not a number") }
            weight = value
        }
        var problems: [RelationRule.Problem] = []
        guard let relation = RelationRule.relation(
            from: record[columns.from], to: record[columns.to], type: record[columns.type], weight: weight, types: types,
            problems: &problems)
        else {
            throw Failure(line: record.line, message: problems.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
        }
        return (record.line, relation)
    }
}
