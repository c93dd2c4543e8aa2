#define _GNU_SOURCE
#include "CProcessHardening.h"

#include <errno.h>
#include <spawn.h>

int speakup_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
#else
    (void)actions;
    (void)lowest;
    return ENOSYS;
#endif
}

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/resource.h>

int speakup_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
int speakup_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

int speakup_memory_lock_unlimited(void) {
    struct rlimit limit;
    return getrlimit(RLIMIT_MEMLOCK, &limit) == 0 && limit.rlim_cur == RLIM_INFINITY;
}
#else
int speakup_memory_lock_unlimited(void) { return 0; }
int speakup_set_not_dumpable(void) { return -1; }
int speakup_is_dumpable(void) { return -1; }
#endif
