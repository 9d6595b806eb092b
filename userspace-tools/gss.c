// SPDX-License-Identifier: GPL-2.0
/*
 * sspi-gss: a Kerberos context made with MIT krb5's GSSAPI, handed to
 * sspi_kmod's "Kerberos" package (Documentation/krb5-handover.rst).
 *
 * It speaks MIT's gss-sample protocol (gss-client / gss-server of
 * krb5-gss-samples): every token is one flag byte, a 4-byte big-endian
 * length and the token.  The initiator announces a context
 * (NOOP|CONTEXT_NEXT), both sides trade CONTEXT tokens until the context
 * is established, then the client sends DATA tokens (WRAPPED, ENCRYPTED,
 * SEND_MIC as it asks) and the server answers each with a MIC of the
 * plaintext (or a NOOP); a NOOP from the client ends the session.
 *
 * Once the context is established it is exported as MIT's lucid context
 * (version 1, as rpc.gssd does; MIT deletes its own context then), turned
 * into a struct sspi_krb5_import and imported over generic netlink
 * (libsspi).  The
 * message exchange then goes through the module only: as the initiator
 * it seals (ENCRYPT) and verifies the server's MIC (VERIFY); as the
 * acceptor it unseals what the client sends (DECRYPT with a STREAM) and
 * returns a MIC made by the module (SIGN).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "sspictl.h"

/* gss-sample token flags (src/appl/gss-sample/gss-misc.h) */
#define TOKEN_NOOP		BIT(0)
#define TOKEN_CONTEXT		BIT(1)
#define TOKEN_DATA		BIT(2)
#define TOKEN_MIC		BIT(3)
#define TOKEN_CONTEXT_NEXT	BIT(4)
#define TOKEN_WRAPPED		BIT(5)
#define TOKEN_ENCRYPTED		BIT(6)
#define TOKEN_SEND_MIC		BIT(7)

/* The largest token either side accepts from the network */
#define MAX_TOKEN		BIT(20)
/* A peer that says nothing for this long is gone */
#define IO_TIMEOUT_SEC		60
/* lucid context protocol 1: RFC 4121 (CFX) */
#define LUCID_PROTOCOL_CFX	1

static const char usage_text[] =
	"usage: sspi-gss --initiator --connect HOST:PORT --service SERVICE@HOST\n"
	"                [--mutual] [--flags replay,sequence,dce] [options]\n"
	"       sspi-gss --acceptor --listen PORT [--keytab FILE]\n"
	"                [--service SERVICE@HOST] [options]\n"
	"options:\n"
	"  --import-only      stop once the context is imported (print its handle)\n"
	"  --no-import        stop after the lucid export: print what would be\n"
	"                     imported (handle 0), without the module\n"
	"  --message TEXT     what the initiator seals (default \"hello, kernel\")\n"
	"  --integrity        the initiator seals without encryption\n"
	"  --no-mic           the initiator asks for no MIC\n"
	"  -j, --json         print the import as JSON\n"
	"  -v, --verbose      say what happens on stderr\n"
	"Exit status: 0 success, 1 failure (the reason on stderr), 2 usage.\n";

const char prog_name[] = "sspi-gss";
/* gss_krb5_export_lucid_sec_context() deleted MIT's context */
static bool mit_ctx_deleted;

static void gss_error_1(const char *what, OM_uint32 code, int type)
{
	OM_uint32 maj, min, more = 0;
	gss_buffer_desc msg;

	do {
		maj = gss_display_status(&min, code, type, GSS_C_NO_OID, &more,
					 &msg);
		if (GSS_ERROR(maj))
			break;
		err_msg("%s: GSS %s 0x%08x: %.*s", what,
			type == GSS_C_GSS_CODE ? "major" : "minor", code,
			(int)msg.length, (char *)msg.value);
		gss_release_buffer(&min, &msg);
	} while (more);
}

/* A failed GSSAPI call: its major and minor statuses' messages */
static void gss_error(const char *what, OM_uint32 major, OM_uint32 minor)
{
	gss_error_1(what, major, GSS_C_GSS_CODE);
	if (minor)
		gss_error_1(what, minor, GSS_C_MECH_CODE);
}

/* The gss-sample framing */

static int sock_write(int fd, const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_msg("sending: %s", n ? strerror(errno) : "connection closed");
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int sock_read(int fd, void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		ssize_t n = recv(fd, p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_msg("receiving: %s",
				n ? strerror(errno) : "connection closed by the peer");
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int send_token(int fd, u8 flags, const void *data, size_t len)
{
	u8 hdr[5];

	if (len > MAX_TOKEN) {
		err_msg("token of %zu bytes too large", len);
		return -1;
	}
	hdr[0] = flags;
	hdr[1] = len >> 24;
	hdr[2] = len >> 16;
	hdr[3] = len >> 8;
	hdr[4] = len;
	if (sock_write(fd, hdr, sizeof(hdr)) || sock_write(fd, data, len))
		return -1;
	return 0;
}

/*
 * One token into *@data (malloc'd; free it).  A flag byte of 0 is the
 * sample's version 1 framing, with a 3-byte length.
 */
static int recv_token(int fd, u8 *flags, u8 **data, size_t *len)
{
	u8 hdr[4];
	size_t n;

	*data = NULL;
	if (sock_read(fd, flags, 1))
		return -1;
	if (*flags == 0) {
		hdr[0] = 0;
		if (sock_read(fd, hdr + 1, 3))
			return -1;
	} else if (sock_read(fd, hdr, 4)) {
		return -1;
	}
	n = (size_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
	if (n > MAX_TOKEN) {
		err_msg("peer sent a token of %zu bytes", n);
		return -1;
	}
	*data = malloc(n ? n : 1);
	if (!*data) {
		err_msg("out of memory");
		return -1;
	}
	if (sock_read(fd, *data, n)) {
		free(*data);
		*data = NULL;
		return -1;
	}
	*len = n;
	return 0;
}

static int connect_to(const char *hostport)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char host[256];
	const char *colon = strrchr(hostport, ':');
	size_t hlen;
	int fd = -1, err;

	if (!colon || colon == hostport || !colon[1] ||
	    (size_t)(colon - hostport) >= sizeof(host)) {
		err_msg("--connect wants HOST:PORT, not \"%s\"", hostport);
		return -1;
	}
	hlen = colon - hostport;
	memcpy(host, hostport, hlen);
	host[hlen] = 0;
	if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
		memmove(host, host + 1, hlen - 2);
		host[hlen - 2] = 0;
	}
	err = getaddrinfo(host, colon + 1, &hints, &res);
	if (err) {
		err_msg("%s: %s", hostport, gai_strerror(err));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0)
			continue;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		err = errno;
		close(fd);
		fd = -1;
		errno = err;
	}
	if (fd < 0)
		err_msg("connecting to %s: %s", hostport, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_SEC };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Listen on @port (all addresses, as gss-server does) and take one client */
static int accept_one(const char *port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	int one = 1, zero = 0, lfd, fd;
	u32 p;

	if (parse_u32(port, &p) || !p || p > 65535) {
		err_msg("--listen wants a port number, not \"%s\"", port);
		return -1;
	}
	sa.sin6_port = htons(p);
	sa.sin6_addr = in6addr_any;
	lfd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		/* no IPv6: IPv4 only */
		struct sockaddr_in sa4 = { .sin_family = AF_INET,
					   .sin_port = htons(p) };

		lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (lfd < 0 ||
		    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    bind(lfd, (struct sockaddr *)&sa4, sizeof(sa4)))
			goto fail;
	} else if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		   setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
		   bind(lfd, (struct sockaddr *)&sa, sizeof(sa))) {
		goto fail;
	}
	if (listen(lfd, 1))
		goto fail;
	verbose("listening on port %u", p);
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		goto fail;
	close(lfd);
	return fd;
fail:
	err_msg("listening on port %u: %s", p, strerror(errno));
	if (lfd >= 0)
		close(lfd);
	return -1;
}

/* The context's establishment */

struct options {
	bool initiator;
	bool acceptor;
	const char *connect;
	const char *listen;
	const char *service;
	const char *keytab;
	const char *message;
	OM_uint32 req_flags;
	bool import_only;
	bool no_import;
	bool integrity;
	bool no_mic;
};

static int import_name(const char *service, gss_name_t *name)
{
	gss_buffer_desc buf = { strlen(service), (void *)service };
	OM_uint32 maj, min;

	maj = gss_import_name(&min, &buf, GSS_C_NT_HOSTBASED_SERVICE, name);
	if (GSS_ERROR(maj)) {
		gss_error("importing the service name", maj, min);
		return -1;
	}
	return 0;
}

static int initiate(int fd, const struct options *o, gss_ctx_id_t *ctx,
		    OM_uint32 *ret_flags)
{
	gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
	gss_OID mech = (gss_OID)gss_mech_krb5;
	OM_uint32 maj, min, min2;
	gss_name_t target;
	u8 *tok = NULL;
	size_t tlen;
	u8 tflags;
	int ret = -1;

	if (import_name(o->service, &target))
		return -1;
	if (send_token(fd, TOKEN_NOOP | TOKEN_CONTEXT_NEXT, NULL, 0))
		goto out;
	for (;;) {
		maj = gss_init_sec_context(&min, GSS_C_NO_CREDENTIAL, ctx,
					   target, mech, o->req_flags, 0,
					   GSS_C_NO_CHANNEL_BINDINGS,
					   tok ? &in : GSS_C_NO_BUFFER, NULL,
					   &out, ret_flags, NULL);
		free(tok);
		tok = NULL;
		if (out.length) {
			verbose("sending a context token of %zu bytes", out.length);
			if (send_token(fd, TOKEN_CONTEXT, out.value, out.length)) {
				gss_release_buffer(&min2, &out);
				goto out;
			}
		}
		gss_release_buffer(&min2, &out);
		if (GSS_ERROR(maj)) {
			gss_error("initiating the context", maj, min);
			goto out;
		}
		if (maj != GSS_S_CONTINUE_NEEDED)
			break;
		if (recv_token(fd, &tflags, &tok, &tlen))
			goto out;
		if (!(tflags & TOKEN_CONTEXT)) {
			err_msg("expected a context token, got flags 0x%02x", tflags);
			free(tok);
			goto out;
		}
		in.value = tok;
		in.length = tlen;
	}
	ret = 0;
out:
	gss_release_name(&min2, &target);
	return ret;
}

static int accept_ctx(int fd, const struct options *o, gss_ctx_id_t *ctx,
		      OM_uint32 *ret_flags)
{
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min, min2;
	gss_name_t client = GSS_C_NO_NAME;
	u8 *tok;
	size_t tlen;
	u8 tflags;
	int ret = -1;

	if (o->service) {
		gss_name_t name;

		if (import_name(o->service, &name))
			return -1;
		maj = gss_acquire_cred(&min, name, GSS_C_INDEFINITE,
				       GSS_C_NO_OID_SET, GSS_C_ACCEPT, &cred,
				       NULL, NULL);
		gss_release_name(&min2, &name);
		if (GSS_ERROR(maj)) {
			gss_error("acquiring the acceptor's credentials", maj, min);
			return -1;
		}
	}
	if (recv_token(fd, &tflags, &tok, &tlen))
		goto out;
	free(tok);
	if (!(tflags & TOKEN_NOOP) || !(tflags & TOKEN_CONTEXT_NEXT)) {
		err_msg("the client wants no context (flags 0x%02x)", tflags);
		goto out;
	}
	do {
		if (recv_token(fd, &tflags, &tok, &tlen))
			goto out;
		in.value = tok;
		in.length = tlen;
		maj = gss_accept_sec_context(&min, ctx, cred, &in,
					     GSS_C_NO_CHANNEL_BINDINGS,
					     client ? NULL : &client, NULL,
					     &out, ret_flags, NULL, NULL);
		free(tok);
		if (out.length) {
			verbose("sending a context token of %zu bytes", out.length);
			if (send_token(fd, TOKEN_CONTEXT, out.value, out.length)) {
				gss_release_buffer(&min2, &out);
				goto out;
			}
		}
		gss_release_buffer(&min2, &out);
		if (GSS_ERROR(maj)) {
			gss_error("accepting the context", maj, min);
			goto out;
		}
	} while (maj == GSS_S_CONTINUE_NEEDED);
	if (opt_verbose && client) {
		gss_buffer_desc nbuf;

		if (!GSS_ERROR(gss_display_name(&min, client, &nbuf, NULL))) {
			verbose("accepted \"%.*s\"", (int)nbuf.length,
				(char *)nbuf.value);
			gss_release_buffer(&min, &nbuf);
		}
	}
	ret = 0;
out:
	gss_release_name(&min2, &client);
	gss_release_cred(&min2, &cred);
	return ret;
}

/* The hand-over */

static int put_key(struct sspi_krb5_import *imp, const gss_krb5_lucid_key_t *k)
{
	const struct sspi_krb5_enctype *et = sspi_krb5_enctype_by_number(k->type);

	if (!et) {
		err_msg("the context's key has enctype %u, which the module does not take",
			k->type);
		return -1;
	}
	if (k->length != et->key_len || k->length > sizeof(imp->key)) {
		err_msg("the context's key of enctype %u has %u bytes", k->type,
			k->length);
		return -1;
	}
	imp->enctype = k->type;
	imp->key_len = k->length;
	memcpy(imp->key, k->data, k->length);
	return 0;
}

/*
 * Export the established context as a version 1 lucid context and fill
 * in @imp and @endtime.  MIT deletes its context: *@ctx is
 * GSS_C_NO_CONTEXT afterwards.
 */
static int export_ctx(gss_ctx_id_t *ctx, OM_uint32 ret_flags,
		      struct sspi_krb5_import *imp, u64 *endtime)
{
	gss_krb5_lucid_context_v1_t *lc;
	OM_uint32 maj, min;
	void *p = NULL;
	int ret = -1;

	maj = gss_krb5_export_lucid_sec_context(&min, ctx, 1, &p);
	if (GSS_ERROR(maj)) {
		gss_error("exporting the lucid context", maj, min);
		return -1;
	}
	if (*ctx != GSS_C_NO_CONTEXT)
		verbose("MIT kept its context after the export");
	mit_ctx_deleted = *ctx == GSS_C_NO_CONTEXT;
	lc = p;
	if (lc->version != 1) {
		err_msg("lucid context version %u, not 1", lc->version);
		goto out;
	}
	memset(imp, 0, sizeof(*imp));
	if (lc->protocol == LUCID_PROTOCOL_CFX) {
		const gss_krb5_cfx_keydata_t *kd = &lc->cfx_kd;

		if (kd->have_acceptor_subkey) {
			imp->flags |= SSPI_KRB5_F_ACCEPTOR_SUBKEY;
			ret = put_key(imp, &kd->acceptor_subkey);
		} else {
			ret = put_key(imp, &kd->ctx_key);
		}
	} else if (lc->protocol == 0 &&
		   lc->rfc1964_kd.ctx_key.type == SSPI_KRB5_ENCTYPE_ARCFOUR_HMAC) {
		/* RFC 4757: RC4-HMAC tokens in RFC 1964's format */
		ret = put_key(imp, &lc->rfc1964_kd.ctx_key);
	} else {
		err_msg("lucid context protocol %u (enctype %u) is not RFC 4121",
			lc->protocol, lc->rfc1964_kd.ctx_key.type);
	}
	if (ret)
		goto out;
	if (lc->initiate)
		imp->flags |= SSPI_KRB5_F_INITIATOR;
	if (ret_flags & GSS_C_REPLAY_FLAG)
		imp->flags |= SSPI_KRB5_F_REPLAY;
	if (ret_flags & GSS_C_SEQUENCE_FLAG)
		imp->flags |= SSPI_KRB5_F_SEQUENCE;
	if (ret_flags & GSS_C_DCE_STYLE)
		imp->flags |= SSPI_KRB5_F_DCE_STYLE;
	imp->send_seq = lc->send_seq;
	imp->recv_seq = lc->recv_seq;
	*endtime = lc->endtime;
out:
	gss_krb5_free_lucid_sec_context(&min, p);
	return ret;
}

static int import_ctx(const struct sspi_krb5_import *imp, u64 endtime,
		      u64 *handle)
{
	struct sspi_ctx_limit limit = { .has_expiry = true, .expiry = endtime };

	if (!sspi_ctx_import(KRB5_PKG_NAME, imp, sizeof(*imp), &limit, handle))
		return 0;
	/* a refusal by the package is a SECURITY_STATUS: say which request */
	err_msg("%s%s", sspi_status_by_name(sspi_error()) ? "CTX_IMPORT: " : "",
		sspi_error());
	return -1;
}

/* 0, or -1 when the handle did not reach standard output */
static int print_import(u64 handle, const struct sspi_krb5_import *imp,
			u64 endtime)
{
	bool subkey = imp->flags & SSPI_KRB5_F_ACCEPTOR_SUBKEY;

	if (opt_json) {
		json_open('{');
		json_key("handle");
		json_handle(handle);
		json_key("enctype");
		json_uint(imp->enctype);
		json_key("flags");
		json_uint(imp->flags);
		json_key("acceptor_subkey");
		json_str(subkey ? "yes" : "no");
		json_key("send_seq");
		json_uint(imp->send_seq);
		json_key("recv_seq");
		json_uint(imp->recv_seq);
		json_key("expiry");
		json_uint(endtime);
		json_key("mit_context");
		json_str(mit_ctx_deleted ? "deleted" : "kept");
		json_close('}');
	} else {
		printf("0x%016llx\n", (unsigned long long)handle);
		verbose("enctype %u, flags 0x%x%s, send_seq %llu, recv_seq %llu, expiry %llu",
			imp->enctype, imp->flags,
			subkey ? " (acceptor subkey)" : "",
			(unsigned long long)imp->send_seq,
			(unsigned long long)imp->recv_seq,
			(unsigned long long)endtime);
	}
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	err_msg("writing the handle: %s", strerror(errno));
	return -1;
}

/* The messages, through the module */

struct ctx_sizes {
	u32 max_signature;
	u32 block_size;
	u32 security_trailer;
};

static int query_sizes(u64 handle, struct ctx_sizes *s)
{
	struct sspi_ctx_info ci;

	if (sspi_ctx_get(handle, &ci))
		return lib_err();
	s->max_signature = ci.sizes[SSPI_SIZES_MAX_SIGNATURE];
	s->block_size = ci.sizes[SSPI_SIZES_BLOCK_SIZE];
	s->security_trailer = ci.sizes[SSPI_SIZES_SECURITY_TRAILER];
	if (!ci.has_sizes || !s->max_signature || !s->security_trailer) {
		err_msg("CTX_GET: the context has no sizes");
		return -1;
	}
	return 0;
}

/* One message command; -1 unless the module said SEC_E_OK */
static int module_op(u8 cmd, const char *what, struct sspi_msg *m)
{
	if (sspi_message(cmd, m, SSPI_TRANSPORT_NETLINK))
		return lib_err();
	if (m->status != SSPI_SEC_E_OK) {
		err_msg("%s: %s", what, sspi_status_name(m->status));
		return -1;
	}
	return 0;
}

/*
 * The client's side: seal the message, send it as the sample's DATA
 * token, verify the server's MIC of it.
 */
static int client_messages(int fd, const struct options *o, u64 handle)
{
	struct sspi_msg m = { .handle = handle };
	size_t mlen = strlen(o->message), wlen = 0;
	struct ctx_sizes sz;
	u8 *wrapped = NULL, *mic = NULL;
	u8 tflags;
	size_t miclen;
	unsigned int i;
	int ret = -1;

	if (query_sizes(handle, &sz))
		return -1;
	m.qop = o->integrity ? SSPI_SECQOP_WRAP_NO_ENCRYPT : 0;
	sspi_msg_add(&m, SSPI_SECBUFFER_TOKEN, NULL, sz.security_trailer);
	sspi_msg_add(&m, SSPI_SECBUFFER_DATA, (void *)o->message, mlen);
	sspi_msg_add(&m, SSPI_SECBUFFER_PADDING, NULL, sz.block_size);
	if (module_op(SSPI_CMD_ENCRYPT, "ENCRYPT", &m))
		return -1;
	for (i = 0; i < m.count; i++)
		wlen += m.buf[i].data ? m.buf[i].len : 0;
	wrapped = malloc(wlen + 1);
	if (!wrapped) {
		err_msg("out of memory");
		return -1;
	}
	wlen = 0;
	for (i = 0; i < m.count; i++) {
		if (!m.buf[i].data)
			continue;
		memcpy(wrapped + wlen, m.buf[i].data, m.buf[i].len);
		wlen += m.buf[i].len;
	}
	if (send_token(fd, TOKEN_DATA | TOKEN_WRAPPED |
		       (o->integrity ? 0 : TOKEN_ENCRYPTED) |
		       (o->no_mic ? 0 : TOKEN_SEND_MIC), wrapped, wlen))
		goto out;
	printf("sealed %zu bytes into a %zu-byte token (%s)\n", mlen, wlen,
	       o->integrity ? "integrity only" : "encrypted");
	if (recv_token(fd, &tflags, &mic, &miclen))
		goto out;
	if (o->no_mic) {
		ret = 0;
		goto out;
	}
	if (!(tflags & TOKEN_MIC)) {
		err_msg("expected a MIC from the server, got flags 0x%02x", tflags);
		goto out;
	}
	memset(&m, 0, sizeof(m));
	m.handle = handle;
	sspi_msg_add(&m, SSPI_SECBUFFER_DATA, (void *)o->message, mlen);
	sspi_msg_add(&m, SSPI_SECBUFFER_TOKEN, mic, miclen);
	if (module_op(SSPI_CMD_VERIFY, "VERIFY of the server's MIC", &m))
		goto out;
	printf("verified the server's %zu-byte MIC\n", miclen);
	ret = 0;
out:
	free(mic);
	free(wrapped);
	return ret;
}

/*
 * The server's side: unseal each DATA token the client sends and answer
 * with a MIC of its plaintext (or a NOOP), until the client's NOOP.
 */
static int server_messages(int fd, u64 handle)
{
	struct sspi_msg m;
	struct ctx_sizes sz;
	u8 *tok, *plain;
	size_t tlen, plen;
	u8 tflags;
	int ret = -1;

	if (query_sizes(handle, &sz))
		return -1;
	for (;;) {
		struct sspi_buf *d;

		if (recv_token(fd, &tflags, &tok, &tlen))
			return -1;
		if (tflags & TOKEN_NOOP) {
			free(tok);
			return 0;
		}
		plain = tok;
		plen = tlen;
		memset(&m, 0, sizeof(m));
		m.handle = handle;
		if (tflags & TOKEN_WRAPPED) {
			sspi_msg_add(&m, SSPI_SECBUFFER_STREAM, tok, tlen);
			sspi_msg_add(&m, SSPI_SECBUFFER_DATA, NULL, 0);
			if (module_op(SSPI_CMD_DECRYPT, "DECRYPT", &m))
				goto out;
			d = sspi_msg_find(&m, SSPI_SECBUFFER_DATA);
			if (!d || !d->data) {
				err_msg("DECRYPT: no DATA buffer in the reply");
				goto out;
			}
			plain = d->data;
			plen = d->len;
			if ((tflags & TOKEN_ENCRYPTED) &&
			    m.qop == SSPI_SECQOP_WRAP_NO_ENCRYPT)
				err_msg("warning: the message was not encrypted");
			printf("unsealed %zu bytes (%s): \"%.*s\"\n", plen,
			       m.qop == SSPI_SECQOP_WRAP_NO_ENCRYPT ?
			       "integrity only" : "encrypted",
			       (int)plen, (char *)plain);
		}
		if (tflags & TOKEN_SEND_MIC) {
			u8 *copy = malloc(plen + 1);

			if (!copy) {
				err_msg("out of memory");
				goto out;
			}
			memcpy(copy, plain, plen);
			memset(&m, 0, sizeof(m));
			m.handle = handle;
			sspi_msg_add(&m, SSPI_SECBUFFER_DATA, copy, plen);
			sspi_msg_add(&m, SSPI_SECBUFFER_TOKEN, NULL, sz.max_signature);
			if (module_op(SSPI_CMD_SIGN, "SIGN", &m)) {
				free(copy);
				goto out;
			}
			free(copy);
			d = sspi_msg_find(&m, SSPI_SECBUFFER_TOKEN);
			if (!d || !d->data) {
				err_msg("SIGN: no TOKEN buffer in the reply");
				goto out;
			}
			if (send_token(fd, TOKEN_MIC, d->data, d->len))
				goto out;
			printf("sent a %u-byte MIC\n", d->len);
		} else if (send_token(fd, TOKEN_NOOP, NULL, 0)) {
			goto out;
		}
		fflush(stdout);
		free(tok);
	}
out:
	free(tok);
	return ret;
}

static int parse_flags(const char *list, OM_uint32 *flags)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int ret = 0;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "replay"))
			*flags |= GSS_C_REPLAY_FLAG;
		else if (!strcmp(tok, "sequence"))
			*flags |= GSS_C_SEQUENCE_FLAG;
		else if (!strcmp(tok, "dce"))
			*flags |= GSS_C_DCE_STYLE | GSS_C_MUTUAL_FLAG;
		else if (!strcmp(tok, "mutual"))
			*flags |= GSS_C_MUTUAL_FLAG;
		else
			ret = -1;
	}
	free(copy);
	return ret;
}

int main(int argc, char **argv)
{
	enum { O_INIT = 256, O_ACC, O_CONNECT, O_LISTEN, O_SERVICE, O_KEYTAB,
	       O_MUTUAL, O_FLAGS, O_IMPORT_ONLY, O_NO_IMPORT, O_MESSAGE, O_INTEG, O_NOMIC };
	static const struct option lopts[] = {
		{ "initiator", no_argument, NULL, O_INIT },
		{ "acceptor", no_argument, NULL, O_ACC },
		{ "connect", required_argument, NULL, O_CONNECT },
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "service", required_argument, NULL, O_SERVICE },
		{ "keytab", required_argument, NULL, O_KEYTAB },
		{ "mutual", no_argument, NULL, O_MUTUAL },
		{ "flags", required_argument, NULL, O_FLAGS },
		{ "import-only", no_argument, NULL, O_IMPORT_ONLY },
		{ "no-import", no_argument, NULL, O_NO_IMPORT },
		{ "message", required_argument, NULL, O_MESSAGE },
		{ "integrity", no_argument, NULL, O_INTEG },
		{ "no-mic", no_argument, NULL, O_NOMIC },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct options o = {
		.message = "hello, kernel",
		.req_flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG,
	};
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	struct sspi_krb5_import imp;
	OM_uint32 ret_flags = 0, min;
	u64 handle, endtime;
	int c, fd, ret = EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "jvh", lopts, NULL)) != -1) {
		switch (c) {
		case O_INIT:
			o.initiator = true;
			break;
		case O_ACC:
			o.acceptor = true;
			break;
		case O_CONNECT:
			o.connect = optarg;
			break;
		case O_LISTEN:
			o.listen = optarg;
			break;
		case O_SERVICE:
			o.service = optarg;
			break;
		case O_KEYTAB:
			o.keytab = optarg;
			break;
		case O_MUTUAL:
			o.req_flags |= GSS_C_MUTUAL_FLAG;
			break;
		case O_FLAGS:
			if (parse_flags(optarg, &o.req_flags))
				return usage_error(usage_text,
						   "--flags takes replay, sequence, dce, mutual");
			break;
		case O_IMPORT_ONLY:
			o.import_only = true;
			break;
		case O_NO_IMPORT:
			o.no_import = true;
			o.import_only = true;
			break;
		case O_MESSAGE:
			o.message = optarg;
			break;
		case O_INTEG:
			o.integrity = true;
			break;
		case O_NOMIC:
			o.no_mic = true;
			break;
		case 'j':
			opt_json = true;
			break;
		case 'v':
			opt_verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			return usage_error(usage_text, "bad option");
		}
	}
	if (optind != argc)
		return usage_error(usage_text, "unexpected argument \"%s\"", argv[optind]);
	if (o.initiator == o.acceptor)
		return usage_error(usage_text, "say --initiator or --acceptor");
	if (o.initiator && (!o.connect || !o.service || o.listen || o.keytab))
		return usage_error(usage_text,
				   "--initiator takes --connect and --service");
	if (o.acceptor && (!o.listen || o.connect))
		return usage_error(usage_text, "--acceptor takes --listen");

	if (o.keytab) {
		OM_uint32 maj = krb5_gss_register_acceptor_identity(o.keytab);

		if (GSS_ERROR(maj)) {
			gss_error("registering the keytab", maj, 0);
			return EXIT_FAIL;
		}
	}
	/* the module first: no point in a handshake it cannot take */
	if (!o.no_import && sspi_open())
		return lib_fail();

	fd = o.initiator ? connect_to(o.connect) : accept_one(o.listen);
	if (fd < 0)
		return EXIT_FAIL;
	set_timeouts(fd);
	if (o.initiator ? initiate(fd, &o, &ctx, &ret_flags) :
			  accept_ctx(fd, &o, &ctx, &ret_flags))
		goto out;
	verbose("context established, flags 0x%x", ret_flags);
	if (export_ctx(&ctx, ret_flags, &imp, &endtime))
		goto out;
	handle = 0;
	c = o.no_import ? 0 : import_ctx(&imp, endtime, &handle);
	explicit_bzero(&imp.key, sizeof(imp.key));
	if (c)
		goto out;
	if (print_import(handle, &imp, endtime)) {
		if (handle)
			sspi_ctx_delete(handle);
		goto out;
	}

	if (o.import_only) {
		/* a client ends the sample session with a NOOP */
		if (o.initiator && send_token(fd, TOKEN_NOOP, NULL, 0))
			goto out;
		ret = 0;
		goto out;
	}
	if (o.initiator)
		c = client_messages(fd, &o, handle) ||
		    send_token(fd, TOKEN_NOOP, NULL, 0);
	else
		c = server_messages(fd, handle);
	/* the exchange was the context's use: its peer is gone */
	if (handle)
		sspi_ctx_delete(handle);
	if (!c)
		ret = 0;
out:
	if (ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
	shutdown(fd, SHUT_WR);
	close(fd);
	return ret;
}
