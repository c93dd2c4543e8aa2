#ifndef SPEAKUP_PROCESS_HARDENING_H
#define SPEAKUP_PROCESS_HARDENING_H

/// prctl(2) is variadic, which Swift cannot call; these are its two uses SpeakUp needs.

/// Marks the process not dumpable (no core file, no ptrace attach by the same user). 0 on success.
int speakup_set_not_dumpable(void);

/// 1 if the process is dumpable, 0 if not, -1 if the kernel would not say.
int speakup_is_dumpable(void);

/// Whether the locked-memory limit is unlimited (RLIMIT_MEMLOCK is a macro Swift does not import). 1 or 0.
int speakup_memory_lock_unlimited(void);

#endif
