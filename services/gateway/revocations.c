#include "revocations.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define KEEP_S 360 /* an access token's 5 minutes, and a margin */
#define ID_MAX 64

struct slot {
    char user_id[ID_MAX];
    long at_s;
};

struct gw_revocations {
    pthread_mutex_t lock;
    struct slot slots[SLOTS];
    size_t next; /* the slot written next (the oldest) */
    size_t used; /* slots ever written (a check scans only these: usually none) */
};

struct gw_revocations *gw_revocations_new(void)
{
    struct gw_revocations *r = calloc(1, sizeof *r);
    if (r && pthread_mutex_init(&r->lock, NULL) != 0) {
        free(r);
        r = NULL;
    }
    return r;
}

void gw_revocations_free(struct gw_revocations *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->lock);
    free(r);
}

void gw_revocations_add(struct gw_revocations *r, const char *user_id, long now_s)
{
    if (!r || !user_id || !*user_id || strlen(user_id) >= ID_MAX)
        return;
    pthread_mutex_lock(&r->lock);
    struct slot *s = &r->slots[r->next];
    snprintf(s->user_id, sizeof s->user_id, "%s", user_id);
    s->at_s = now_s;
    r->next = (r->next + 1) % SLOTS;
    if (r->used < SLOTS)
        r->used++;
    pthread_mutex_unlock(&r->lock);
}

bool gw_revoked(struct gw_revocations *r, const char *user_id, long issued_at_s, long now_s)
{
    if (!r)
        return false;
    bool revoked = false;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->used && !revoked; i++) {
        const struct slot *s = &r->slots[i];
        revoked = s->at_s && now_s - s->at_s <= KEEP_S && issued_at_s <= s->at_s &&
                  strcmp(s->user_id, user_id) == 0;
    }
    pthread_mutex_unlock(&r->lock);
    return revoked;
}
