#ifndef SWIFT_OVS_COPENSSL_SHIM_H
#define SWIFT_OVS_COPENSSL_SHIM_H
/* libcrypto: SHA-1 for the OVSDB log's record checksums. TLS comes later. */
#include <openssl/evp.h>
#include <openssl/sha.h>
#endif
