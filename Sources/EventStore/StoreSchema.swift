/// The event store's tables and the migrations that build them, one step per schema version.
///
/// The version lives in `PRAGMA user_version`; `PRAGMA application_id` marks the file as a Recsmith store.
/// Users and items get `id = dense index + 1`, assigned by the store in order and never reused: an erased
/// user's row stays as a tombstone whose `external` is `erasedPrefix` + the index, so no later user gets the
/// index (and a model's row) of an erased one. Event ids (`external_id`) sit in a partial unique index, so events
/// without one cost no index entry. Since version 2, items and users carry their catalogue record (JSON text,
/// NULL without one) and items a `deleted` flag (deleted through the API; events stay unless purged). Since
/// version 3, `relations` holds item–item relations, one row per (source, target, type), by item id. Since version 4,
/// `event_activity` counts the stored events per hour of their timestamp (unix seconds / 3600, truncated) and type,
/// kept in the transactions that insert or delete events, so the dashboard reads activity without scanning events.
/// Since version 5 (the online loop), an event may carry the `recommendation_id` it echoed; `served_lists` remembers
/// ranking answers by id until `expires_at` (items as little-endian `Int32` indices); `attributions` holds, per
/// attributed event (`events.seq`), the list, its model, experiment, variant and the item's 0-based position;
/// `online_lists` and `online_events` count lists and attributed events per minute of the list's serving time (unix
/// seconds / 60) — kept by the same transactions, and unlike the lists never expired, so figures survive retention —
/// with `experiment`, `variant` and `model` empty for unattributed events (counted per minute of their commit); and
/// `experiment_outcomes` records stopped experiments and their winners.
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
        [
            "ALTER TABLE items ADD COLUMN record TEXT",
            "ALTER TABLE items ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE users ADD COLUMN record TEXT",
        ],
        [
            """
            CREATE TABLE relations (
                source INTEGER NOT NULL,
                target INTEGER NOT NULL,
                type TEXT NOT NULL,
                weight REAL NOT NULL,
                PRIMARY KEY (source, target, type)
            ) STRICT, WITHOUT ROWID
            """,
            "CREATE INDEX relations_target ON relations(target)",
        ],
        [
            """
            CREATE TABLE event_activity (
                hour INTEGER NOT NULL,
                type TEXT NOT NULL,
                events INTEGER NOT NULL,
                PRIMARY KEY (hour, type)
            ) STRICT, WITHOUT ROWID
            """,
            """
            INSERT INTO event_activity (hour, type, events)
            SELECT CAST(timestamp / 3600 AS INTEGER), type, count(*) FROM events GROUP BY 1, 2
            """,
        ],
        [
            "ALTER TABLE events ADD COLUMN recommendation_id TEXT",
            """
            CREATE TABLE served_lists (
                id TEXT PRIMARY KEY,
                served_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                user TEXT,
                model TEXT NOT NULL,
                version TEXT NOT NULL,
                experiment TEXT NOT NULL,
                variant TEXT NOT NULL,
                items BLOB NOT NULL,
                weight INTEGER NOT NULL,
                attributed INTEGER NOT NULL DEFAULT 0,
                converted INTEGER NOT NULL DEFAULT 0
            ) STRICT, WITHOUT ROWID
            """,
            "CREATE INDEX served_lists_expiry ON served_lists(expires_at)",
            "CREATE INDEX served_lists_user ON served_lists(user) WHERE user IS NOT NULL",
            """
            CREATE TABLE attributions (
                event INTEGER PRIMARY KEY,
                list TEXT NOT NULL,
                served_at REAL NOT NULL,
                experiment TEXT NOT NULL,
                variant TEXT NOT NULL,
                model TEXT NOT NULL,
                position INTEGER NOT NULL
            ) STRICT
            """,
            """
            CREATE TABLE online_lists (
                minute INTEGER NOT NULL,
                experiment TEXT NOT NULL,
                variant TEXT NOT NULL,
                model TEXT NOT NULL,
                lists INTEGER NOT NULL,
                weighted INTEGER NOT NULL,
                attributed_lists INTEGER NOT NULL,
                converted_lists INTEGER NOT NULL,
                PRIMARY KEY (minute, experiment, variant, model)
            ) STRICT, WITHOUT ROWID
            """,
            """
            CREATE TABLE online_events (
                minute INTEGER NOT NULL,
                experiment TEXT NOT NULL,
                variant TEXT NOT NULL,
                model TEXT NOT NULL,
                type TEXT NOT NULL,
                position INTEGER NOT NULL,
                events INTEGER NOT NULL,
                PRIMARY KEY (minute, experiment, variant, model, type, position)
            ) STRICT, WITHOUT ROWID
            """,
            "CREATE TABLE experiment_outcomes (name TEXT PRIMARY KEY, winner TEXT NOT NULL, stopped_at REAL NOT NULL) STRICT",
        ],
    ]

    /// The version this build reads and writes.
    static var currentVersion: Int { migrations.count }

    static let insertEvent = """
        INSERT INTO events (user, item, type, weight, timestamp, external_id, recommendation_id)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
        ON CONFLICT (external_id) WHERE external_id IS NOT NULL DO NOTHING
        """
    static let insertUser = "INSERT INTO users (id, external) VALUES (?1, ?2)"
    static let insertItem = "INSERT INTO items (id, external) VALUES (?1, ?2)"
    static let selectUsers = "SELECT id, external FROM users ORDER BY id"
    static let selectItems = "SELECT id, external FROM items ORDER BY id"

    /// The `external` of an erased user: a control character no valid id can hold, then the index.
    static let erasedPrefix = "\u{1}erased:"

    static let selectItemState = "SELECT record IS NOT NULL FROM items WHERE id = ?1"
    static let insertItemRecord = "INSERT INTO items (id, external, record) VALUES (?1, ?2, ?3)"
    static let updateItemRecord = "UPDATE items SET record = ?2, deleted = ?3 WHERE id = ?1"
    static let deleteItemEvents = "DELETE FROM events WHERE item = ?1"
    static let insertUserRecord = "INSERT INTO users (id, external, record) VALUES (?1, ?2, ?3)"
    static let updateUserRecord = "UPDATE users SET record = ?2 WHERE id = ?1"
    static let deleteUserEvents = "DELETE FROM events WHERE user = ?1"
    static let deleteUserAttributions = "DELETE FROM attributions WHERE event IN (SELECT seq FROM events WHERE user = ?1)"
    static let deleteItemAttributions = "DELETE FROM attributions WHERE event IN (SELECT seq FROM events WHERE item = ?1)"
    static let deleteUserServedLists = "DELETE FROM served_lists WHERE user = ?1"
    static let eraseUser = "UPDATE users SET external = ?2, record = NULL WHERE id = ?1"
    static let selectItemRecords = "SELECT id, record, deleted FROM items WHERE record IS NOT NULL OR deleted != 0 ORDER BY id"
    static let upsertRelation = """
        INSERT INTO relations (source, target, type, weight) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (source, target, type) DO UPDATE SET weight = excluded.weight WHERE weight != excluded.weight
        """
    static let selectRelations = "SELECT source, target, type, weight FROM relations"
    static let deleteItemRelations = "DELETE FROM relations WHERE source = ?1 OR target = ?1"
    static let selectUserRecords = "SELECT id, record FROM users WHERE record IS NOT NULL ORDER BY id"
    static let addActivity = """
        INSERT INTO event_activity (hour, type, events) VALUES (?1, ?2, ?3)
        ON CONFLICT (hour, type) DO UPDATE SET events = events + excluded.events
        """

    /// Takes the events matching `condition` (on `events`, with `?1`) out of `event_activity`; run before deleting them.
    static func subtractActivity(where condition: String) -> [String] {
        [
            """
            UPDATE event_activity SET events = event_activity.events - removed.n
            FROM (SELECT CAST(timestamp / 3600 AS INTEGER) AS hour, type, count(*) AS n FROM events
                  WHERE \(condition) GROUP BY 1, 2) AS removed
            WHERE event_activity.hour = removed.hour AND event_activity.type = removed.type
            """,
            "DELETE FROM event_activity WHERE events <= 0",
        ]
    }
}
