// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: the message transport the options chose (netlink, or /dev/sspi
 * with --ioctl), standard input and output, and a new context's handle.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sspictl.h"

/* One message operation (SSPI_CMD_ENCRYPT, ...), netlink or /dev/sspi */
int msg_transport(u8 cmd, struct sspi_msg *m)
{
	if (sspi_message(cmd, m, opt_ioctl ? SSPI_TRANSPORT_IOCTL :
			 SSPI_TRANSPORT_NETLINK))
		return lib_err();
	return 0;
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

/*
 * A new context's handle: alone on a line, or {"handle": "0x..."}.  0; or,
 * when it cannot be written, EXIT_FAIL after deleting the context, which
 * nobody could name any more.
 */
int print_handle(u64 handle)
{
	if (opt_json) {
		json_open('{');
		json_key("handle");
		json_handle(handle);
		json_close('}');
	} else {
		printf("0x%016llx\n", handle);
	}
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	err_msg("writing the handle: %s; context deleted", strerror(errno));
	sspi_ctx_delete(handle);
	return EXIT_FAIL;
}

/* HANDLE and the command's options: 0, EXIT_USAGE, or -1 for help */
int handle_args(int argc, char **argv, const char *usage,
		const struct opt *opts, size_t n_opts, u64 *handle)
{
	char *pos[1];
	int n_pos, ret;

	ret = parse_opts(argc, argv, opts, n_opts, pos, 1, &n_pos, usage);
	if (ret)
		return ret;
	if (n_pos != 1)
		return usage_error(usage, "one HANDLE");
	if (parse_handle(pos[0], handle))
		return usage_error(usage, "bad handle %s", pos[0]);
	return 0;
}
