// The wide-character ncurses API as Swift sees it.
//
// Swift cannot import C macros that compute values or index arrays, so each one
// the terminal backend needs is wrapped here in a static inline accessor.
#ifndef SPEAKUP_CNCURSES_SHIM_H
#define SPEAKUP_CNCURSES_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

// Globals.
static inline WINDOW *speakup_stdscr(void) { return stdscr; }
static inline int speakup_lines(void) { return LINES; }
static inline int speakup_cols(void) { return COLS; }

// newterm on the process's own stdout and stdin (C globals Swift 6 will not touch).
static inline SCREEN *speakup_newterm(void) { return newterm(NULL, stdout, stdin); }

// Function-like macros.
static inline int speakup_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int speakup_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline attr_t speakup_color_pair(short pair) { return (attr_t)COLOR_PAIR(pair); }

// Attributes (NCURSES_BITS expressions).
static inline attr_t speakup_a_normal(void) { return A_NORMAL; }
static inline attr_t speakup_a_bold(void) { return A_BOLD; }
static inline attr_t speakup_a_reverse(void) { return A_REVERSE; }
static inline attr_t speakup_a_underline(void) { return A_UNDERLINE; }
static inline attr_t speakup_a_dim(void) { return A_DIM; }

// Key codes.
static inline int speakup_key_code_yes(void) { return KEY_CODE_YES; }
static inline int speakup_key_resize(void) { return KEY_RESIZE; }
static inline int speakup_key_up(void) { return KEY_UP; }
static inline int speakup_key_down(void) { return KEY_DOWN; }
static inline int speakup_key_left(void) { return KEY_LEFT; }
static inline int speakup_key_right(void) { return KEY_RIGHT; }
static inline int speakup_key_home(void) { return KEY_HOME; }
static inline int speakup_key_end(void) { return KEY_END; }
static inline int speakup_key_ppage(void) { return KEY_PPAGE; }
static inline int speakup_key_npage(void) { return KEY_NPAGE; }
static inline int speakup_key_backspace(void) { return KEY_BACKSPACE; }
static inline int speakup_key_dc(void) { return KEY_DC; }
static inline int speakup_key_enter(void) { return KEY_ENTER; }
static inline int speakup_key_btab(void) { return KEY_BTAB; }
static inline int speakup_key_f(int n) { return KEY_F(n); }

// Line-drawing characters (WACS_* index a global array).
static inline const cchar_t *speakup_wacs_hline(void) { return WACS_HLINE; }
static inline const cchar_t *speakup_wacs_vline(void) { return WACS_VLINE; }
static inline const cchar_t *speakup_wacs_ulcorner(void) { return WACS_ULCORNER; }
static inline const cchar_t *speakup_wacs_urcorner(void) { return WACS_URCORNER; }
static inline const cchar_t *speakup_wacs_llcorner(void) { return WACS_LLCORNER; }
static inline const cchar_t *speakup_wacs_lrcorner(void) { return WACS_LRCORNER; }
/* The terminal's own 7-bit line drawing (terminfo acsc), for terminals that are not UTF-8:
   in a UTF-8 locale the wide WACS_ characters are always sent as Unicode. */
static inline chtype speakup_acs_hline(void) { return ACS_HLINE; }
static inline chtype speakup_acs_vline(void) { return ACS_VLINE; }
static inline chtype speakup_acs_ulcorner(void) { return ACS_ULCORNER; }
static inline chtype speakup_acs_urcorner(void) { return ACS_URCORNER; }
static inline chtype speakup_acs_llcorner(void) { return ACS_LLCORNER; }
static inline chtype speakup_acs_lrcorner(void) { return ACS_LRCORNER; }

// Terminal capability checks before and after newterm.
static inline int speakup_setupterm_status(const char *term) {
    int status = 0;
    if (setupterm((char *)term, fileno(stdout), &status) != OK) {
        return status == 0 ? 0 : -1;
    }
    int can_address = 1;
    char *cup = tigetstr("cup");
    if (cup == NULL || cup == (char *)-1) { can_address = 0; }
    del_curterm(cur_term);
    return can_address ? 1 : 2;
}

// Returns 1 when the current LC_CTYPE encodes UTF-8.
static inline int speakup_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) { return 0; }
    return (codeset[0] == 'U' || codeset[0] == 'u') && (codeset[1] == 'T' || codeset[1] == 't')
        && (codeset[2] == 'F' || codeset[2] == 'f') ? 1 : 0;
}

#endif
