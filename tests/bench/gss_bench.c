// SPDX-License-Identifier: GPL-2.0
/*
 * gss-bench: gss_wrap and gss_unwrap of a GSSAPI mechanism timed, the
 * yardstick of the Kerberos and NTLM parts of "make bench" (sspi-bench
 * --gss runs it): MIT krb5's own, or gss-ntlmssp's (a plugin of MIT's
 * libgssapi_krb5).
 *
 *   gss-bench [--mech krb5] --enctype N --service SERVICE@HOST
 *   gss-bench --mech ntlm [--service SERVICE@HOST]
 *
 * Establishes a real GSSAPI context in this one process, the initiator's
 * and the acceptor's tokens handed over in memory, then says "ready ..."
 * and reads commands from stdin.
 *
 * krb5: the initiator with the credentials cache of KRB5CCNAME,
 * restricted to enctype N (gss_krb5_set_allowable_enctypes), the acceptor
 * with the keytab of KRB5_KTNAME; checks that the session key is of
 * enctype N and says "ready enctype=N".
 *
 * ntlm (mechanism 1.3.6.1.4.1.311.2.2.10): both sides with the default
 * credentials of gss-ntlmssp, i.e. the first line of NTLM_USER_FILE
 * ("DOMAIN:user:password"), the target SERVICE@HOST (default
 * host@localhost); checks that the NegotiateFlags of the AUTHENTICATE
 * message (offset 60) ask for signing, sealing, extended session security,
 * key exchange and 128-bit keys, and says "ready mech=ntlm flags=0xFLAGS".
 *
 * Commands, one per line:
 *
 *   SIZE MS	time gss_wrap (conf_req 1) and gss_unwrap of SIZE bytes,
 *		each for about MS milliseconds
 *
 * and answers each with two lines, as the sspi_bench module does:
 *
 *   seal size=SIZE ops=N ns=T median=M
 *   unseal size=SIZE ops=N ns=T median=M
 *
 * N operations were timed one by one, T ns in all, the median one M ns.
 * A timed wrap includes releasing its token (gss_release_buffer), as a
 * caller must; a timed unwrap includes releasing its output.  The tokens
 * to unwrap are wrapped untimed by the initiator and unwrapped by the
 * acceptor; the timed wraps are the acceptor's, whose tokens nobody
 * unwraps, so the acceptor's sequence window stays in step.
 *
 * "error ..." on stdout, and exit status 1, when something fails.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <gssapi/gssapi_ntlmssp.h>

#define MAX_SIZE	(1024 * 1024)
#define MAX_SAMPLES	(256 * 1024)

static gss_OID_desc krb5_mech = {
	9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"
};

static gss_OID_desc ntlm_mech = {
	GSS_NTLMSSP_OID_LENGTH, (void *)GSS_NTLMSSP_OID_STRING
};

/* NegotiateFlags an NTLM context must have: SIGN, SEAL, ESS, 128, KEY_EXCH */
#define NTLM_WANTED_FLAGS	0x60080030u
/* an AUTHENTICATE message: "NTLMSSP\0", type 3, ..., flags at 60 */
#define NTLM_SIGNATURE		"NTLMSSP"
#define NTLM_AUTHENTICATE	3
#define NTLM_FLAGS_OFFSET	60

static gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
static __u32 *samples;

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static const char *prog = "gss-bench";

static void show_status(const char *what, OM_uint32 code, int type)
{
	OM_uint32 min, ctx = 0;
	gss_buffer_desc msg;

	do {
		if (GSS_ERROR(gss_display_status(&min, code, type, GSS_C_NO_OID,
						 &ctx, &msg)))
			break;
		printf("error %s: %.*s\n", what, (int)msg.length,
		       (const char *)msg.value);
		fprintf(stderr, "%s: %s: %.*s\n", prog, what,
			(int)msg.length, (const char *)msg.value);
		gss_release_buffer(&min, &msg);
	} while (ctx);
}

/* Report a failed call; false. */
static bool gss_failed(const char *what, OM_uint32 maj, OM_uint32 min)
{
	show_status(what, maj, GSS_C_GSS_CODE);
	if (min)
		show_status(what, min, GSS_C_MECH_CODE);
	fflush(stdout);
	return false;
}

/* The NegotiateFlags of @tok if it is an NTLM AUTHENTICATE message. */
static void ntlm_flags_of(const gss_buffer_desc *tok, OM_uint32 *flags)
{
	const unsigned char *p = tok->value;

	if (tok->length < NTLM_FLAGS_OFFSET + 4 ||
	    memcmp(p, NTLM_SIGNATURE, sizeof(NTLM_SIGNATURE)) ||
	    p[8] != NTLM_AUTHENTICATE || p[9] || p[10] || p[11])
		return;
	p += NTLM_FLAGS_OFFSET;
	*flags = p[0] | p[1] << 8 | p[2] << 16 | (OM_uint32)p[3] << 24;
}

/* krb5: whether the session key is of @enctype (its OID ends with it). */
static bool krb5_enctype_is(OM_uint32 enctype)
{
	gss_buffer_set_t keyset = GSS_C_NO_BUFFER_SET;
	const unsigned char *oid;
	OM_uint32 maj, min;
	bool ok = false;

	maj = gss_inquire_sec_context_by_oid(&min, ictx, GSS_C_INQ_SSPI_SESSION_KEY,
					     &keyset);
	if (GSS_ERROR(maj))
		return gss_failed("gss_inquire_sec_context_by_oid", maj, min);
	if (keyset->count < 2 || !keyset->elements[1].length) {
		printf("error no session key enctype\n");
	} else {
		oid = keyset->elements[1].value;
		ok = oid[keyset->elements[1].length - 1] == enctype;
		if (!ok)
			printf("error the session key is of enctype %u, not %u\n",
			       oid[keyset->elements[1].length - 1], enctype);
	}
	gss_release_buffer_set(&min, &keyset);
	return ok;
}

/*
 * The initiator and the acceptor exchange their tokens here.  krb5: an
 * @enctype, checked; NTLM (@mech is ntlm_mech): @ntlm_flags set to the
 * AUTHENTICATE message's.
 */
static bool establish(gss_OID mech, OM_uint32 enctype, const char *service,
		      OM_uint32 *ntlm_flags)
{
	gss_OID_set_desc mechs = { 1, mech };
	gss_buffer_desc name = { strlen(service), (void *)service };
	gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
	gss_cred_id_t icred = GSS_C_NO_CREDENTIAL, acred = GSS_C_NO_CREDENTIAL;
	gss_name_t target = GSS_C_NO_NAME;
	OM_uint32 maj, amaj, min, flags = GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
		GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
	krb5_enctype allowed = enctype;
	bool ok = false, krb5 = mech == &krb5_mech;
	int rounds;

	maj = gss_acquire_cred(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs,
			       GSS_C_INITIATE, &icred, NULL, NULL);
	if (GSS_ERROR(maj))
		return gss_failed("gss_acquire_cred (initiator)", maj, min);
	if (krb5) {
		maj = gss_krb5_set_allowable_enctypes(&min, icred, 1, &allowed);
		if (GSS_ERROR(maj)) {
			gss_failed("gss_krb5_set_allowable_enctypes", maj, min);
			goto out;
		}
	}
	maj = gss_acquire_cred(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs,
			       GSS_C_ACCEPT, &acred, NULL, NULL);
	if (GSS_ERROR(maj)) {
		gss_failed("gss_acquire_cred (acceptor)", maj, min);
		goto out;
	}
	maj = gss_import_name(&min, &name, GSS_C_NT_HOSTBASED_SERVICE, &target);
	if (GSS_ERROR(maj)) {
		gss_failed("gss_import_name", maj, min);
		goto out;
	}
	for (rounds = 0; rounds < 4; rounds++) {
		maj = gss_init_sec_context(&min, icred, &ictx, target, mech,
					   flags, 0, GSS_C_NO_CHANNEL_BINDINGS,
					   &atok, NULL, &itok, NULL, NULL);
		gss_release_buffer(&min, &atok);
		if (GSS_ERROR(maj)) {
			gss_failed("gss_init_sec_context", maj, min);
			goto out;
		}
		if (!itok.length)
			break;
		if (!krb5)
			ntlm_flags_of(&itok, ntlm_flags);
		amaj = gss_accept_sec_context(&min, &actx, acred, &itok,
					      GSS_C_NO_CHANNEL_BINDINGS, NULL,
					      NULL, &atok, NULL, NULL, NULL);
		gss_release_buffer(&min, &itok);
		if (GSS_ERROR(amaj)) {
			gss_failed("gss_accept_sec_context", amaj, min);
			goto out;
		}
		if (!(maj & GSS_S_CONTINUE_NEEDED) && !atok.length)
			break;
	}
	if (ictx == GSS_C_NO_CONTEXT || actx == GSS_C_NO_CONTEXT || rounds == 4) {
		printf("error the context was not established\n");
		goto out;
	}
	if (krb5) {
		ok = krb5_enctype_is(enctype);
	} else if ((*ntlm_flags & NTLM_WANTED_FLAGS) != NTLM_WANTED_FLAGS) {
		printf("error NTLM NegotiateFlags 0x%08x lack 0x%08x\n",
		       *ntlm_flags, NTLM_WANTED_FLAGS & ~*ntlm_flags);
	} else {
		ok = true;
	}
out:
	gss_release_buffer(&min, &itok);
	gss_release_buffer(&min, &atok);
	gss_release_name(&min, &target);
	gss_release_cred(&min, &icred);
	gss_release_cred(&min, &acred);
	return ok;
}

struct op {
	unsigned long long ops, ns, median;
};

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* Count an operation from @t0 to @t1; whether to go on. */
static bool op_add(struct op *o, __u64 budget, __u64 end, __u64 t0,
		   __u64 t1)
{
	samples[o->ops++] = t1 - t0 > UINT_MAX ? UINT32_MAX : t1 - t0;
	o->ns += t1 - t0;
	return o->ns < budget && t1 < end && o->ops < MAX_SAMPLES;
}

static void op_end(struct op *o)
{
	qsort(samples, o->ops, sizeof(*samples), cmp_u32);
	o->median = o->ops ? samples[o->ops / 2] : 0;
}

static bool wrap(gss_ctx_id_t ctx, gss_buffer_t in, gss_buffer_t out)
{
	OM_uint32 maj, min;
	int conf = 0;

	maj = gss_wrap(&min, ctx, 1, GSS_C_QOP_DEFAULT, in, &conf, out);
	if (GSS_ERROR(maj))
		return gss_failed("gss_wrap", maj, min);
	if (!conf) {
		printf("error gss_wrap did not encrypt\n");
		return false;
	}
	return true;
}

static bool measure(unsigned char *data, unsigned int size, unsigned int ms)
{
	__u64 budget = (__u64)ms * 1000000u, t0, t1, end;
	gss_buffer_desc in = { size, data }, tok, out;
	struct op seal = { 0 }, unseal = { 0 };
	OM_uint32 maj, min;
	int conf;

	end = now_ns() + 2 * budget;
	do {
		t0 = now_ns();
		if (!wrap(actx, &in, &tok))
			return false;
		gss_release_buffer(&min, &tok);
		t1 = now_ns();
	} while (op_add(&seal, budget, end, t0, t1));
	op_end(&seal);

	end = now_ns() + 2 * budget;
	do {
		if (!wrap(ictx, &in, &tok))
			return false;
		t0 = now_ns();
		maj = gss_unwrap(&min, actx, &tok, &out, &conf, NULL);
		if (!GSS_ERROR(maj))
			gss_release_buffer(&min, &out);
		t1 = now_ns();
		gss_release_buffer(&min, &tok);
		if (GSS_ERROR(maj))
			return gss_failed("gss_unwrap", maj, min);
		if (maj != GSS_S_COMPLETE || !conf) {
			printf("error gss_unwrap: status 0x%x, conf %d\n", maj, conf);
			return false;
		}
	} while (op_add(&unseal, budget, end, t0, t1));
	op_end(&unseal);

	printf("seal size=%u ops=%llu ns=%llu median=%llu\n"
	       "unseal size=%u ops=%llu ns=%llu median=%llu\n",
	       size, seal.ops, seal.ns, seal.median,
	       size, unseal.ops, unseal.ns, unseal.median);
	fflush(stdout);
	return true;
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: gss-bench [--mech krb5] --enctype N --service SERVICE@HOST\n"
		"       gss-bench --mech ntlm [--service SERVICE@HOST]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *service = NULL, *mech_name = "krb5";
	unsigned int enctype = 0, size, ms;
	OM_uint32 min, ntlm_flags = 0;
	gss_OID mech = &krb5_mech;
	unsigned char *data;
	char line[128];
	int i, rc = 0;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--enctype"))
			enctype = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--service"))
			service = argv[i + 1];
		else if (!strcmp(argv[i], "--mech"))
			mech_name = argv[i + 1];
		else
			usage();
	}
	if (!strcmp(mech_name, "ntlm")) {
		mech = &ntlm_mech;
		if (enctype)
			usage();
		if (!service)
			service = "host@localhost";
	} else if (strcmp(mech_name, "krb5") || !enctype || enctype > 127) {
		usage();
	}
	if (i != argc || !service)
		usage();
	data = malloc(MAX_SIZE);
	samples = calloc(MAX_SAMPLES, sizeof(*samples));
	if (!data || !samples)
		return 1;
	memset(data, 0x5a, MAX_SIZE);
	if (!establish(mech, enctype, service, &ntlm_flags)) {
		fflush(stdout);
		return 1;
	}
	if (mech == &krb5_mech)
		printf("ready enctype=%u\n", enctype);
	else
		printf("ready mech=ntlm flags=0x%08x\n", ntlm_flags);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "%u %u", &size, &ms) != 2 || !size ||
		    size > MAX_SIZE || !ms) {
			printf("error bad command\n");
			fflush(stdout);
			rc = 1;
			break;
		}
		if (!measure(data, size, ms)) {
			fflush(stdout);
			rc = 1;
			break;
		}
	}
	gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
	gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
	free(samples);
	free(data);
	return rc;
}
