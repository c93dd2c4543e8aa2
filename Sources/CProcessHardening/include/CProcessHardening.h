#ifndef SPEAKUP_PROCESS_HARDENING_H
#define SPEAKUP_PROCESS_HARDENING_H

/// prctl(2) is variadic, which Swift cannot call; these are its two uses SpeakUp needs.

/// Marks the process not dumpable (no core file, no ptrace attach by the same user). 0 on success.
int speakup_set_not_dumpable(void);

/// 1 if the process is dumpable, 0 if not, -1 if the kernel would not say.
int speakup_is_dumpable(void);

/// Whether the locked-memory limit is unlimited (RLIMIT_MEMLOCK is a macro Swift does not import). 1 or 0.
int speakup_memory_lock_unlimited(void);

#include <spawn.h>

/// Adds to `actions` the closing, in the child, of every descriptor from `lowest` up, so a program
/// SpeakUp starts inherits none of its open files or connections (sockets from swift-nio are not
/// close-on-exec). posix_spawn_file_actions_addclosefrom_np needs _GNU_SOURCE, which Swift's Glibc
/// module is not built with. 0 on success, else an error number (ENOSYS before glibc 2.34).
int speakup_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
