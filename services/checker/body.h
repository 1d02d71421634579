/*
 * The response body of one check, read through a cap. The body itself is
 * never stored: without a keyword only its length is counted, and with one
 * the keyword is searched as the bytes stream in, keeping just the last
 * (keyword length − 1) bytes so that a match split across two chunks is still
 * found. That gives the same answer as searching the first CHK_BODY_CAP bytes
 * held in memory, without holding up to a mebibyte per transfer in flight.
 *
 * Reaching the cap stops the transfer (the write callback takes fewer bytes
 * than offered), which is not a failure by itself: the check is judged on
 * what was read. A struct chk_body belongs to one transfer (the probe owns
 * it); it borrows the keyword, owns its carry buffer, and is released with
 * chk_body_free().
 */
#ifndef CHK_BODY_H
#define CHK_BODY_H

#include <stdbool.h>
#include <stddef.h>

#define CHK_BODY_CAP ((size_t)1024 * 1024)

struct chk_body {
    const char *keyword; /* borrowed; NULL when there is none */
    size_t keyword_len;
    size_t cap;      /* at most this many bytes are read */
    size_t received; /* bytes taken so far, never above cap */
    bool capped;     /* the cap cut the body short */
    bool found;      /* the keyword occurred in the bytes taken */
    char *window;    /* owned: the carry, then room for as much of the next chunk */
    size_t carry_len;
};

/* Prepares a body reader; keyword NULL or "" means none. SW_ENOMEM on failure. */
int chk_body_init(struct chk_body *body, const char *keyword, size_t cap);

/*
 * Takes one chunk and returns how many of its bytes were accepted: fewer than
 * `len` exactly when the cap was reached (body->capped is then set).
 */
size_t chk_body_feed(struct chk_body *body, const char *data, size_t len);

/* CURLOPT_WRITEFUNCTION over chk_body_feed(); userdata is the struct chk_body. */
size_t chk_body_write(char *ptr, size_t size, size_t nmemb, void *userdata);

/* True when there is no keyword or it was found. */
bool chk_body_keyword_ok(const struct chk_body *body);

/* Forgets what was read (a redirect's body), keeping the keyword and the buffer. */
void chk_body_reset(struct chk_body *body);

void chk_body_free(struct chk_body *body);

#endif
