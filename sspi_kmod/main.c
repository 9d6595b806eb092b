// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: SSPI EncryptMessage / DecryptMessage (seal and unseal) for
 * kernel consumers and a userspace helper.  Module entry points.
 */

#include <linux/init.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>

#include "chardev.h"
#include "context.h"
#include "handle.h"
#include "kerberos.h"
#include "negotiate.h"
#include "netlink.h"
#include "ntlm.h"
#include "tls_record.h"

#define SSPI_KMOD_VERSION "0.1.0"

/* A namespace going away takes its contexts with it. */
static void __net_exit sspi_net_exit(struct net *net)
{
	sspi_context_flush(net, NULL);
}

static struct pernet_operations sspi_net_ops = {
	.exit = sspi_net_exit,
};

static int __init sspi_kmod_init(void)
{
	int err;

	sspi_handle_init();
	err = register_pernet_subsys(&sspi_net_ops);
	if (err)
		return err;
	err = sspi_tls_register();
	if (err)
		goto out_pernet;
	err = sspi_krb5_register();
	if (err)
		goto out_tls;
	err = sspi_ntlm_register();
	if (err)
		goto out_krb5;
	/* after the packages it selects */
	err = sspi_negotiate_register();
	if (err)
		goto out_ntlm;
	err = sspi_netlink_init();
	if (err)
		goto out_negotiate;
	err = sspi_chardev_init();
	if (err)
		goto out_netlink;
	return 0;

out_netlink:
	sspi_netlink_exit();
out_negotiate:
	sspi_negotiate_unregister();
out_ntlm:
	sspi_ntlm_unregister();
out_krb5:
	sspi_krb5_unregister();
out_tls:
	sspi_tls_unregister();
out_pernet:
	unregister_pernet_subsys(&sspi_net_ops);
	return err;
}

static void __exit sspi_kmod_exit(void)
{
	sspi_chardev_exit();
	sspi_netlink_exit();
	sspi_negotiate_unregister();
	sspi_ntlm_unregister();
	sspi_krb5_unregister();
	sspi_tls_unregister();
	unregister_pernet_subsys(&sspi_net_ops);
	sspi_context_exit();
	/* contexts are freed by RCU callbacks, which live in this module */
	rcu_barrier();
}

module_init(sspi_kmod_init);
module_exit(sspi_kmod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SSPI seal/unseal (EncryptMessage/DecryptMessage) for Kerberos, NTLM, Negotiate and TLS records");
MODULE_AUTHOR("The sspi_kmod developers");
MODULE_VERSION(SSPI_KMOD_VERSION);
