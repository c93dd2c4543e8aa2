// Opening a pseudo-terminal for the benchmark, which runs programs on one as a
// person's terminal would. Swift's Glibc module does not expose these calls.
#ifndef SPEAKUP_PSEUDO_TERMINAL_H
#define SPEAKUP_PSEUDO_TERMINAL_H
#include <stddef.h>

/// Opens a pseudo-terminal pair sized columns x rows. Returns the master's
/// descriptor and writes the slave's path into `name`, or returns -1.
int speakup_open_pseudo_terminal(char *name, size_t length, unsigned short columns, unsigned short rows);

#endif
