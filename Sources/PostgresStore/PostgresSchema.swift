/// The PostgreSQL store's tables, its migrations and its prepared statements.
///
/// The same concepts as the SQLite store's `StoreSchema`: users and items get `id = dense index + 1`, assigned
/// in order and never reused (an erased user keeps a tombstone `external`); events carry an optional
/// idempotency id in a partial unique index; records, relations, hourly activity, served lists, attributions,
/// the online counts and experiment outcomes as there. Differences: `events.seq` comes from the sequence
/// `events_seq`, drawn only by writers holding the store's write lock (see `PostgresEventStore`), which makes
/// it the change feed's cursor; `served_lists.items` is an `integer[]` of item indices; the schema version
/// lives in `recsmith_schema`. Column names avoid SQL keywords (`user_id`, `item_id`, `ts`, `user_name`).
enum PostgresSchema {
    /// Migration `n` (0-based) takes the schema from version `n` to `n + 1`; each runs as one script.
    static let migrations: [String] = [
        """
        CREATE TABLE recsmith_schema (version integer NOT NULL);
        INSERT INTO recsmith_schema (version) VALUES (0);
        CREATE TABLE users (id integer PRIMARY KEY, external text NOT NULL UNIQUE, record text);
        CREATE TABLE items (
            id integer PRIMARY KEY, external text NOT NULL UNIQUE, record text, deleted boolean NOT NULL DEFAULT false);
        CREATE SEQUENCE events_seq AS bigint;
        CREATE TABLE events (
            seq bigint PRIMARY KEY,
            user_id integer NOT NULL,
            item_id integer NOT NULL,
            type text NOT NULL,
            weight double precision NOT NULL,
            ts double precision NOT NULL,
            external_id text,
            recommendation_id text
        );
        CREATE UNIQUE INDEX events_external_id ON events (external_id) WHERE external_id IS NOT NULL;
        CREATE TABLE relations (
            source integer NOT NULL, target integer NOT NULL, type text NOT NULL, weight double precision NOT NULL,
            PRIMARY KEY (source, target, type));
        CREATE INDEX relations_target ON relations (target);
        CREATE TABLE event_activity (hour bigint NOT NULL, type text NOT NULL, events bigint NOT NULL, PRIMARY KEY (hour, type));
        CREATE TABLE served_lists (
            id text PRIMARY KEY,
            served_at double precision NOT NULL,
            expires_at double precision NOT NULL,
            user_name text,
            model text NOT NULL,
            version text NOT NULL,
            experiment text NOT NULL,
            variant text NOT NULL,
            items integer[] NOT NULL,
            weight integer NOT NULL,
            attributed integer NOT NULL DEFAULT 0,
            converted integer NOT NULL DEFAULT 0
        );
        CREATE INDEX served_lists_expiry ON served_lists (expires_at);
        CREATE INDEX served_lists_user ON served_lists (user_name) WHERE user_name IS NOT NULL;
        CREATE TABLE attributions (
            event bigint PRIMARY KEY, list text NOT NULL, served_at double precision NOT NULL, experiment text NOT NULL,
            variant text NOT NULL, model text NOT NULL, position integer NOT NULL);
        CREATE TABLE online_lists (
            minute bigint NOT NULL, experiment text NOT NULL, variant text NOT NULL, model text NOT NULL,
            lists bigint NOT NULL, weighted bigint NOT NULL, attributed_lists bigint NOT NULL, converted_lists bigint NOT NULL,
            PRIMARY KEY (minute, experiment, variant, model));
        CREATE TABLE online_events (
            minute bigint NOT NULL, experiment text NOT NULL, variant text NOT NULL, model text NOT NULL, type text NOT NULL,
            position integer NOT NULL, events bigint NOT NULL,
            PRIMARY KEY (minute, experiment, variant, model, type, position));
        CREATE TABLE experiment_outcomes (name text PRIMARY KEY, winner text NOT NULL, stopped_at double precision NOT NULL);
        """,
        // Model sets published by the elected trainer (see `PostgresSnapshots`): a version row, then each file of
        // the set in chunks. The chunks are compressed archives already: stored out of line, uncompressed.
        """
        CREATE SEQUENCE snapshots_version AS bigint;
        CREATE TABLE snapshots (version bigint PRIMARY KEY, pass integer NOT NULL, created_at double precision NOT NULL);
        CREATE TABLE snapshot_chunks (
            version bigint NOT NULL REFERENCES snapshots ON DELETE CASCADE,
            file text NOT NULL,
            chunk integer NOT NULL,
            data bytea NOT NULL,
            PRIMARY KEY (version, file, chunk));
        ALTER TABLE snapshot_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
        """,
        // The change feed's record of what is not an event (see `PostgresFeedRead.Change`): one row per kind and
        // subject, its `seq` drawn from `events_seq` by the latest change, so the table stays as small as the
        // catalogue and a reader behind by many writes of one record sees it once.
        """
        CREATE TABLE changes (kind smallint NOT NULL, subject integer NOT NULL, seq bigint NOT NULL, PRIMARY KEY (kind, subject));
        CREATE INDEX changes_seq ON changes (seq);
        """,
    ]

    /// The version this build reads and writes.
    static var currentVersion: Int { migrations.count }

    /// `pg_advisory_xact_lock` keys: every transaction that draws `events_seq` or claims an id holds `writeLock`
    /// (`RCS1` in ASCII, as the SQLite store's application id); migrations hold `migrationLock`.
    static let writeLock: Int64 = 0x5243_5331
    static let migrationLock: Int64 = 0x5243_5332
    /// The session-level `pg_try_advisory_lock` key the active trainer holds (`PostgresLeaderElection`).
    static let trainerLock: Int64 = 0x5243_5333

    /// The `external` of an erased user: a control character no valid id can hold, then the index.
    static let erasedPrefix = "\u{1}erased:"

    // MARK: Opening

    static let schemaTableExists = PostgresStatement(
        "schema_exists", "SELECT to_regclass('recsmith_schema') IS NOT NULL")
    static let selectVersion = PostgresStatement("select_version", "SELECT version FROM recsmith_schema")
    static let setVersion = PostgresStatement("set_version", "UPDATE recsmith_schema SET version = $1")
    static let countTables = PostgresStatement(
        "count_tables", "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
    static let lock = PostgresStatement("lock", "SELECT pg_advisory_xact_lock($1)")

    // MARK: Ids and the feed

    /// In one round trip: the users (part 0) and items (part 1) after the given ids with their names, and the
    /// changes (part 2) after a feed position with their subject and kind, each part in order.
    ///
    /// The ids are bounded above as well (`$4`, the largest id) although nothing lies beyond: a prepared
    /// statement soon runs a generic plan, and for an open range the planner guesses a third of the table and
    /// scans all of it — users and items on every write and poll — where a closed one gets the index.
    static let namesAndChanges = PostgresStatement("names_and_changes", """
        SELECT 0 AS part, id::bigint AS key, external, NULL::integer AS subject, NULL::smallint AS kind FROM users
            WHERE id > $1 AND id <= $4
        UNION ALL SELECT 1, id::bigint, external, NULL, NULL FROM items WHERE id > $2 AND id <= $4
        UNION ALL SELECT 2, seq, NULL, subject, kind FROM changes WHERE seq > $3
        ORDER BY 1, 2
        """)
    /// The newest change's position (0 without changes).
    static let changesHead = PostgresStatement("changes_head", "SELECT coalesce(max(seq), 0) FROM changes")
    /// Records changes (kinds `$1`, subjects `$2`, no pair twice) at new feed positions; returns the positions.
    static let noteChanges = PostgresStatement("note_changes", """
        INSERT INTO changes (kind, subject, seq) SELECT kind, subject, nextval('events_seq') FROM unnest($1::smallint[], $2::integer[])
        AS c(kind, subject) ON CONFLICT (kind, subject) DO UPDATE SET seq = excluded.seq RETURNING seq
        """)
    /// The state the feed's changes left, read in the feed's snapshot: item and user records, relations from items,
    /// and the events per item and per user (part 0 items, part 1 users).
    static let feedItemRecords = PostgresStatement(
        "feed_item_records", "SELECT id, record, deleted FROM items WHERE id = ANY($1::integer[])")
    static let feedUserRecords = PostgresStatement("feed_user_records", "SELECT id, record FROM users WHERE id = ANY($1::integer[])")
    static let feedRelations = PostgresStatement(
        "feed_relations", "SELECT source, target, type, weight FROM relations WHERE source = ANY($1::integer[])")
    static let feedRecount = PostgresStatement("feed_recount", """
        SELECT 0, item_id, count(*) FROM events WHERE item_id = ANY($1::integer[]) GROUP BY item_id
        UNION ALL SELECT 1, user_id, count(*) FROM events WHERE user_id = ANY($2::integer[]) GROUP BY user_id
        """)
    /// A snapshot for the feed's reads outside the write lock: every statement sees the same commits.
    static let beginSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    /// Events after a feed position, at most `$3`, each with whether its type is explicit (`$2`: the explicit types).
    static let eventsAfter = PostgresStatement("events_after", """
        SELECT seq, user_id, item_id, weight, ts, type = ANY($2::text[]) FROM events WHERE seq > $1 ORDER BY seq LIMIT $3
        """)
    /// Reserves `$1` consecutive `seq` values (only under the write lock, so nobody draws between) and returns the first.
    static let reserveSeqs = PostgresStatement(
        "reserve_seqs", "SELECT setval('events_seq', nextval('events_seq') + $1 - 1) - $1 + 1")
    /// Which of the given event ids are stored.
    static let storedEventIDs = PostgresStatement(
        "stored_event_ids", "SELECT external_id FROM events WHERE external_id = ANY($1::text[])")
    static let insertUsers = PostgresStatement(
        "insert_users", "INSERT INTO users (id, external) SELECT * FROM unnest($1::integer[], $2::text[])")
    static let insertItems = PostgresStatement(
        "insert_items", "INSERT INTO items (id, external) SELECT * FROM unnest($1::integer[], $2::text[])")
    static let copyEvents = """
        COPY events (seq, user_id, item_id, type, weight, ts, external_id, recommendation_id) FROM STDIN
        """
    static let addActivity = PostgresStatement("add_activity", """
        INSERT INTO event_activity (hour, type, events) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
        ON CONFLICT (hour, type) DO UPDATE SET events = event_activity.events + excluded.events
        """)
    /// For a bulk import: the batch's event ids go to a temporary table, and the stored ones come back.
    static let createIncomingIDs = "CREATE TEMPORARY TABLE incoming_ids (id text NOT NULL) ON COMMIT DROP"
    static let copyIncomingIDs = "COPY incoming_ids (id) FROM STDIN"
    static let storedIncomingIDs = PostgresStatement(
        "stored_incoming_ids", "SELECT DISTINCT incoming_ids.id FROM incoming_ids JOIN events ON events.external_id = incoming_ids.id")

    // MARK: Leadership and model sets

    static let tryTrainerLock = PostgresStatement("try_trainer_lock", "SELECT pg_try_advisory_lock($1)")
    static let ping = PostgresStatement("ping", "SELECT 1")
    static let nextSnapshotVersion = PostgresStatement("next_snapshot_version", "SELECT nextval('snapshots_version')")
    static let insertSnapshot = PostgresStatement(
        "insert_snapshot", "INSERT INTO snapshots (version, pass, created_at) VALUES ($1, $2, $3)")
    static let insertSnapshotChunk = PostgresStatement(
        "insert_snapshot_chunk", "INSERT INTO snapshot_chunks (version, file, chunk, data) VALUES ($1, $2, $3, $4)")
    /// Deletes all but the newest `$1` versions (their chunks go with them).
    static let pruneSnapshots = PostgresStatement("prune_snapshots", """
        DELETE FROM snapshots WHERE version NOT IN (SELECT version FROM snapshots ORDER BY version DESC LIMIT $1)
        """)
    /// Tells the listeners at commit.
    static let notifySnapshot = PostgresStatement("notify_snapshot", "SELECT pg_notify('recsmith_snapshots', $1)")
    static let newestSnapshot = PostgresStatement("newest_snapshot", "SELECT coalesce(max(version), 0) FROM snapshots")
    static let snapshotFiles = PostgresStatement(
        "snapshot_files", "SELECT file, count(*) FROM snapshot_chunks WHERE version = $1 GROUP BY file ORDER BY file")
    /// One chunk's bytes (run with a binary result).
    static let snapshotChunk = PostgresStatement(
        "snapshot_chunk", "SELECT data FROM snapshot_chunks WHERE version = $1 AND file = $2 AND chunk = $3")
}
