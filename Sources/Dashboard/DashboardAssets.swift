import HTTPServer
import Reports

/// The dashboard's static files: the page, its script and its styles (the report's styles too, for the evaluation
/// page), built into the binary. Each goes out with a Content-Security-Policy that allows nothing but this server.
struct DashboardAssets {
    let path: String
    let response: HTTPResponse

    static let all: [DashboardAssets] = [
        asset("/dashboard", "dashboard.html", type: "text/html; charset=utf-8"),
        asset("/dashboard/dashboard.js", "dashboard.js", type: "text/javascript; charset=utf-8"),
        asset("/dashboard/dashboard.css", "dashboard.css", type: "text/css; charset=utf-8"),
        asset("/dashboard/icon.svg", "icon.svg", type: "image/svg+xml"),
        // Browsers ask for it on every page of the origin (/docs too); an answer keeps their consoles clean.
        asset("/favicon.ico", "icon.svg", type: "image/svg+xml"),
        DashboardAssets(path: "/dashboard/report.css", response: response(Array(HTMLPage.style.utf8), type: "text/css; charset=utf-8")),
    ]

    private static func asset(_ path: String, _ name: String, type: String) -> DashboardAssets {
        // The plugin embeds every listed file or fails the build: a missing name is a programming error.
        guard let text = EmbeddedFiles.text[name] else { preconditionFailure("\(name) is not embedded") }
        return DashboardAssets(path: path, response: response(Array(text.utf8), type: type))
    }

    private static func response(_ body: [UInt8], type: String) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: HTTPHeaders([
            ("content-type", type), ("content-security-policy", "default-src 'self'"), ("x-content-type-options", "nosniff"),
            ("cache-control", "no-cache"), ("referrer-policy", "no-referrer"),
        ]), body: body)
    }
}
