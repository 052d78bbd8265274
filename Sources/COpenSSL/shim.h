#include <openssl/sha.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/err.h>

// OpenSSL spells these as macros over SSL_CTX_ctrl, which Swift cannot import; these are the same calls.

static inline int recsmith_ssl_ctx_set_min_proto_version(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_min_proto_version(context, version);
}

static inline long recsmith_ssl_ctx_set_mode(SSL_CTX *context, long mode) {
    return SSL_CTX_set_mode(context, mode);
}

static inline int recsmith_tls1_2_version(void) { return TLS1_2_VERSION; }

static inline long recsmith_ssl_mode_nonblocking(void) {
    return SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS;
}

static inline uint64_t recsmith_ssl_server_options(void) {
    return SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE;
}

static inline int recsmith_ssl_ctx_set_max_proto_version(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_max_proto_version(context, version);
}

static inline int recsmith_tls1_1_version(void) { return TLS1_1_VERSION; }
static inline int recsmith_tls1_3_version(void) { return TLS1_3_VERSION; }
