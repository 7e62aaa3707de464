// Loads libssl with dlopen the first time a TLS connection is made and forwards keywarden's calls to it.
// Each forwarder's type is checked against OpenSSL's own declaration. The ERR_ and X509_ functions live in
// libcrypto: dlsym on libssl's handle finds them there, among the libraries libssl itself loaded.
#include "CLibSSL.h"

#include <CLibraryLoader.h>

// The functions keywarden uses: X(return type, name, parameters, arguments).
#define KW_SSL_FUNCTIONS(X) \
    X(const SSL_METHOD *, TLS_client_method, (void), ()) \
    X(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *meth), (meth)) \
    X(void, SSL_CTX_free, (SSL_CTX *ctx), (ctx)) \
    X(int, SSL_CTX_set_default_verify_paths, (SSL_CTX *ctx), (ctx)) \
    X(void, SSL_CTX_set_verify, (SSL_CTX *ctx, int mode, SSL_verify_cb callback), (ctx, mode, callback)) \
    X(long, SSL_CTX_ctrl, (SSL_CTX *ctx, int cmd, long larg, void *parg), (ctx, cmd, larg, parg)) \
    X(SSL *, SSL_new, (SSL_CTX *ctx), (ctx)) \
    X(void, SSL_free, (SSL *ssl), (ssl)) \
    X(int, SSL_set_fd, (SSL *s, int fd), (s, fd)) \
    X(X509_VERIFY_PARAM *, SSL_get0_param, (SSL *ssl), (ssl)) \
    X(long, SSL_ctrl, (SSL *ssl, int cmd, long larg, void *parg), (ssl, cmd, larg, parg)) \
    X(int, SSL_set1_host, (SSL *s, const char *hostname), (s, hostname)) \
    X(int, SSL_connect, (SSL *ssl), (ssl)) \
    X(long, SSL_get_verify_result, (const SSL *ssl), (ssl)) \
    X(int, SSL_read, (SSL *ssl, void *buf, int num), (ssl, buf, num)) \
    X(int, SSL_write, (SSL *ssl, const void *buf, int num), (ssl, buf, num)) \
    X(int, SSL_get_error, (const SSL *s, int ret_code), (s, ret_code)) \
    X(unsigned long, ERR_get_error, (void), ()) \
    X(unsigned long, ERR_peek_error, (void), ()) \
    X(void, ERR_clear_error, (void), ()) \
    X(void, ERR_error_string_n, (unsigned long e, char *buf, size_t len), (e, buf, len)) \
    X(int, X509_VERIFY_PARAM_set1_ip_asc, (X509_VERIFY_PARAM *param, const char *ipasc), (param, ipasc)) \
    X(const char *, X509_verify_cert_error_string, (long n), (n))

// The soname: ABI 3 since OpenSSL 3.0.
// (Not named `ssl`: the forwarders have parameters of that name, which would shadow it.)
KEYWARDEN_LIBRARY(tls_library, "libssl", "libssl.so.3", KW_SSL_FUNCTIONS)

const char *keywarden_ssl_load(void) { return keywarden_library_load(&tls_library); }

int keywarden_ssl_probe(const char *soname, char *why, size_t size) { return keywarden_library_probe(&tls_library, soname, why, size); }

#define KW_FORWARD(ret, name, params, args) KEYWARDEN_LIBRARY_FORWARD(tls_library, ret, name, params, args)
KW_SSL_FUNCTIONS(KW_FORWARD)
#undef KW_FORWARD

int keywarden_ssl_set_sni(SSL *s, const char *name) {
    return (int)kw_SSL_ctrl(s, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)name);
}

int keywarden_ssl_ctx_min_tls12(SSL_CTX *ctx) {
    return (int)kw_SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
}
