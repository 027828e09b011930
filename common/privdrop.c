/* The one privilege drop. Order matters: chroot needs CAP_SYS_CHROOT,
 * the bounding set needs CAP_SETPCAP, setgroups/setresgid need CAP_SETGID,
 * so those steps come before setresuid takes root away. */
#include "privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static int fail(char *err, size_t err_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t err_size, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	if (saved && n >= 0 && (size_t)n < err_size)
		snprintf(err + n, err_size - (size_t)n, ": %s", strerror(saved));
	return -1;
}

/* A decimal id, or -1 when text is not all digits. */
static long numeric_id(const char *text)
{
	char *end;
	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	return errno || *end || v >= (unsigned long)(uid_t)-1 ? -1 : (long)v;
}

int privdrop_resolve(const char *user, const char *group, struct privdrop_ids *ids,
		     char *err, size_t err_size)
{
	long uid = numeric_id(user);
	struct passwd *pw = uid < 0 ? getpwnam(user) : getpwuid((uid_t)uid);
	errno = 0;
	if (uid < 0 && !pw)
		return fail(err, err_size, "unknown user \"%s\"", user);
	ids->uid = pw ? pw->pw_uid : (uid_t)uid;
	if (!group) {
		if (!pw)
			return fail(err, err_size, "user %s has no passwd entry: give a group", user);
		ids->gid = pw->pw_gid;
		return 0;
	}
	long gid = numeric_id(group);
	struct group *gr = gid < 0 ? getgrnam(group) : NULL;
	errno = 0;
	if (gid < 0 && !gr)
		return fail(err, err_size, "unknown group \"%s\"", group);
	ids->gid = gr ? gr->gr_gid : (gid_t)gid;
	return 0;
}

static bool is_kept(cap_value_t cap, const cap_value_t *keep, size_t n_keep)
{
	for (size_t i = 0; i < n_keep; i++)
		if (keep[i] == cap)
			return true;
	return false;
}

static int enter_chroot(const char *dir, char *err, size_t err_size)
{
	if (!dir)
		return 0;
	if (chroot(dir) != 0)
		return fail(err, err_size, "chroot %s", dir);
	if (chdir("/") != 0)
		return fail(err, err_size, "chdir / in %s", dir);
	return 0;
}

/* Without CAP_SETPCAP (unprivileged tests) the bounding set stays as is. */
static int drop_bounding_set(const cap_value_t *keep, size_t n_keep, char *err, size_t err_size)
{
	cap_flag_value_t have = CAP_CLEAR;
	cap_t cur = cap_get_proc();
	if (cur)
		cap_get_flag(cur, CAP_SETPCAP, CAP_EFFECTIVE, &have);
	cap_free(cur);
	if (have != CAP_SET)
		return 0;
	for (cap_value_t cap = 0; cap < (cap_value_t)cap_max_bits(); cap++)
		if (!is_kept(cap, keep, n_keep) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
			return fail(err, err_size, "dropping capability %d from the bounding set", cap);
	return 0;
}

static int switch_ids(const struct privdrop_ids *ids, bool keep_caps, char *err, size_t err_size)
{
	if (ids->uid == getuid() && ids->gid == getgid() && geteuid() != 0)
		return 0;   /* unprivileged caller already running as the target */
	if (keep_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
		return fail(err, err_size, "PR_SET_KEEPCAPS");
	if (setgroups(1, &ids->gid) != 0)
		return fail(err, err_size, "setgroups(%u)", (unsigned)ids->gid);
	if (setresgid(ids->gid, ids->gid, ids->gid) != 0)
		return fail(err, err_size, "setresgid(%u)", (unsigned)ids->gid);
	if (setresuid(ids->uid, ids->uid, ids->uid) != 0)
		return fail(err, err_size, "setresuid(%u)", (unsigned)ids->uid);
	return 0;
}

/* Exactly the kept capabilities, permitted and effective; nothing inheritable. */
static int set_kept_caps(const cap_value_t *keep, size_t n_keep, char *err, size_t err_size)
{
	cap_t caps = cap_init();
	if (!caps)
		return fail(err, err_size, "cap_init");
	int rc = 0;
	if (n_keep && (cap_set_flag(caps, CAP_PERMITTED, (int)n_keep, keep, CAP_SET) != 0 ||
		       cap_set_flag(caps, CAP_EFFECTIVE, (int)n_keep, keep, CAP_SET) != 0))
		rc = fail(err, err_size, "cap_set_flag");
	else if (cap_set_proc(caps) != 0)
		rc = fail(err, err_size, "cap_set_proc");
	cap_free(caps);
	if (rc == 0 && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
		rc = fail(err, err_size, "PR_SET_KEEPCAPS off");
	return rc;
}

static int verify_no_root(const struct privdrop_ids *ids, char *err, size_t err_size)
{
	if (ids->uid == 0)
		return 0;
	if (setuid(0) == 0 || setresuid(0, 0, 0) == 0 || seteuid(0) == 0) {
		errno = 0;
		return fail(err, err_size, "root could be regained after dropping privileges");
	}
	if (ids->gid != 0 && (setgid(0) == 0 || setegid(0) == 0)) {
		errno = 0;
		return fail(err, err_size, "group 0 could be regained after dropping privileges");
	}
	return 0;
}

int privdrop_apply(const struct privdrop_ids *ids, const char *chroot_dir,
		   const cap_value_t *keep, size_t n_keep, char *err, size_t err_size)
{
	errno = 0;
	if (enter_chroot(chroot_dir, err, err_size) != 0 ||
	    drop_bounding_set(keep, n_keep, err, err_size) != 0 ||
	    switch_ids(ids, n_keep > 0, err, err_size) != 0)
		return -1;
	if (set_kept_caps(keep, n_keep, err, err_size) != 0 ||
	    verify_no_root(ids, err, err_size) != 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return fail(err, err_size, "PR_SET_NO_NEW_PRIVS");
	return 0;
}
