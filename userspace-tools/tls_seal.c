// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: seal and unseal for the TLS-record package ("Schannel"): stdin
 * cut at cbMaximumMessage and sealed into records, EncryptMessage on
 * [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY]; records unsealed by
 * DecryptMessage on [DATA, EMPTY, EMPTY, EMPTY], the input kept until
 * a record is whole (SEC_E_INCOMPLETE_MESSAGE, MISSING) and the rest of
 * it after one (EXTRA).
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

/*
 * cbHeader, cbTrailer, cbMaximumMessage of the context described by @ci
 * (NULL: it could not be asked about): 0, or -1 after saying why not
 */
static int stream_sizes(u64 handle, const struct sspi_ctx_info *ci,
			u32 *header, u32 *trailer, u32 *max_message)
{
	if (ci && ci->has_sizes && ci->sizes[SSPI_SIZES_MAX_MESSAGE]) {
		*header = ci->sizes[SSPI_SIZES_STREAM_HEADER];
		*trailer = ci->sizes[SSPI_SIZES_STREAM_TRAILER];
		*max_message = ci->sizes[SSPI_SIZES_MAX_MESSAGE];
		return 0;
	}
	if (!opt_ioctl) {
		if (ci)
			err_msg("context 0x%016llx: no stream sizes", handle);
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

int tls_seal(u64 handle, u32 qop, const struct sspi_ctx_info *ci)
{
	u32 header, trailer, max_message;
	struct sspi_msg m;
	ssize_t n;
	u8 *buf;
	int ret;

	if (stream_sizes(handle, ci, &header, &trailer, &max_message))
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
		/* /dev/sspi fills HEADER and TRAILER in place; netlink returns them */
		sspi_msg_add(&m, SSPI_SECBUFFER_STREAM_HEADER,
			     opt_ioctl ? buf : NULL, header);
		sspi_msg_add(&m, SSPI_SECBUFFER_DATA, buf + header, n);
		sspi_msg_add(&m, SSPI_SECBUFFER_STREAM_TRAILER,
			     opt_ioctl ? buf + header + n : NULL, trailer);
		sspi_msg_add(&m, SSPI_SECBUFFER_EMPTY, NULL, 0);
		if (msg_transport(SSPI_CMD_ENCRYPT, &m)) {
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

int tls_unseal(u64 handle)
{
	size_t size = TLS_MAX_RECORD + UNSEAL_READ, have = 0, need = 1;
	size_t len, consumed = 0;
	struct sspi_buf *missing;
	struct sspi_msg m;
	bool eof = false;
	u8 *in;
	ssize_t n;
	int ret;

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
		sspi_msg_add(&m, SSPI_SECBUFFER_DATA, in, len);
		sspi_msg_add(&m, SSPI_SECBUFFER_EMPTY, NULL, 0);
		sspi_msg_add(&m, SSPI_SECBUFFER_EMPTY, NULL, 0);
		sspi_msg_add(&m, SSPI_SECBUFFER_EMPTY, NULL, 0);
		if (msg_transport(SSPI_CMD_DECRYPT, &m)) {
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
