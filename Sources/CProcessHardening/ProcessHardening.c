#include "CProcessHardening.h"

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
