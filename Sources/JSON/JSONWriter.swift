/// Builds a JSON document by appending to a byte buffer; the response path's hand-written encoder.
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []
    private var needsComma = [false]

    package init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    package mutating func beginObject() { value { $0.bytes.append(UInt8(ascii: "{")) }; needsComma.append(false) }
    package mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    package mutating func beginArray() { value { $0.bytes.append(UInt8(ascii: "[")) }; needsComma.append(false) }
    package mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    /// Writes `"name":`; the next value call writes its value.
    package mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
        pendingKey = true
    }

    package mutating func string(_ text: String) { value { $0.appendString(text) } }
    package mutating func int(_ number: Int) { value { $0.bytes.append(contentsOf: String(number).utf8) } }
    package mutating func bool(_ flag: Bool) { value { $0.bytes.append(contentsOf: (flag ? "true" : "false").utf8) } }
    package mutating func null() { value { $0.bytes.append(contentsOf: "null".utf8) } }

    /// Writes a finite number in its shortest round-trip form; non-finite values become null.
    package mutating func number(_ number: Double) {
        value { writer in
            guard number.isFinite else { return writer.bytes.append(contentsOf: "null".utf8) }
            writer.bytes.append(contentsOf: (number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : "\(number)").utf8)
        }
    }

    package mutating func number(_ number: Float) {
        value { writer in
            guard number.isFinite else { return writer.bytes.append(contentsOf: "null".utf8) }
            writer.bytes.append(contentsOf: "\(number)".utf8)
        }
    }

    /// Writes an already-encoded JSON value.
    package mutating func raw(_ json: String) { value { $0.bytes.append(contentsOf: json.utf8) } }

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
