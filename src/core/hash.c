/*
 * hash.c - the SHA-256 of a monograph's source, with nettle (the only file
 * that includes it): the `sha256` a partner compares to see whether a
 * monograph changed; and the MD5 the PDF backend names a document by.
 */
#include <nettle/md5.h>
#include <nettle/sha2.h>

#include "core/support.h"

void
mx_sha256_hex(const void *data, size_t len, char hex[MX_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[2 * SHA256_DIGEST_SIZE] = '\0';
}

void
mx_md5(const struct mx_bytes *parts, size_t n,
       unsigned char digest[MX_MD5_SIZE])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	for (size_t i = 0; i < n; i++)
		md5_update(&ctx, parts[i].len, parts[i].data);
	md5_digest(&ctx, MX_MD5_SIZE, digest);
}
