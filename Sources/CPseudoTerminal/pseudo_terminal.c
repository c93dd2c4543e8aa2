#define _GNU_SOURCE
#include "pseudo_terminal.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int speakup_open_pseudo_terminal(char *name, size_t length, unsigned short columns, unsigned short rows) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) return -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, length) != 0) {
        close(master);
        return -1;
    }
    struct winsize size = { .ws_row = rows, .ws_col = columns };
    ioctl(master, TIOCSWINSZ, &size);
    return master;
}
