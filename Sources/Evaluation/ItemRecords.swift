import EventFormats
import Foundation
import Models

/// Item records read from a JSON Lines file for the content model: one record per line in the public shape
/// `{"item": "i12", "categories": [...], "labels": {...}, "text": "..."}`, kept as documents by item id.
///
/// Unknown fields (`hidden`, dates, …) are ignored. Labels are flattened as `ItemDocument` expects: a string
/// is its value, a number its shortest decimal text (`49.5`, `3`), a boolean `true`/`false`, an array of
/// strings one label per element. Ids match event ids byte for byte (docs/EVALUATION.md §2). A later record
/// of the same item replaces an earlier one.
package struct ItemRecords: Sendable {
    /// The document of every item in the file.
    package let documents: [ExactID: ItemDocument]

    /// Records already read.
    package init(documents: [ExactID: ItemDocument]) {
        self.documents = documents
    }

    /// Reads the file at `path`; blank lines are skipped, any other line must be a valid record.
    package static func load(path: String) throws(EvaluationError) -> ItemRecords {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .itemRecords(path: path, line: nil, reason: "cannot read the file: \(error.localizedDescription)")
        }
        var documents: [ExactID: ItemDocument] = [:]
        let decoder = JSONDecoder()
        // Split on the byte: "\r\n" is one Character, so splitting the String on "\n" would miss CRLF lines.
        for (offset, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            do {
                let record = try decoder.decode(Record.self, from: Data(line))
                guard !record.item.isEmpty else { throw RecordError("\"item\" must not be empty") }
                documents[ExactID(record.item)] = record.document
            } catch {
                throw .itemRecords(path: path, line: offset + 1, reason: Self.reason(error))
            }
        }
        return ItemRecords(documents: documents)
    }

    /// The documents of `itemIDs`, in order; nil for an item without a record.
    package func aligned(to itemIDs: [String]) -> [ItemDocument?] {
        itemIDs.map { documents[ExactID($0)] }
    }

    /// A short reason for a line that did not decode.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let error as RecordError:
            return error.message
        case DecodingError.keyNotFound(let key, _):
            return "\"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return "\"\(path)\" has the wrong type: \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not a JSON object" : context.debugDescription
        default:
            return "\(error)"
        }
    }
}

/// A record line as decoded; fields beyond these are ignored.
private struct Record: Decodable {
    let item: String
    let categories: [String]?
    let labels: [String: LabelValue]?
    let text: String?

    var document: ItemDocument {
        // Sorted by name so the document does not depend on the dictionary's order.
        let labels = (labels ?? [:]).sorted { $0.key < $1.key }.flatMap { name, value in
            value.texts.map { ItemDocument.Label(name: name, value: $0) }
        }
        return ItemDocument(categories: categories ?? [], labels: labels, text: text ?? "")
    }
}

/// A label's value: a string, a number, a boolean or an array of strings.
private enum LabelValue: Decodable {
    case text(String)
    case number(Double)
    case flag(Bool)
    case list([String])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool first: JSON `true` is not a number, and a number is not a Bool, for JSONDecoder.
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let list = try? container.decode([String].self) {
            self = .list(list)
        } else {
            throw DecodingError.typeMismatch(
                LabelValue.self,
                .init(codingPath: decoder.codingPath, debugDescription: "a label is a string, number, boolean or array of strings"))
        }
    }

    /// The value as label texts (one per array element).
    var texts: [String] {
        switch self {
        case let .text(text): [text]
        case let .number(number):
            [number == number.rounded() && number.magnitude < 1e15 ? String(Int64(number)) : "\(number)"]
        case let .flag(flag): [flag ? "true" : "false"]
        case let .list(list): list
        }
    }
}

/// A record that is valid JSON but not a valid item record.
private struct RecordError: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
