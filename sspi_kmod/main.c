// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: SSPI EncryptMessage / DecryptMessage (seal and unseal) for
 * kernel consumers and a userspace helper.  Module entry points.
 */

#include <linux/init.h>
#include <linux/module.h>

#include "internal.h"

static int __init sspi_kmod_init(void)
{
	sspi_handle_init();
	return 0;
}

static void __exit sspi_kmod_exit(void)
{
}

module_init(sspi_kmod_init);
module_exit(sspi_kmod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SSPI seal/unseal (EncryptMessage/DecryptMessage) for Kerberos, NTLM, Negotiate and TLS records");
MODULE_AUTHOR("The sspi_kmod developers");
MODULE_VERSION(SSPI_KMOD_VERSION);
