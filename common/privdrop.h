/* The one privilege drop of all three daemons. Call from main(), after
 * every socket and file that needs root is open, before libuv starts any
 * thread (capabilities are per thread). */
#ifndef PXE_PRIVDROP_H
#define PXE_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/capability.h>

struct privdrop_ids {
	uid_t uid;
	gid_t gid;
};

/* Resolves user and group names (or numbers) before chroot, where
 * /etc/passwd is still visible. group NULL: the user's primary group.
 * Returns 0, or -1 with a message in err. */
int privdrop_resolve(const char *user, const char *group, struct privdrop_ids *ids,
		     char *err, size_t err_size);

/* chroot(chroot_dir) + chdir("/") when chroot_dir is not NULL; drops the
 * capability bounding set but for keep; setgroups; setresgid; setresuid;
 * keeps exactly `keep` as permitted+effective; verifies that regaining
 * root fails; sets PR_SET_NO_NEW_PRIVS. Returns 0, or -1 with a message in
 * err: the caller must exit, the process is in an unknown state. */
int privdrop_apply(const struct privdrop_ids *ids, const char *chroot_dir,
		   const cap_value_t *keep, size_t n_keep, char *err, size_t err_size);

#endif
