/*
 * Users whose logins ended just now (a member removed from a tenant), as
 * sw-auth announces them (topic "auth.user_revoked" on its PUB socket). The
 * gateway verifies access tokens without a round trip, so without this a
 * removed member's last access token would keep working on other routes
 * until it expires; with it, every replica refuses tokens issued before the
 * removal within a PUB delivery. Entries are kept for an access token's
 * lifetime. Fixed size (the oldest entry is overwritten), one mutex; owned
 * by main().
 */
#ifndef GW_REVOCATIONS_H
#define GW_REVOCATIONS_H

#include <stdbool.h>

struct gw_revocations;

struct gw_revocations *gw_revocations_new(void);
void gw_revocations_free(struct gw_revocations *r);

/* Records that user_id's tokens issued up to `now_s` (unix seconds) are void. */
void gw_revocations_add(struct gw_revocations *r, const char *user_id, long now_s);

/* True when a token of user_id issued at issued_at_s was voided, as of now_s. */
bool gw_revoked(struct gw_revocations *r, const char *user_id, long issued_at_s, long now_s);

#endif
