#define _GNU_SOURCE 1 /* memmem */
#include "body.h"

#include <stdlib.h>
#include <string.h>

#include "sw_status.h"

int chk_body_init(struct chk_body *body, const char *keyword, size_t cap)
{
    memset(body, 0, sizeof *body);
    body->cap = cap;
    if (!keyword || keyword[0] == '\0')
        return 0;
    body->keyword = keyword;
    body->keyword_len = strlen(keyword);
    /* Carry (k − 1 bytes) plus the head of the next chunk (k − 1 bytes). */
    size_t window_size = 2 * (body->keyword_len - 1);
    if (window_size > 0) {
        body->window = malloc(window_size);
        if (!body->window)
            return SW_ENOMEM;
    }
    return 0;
}

/* Searches one accepted chunk, including matches that began in the previous one. */
static void search(struct chk_body *body, const char *data, size_t len)
{
    size_t keep = body->keyword_len - 1;
    if (keep == 0) {
        body->found = memmem(data, len, body->keyword, body->keyword_len) != NULL;
        return;
    }
    /* A match straddling the boundary lies within carry + the first k − 1 new bytes. */
    size_t head = len < keep ? len : keep;
    memcpy(body->window + body->carry_len, data, head);
    size_t window_len = body->carry_len + head;
    if (memmem(body->window, window_len, body->keyword, body->keyword_len) ||
        memmem(data, len, body->keyword, body->keyword_len)) {
        body->found = true;
        return;
    }
    /* The new carry is the last k − 1 bytes of everything seen so far. */
    if (len >= keep) {
        memcpy(body->window, data + len - keep, keep);
        body->carry_len = keep;
    } else if (window_len > keep) {
        memmove(body->window, body->window + window_len - keep, keep);
        body->carry_len = keep;
    } else {
        body->carry_len = window_len;
    }
}

size_t chk_body_feed(struct chk_body *body, const char *data, size_t len)
{
    size_t room = body->cap - body->received;
    size_t take = len;
    if (take > room) {
        take = room;
        body->capped = true;
    }
    if (take > 0 && body->keyword && !body->found)
        search(body, data, take);
    body->received += take;
    return take;
}

size_t chk_body_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    /* curl documents size as always 1; multiply anyway, as its examples do. */
    return chk_body_feed(userdata, ptr, size * nmemb);
}

bool chk_body_keyword_ok(const struct chk_body *body) { return !body->keyword || body->found; }

void chk_body_reset(struct chk_body *body)
{
    body->received = 0;
    body->capped = false;
    body->found = false;
    body->carry_len = 0;
}

void chk_body_free(struct chk_body *body)
{
    free(body->window);
    body->window = NULL;
}
