/// A PostgreSQL connection URL (`postgresql://user:secret@host:5432/db?sslmode=require`), as libpq reads it.
///
/// libpq parses the URL itself (`expand_dbname`), so every libpq parameter works — `sslmode`, `sslrootcert`,
/// `host=/run/postgresql` for a Unix socket, `application_name`, … — and TLS is used exactly when the URL asks
/// for it. Only `redacted` is ours: the form every message and log line shows, with the password and any other
/// secret parameter replaced by `***`.
package struct PostgresTarget: Sendable, Hashable, CustomStringConvertible {
    /// The URL as given; only libpq sees it.
    package let url: String

    /// Query parameters whose values are secrets.
    private static let secretParameters: Set<String> = ["password", "sslpassword"]

    /// Wraps `url`, which must start with `postgresql://` or `postgres://`.
    package init?(url: String) {
        guard Self.isPostgresURL(url) else { return nil }
        self.url = url
    }

    /// True for a `postgresql://` or `postgres://` URL.
    package static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The URL without its secrets: `postgresql://app:***@db:5432/recsmith?sslmode=require`.
    package var redacted: String {
        guard let colon = url.firstIndex(of: ":") else { return "***" }
        let schemeEnd = url.index(colon, offsetBy: 3, limitedBy: url.endIndex) ?? url.endIndex
        var rest = Substring(url[schemeEnd...])
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        // The authority ends at the first "/" after the last "@" (a password may hold "/" but not an unescaped "@").
        var authority = rest
        var path: Substring = ""
        let afterUser = rest.lastIndex(of: "@").map { rest.index(after: $0) } ?? rest.startIndex
        if let slash = rest[afterUser...].firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[slash...]
        }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                authority = userInfo[..<colon] + ":***" + authority[at...]
            }
        }
        var text = String(url[..<schemeEnd]) + authority + path
        if let query {
            let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
                let name = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                return Self.secretParameters.contains(name.lowercased()) ? name + "=***" : String(parameter)
            }
            text += "?" + parameters.joined(separator: "&")
        }
        return text
    }

    package var description: String { redacted }
}
