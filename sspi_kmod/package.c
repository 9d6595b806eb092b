// SPDX-License-Identifier: GPL-2.0
/*
 * sspi_kmod: the package registry.
 */

#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "context.h"
#include "package.h"

static LIST_HEAD(sspi_packages);
static DEFINE_MUTEX(sspi_packages_lock);

/**
 * sspi_package_register() - make a package available for imports
 * @pkg: the package; its name must be unique (case-insensitive, as SSPI's
 *	package names are)
 *
 * Return: 0; -EINVAL if @pkg lacks a mandatory op (init, destroy,
 * encrypt, decrypt, query), or is a delegating package (select) with any
 * other op; -EEXIST if a package of that name is registered.
 */
int sspi_package_register(struct sspi_package *pkg)
{
	const struct sspi_package *p;
	const struct sspi_package_ops *ops = pkg->ops;
	int err = 0;

	if (!ops)
		return -EINVAL;
	if (ops->select) {
		/* the selected package runs the context: nothing else is called */
		if (ops->init || ops->destroy || ops->encrypt || ops->decrypt ||
		    ops->sign || ops->verify || ops->query || ops->update_keys)
			return -EINVAL;
	} else if (!ops->init || !ops->destroy || !ops->encrypt ||
		   !ops->decrypt || !ops->query) {
		return -EINVAL;
	}
	mutex_lock(&sspi_packages_lock);
	list_for_each_entry(p, &sspi_packages, list) {
		if (!strcasecmp(p->name, pkg->name)) {
			err = -EEXIST;
			goto out;
		}
	}
	list_add_tail(&pkg->list, &sspi_packages);
out:
	mutex_unlock(&sspi_packages_lock);
	return err;
}

/**
 * sspi_package_unregister() - withdraw a package and delete its contexts
 * @pkg: a registered package
 *
 * The contexts deleted are those @pkg runs, including the ones a
 * delegating package (Negotiate) selected it for, and those imported by
 * @pkg's name.
 *
 * Context: process context; may sleep.
 */
void sspi_package_unregister(struct sspi_package *pkg)
{
	mutex_lock(&sspi_packages_lock);
	list_del(&pkg->list);
	mutex_unlock(&sspi_packages_lock);
	sspi_context_flush(NULL, pkg);
}

/**
 * sspi_package_find() - a registered package by name
 * @name: the package's name, in any case
 *
 * Packages are registered at module load and withdrawn at unload only,
 * so the result stays valid while the module is loaded.
 *
 * Return: the package, or NULL.
 */
const struct sspi_package *sspi_package_find(const char *name)
{
	const struct sspi_package *p, *found = NULL;

	mutex_lock(&sspi_packages_lock);
	list_for_each_entry(p, &sspi_packages, list) {
		if (!strcasecmp(p->name, name)) {
			found = p;
			break;
		}
	}
	mutex_unlock(&sspi_packages_lock);
	return found;
}

/**
 * sspi_package_for_each() - call @fn for each package, in registration order
 * @fn: the callback; a non-zero return stops the walk
 * @arg: passed to @fn
 *
 * Return: the first non-zero value @fn returned, or 0.
 */
int sspi_package_for_each(int (*fn)(const struct sspi_package *pkg, void *arg),
			  void *arg)
{
	const struct sspi_package *p;
	int ret = 0;

	mutex_lock(&sspi_packages_lock);
	list_for_each_entry(p, &sspi_packages, list) {
		ret = fn(p, arg);
		if (ret)
			break;
	}
	mutex_unlock(&sspi_packages_lock);
	return ret;
}
