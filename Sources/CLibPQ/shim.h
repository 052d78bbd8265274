#include <libpq-fe.h>

/// The SQLSTATE of a failed result, or NULL (`PG_DIAG_SQLSTATE` is a character macro Swift cannot import).
static inline const char *cpq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

/// The primary message of a failed result, without libpq's "ERROR:  " prefix and trailing detail lines.
static inline const char *cpq_primary_message(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}

/// A notice processor that drops notices (`CREATE … IF NOT EXISTS` and friends would print to stderr).
static inline void cpq_ignore_notice(void *argument, const char *message) {
    (void)argument;
    (void)message;
}

/// Installs `cpq_ignore_notice` on a connection.
static inline void cpq_silence_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, cpq_ignore_notice, NULL);
}
