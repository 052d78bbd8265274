import Catalogue
import Dispatch
import EventStore
import HTTPServer
import Logging
import Observability
import OnlineLoop
import Serving
import Training

/// `GET /dashboard` and the admin JSON it reads (`/admin/…`, openapi.yaml): a live view of the store, the models,
/// one user, one item, the catalogue and the last evaluation report.
///
/// The page and its script and styles are static files built into the binary (`embedded-files`); they hold no
/// data and no credential, so they are served to anyone. Every `/admin/…` route is behind the admin token, which
/// the page asks for once and keeps in `sessionStorage`. Reads that may scan the events table run on `queue`.
package struct DashboardAPI: Sendable {
    let store: any EventStore
    let catalogue: Catalogue
    let serving: Serving
    let trainer: Trainer
    let registry: ModelRegistry
    let metrics: ServiceMetrics
    let online: OnlineTracker
    let reports: ReportShelf
    let logger: Logger
    let queue = DispatchQueue(label: "recsmith.dashboard", qos: .utility)

    /// A dashboard over the service's parts; the last uploaded report is kept in `reportDirectory` (nil: memory only).
    package init(store: any EventStore, catalogue: Catalogue, serving: Serving, trainer: Trainer, registry: ModelRegistry,
                 metrics: ServiceMetrics, online: OnlineTracker, reportDirectory: String?, logger: Logger) {
        self.store = store
        self.catalogue = catalogue
        self.serving = serving
        self.trainer = trainer
        self.registry = registry
        self.metrics = metrics
        self.online = online
        self.reports = ReportShelf(directory: reportDirectory, logger: logger)
        self.logger = logger
    }

    /// Adds the page, its assets and the admin routes; `admin` puts a handler behind the admin token.
    package func register(in router: inout Router, admin gate: (@escaping Router.Handler) -> Router.Handler) {
        for asset in DashboardAssets.all {
            router.add("GET", asset.path) { _ in asset.response }
        }
        // A store that cannot be read for now (PostgreSQL unreachable) is a 503 to retry, not a 500.
        func admin(_ handler: @escaping Router.Handler) -> Router.Handler {
            gate { request in
                do {
                    return try handler(request)
                } catch let error as EventStoreError where error.isTransient {
                    throw DashboardError.storeUnavailable(error)
                }
            }
        }
        let slow = Router.Execution.queue(queue)
        router.add("GET", "/admin/overview", execution: slow, admin { request in try overview(request) })
        router.add("GET", "/admin/models", admin { request in try models(request) })
        router.add("GET", "/admin/users/{user}", execution: slow, admin { request in try user(request) })
        router.add("GET", "/admin/items/{item}", execution: slow, admin { request in try item(request) })
        router.add("GET", "/admin/catalogue", execution: slow, admin { request in try catalogueSearch(request) })
        router.add("GET", "/admin/evaluation", admin { request in try lastReport(request) })
        router.add("POST", "/admin/evaluation", execution: slow, admin { request in try uploadReport(request) })
        router.add("GET", "/admin/metrics/online", execution: slow, admin { request in try onlineMetrics(request) })
        router.add("GET", "/admin/experiments", admin { request in try experimentList(request) })
        router.add("GET", "/admin/experiments/{name}", execution: slow, admin { request in try experimentReport(request) })
        router.add("POST", "/admin/experiments/{name}/stop", execution: slow, admin { request in try stopExperiment(request) })
        // OPTIONS refuses the ids GET would refuse (it is not gated: preflights carry no credentials).
        router.checkOptions("/admin/users/{user}") { request in _ = try AdminQuery.identifier(request, "user") }
        router.checkOptions("/admin/items/{item}") { request in _ = try AdminQuery.identifier(request, "item") }
        router.checkOptions("/admin/experiments/{name}") { request in _ = try AdminQuery.identifier(request, "name") }
        router.checkOptions("/admin/experiments/{name}/stop") { request in _ = try AdminQuery.identifier(request, "name") }
    }
}
