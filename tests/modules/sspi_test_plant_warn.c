// SPDX-License-Identifier: GPL-2.0
/*
 * A module whose only job is to print a kernel warning when loaded, so that
 * the VM runner's own test can show that a kernel report fails a run.
 */

#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init sspi_test_plant_warn_init(void)
{
	WARN(1, "sspi_test_plant_warn: planted warning\n");
	return 0;
}

static void __exit sspi_test_plant_warn_exit(void)
{
}

module_init(sspi_test_plant_warn_init);
module_exit(sspi_test_plant_warn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sspi_kmod test: plants a kernel warning on load");
