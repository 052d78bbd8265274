#include <sqlite3.h>

/// Binds text that SQLite copies at once (`SQLITE_TRANSIENT` is a cast macro that Swift cannot import).
static inline int csqlite_bind_text_transient(sqlite3_stmt *statement, int index, const char *text, int byteCount) {
    return sqlite3_bind_text(statement, index, text, byteCount, SQLITE_TRANSIENT);
}

/// Binds a blob that SQLite copies at once.
static inline int csqlite_bind_blob_transient(sqlite3_stmt *statement, int index, const void *bytes, int byteCount) {
    return sqlite3_bind_blob(statement, index, bytes, byteCount, SQLITE_TRANSIENT);
}
