import HTTPServer

/// Builds a JSON document by appending to a byte buffer; the response path's hand-written encoder.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = [false]

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() { value { $0.bytes.append(UInt8(ascii: "{")) }; needsComma.append(false) }
    mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    mutating func beginArray() { value { $0.bytes.append(UInt8(ascii: "[")) }; needsComma.append(false) }
    mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    /// Writes `"name":`; the next value call writes its value.
    mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
        pendingKey = true
    }

    mutating func string(_ text: String) { value { $0.appendString(text) } }
    mutating func int(_ number: Int) { value { $0.bytes.append(contentsOf: String(number).utf8) } }
    mutating func bool(_ flag: Bool) { value { $0.bytes.append(contentsOf: (flag ? "true" : "false").utf8) } }
    mutating func null() { value { $0.bytes.append(contentsOf: "null".utf8) } }

    /// Writes a finite number in its shortest round-trip form; non-finite values become null.
    mutating func number(_ number: Double) {
        value { writer in
            guard number.isFinite else { return writer.bytes.append(contentsOf: "null".utf8) }
            writer.bytes.append(contentsOf: (number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : "\(number)").utf8)
        }
    }

    mutating func number(_ number: Float) {
        value { writer in
            guard number.isFinite else { return writer.bytes.append(contentsOf: "null".utf8) }
            writer.bytes.append(contentsOf: "\(number)".utf8)
        }
    }

    /// Writes an already-encoded JSON value.
    mutating func raw(_ json: String) { value { $0.bytes.append(contentsOf: json.utf8) } }

    private var pendingKey = false

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func value(_ write: (inout JSONWriter) -> Void) {
        if pendingKey {
            pendingKey = false
        } else {
            separate()
        }
        write(&self)
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendString(_ text: String) {
        var encoded = ""
        appendJSONString(text, to: &encoded)
        bytes.append(contentsOf: encoded.utf8)
    }
}
