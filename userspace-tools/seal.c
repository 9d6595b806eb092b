// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the data path.
 *
 *   sspictl seal HANDLE [--qop N]	stdin, cut at cbMaximumMessage, sealed
 *					into records on stdout
 *   sspictl unseal HANDLE		records on stdin, their text on stdout
 *
 * for a "Schannel" context; a "Kerberos" one seals all of stdin into one
 * token and unseals one (token.c), the context's package says which.
 *
 * Through netlink, or /dev/sspi with the global --ioctl.  A failed
 * SECURITY_STATUS is printed, its name alone, on stderr and exits 1; a
 * SEC_I_ one likewise but exits 0, after what came before it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sspictl.h"

/* Without netlink, --ioctl seals with the TLS-record package's largest */
#define TLS_DEFAULT_HEADER	13
#define TLS_DEFAULT_TRAILER	32
#define TLS_DEFAULT_MAX_MESSAGE	16384
/* The largest TLS record: header, 2^14 bytes and 2048 of expansion */
#define TLS_MAX_RECORD		(5 + 16384 + 2048)
#define UNSEAL_READ		65536

static const char seal_usage[] =
	"Usage: sspictl [-j] [--ioctl] seal HANDLE [--qop N]\n"
	"  TLS records (Schannel): seal stdin into records on stdout, cut at\n"
	"  the context's cbMaximumMessage; --qop 0x40000000\n"
	"  (SECQOP_WRAP_OOB_DATA) seals a 2-byte alert (level, description)\n"
	"  instead of application data.\n"
	"  Kerberos: seal all of stdin into one RFC 4121 wrap token on stdout\n"
	"  (-j: {\"token\": HEX, ...}); --qop 0x80000001 (SECQOP_WRAP_NO_ENCRYPT)\n"
	"  protects its integrity only.\n"
	"  A failure prints the status's name on stderr and exits 1.\n";

static const char unseal_usage[] =
	"Usage: sspictl [-j] [-v] [--ioctl] unseal HANDLE\n"
	"  TLS records (Schannel): unseal the records on stdin, their text on\n"
	"  stdout.  An alert other than close_notify prints\n"
	"  \"alert LEVEL DESCRIPTION\" on stderr; close_notify\n"
	"  (SEC_I_CONTEXT_EXPIRED) and a handshake message (SEC_I_RENEGOTIATE)\n"
	"  print the status's name and end with exit 0.\n"
	"  Kerberos: unseal the one wrap token on stdin, its text on stdout\n"
	"  (-j: {\"qop\": N, \"data\": HEX}); -v says on stderr when it was\n"
	"  not encrypted (SECQOP_WRAP_NO_ENCRYPT).\n"
	"  A failure (SEC_E_MESSAGE_ALTERED, SEC_E_INCOMPLETE_MESSAGE at the\n"
	"  end of the input, ...) prints its name and exits 1.\n";

struct sspi_buf *sspi_msg_find(struct sspi_msg *m, u32 type)
{
	unsigned int i;

	for (i = 0; i < m->count; i++)
		if ((m->buf[i].type & ~SSPI_SECBUFFER_ATTRMASK) == type)
			return &m->buf[i];
	return NULL;
}

/* One message operation (SSPI_CMD_ENCRYPT, ...), netlink or /dev/sspi */
int msg_transport(u8 cmd, struct sspi_msg *m)
{
	if (opt_ioctl)
		return ioc_message(cmd, m);
	return nl_message(cmd, m);
}

static int transport(bool decrypt, struct sspi_msg *m)
{
	return msg_transport(decrypt ? SSPI_CMD_DECRYPT : SSPI_CMD_ENCRYPT, m);
}

int write_all(const u8 *p, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_msg("stdout: %s", strerror(errno));
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* Up to @len bytes, fewer only at the end of the input; -1 on error */
ssize_t read_full(u8 *p, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(STDIN_FILENO, p + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_msg("stdin: %s", strerror(errno));
			return -1;
		}
		if (!n)
			break;
		got += n;
	}
	return got;
}

/*
 * All of stdin, at most @max bytes, in *@buf (malloc'ed, not NULL even
 * when empty): 0, or -1 after saying why not
 */
int read_input(u8 **buf, size_t *len, size_t max)
{
	size_t size = 4096, have = 0;
	u8 *p = malloc(size), *q;
	ssize_t n;

	if (!p)
		goto oom;
	for (;;) {
		if (have == size) {
			if (size > max) {
				err_msg("stdin: more than %zu bytes", max);
				free(p);
				return -1;
			}
			size *= 2;
			q = realloc(p, size);
			if (!q)
				goto oom;
			p = q;
		}
		n = read_full(p + have, size - have);
		if (n < 0) {
			free(p);
			return -1;
		}
		have += n;
		if (have < size)
			break;
	}
	if (have > max) {
		err_msg("stdin: more than %zu bytes", max);
		free(p);
		return -1;
	}
	*buf = p;
	*len = have;
	return 0;
oom:
	free(p);
	err_msg("out of memory");
	return -1;
}

/* HANDLE, and --qop when @qop, -v / --verbose when @verbose */
static int handle_arg(int argc, char **argv, const char *usage,
		      const char **qop, bool *verbose, u64 *handle)
{
	struct opt opts[3];
	size_t n_opts = 0;
	char *pos[1];
	int n_pos, ret;

	if (qop)
		opts[n_opts++] = (struct opt)OPT("--qop", qop);
	if (verbose) {
		opts[n_opts++] = (struct opt)FLAG("-v", verbose);
		opts[n_opts++] = (struct opt)FLAG("--verbose", verbose);
	}
	ret = parse_opts(argc, argv, opts, n_opts, pos, 1, &n_pos, usage);
	if (ret)
		return ret;
	if (n_pos != 1)
		return usage_error(usage, "one HANDLE");
	if (parse_handle(pos[0], handle))
		return usage_error(usage, "bad handle %s", pos[0]);
	return 0;
}

/*
 * cbHeader, cbTrailer, cbMaximumMessage of the context described by @ci
 * (@ret: what ctx_query() returned for it): 0, or -1 after saying why not
 */
static int stream_sizes(int ret, const struct sspi_ctx_info *ci,
			u32 *header, u32 *trailer, u32 *max_message)
{
	if (!ret && ci->has_sizes && ci->sizes[SSPI_SIZES_MAX_MESSAGE]) {
		*header = ci->sizes[SSPI_SIZES_STREAM_HEADER];
		*trailer = ci->sizes[SSPI_SIZES_STREAM_TRAILER];
		*max_message = ci->sizes[SSPI_SIZES_MAX_MESSAGE];
		return 0;
	}
	if (!opt_ioctl) {
		if (!ret)
			err_msg("context 0x%016llx: no stream sizes", ci->handle);
		return -1;
	}
	*header = TLS_DEFAULT_HEADER;
	*trailer = TLS_DEFAULT_TRAILER;
	*max_message = TLS_DEFAULT_MAX_MESSAGE;
	return 0;
}

static int write_sealed(struct sspi_msg *m)
{
	static const u32 order[] = {
		SSPI_SECBUFFER_STREAM_HEADER, SSPI_SECBUFFER_DATA,
		SSPI_SECBUFFER_STREAM_TRAILER,
	};
	struct sspi_buf *b;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		b = sspi_msg_find(m, order[i]);
		if (!b || (b->len && !b->data)) {
			err_msg("EncryptMessage returned no buffer of type %u",
				order[i]);
			return -1;
		}
		if (b->len && write_all(b->data, b->len))
			return -1;
	}
	return 0;
}

int cmd_seal(int argc, char **argv)
{
	u32 header, trailer, max_message, qop = 0;
	const char *qop_arg = NULL;
	struct sspi_ctx_info ci;
	struct sspi_msg m;
	u8 *buf;
	u64 handle;
	ssize_t n;
	int ret;

	ret = handle_arg(argc, argv, seal_usage, &qop_arg, NULL, &handle);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (qop_arg && parse_u32(qop_arg, &qop))
		return usage_error(seal_usage, "--qop: not a number: %s", qop_arg);
	/* /dev/sspi says what is wrong with the handle: be quiet here */
	err_quiet = opt_ioctl;
	ret = ctx_query(handle, &ci);
	err_quiet = false;
	if (!ret && !strcmp(ci.package, KRB5_PKG_NAME))
		return krb5_seal(handle, qop, &ci);
	ci.handle = handle;
	if (stream_sizes(ret, &ci, &header, &trailer, &max_message))
		return EXIT_FAIL;
	buf = malloc((size_t)header + max_message + trailer);
	if (!buf) {
		err_msg("out of memory");
		return EXIT_FAIL;
	}
	ret = 0;
	while ((n = read_full(buf + header, max_message)) > 0) {
		memset(&m, 0, sizeof(m));
		m.handle = handle;
		m.qop = qop;
		m.count = 4;
		m.buf[0].type = SSPI_SECBUFFER_STREAM_HEADER;
		m.buf[0].len = header;
		m.buf[1].type = SSPI_SECBUFFER_DATA;
		m.buf[1].len = n;
		m.buf[1].data = buf + header;
		m.buf[2].type = SSPI_SECBUFFER_STREAM_TRAILER;
		m.buf[2].len = trailer;
		m.buf[3].type = SSPI_SECBUFFER_EMPTY;
		if (opt_ioctl) {
			m.buf[0].data = buf;
			m.buf[2].data = buf + header + n;
		}
		if (transport(false, &m)) {
			ret = EXIT_FAIL;
			break;
		}
		if (sspi_status_failed(m.status)) {
			fprintf(stderr, "%s\n", sspi_status_name(m.status));
			ret = EXIT_FAIL;
			break;
		}
		if (write_sealed(&m)) {
			ret = EXIT_FAIL;
			break;
		}
		if (m.status != SSPI_SEC_E_OK) {
			fprintf(stderr, "%s\n", sspi_status_name(m.status));
			break;
		}
		if (n < max_message)
			break;
	}
	if (n < 0)
		ret = EXIT_FAIL;
	free(buf);
	return ret;
}

/*
 * What one DecryptMessage gave: 1 to go on, 0 to stop with success, -1
 * to stop with failure (said).  *consumed: the bytes of the input it used up.
 */
static int unsealed(struct sspi_msg *m, size_t len, size_t *consumed)
{
	struct sspi_buf *data = sspi_msg_find(m, SSPI_SECBUFFER_DATA);
	struct sspi_buf *extra = sspi_msg_find(m, SSPI_SECBUFFER_EXTRA);

	if (sspi_status_failed(m->status)) {
		fprintf(stderr, "%s\n", sspi_status_name(m->status));
		return -1;
	}
	if (m->status != SSPI_SEC_E_OK) {
		/* close_notify, a handshake message: stop here */
		fprintf(stderr, "%s\n", sspi_status_name(m->status));
		return 0;
	}
	if (extra && extra->len > len) {
		err_msg("DecryptMessage: EXTRA larger than the input");
		return -1;
	}
	*consumed = len - (extra ? extra->len : 0);
	if (!*consumed) {
		err_msg("DecryptMessage: consumed nothing");
		return -1;
	}
	if (!data || (data->len && !data->data))
		return 1;
	if (m->qop & SSPI_SECQOP_WRAP_OOB_DATA) {
		if (data->len == 2)
			fprintf(stderr, "alert %u %u\n", data->data[0],
				data->data[1]);
		else
			fprintf(stderr, "alert of %u bytes\n", data->len);
		return 1;
	}
	if (write_all(data->data, data->len))
		return -1;
	return 1;
}

int cmd_unseal(int argc, char **argv)
{
	size_t size = TLS_MAX_RECORD + UNSEAL_READ, have = 0, need = 1;
	size_t len, consumed = 0;
	struct sspi_ctx_info ci;
	struct sspi_buf *missing;
	struct sspi_msg m;
	bool eof = false;
	u64 handle;
	u8 *in;
	ssize_t n;
	int ret;

	ret = handle_arg(argc, argv, unseal_usage, NULL, &opt_verbose, &handle);
	if (ret)
		return ret < 0 ? 0 : ret;
	/*
	 * A Kerberos context unseals one token; for anything else (and when
	 * the context cannot be asked for) the records go to DecryptMessage,
	 * which says what is wrong with the handle
	 */
	err_quiet = true;
	ret = ctx_query(handle, &ci);
	err_quiet = false;
	if (!ret && !strcmp(ci.package, KRB5_PKG_NAME))
		return krb5_unseal(handle);
	in = malloc(size);
	if (!in) {
		err_msg("out of memory");
		return EXIT_FAIL;
	}
	for (;;) {
		while (!eof && have < need) {
			n = read(STDIN_FILENO, in + have, size - have);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				err_msg("stdin: %s", strerror(errno));
				ret = EXIT_FAIL;
				goto out;
			}
			if (!n)
				eof = true;
			have += n;
		}
		if (!have)
			break;
		if (have < need) {
			/* the input ends inside a record */
			fprintf(stderr, "%s\n",
				sspi_status_name(SSPI_SEC_E_INCOMPLETE_MESSAGE));
			ret = EXIT_FAIL;
			goto out;
		}
		len = have < TLS_MAX_RECORD ? have : TLS_MAX_RECORD;
		memset(&m, 0, sizeof(m));
		m.handle = handle;
		m.count = 4;
		m.buf[0].type = SSPI_SECBUFFER_DATA;
		m.buf[0].len = len;
		m.buf[0].data = in;
		m.buf[1].type = SSPI_SECBUFFER_EMPTY;
		m.buf[2].type = SSPI_SECBUFFER_EMPTY;
		m.buf[3].type = SSPI_SECBUFFER_EMPTY;
		if (transport(true, &m)) {
			ret = EXIT_FAIL;
			goto out;
		}
		if (m.status == SSPI_SEC_E_INCOMPLETE_MESSAGE) {
			missing = sspi_msg_find(&m, SSPI_SECBUFFER_MISSING);
			need = len + (missing && missing->len ? missing->len : 1);
			if (need > TLS_MAX_RECORD) {
				err_msg("a record longer than %d bytes",
					TLS_MAX_RECORD);
				fprintf(stderr, "%s\n", sspi_status_name(m.status));
				ret = EXIT_FAIL;
				goto out;
			}
			continue;
		}
		ret = unsealed(&m, len, &consumed);
		if (ret <= 0) {
			ret = ret ? EXIT_FAIL : 0;
			goto out;
		}
		memmove(in, in + consumed, have - consumed);
		have -= consumed;
		need = 1;
	}
	ret = 0;
out:
	free(in);
	return ret;
}
