// SPDX-License-Identifier: GPL-2.0
/*
 * sspi-gss: a context made with MIT krb5's GSSAPI, handed to sspi_kmod:
 * Kerberos to the "Kerberos" package (Documentation/krb5-handover.rst),
 * NTLM (gss-ntlmssp) to "NTLM" and SPNEGO, choosing either, to "Negotiate"
 * (Documentation/ntlm-handover.rst).
 *
 * It speaks MIT's gss-sample protocol (gss-client / gss-server of
 * krb5-gss-samples): every token is one flag byte, a 4-byte big-endian
 * length and the token.  The initiator announces a context
 * (NOOP|CONTEXT_NEXT), both sides trade CONTEXT tokens until the context
 * is established, then the client sends DATA tokens (WRAPPED, ENCRYPTED,
 * SEND_MIC as it asks) and the server answers each with a MIC of the
 * plaintext (or a NOOP); a NOOP from the client ends the session.
 *
 * --mech ntlm: the NTLM context's ExportedSessionKey comes from
 * gss_inquire_sec_context_by_oid(GSS_C_INQ_SSPI_SESSION_KEY) and its
 * NegotiateFlags from the AUTHENTICATE message seen on the wire; --mech
 * spnego: the same for the mechanism SPNEGO selected, and the first
 * sequence numbers go on from the mechListMIC exchange (one number per
 * MIC this side made or verified).
 *
 * Once a Kerberos context is established it is exported as MIT's lucid context
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
#include <gssapi/gssapi_ext.h>
#include <time.h>

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

/* The mechanisms: their OIDs (RFC 4178, MS-NLMP) */
static gss_OID_desc ntlm_oid = { 10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" };
static gss_OID_desc spnego_oid = { 6, (void *)"\x2b\x06\x01\x05\x05\x02" };
/* MIT's GSS_C_INQ_SSPI_SESSION_KEY, 1.2.840.113554.1.2.2.5.5 */
static gss_OID_desc sspi_session_key_oid = {
	11, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x05\x05" };

/* The NTLMSSP signature and AUTHENTICATE message (MS-NLMP 2.2.1.3) */
static const u8 ntlmssp_sig[8] = "NTLMSSP";
#define NTLM_AUTHENTICATE	3
#define NTLM_AUTH_FLAGS_OFF	60
#define NTLM_SESSION_KEY_LEN	16

enum mech { MECH_KRB5, MECH_NTLM, MECH_SPNEGO };

/*
 * What the handshake's tokens showed: the AUTHENTICATE message's
 * NegotiateFlags, and the SPNEGO mechListMICs this side sent and received.
 */
struct seen {
	bool have_auth;
	u32 auth_flags;
	bool spnego;
	unsigned int mics_sent;
	unsigned int mics_rcvd;
};

static const char usage_text[] =
	"usage: sspi-gss --initiator --connect HOST:PORT --service SERVICE@HOST\n"
	"                [--mutual] [--flags replay,sequence,dce] [options]\n"
	"       sspi-gss --acceptor --listen PORT [--keytab FILE]\n"
	"                [--service SERVICE@HOST] [options]\n"
	"options:\n"
	"  --mech krb5|ntlm|spnego  the mechanism (default krb5): Kerberos\n"
	"                     imported as \"Kerberos\", NTLM (gss-ntlmssp) as\n"
	"                     \"NTLM\", SPNEGO (either) as \"Negotiate\"\n"
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

/* What the context tokens show */

static u32 get_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* A DER tag and length at *@p: its contents' length in *@len, -1 if bad */
static int der_hdr(const u8 **p, const u8 *end, u8 *tag, size_t *len)
{
	size_t n = 0;
	unsigned int k;

	if (end - *p < 2)
		return -1;
	*tag = *(*p)++;
	k = *(*p)++;
	if (k & 0x80) {
		k &= 0x7f;
		if (!k || k > 4 || end - *p < k)
			return -1;
		while (k--)
			n = n << 8 | *(*p)++;
	} else {
		n = k;
	}
	if (n > (size_t)(end - *p))
		return -1;
	*len = n;
	return 0;
}

/* An NTLM AUTHENTICATE message: note its NegotiateFlags */
static void see_ntlm(struct seen *sn, const u8 *msg, size_t len)
{
	if (len < NTLM_AUTH_FLAGS_OFF + 4 ||
	    memcmp(msg, ntlmssp_sig, sizeof(ntlmssp_sig)) ||
	    get_le32(msg + 8) != NTLM_AUTHENTICATE)
		return;
	sn->have_auth = true;
	sn->auth_flags = get_le32(msg + NTLM_AUTH_FLAGS_OFF);
}

/*
 * A SPNEGO NegTokenResp (RFC 4178 4.2.2): [1] SEQUENCE { [0] negState,
 * [1] supportedMech, [2] responseToken, [3] mechListMIC }.  Count its
 * mechListMIC and look into its responseToken.
 */
static void see_negtokenresp(struct seen *sn, const u8 *p, size_t len, bool sent)
{
	const u8 *end = p + len;
	size_t n;
	u8 tag;

	if (der_hdr(&p, end, &tag, &n) || tag != 0xa1)
		return;
	end = p + n;
	if (der_hdr(&p, end, &tag, &n) || tag != 0x30)
		return;
	end = p + n;
	while (p < end) {
		const u8 *elem;

		if (der_hdr(&p, end, &tag, &n))
			return;
		elem = p;
		p += n;
		if (tag == 0xa3) {
			if (sent)
				sn->mics_sent++;
			else
				sn->mics_rcvd++;
		} else if (tag == 0xa2) {
			size_t m;

			if (!der_hdr(&elem, p, &tag, &m) && tag == 0x04)
				see_ntlm(sn, elem, m);
		}
	}
}

/* A context token this side @sent or received */
static void see_token(struct seen *sn, const u8 *tok, size_t len, bool sent)
{
	if (sn->spnego)
		see_negtokenresp(sn, tok, len, sent);
	else
		see_ntlm(sn, tok, len);
}

/* Is this first context token SPNEGO's (RFC 2743 3.1 framing, its OID)? */
static bool is_spnego_token(const u8 *p, size_t len)
{
	const u8 *end = p + len;
	size_t n;
	u8 tag;

	return !der_hdr(&p, end, &tag, &n) && tag == 0x60 &&
	       !der_hdr(&p, p + n, &tag, &n) && tag == 0x06 &&
	       n == spnego_oid.length && !memcmp(p, spnego_oid.elements, n);
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
	enum mech mech;
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
		    OM_uint32 *ret_flags, struct seen *sn)
{
	gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
	gss_OID mech = o->mech == MECH_NTLM ? &ntlm_oid :
		       o->mech == MECH_SPNEGO ? &spnego_oid :
		       (gss_OID)gss_mech_krb5;
	bool first = true;
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
			/* SPNEGO's first token is a NegTokenInit */
			if (!first || !sn->spnego)
				see_token(sn, out.value, out.length, true);
			first = false;
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
		see_token(sn, tok, tlen, false);
		in.value = tok;
		in.length = tlen;
	}
	ret = 0;
out:
	gss_release_name(&min2, &target);
	return ret;
}

static int accept_ctx(int fd, const struct options *o, gss_ctx_id_t *ctx,
		      OM_uint32 *ret_flags, struct seen *sn)
{
	bool first = true;
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
		/* SPNEGO's first token is a NegTokenInit */
		if (first)
			sn->spnego = is_spnego_token(tok, tlen);
		if (!first || !sn->spnego)
			see_token(sn, tok, tlen, false);
		first = false;
		in.value = tok;
		in.length = tlen;
		maj = gss_accept_sec_context(&min, ctx, cred, &in,
					     GSS_C_NO_CHANNEL_BINDINGS,
					     client ? NULL : &client, NULL,
					     &out, ret_flags, NULL, NULL);
		free(tok);
		if (out.length) {
			verbose("sending a context token of %zu bytes", out.length);
			see_token(sn, out.value, out.length, true);
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

/* The mechanism SPNEGO (or the caller) chose for the established context */
static int ctx_mech(gss_ctx_id_t ctx, enum mech *m)
{
	gss_OID mech = GSS_C_NO_OID;
	OM_uint32 maj, min;

	maj = gss_inquire_context(&min, ctx, NULL, NULL, NULL, &mech, NULL,
				  NULL, NULL);
	if (GSS_ERROR(maj)) {
		gss_error("inquiring the context's mechanism", maj, min);
		return -1;
	}
	if (mech && gss_oid_equal(mech, &ntlm_oid)) {
		*m = MECH_NTLM;
	} else if (mech && (gss_oid_equal(mech, gss_mech_krb5) ||
			    gss_oid_equal(mech, gss_mech_krb5_old) ||
			    gss_oid_equal(mech, gss_mech_krb5_wrong))) {
		*m = MECH_KRB5;
	} else {
		err_msg("the context's mechanism is neither Kerberos nor NTLM");
		return -1;
	}
	return 0;
}

/*
 * An NTLM context's session security (Documentation/ntlm-handover.rst):
 * the ExportedSessionKey from gss-ntlmssp, the NegotiateFlags of the
 * AUTHENTICATE message, and the first sequence numbers: 0, or after a
 * SPNEGO mechListMIC exchange one more for each MIC this side made
 * (send) or verified (receive) -- for each MIC either way without
 * extended session security, where one counter serves both directions.
 * MIT's context is deleted afterwards: the module has the session from
 * here on.
 */
static int export_ntlm(gss_ctx_id_t *ctx, bool initiator,
		       const struct seen *sn, struct sspi_ntlm_import *imp,
		       u64 *endtime)
{
	gss_buffer_set_t bs = GSS_C_NO_BUFFER_SET;
	OM_uint32 maj, min, t = 0;
	int ret = -1;
	bool ess;

	memset(imp, 0, sizeof(*imp));
	if (!sn->have_auth) {
		err_msg("the handshake showed no NTLM AUTHENTICATE message");
		return -1;
	}
	maj = gss_inquire_sec_context_by_oid(&min, *ctx, &sspi_session_key_oid,
					     &bs);
	if (GSS_ERROR(maj)) {
		gss_error("inquiring the NTLM session key", maj, min);
		return -1;
	}
	if (!bs || bs->count < 1 ||
	    bs->elements[0].length != NTLM_SESSION_KEY_LEN) {
		err_msg("the NTLM session key is not %d bytes",
			NTLM_SESSION_KEY_LEN);
		goto out;
	}
	memcpy(imp->session_key, bs->elements[0].value, NTLM_SESSION_KEY_LEN);
	explicit_bzero(bs->elements[0].value, bs->elements[0].length);
	imp->negotiate_flags = sn->auth_flags;
	if (initiator)
		imp->flags |= SSPI_NTLM_F_INITIATOR;
	if (sn->auth_flags & SSPI_NTLMSSP_NEGOTIATE_DATAGRAM)
		imp->flags |= SSPI_NTLM_F_DATAGRAM;
	ess = sn->auth_flags & SSPI_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
	if (ess) {
		imp->send_seq = sn->mics_sent;
		imp->recv_seq = sn->mics_rcvd;
	} else {
		/* NTLMv1: one sequence counter for both directions */
		imp->send_seq = sn->mics_sent + sn->mics_rcvd;
		imp->recv_seq = imp->send_seq;
	}
	maj = gss_context_time(&min, *ctx, &t);
	*endtime = GSS_ERROR(maj) || t == GSS_C_INDEFINITE ? 0 :
		   (u64)time(NULL) + t;
	ret = 0;
out:
	gss_release_buffer_set(&min, &bs);
	gss_delete_sec_context(&min, ctx, GSS_C_NO_BUFFER);
	mit_ctx_deleted = true;
	return ret;
}

/* What goes to the module */
struct handover {
	enum mech mech;			/* the package's mechanism */
	bool negotiate;			/* under SPNEGO: "Negotiate" */
	struct sspi_krb5_import krb5;
	struct sspi_ntlm_import ntlm;
	u64 endtime;
};

static const char *handover_pkg(const struct handover *h)
{
	if (h->negotiate)
		return "Negotiate";
	return h->mech == MECH_NTLM ? "NTLM" : KRB5_PKG_NAME;
}

static int import_ctx(const struct handover *h, u64 *handle)
{
	struct sspi_ctx_limit limit = { .has_expiry = h->endtime != 0,
					.expiry = h->endtime };
	const void *inner = h->mech == MECH_NTLM ? (const void *)&h->ntlm :
						    (const void *)&h->krb5;
	size_t len = h->mech == MECH_NTLM ? sizeof(h->ntlm) : sizeof(h->krb5);
	struct sspi_negotiate_import *neg = NULL;
	int ret;

	if (h->negotiate) {
		neg = calloc(1, sizeof(*neg) + len);
		if (!neg) {
			err_msg("out of memory");
			return -1;
		}
		neg->mech = h->mech == MECH_NTLM ? SSPI_NEGOTIATE_MECH_NTLM :
						   SSPI_NEGOTIATE_MECH_KERBEROS;
		neg->len = len;
		memcpy(neg->import, inner, len);
		inner = neg;
		len += sizeof(*neg);
	}
	ret = sspi_ctx_import(handover_pkg(h), inner, len, &limit, handle);
	if (neg) {
		explicit_bzero(neg, len);
		free(neg);
	}
	if (!ret)
		return 0;
	/* a refusal by the package is a SECURITY_STATUS: say which request */
	err_msg("%s%s", sspi_status_by_name(sspi_error()) ? "CTX_IMPORT: " : "",
		sspi_error());
	return -1;
}

/* An NTLM handover, as print_import() prints a Kerberos one */
static void print_ntlm(u64 handle, const struct handover *h)
{
	const struct sspi_ntlm_import *imp = &h->ntlm;

	if (opt_json) {
		json_open('{');
		json_key("handle");
		json_handle(handle);
		json_key("package");
		json_str(handover_pkg(h));
		if (h->negotiate) {
			json_key("negotiated");
			json_str("NTLM");
		}
		json_key("negotiate_flags");
		json_uint(imp->negotiate_flags);
		json_key("flags");
		json_uint(imp->flags);
		json_key("send_seq");
		json_uint(imp->send_seq);
		json_key("recv_seq");
		json_uint(imp->recv_seq);
		json_key("expiry");
		json_uint(h->endtime);
		json_key("mit_context");
		json_str(mit_ctx_deleted ? "deleted" : "kept");
		json_close('}');
	} else {
		printf("0x%016llx\n", (unsigned long long)handle);
		verbose("%s%s: NegotiateFlags 0x%08x, flags 0x%x, seq %u/%u, expiry %llu",
			handover_pkg(h), h->negotiate ? " NTLM" : "",
			imp->negotiate_flags, imp->flags, imp->send_seq,
			imp->recv_seq, (unsigned long long)h->endtime);
	}
}

/* 0, or -1 when the handle did not reach standard output */
static int print_import(u64 handle, const struct handover *h)
{
	const struct sspi_krb5_import *imp = &h->krb5;
	bool subkey = imp->flags & SSPI_KRB5_F_ACCEPTOR_SUBKEY;
	u64 endtime = h->endtime;

	if (h->mech == MECH_NTLM) {
		print_ntlm(handle, h);
	} else if (opt_json) {
		json_open('{');
		json_key("handle");
		json_handle(handle);
		if (h->negotiate) {
			json_key("package");
			json_str("Negotiate");
			json_key("negotiated");
			json_str("Kerberos");
		}
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
	       O_MUTUAL, O_FLAGS, O_IMPORT_ONLY, O_NO_IMPORT, O_MESSAGE, O_INTEG, O_NOMIC,
	       O_MECH };
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
		{ "mech", required_argument, NULL, O_MECH },
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
	struct handover h = { 0 };
	struct seen sn = { 0 };
	OM_uint32 ret_flags = 0, min;
	bool want_spnego;
	u64 handle;
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
		case O_MECH:
			if (!strcmp(optarg, "krb5"))
				o.mech = MECH_KRB5;
			else if (!strcmp(optarg, "ntlm"))
				o.mech = MECH_NTLM;
			else if (!strcmp(optarg, "spnego"))
				o.mech = MECH_SPNEGO;
			else
				return usage_error(usage_text,
						   "--mech takes krb5, ntlm or spnego");
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
	sn.spnego = o.initiator && o.mech == MECH_SPNEGO;
	if (o.initiator ? initiate(fd, &o, &ctx, &ret_flags, &sn) :
			  accept_ctx(fd, &o, &ctx, &ret_flags, &sn))
		goto out;
	verbose("context established, flags 0x%x", ret_flags);
	if (ctx_mech(ctx, &h.mech))
		goto out;
	/* --mech krb5 takes a Kerberos context under SPNEGO as it always did */
	want_spnego = o.mech == MECH_SPNEGO;
	if (o.mech != MECH_KRB5 && sn.spnego != want_spnego) {
		err_msg("the client %s SPNEGO: say --mech %s", sn.spnego ?
			"used" : "did not use", sn.spnego ? "spnego" : "ntlm or krb5");
		goto out;
	}
	if (o.mech != MECH_SPNEGO && h.mech != o.mech) {
		err_msg("the context is %s, not %s: say --mech %s",
			h.mech == MECH_NTLM ? "NTLM" : "Kerberos",
			o.mech == MECH_NTLM ? "NTLM" : "Kerberos",
			sn.spnego ? "spnego" : h.mech == MECH_NTLM ? "ntlm" : "krb5");
		goto out;
	}
	h.negotiate = o.mech == MECH_SPNEGO;
	if (h.mech == MECH_NTLM) {
		verbose("NTLM: %u mechListMIC sent, %u received", sn.mics_sent,
			sn.mics_rcvd);
		c = export_ntlm(&ctx, o.initiator, &sn, &h.ntlm, &h.endtime);
	} else {
		c = export_ctx(&ctx, ret_flags, &h.krb5, &h.endtime);
	}
	if (c)
		goto out;
	handle = 0;
	c = o.no_import ? 0 : import_ctx(&h, &handle);
	explicit_bzero(&h.krb5.key, sizeof(h.krb5.key));
	explicit_bzero(&h.ntlm.session_key, sizeof(h.ntlm.session_key));
	if (c)
		goto out;
	if (print_import(handle, &h)) {
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
