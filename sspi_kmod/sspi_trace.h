/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sspi_kmod: trace events, in tracefs under events/sspi/.
 *
 * Contexts imported (or refused), deleted, reaped once expired and flushed
 * (namespace exit, module unload), and every message operation that
 * failed, with the context's handle, its package and the status.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM sspi

#if !defined(_SSPI_KMOD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SSPI_KMOD_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "context.h"
#include "package.h"

/* Room for a package's name in an event; longer names are cut short. */
#define SSPI_TRACE_NAME_LEN 16

#define sspi_show_status(status)					\
	__print_symbolic(status,					\
		{ SSPI_SEC_E_OK, "SEC_E_OK" },				\
		{ SSPI_SEC_E_INSUFFICIENT_MEMORY, "SEC_E_INSUFFICIENT_MEMORY" }, \
		{ SSPI_SEC_E_INVALID_HANDLE, "SEC_E_INVALID_HANDLE" },	\
		{ SSPI_SEC_E_UNSUPPORTED_FUNCTION, "SEC_E_UNSUPPORTED_FUNCTION" }, \
		{ SSPI_SEC_E_INTERNAL_ERROR, "SEC_E_INTERNAL_ERROR" },	\
		{ SSPI_SEC_E_SECPKG_NOT_FOUND, "SEC_E_SECPKG_NOT_FOUND" }, \
		{ SSPI_SEC_E_INVALID_TOKEN, "SEC_E_INVALID_TOKEN" },	\
		{ SSPI_SEC_E_QOP_NOT_SUPPORTED, "SEC_E_QOP_NOT_SUPPORTED" }, \
		{ SSPI_SEC_E_MESSAGE_ALTERED, "SEC_E_MESSAGE_ALTERED" }, \
		{ SSPI_SEC_E_OUT_OF_SEQUENCE, "SEC_E_OUT_OF_SEQUENCE" }, \
		{ SSPI_SEC_E_CONTEXT_EXPIRED, "SEC_E_CONTEXT_EXPIRED" }, \
		{ SSPI_SEC_E_INCOMPLETE_MESSAGE, "SEC_E_INCOMPLETE_MESSAGE" }, \
		{ SSPI_SEC_E_BUFFER_TOO_SMALL, "SEC_E_BUFFER_TOO_SMALL" }, \
		{ SSPI_SEC_E_DECRYPT_FAILURE, "SEC_E_DECRYPT_FAILURE" }, \
		{ SSPI_SEC_E_CRYPTO_SYSTEM_INVALID, "SEC_E_CRYPTO_SYSTEM_INVALID" })

TRACE_DEFINE_ENUM(SSPI_OP_ENCRYPT);
TRACE_DEFINE_ENUM(SSPI_OP_DECRYPT);
TRACE_DEFINE_ENUM(SSPI_OP_SIGN);
TRACE_DEFINE_ENUM(SSPI_OP_VERIFY);

#define sspi_show_op(op)						\
	__print_symbolic(op,						\
		{ SSPI_OP_ENCRYPT, "encrypt" },				\
		{ SSPI_OP_DECRYPT, "decrypt" },				\
		{ SSPI_OP_SIGN, "sign" },				\
		{ SSPI_OP_VERIFY, "verify" })

TRACE_EVENT(sspi_ctx_import,
	    TP_PROTO(const char *pkg, u64 handle, kuid_t owner,
		     time64_t expiry, int err),
	    TP_ARGS(pkg, handle, owner, expiry, err),
	    TP_STRUCT__entry(__field(u64, handle)
			     __array(char, pkg, SSPI_TRACE_NAME_LEN)
			     __field(u32, owner)
			     __field(s64, expiry)
			     __field(int, err)
			     __field(u32, status)),
	    TP_fast_assign(__entry->handle = handle;
			   strscpy_pad(__entry->pkg, pkg, SSPI_TRACE_NAME_LEN);
			   __entry->owner = from_kuid_munged(&init_user_ns, owner);
			   __entry->expiry = expiry;
			   __entry->err = err;
			   __entry->status = sspi_status_from_errno(err)),
	    TP_printk("handle=0x%016llx pkg=%s owner=%u expiry=%lld status=%s err=%d",
		      __entry->handle, __entry->pkg, __entry->owner,
		      __entry->expiry, sspi_show_status(__entry->status),
		      __entry->err)
);

DECLARE_EVENT_CLASS(sspi_ctx_class,
		    TP_PROTO(const struct sspi_context *ctx),
		    TP_ARGS(ctx),
		    TP_STRUCT__entry(__field(u64, handle)
				     __array(char, pkg, SSPI_TRACE_NAME_LEN)
				     __array(char, mech, SSPI_TRACE_NAME_LEN)
				     __field(u32, owner)
				     __field(s64, expiry)),
		    TP_fast_assign(__entry->handle = ctx->handle;
				   strscpy_pad(__entry->pkg, ctx->outer->name,
					       SSPI_TRACE_NAME_LEN);
				   strscpy_pad(__entry->mech, ctx->pkg->name,
					       SSPI_TRACE_NAME_LEN);
				   __entry->owner = from_kuid_munged(&init_user_ns,
								     ctx->owner);
				   __entry->expiry = ctx->expiry),
		    TP_printk("handle=0x%016llx pkg=%s mech=%s owner=%u expiry=%lld",
			      __entry->handle, __entry->pkg, __entry->mech,
			      __entry->owner, __entry->expiry)
);

/* deleted by its owner (CTX_DELETE, SSPI_IOC_DELETE) */
DEFINE_EVENT(sspi_ctx_class, sspi_ctx_delete,
	     TP_PROTO(const struct sspi_context *ctx),
	     TP_ARGS(ctx)
);

/* freed once past its expiry time: by the reaper, or by an import at a limit */
DEFINE_EVENT(sspi_ctx_class, sspi_ctx_expire,
	     TP_PROTO(const struct sspi_context *ctx),
	     TP_ARGS(ctx)
);

/* freed with its namespace, its package or the module */
DEFINE_EVENT(sspi_ctx_class, sspi_ctx_flush,
	     TP_PROTO(const struct sspi_context *ctx),
	     TP_ARGS(ctx)
);

TRACE_EVENT(sspi_msg_refused,
	    TP_PROTO(const struct sspi_context *ctx, enum sspi_op op,
		     u32 status),
	    TP_ARGS(ctx, op, status),
	    TP_STRUCT__entry(__field(u64, handle)
			     __array(char, pkg, SSPI_TRACE_NAME_LEN)
			     __array(char, mech, SSPI_TRACE_NAME_LEN)
			     __field(unsigned int, op)
			     __field(u32, status)),
	    TP_fast_assign(__entry->handle = ctx->handle;
			   strscpy_pad(__entry->pkg, ctx->outer->name,
				       SSPI_TRACE_NAME_LEN);
			   strscpy_pad(__entry->mech, ctx->pkg->name,
				       SSPI_TRACE_NAME_LEN);
			   __entry->op = op;
			   __entry->status = status),
	    TP_printk("handle=0x%016llx pkg=%s mech=%s op=%s status=%s",
		      __entry->handle, __entry->pkg, __entry->mech,
		      sspi_show_op(__entry->op),
		      sspi_show_status(__entry->status))
);

#endif /* _SSPI_KMOD_TRACE_H */

/* found through -I$(src)/sspi_kmod, which Kbuild gives trace.o */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE sspi_trace
#include <trace/define_trace.h>
