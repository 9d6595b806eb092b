// SPDX-License-Identifier: GPL-2.0
/*
 * sspictl: messages of one token each, as GSSAPI has them (the "Kerberos"
 * package, RFC 4121; the "NTLM" package, MS-NLMP 3.4).
 *
 *   sspictl seal HANDLE [--qop N]	all of stdin into one wrap token:
 *					EncryptMessage on [TOKEN, DATA, PADDING]
 *					(NTLM: [TOKEN, DATA], the 16-byte
 *					signature then the sealed text)
 *   sspictl unseal HANDLE		one wrap token on stdin, its text on
 *					stdout: DecryptMessage on [STREAM, DATA]
 *   sspictl sign HANDLE [--qop N]	MakeSignature on [DATA, TOKEN]: the
 *					token in hex
 *   sspictl verify HANDLE --token HEX	VerifySignature on [DATA, TOKEN]
 *
 * seal and unseal come here from seal.c once the context's package is
 * known.  As there, a failed SECURITY_STATUS is printed, its name alone,
 * on stderr and exits 1.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "sspictl.h"

/* The most a message may have: what /dev/sspi takes in one call */
#define TOKEN_MAX_INPUT		SSPI_IOC_MAX_BYTES
/*
 * Without netlink, --ioctl signs into this much room: more than any
 * RFC 4121 MIC token (16 + 24 bytes) or RFC 4757 one (37, framed)
 */
#define DEFAULT_MAX_SIGNATURE	64

static const char sign_usage[] =
	"Usage: sspictl [-j] [--ioctl] sign HANDLE [--qop N]\n"
	"  MakeSignature over stdin: the signature (an RFC 4121 MIC token for\n"
	"  Kerberos, a 16-byte NTLMSSP_MESSAGE_SIGNATURE for NTLM) on stdout as\n"
	"  one line of hex (-j: {\"token\": HEX}).\n"
	"  A failure prints the status's name on stderr and exits 1.\n";

static const char verify_usage[] =
	"Usage: sspictl [-j] [-v] [--ioctl] verify HANDLE --token HEX\n"
	"  VerifySignature: whether HEX is the signature of stdin.  Exit 0 when\n"
	"  it is (SEC_E_OK; -j: {\"status\": \"SEC_E_OK\", \"qop\": N}); else the\n"
	"  status's name (SEC_E_MESSAGE_ALTERED, SEC_E_OUT_OF_SEQUENCE, ...) on\n"
	"  stderr and exit 1.\n";

/*
 * A reply's status: 0 to go on (SEC_E_OK), 1 to stop with success after
 * printing a SEC_I_ code's name, -1 after printing a failure's name
 */
static int token_status(u32 status)
{
	if (status == SSPI_SEC_E_OK)
		return 0;
	fprintf(stderr, "%s\n", sspi_status_name(status));
	return sspi_status_failed(status) ? -1 : 1;
}

static void say_qop(u32 qop)
{
	if (!opt_verbose || !qop)
		return;
	if (qop == SSPI_SECQOP_WRAP_NO_ENCRYPT)
		fprintf(stderr,
			"qop 0x%08x SECQOP_WRAP_NO_ENCRYPT: integrity only, not encrypted\n",
			qop);
	else
		fprintf(stderr, "qop 0x%08x\n", qop);
}

/*
 * seal for a context of one token per message (@ci): EncryptMessage on
 * [TOKEN, DATA, PADDING] (Kerberos), or on [TOKEN, DATA] without
 * @padding (NTLM), and what came back, in that order, on stdout
 */
static int seal_token(u64 handle, u32 qop, const struct sspi_ctx_info *ci,
		      bool padding)
{
	static const u32 order[] = {
		SSPI_SECBUFFER_TOKEN, SSPI_SECBUFFER_DATA, SSPI_SECBUFFER_PADDING,
	};
	u32 trailer = ci->sizes[SSPI_SIZES_SECURITY_TRAILER];
	u32 block = padding ? ci->sizes[SSPI_SIZES_BLOCK_SIZE] : 0;
	size_t n_bufs = padding ? ARRAY_SIZE(order) : ARRAY_SIZE(order) - 1;
	struct sspi_buf *b[ARRAY_SIZE(order)] = { NULL };
	u8 *in = NULL, *buf = NULL, *out = NULL;
	size_t n = 0, i, total = 0;
	struct sspi_msg m;
	int ret = EXIT_FAIL;

	if (!ci->has_sizes || !trailer) {
		err_msg("context 0x%016llx: no security trailer size", handle);
		return EXIT_FAIL;
	}
	if (read_input(&in, &n, TOKEN_MAX_INPUT - trailer - block))
		return EXIT_FAIL;
	/* TOKEN, DATA and PADDING side by side, as /dev/sspi fills them */
	buf = malloc((size_t)trailer + n + block);
	if (!buf) {
		err_msg("out of memory");
		goto out;
	}
	memcpy(buf + trailer, in, n);
	memset(&m, 0, sizeof(m));
	m.handle = handle;
	m.qop = qop;
	sspi_msg_add(&m, SSPI_SECBUFFER_TOKEN, opt_ioctl ? buf : NULL, trailer);
	sspi_msg_add(&m, SSPI_SECBUFFER_DATA, buf + trailer, n);
	if (padding)
		sspi_msg_add(&m, SSPI_SECBUFFER_PADDING,
			     opt_ioctl ? buf + trailer + n : NULL, block);
	if (msg_transport(SSPI_CMD_ENCRYPT, &m))
		goto out;
	if (sspi_status_failed(m.status)) {
		token_status(m.status);
		goto out;
	}
	for (i = 0; i < n_bufs; i++) {
		b[i] = sspi_msg_find(&m, order[i]);
		if (b[i] && b[i]->len && !b[i]->data)
			b[i] = NULL;
		if (!b[i] && order[i] != SSPI_SECBUFFER_PADDING) {
			err_msg("EncryptMessage returned no buffer of type %u",
				order[i]);
			goto out;
		}
		if (b[i])
			total += b[i]->len;
	}
	out = malloc(total ? total : 1);
	if (!out) {
		err_msg("out of memory");
		goto out;
	}
	total = 0;
	for (i = 0; i < n_bufs; i++) {
		if (!b[i] || !b[i]->len)
			continue;
		memcpy(out + total, b[i]->data, b[i]->len);
		total += b[i]->len;
	}
	if (opt_json) {
		json_open('{');
		json_key("token");
		json_hex(out, total);
		json_key("buffers");
		json_open('{');
		json_key("token");
		json_uint(b[0]->len);
		json_key("data");
		json_uint(b[1]->len);
		if (padding) {
			json_key("padding");
			json_uint(b[2] ? b[2]->len : 0);
		}
		json_close('}');
		json_close('}');
	} else if (write_all(out, total)) {
		goto out;
	}
	ret = 0;
	if (m.status != SSPI_SEC_E_OK)
		token_status(m.status);
out:
	if (in)
		OPENSSL_cleanse(in, n);
	if (buf)
		OPENSSL_cleanse(buf + trailer, n);
	free(in);
	free(buf);
	free(out);
	return ret;
}

/* seal for a Kerberos context (@ci): one wrap token on stdout */
int krb5_seal(u64 handle, u32 qop, const struct sspi_ctx_info *ci)
{
	return seal_token(handle, qop, ci, true);
}

/*
 * seal for an NTLM context: the 16-byte signature, then the sealed text,
 * as gss_wrap has them
 */
int ntlm_seal(u64 handle, u32 qop, const struct sspi_ctx_info *ci)
{
	return seal_token(handle, qop, ci, false);
}

/*
 * unseal for a context of one token per message (Kerberos: a wrap token;
 * NTLM: the signature, then the sealed text): DecryptMessage on
 * [STREAM, DATA]
 */
int token_unseal(u64 handle)
{
	struct sspi_buf *data;
	struct sspi_msg m;
	u8 *in;
	size_t n;
	int ret = EXIT_FAIL, st;

	if (read_input(&in, &n, TOKEN_MAX_INPUT))
		return EXIT_FAIL;
	memset(&m, 0, sizeof(m));
	m.handle = handle;
	sspi_msg_add(&m, SSPI_SECBUFFER_STREAM, in, n);
	sspi_msg_add(&m, SSPI_SECBUFFER_DATA, NULL, 0);
	if (msg_transport(SSPI_CMD_DECRYPT, &m))
		goto out;
	st = token_status(m.status);
	if (st < 0)
		goto out;
	data = sspi_msg_find(&m, SSPI_SECBUFFER_DATA);
	if (!data || (data->len && !data->data)) {
		err_msg("DecryptMessage returned no DATA buffer");
		goto out;
	}
	say_qop(m.qop);
	if (opt_json) {
		json_open('{');
		json_key("qop");
		json_uint(m.qop);
		json_key("data");
		json_hex(data->data, data->len);
		json_close('}');
	} else if (data->len && write_all(data->data, data->len)) {
		goto out;
	}
	ret = 0;
out:
	/* with --ioctl the plaintext was written into the token's bytes */
	OPENSSL_cleanse(in, n);
	free(in);
	return ret;
}

int cmd_sign(int argc, char **argv)
{
	const char *qop_arg = NULL;
	const struct opt opts[] = { OPT("--qop", &qop_arg) };
	u32 qop = 0, room = DEFAULT_MAX_SIGNATURE;
	struct sspi_ctx_info ci;
	struct sspi_buf *token;
	u8 *in = NULL, *tok = NULL;
	struct sspi_msg m;
	size_t n = 0;
	u64 handle;
	int ret;

	ret = handle_args(argc, argv, sign_usage, opts, ARRAY_SIZE(opts),
			  &handle);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (qop_arg && parse_u32(qop_arg, &qop))
		return usage_error(sign_usage, "--qop: not a number: %s", qop_arg);
	/* /dev/sspi says what is wrong with the handle: be quiet here */
	err_quiet = opt_ioctl;
	ret = ctx_query(handle, &ci);
	err_quiet = false;
	if (ret && !opt_ioctl)
		return EXIT_FAIL;
	if (!ret && ci.has_sizes)
		room = ci.sizes[SSPI_SIZES_MAX_SIGNATURE];
	ret = EXIT_FAIL;
	if (read_input(&in, &n, TOKEN_MAX_INPUT - room))
		return EXIT_FAIL;
	tok = calloc(1, room ? room : 1);
	if (!tok) {
		err_msg("out of memory");
		goto out;
	}
	memset(&m, 0, sizeof(m));
	m.handle = handle;
	m.qop = qop;
	sspi_msg_add(&m, SSPI_SECBUFFER_DATA, in, n);
	sspi_msg_add(&m, SSPI_SECBUFFER_TOKEN, opt_ioctl ? tok : NULL, room);
	if (msg_transport(SSPI_CMD_SIGN, &m))
		goto out;
	if (sspi_status_failed(m.status)) {
		token_status(m.status);
		goto out;
	}
	token = sspi_msg_find(&m, SSPI_SECBUFFER_TOKEN);
	if (!token || (token->len && !token->data)) {
		err_msg("MakeSignature returned no TOKEN buffer");
		goto out;
	}
	if (opt_json) {
		json_open('{');
		json_key("token");
		json_hex(token->data, token->len);
		json_close('}');
	} else {
		print_hex(stdout, token->data, token->len);
		printf("\n");
	}
	ret = 0;
	if (m.status != SSPI_SEC_E_OK)
		token_status(m.status);
out:
	OPENSSL_cleanse(in, n);
	free(in);
	free(tok);
	return ret;
}

int cmd_verify(int argc, char **argv)
{
	const char *token_arg = NULL;
	const struct opt opts[] = {
		OPT("--token", &token_arg),
		FLAG("-v", &opt_verbose), FLAG("--verbose", &opt_verbose),
	};
	u8 *in = NULL, *tok = NULL;
	size_t n = 0, tok_len;
	struct sspi_msg m;
	u64 handle;
	int ret;

	ret = handle_args(argc, argv, verify_usage, opts, ARRAY_SIZE(opts),
			  &handle);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (!token_arg)
		return usage_error(verify_usage, "--token HEX is required");
	tok_len = strlen(token_arg) / 2;
	tok = malloc(tok_len ? tok_len : 1);
	if (!tok) {
		err_msg("out of memory");
		return EXIT_FAIL;
	}
	if (parse_hex(token_arg, tok, tok_len, &tok_len)) {
		free(tok);
		return usage_error(verify_usage,
				   "--token: not a hex string (an even number of hex digits)");
	}
	ret = EXIT_FAIL;
	if (read_input(&in, &n, TOKEN_MAX_INPUT - tok_len))
		goto out;
	memset(&m, 0, sizeof(m));
	m.handle = handle;
	sspi_msg_add(&m, SSPI_SECBUFFER_DATA, in, n);
	sspi_msg_add(&m, SSPI_SECBUFFER_TOKEN, tok, tok_len);
	if (msg_transport(SSPI_CMD_VERIFY, &m))
		goto out;
	if (token_status(m.status) < 0)
		goto out;
	say_qop(m.qop);
	if (opt_json) {
		json_open('{');
		json_key("status");
		json_str(sspi_status_name(m.status));
		json_key("qop");
		json_uint(m.qop);
		json_close('}');
	}
	ret = 0;
out:
	if (in)
		OPENSSL_cleanse(in, n);
	free(in);
	free(tok);
	return ret;
}
