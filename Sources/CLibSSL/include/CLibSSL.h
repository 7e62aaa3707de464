#pragma once
// OpenSSL's TLS library (libssl, with the libcrypto it links), loaded on demand: only `scan --verify` and
// `keywarden verify` open TLS connections, and linking libssl and libcrypto cost every run about 1.4 ms of
// start-up (their relocations and page faults), a one-file scan's twentieth. Loaded, not linked in, so that the TLS stack
// that talks to the network is the system's and gets its security updates. (Hashing links libcrypto's
// archive for SHA-2 only: pure computation on keywarden's own data.) The types and constants come from
// OpenSSL's headers; the functions are reached through `kw_`-prefixed forwarders.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

/// Opens libssl (once per process; later calls return the first answer). NULL when it is loaded with every
/// function keywarden uses, else a message saying what failed (static storage). No `kw_` function may be
/// called before this has returned NULL.
const char *keywarden_ssl_load(void);

/// Whether `soname` opens as a libssl with every function keywarden uses (1), else 0 with `why` filled in;
/// the loaded library is not used. For tests of the failure path.
int keywarden_ssl_probe(const char *soname, char *why, size_t size);

const SSL_METHOD *kw_TLS_client_method(void);
SSL_CTX *kw_SSL_CTX_new(const SSL_METHOD *meth);
void kw_SSL_CTX_free(SSL_CTX *ctx);
int kw_SSL_CTX_set_default_verify_paths(SSL_CTX *ctx);
void kw_SSL_CTX_set_verify(SSL_CTX *ctx, int mode, SSL_verify_cb callback);
long kw_SSL_CTX_ctrl(SSL_CTX *ctx, int cmd, long larg, void *parg);
SSL *kw_SSL_new(SSL_CTX *ctx);
void kw_SSL_free(SSL *ssl);
int kw_SSL_set_fd(SSL *s, int fd);
X509_VERIFY_PARAM *kw_SSL_get0_param(SSL *ssl);
long kw_SSL_ctrl(SSL *ssl, int cmd, long larg, void *parg);
int kw_SSL_set1_host(SSL *s, const char *hostname);
int kw_SSL_connect(SSL *ssl);
long kw_SSL_get_verify_result(const SSL *ssl);
int kw_SSL_read(SSL *ssl, void *buf, int num);
int kw_SSL_write(SSL *ssl, const void *buf, int num);
int kw_SSL_get_error(const SSL *s, int ret_code);
unsigned long kw_ERR_get_error(void);
unsigned long kw_ERR_peek_error(void);
void kw_ERR_clear_error(void);
void kw_ERR_error_string_n(unsigned long e, char *buf, size_t len);
int kw_X509_VERIFY_PARAM_set1_ip_asc(X509_VERIFY_PARAM *param, const char *ipasc);
const char *kw_X509_verify_cert_error_string(long n);

/// SSL_set_tlsext_host_name and SSL_CTX_set_min_proto_version are macros Swift cannot call: the same
/// through the loaded `SSL_ctrl` and `SSL_CTX_ctrl`.
int keywarden_ssl_set_sni(SSL *ssl, const char *name);
int keywarden_ssl_ctx_min_tls12(SSL_CTX *ctx);
