#if canImport(Glibc)
import Glibc
#endif

/// A failed system call, with errno and its `strerror` text.
package struct SocketError: Error, Sendable, CustomStringConvertible {
    /// The call that failed, e.g. `bind`.
    package let call: String
    /// The errno it left.
    package let code: Int32
    /// What the call was for, e.g. `127.0.0.1:8080`.
    package let context: String

    init(_ call: String, code: Int32 = errno, context: String = "") {
        self.call = call
        self.code = code
        self.context = context
    }

    package var description: String {
        let reason = String(cString: strerror(code))
        return context.isEmpty ? "\(call) failed: \(reason) (errno \(code))" : "\(call) \(context) failed: \(reason) (errno \(code))"
    }
}
