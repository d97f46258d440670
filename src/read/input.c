/*
 * input.c - reading a monograph from disk and checking that it is text
 * medexport can read, before any parser sees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#include "medexport.h"
#include "core/private.h"

/* Counts the lines up to `offset`, for messages that name a line. */
static int
S_line_at(const char *data, size_t offset)
{
	int line = 1;
	size_t i;

	for (i = 0; i < offset; i++)
		if (data[i] == '\n')
			line++;
	return line;
}

int
mx_input_check(const char *data, size_t len, const char *source,
               const struct mx_diag *diag)
{
	size_t i = 0, controls = 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	if (len > MX_MAX_INPUT_BYTES) {
		mx_report(diag, MX_ERROR, source, 0,
		          "file is %zu bytes; the limit is %u MiB", len,
		          MX_MAX_INPUT_BYTES / (1024u * 1024u));
		return -1;
	}
	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n\f\v", data[i]))
			break;
	if (i == len) {
		mx_report(diag, MX_ERROR, source, 0,
		          len == 0 ? "file is empty"
		                   : "file holds only white space");
		return -1;
	}
	for (i = 0; i < len; i += (size_t)n) {
		unsigned char c;

		i += mx_ascii_span(data + i, len - i);
		if (i == len)
			break;
		c = (unsigned char)data[i];
		if (c == 0x7F) { /* DEL ends the span, and is allowed */
			n = 1;
			continue;
		}
		if (c < 0x80) {
			n = 1;
			if (c == 0) {
				mx_report(diag, MX_ERROR, source,
				          S_line_at(data, i),
				          "NUL byte at offset %zu: this is not "
				          "a text file",
				          i);
				return -1;
			}
			if (c < 0x20 && !strchr("\t\r\n\f\v", c))
				controls++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)data + i,
		                     (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0) {
			mx_report(diag, MX_ERROR, source, S_line_at(data, i),
			          "invalid UTF-8 at byte offset %zu (0x%02x)",
			          i, c);
			return -1;
		}
	}
	/* Text files hold a few stray control characters at most. */
	if (controls > 16 && controls > len / 100) {
		mx_report(diag, MX_ERROR, source, 0,
		          "%zu control characters: this looks like a binary "
		          "file",
		          controls);
		return -1;
	}
	return 0;
}

/* Reads from an open descriptor until end of file, refusing to hold more
 * than the input limit. */
static int
S_read_fd(int fd, const char *path, size_t size_hint, char **data, size_t *len,
          const struct mx_diag *diag)
{
	struct mx_buf buf = {0};
	ssize_t got;
	size_t want;

	for (;;) {
		if (mx_buf_grow(&buf, size_hint ? size_hint + 1 : 65536) != 0) {
			mx_report(diag, MX_ERROR, path, 0, "out of memory");
			goto fail;
		}
		want = buf.cap - buf.len - 1;
		got = read(fd, buf.data + buf.len, want);
		/* A read is interrupted only when the caller's signal handler
		 * asks for it (no SA_RESTART): medexport's do, so that Ctrl-C
		 * ends a read from a terminal or a silent pipe. */
		if (got < 0) {
			mx_report(diag, MX_ERROR, path, 0, "cannot read: %s",
			          strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		buf.len += (size_t)got;
		if (buf.len > MX_MAX_INPUT_BYTES) {
			mx_report(diag, MX_ERROR, path, 0,
			          "file is larger than the limit of %u MiB",
			          MX_MAX_INPUT_BYTES / (1024u * 1024u));
			goto fail;
		}
		/* A regular file (the only kind with a size hint) gives less
		 * than asked for only at its end: no read to learn that. */
		if (size_hint != 0 && (size_t)got < want)
			break;
	}
	if (buf.data == NULL && mx_buf_grow(&buf, 1) != 0)
		goto fail;
	buf.data[buf.len] = '\0';
	*data = buf.data;
	*len = buf.len;
	return 0;
fail:
	mx_buf_free(&buf);
	return -1;
}

int
mx_read_file(const char *path, char **data, size_t *len,
             const struct mx_diag *diag)
{
	struct stat st;
	int fd, rc;

	*data = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		return S_read_fd(STDIN_FILENO, "<stdin>", 0, data, len, diag);
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		mx_report(diag, MX_ERROR, path, 0, "cannot open: %s",
		          strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		mx_report(diag, MX_ERROR, path, 0, "not a regular file");
		close(fd);
		return -1;
	}
	/* O_NONBLOCK stays: it changes nothing for regular files. */
	if ((unsigned long long)st.st_size > MX_MAX_INPUT_BYTES) {
		mx_report(diag, MX_ERROR, path, 0,
		          "file is %lld bytes; the limit is %u MiB",
		          (long long)st.st_size,
		          MX_MAX_INPUT_BYTES / (1024u * 1024u));
		close(fd);
		return -1;
	}
	rc = S_read_fd(fd, path, (size_t)st.st_size, data, len, diag);
	close(fd);
	return rc;
}
