/// The event store's tables and the migrations that build them, one step per schema version.
///
/// The version lives in `PRAGMA user_version`; `PRAGMA application_id` marks the file as a Recsmith store.
/// Users and items get `id = dense index + 1`, assigned by the store in order and never reused (rows are
/// never deleted). Event ids (`external_id`) sit in a partial unique index, so events without one cost no
/// index entry.
enum StoreSchema {
    /// `RCS1` in ASCII.
    static let applicationID: Int64 = 0x5243_5331

    /// Migration `n` (0-based) takes the schema from version `n` to `n + 1`.
    static let migrations: [[String]] = [
        [
            "CREATE TABLE users (id INTEGER PRIMARY KEY, external TEXT NOT NULL UNIQUE) STRICT",
            "CREATE TABLE items (id INTEGER PRIMARY KEY, external TEXT NOT NULL UNIQUE) STRICT",
            """
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY,
                user INTEGER NOT NULL,
                item INTEGER NOT NULL,
                type TEXT NOT NULL,
                weight REAL NOT NULL,
                timestamp REAL NOT NULL,
                external_id TEXT
            ) STRICT
            """,
            "CREATE UNIQUE INDEX events_external_id ON events(external_id) WHERE external_id IS NOT NULL",
        ],
    ]

    /// The version this build reads and writes.
    static var currentVersion: Int { migrations.count }

    static let insertEvent = """
        INSERT INTO events (user, item, type, weight, timestamp, external_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT (external_id) WHERE external_id IS NOT NULL DO NOTHING
        """
    static let insertUser = "INSERT INTO users (id, external) VALUES (?1, ?2)"
    static let insertItem = "INSERT INTO items (id, external) VALUES (?1, ?2)"
    static let selectUsers = "SELECT id, external FROM users ORDER BY id"
    static let selectItems = "SELECT id, external FROM items ORDER BY id"
    static let selectEvents = "SELECT user, item, weight, timestamp FROM events ORDER BY seq"
}
