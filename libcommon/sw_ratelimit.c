#include "sw_ratelimit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "sw_cidr.h"
#include "sw_pg.h"
#include "sw_reply.h"
#include "sw_status.h"

/* What one step does besides counting: nothing, a hit if a slot is left, a hit anyway. */
enum rate_mode { PEEK, TAKE, RECORD };

/* Counts (and, by mode, records a hit) under the pair's lock in one transaction. */
static int rate_step(PGconn *db, const char *table, const struct sw_rate_rule *rule,
                     const char *key, enum rate_mode mode, struct sw_rate_state *out)
{
    char window[16], sql[512];
    snprintf(window, sizeof window, "%d", rule->window_s);
    const char *params[] = {rule->bucket, key, window};
    PGresult *res = NULL;
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_exec(db, "SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))", 2, params);
    snprintf(
        sql, sizeof sql,
        "WITH gone AS (DELETE FROM %s WHERE bucket = $1 AND key = $2"
        " AND at <= now() - $3::int * interval '1 second')"
        " SELECT count(*), coalesce(ceil(extract(epoch FROM min(at)"
        " + $3::int * interval '1 second' - now())), $3::int)::int"
        " FROM %s WHERE bucket = $1 AND key = $2 AND at > now() - $3::int * interval '1 second'",
        table, table);
    if (rc == 0)
        rc = sw_pg_query(db, sql, 3, params, &res);
    long long hits = rc == 0 ? sw_pg_int(res, 0, 0) : 0;
    int reset = rc == 0 ? (int)sw_pg_int(res, 0, 1) : rule->window_s;
    PQclear(res);
    bool limited = hits >= rule->limit;
    if (rc == 0 && (mode == RECORD || (mode == TAKE && !limited))) {
        snprintf(sql, sizeof sql, "INSERT INTO %s (bucket, key, at) VALUES ($1, $2, now())", table);
        rc = sw_pg_exec(db, sql, 2, params);
        if (hits == 0)
            reset = rule->window_s;
        hits++;
    }
    rc = sw_pg_end(db, rc);
    *out = (struct sw_rate_state){
        .limit = rule->limit,
        .remaining = hits >= rule->limit ? 0 : rule->limit - (int)hits,
        .reset_s = reset > 0 ? reset : 1,
        /* A recorded hit beyond the limit is over it; otherwise no slot was left before. */
        .limited = mode == RECORD ? hits > rule->limit : limited,
    };
    return rc;
}

int sw_rate_peek(PGconn *db, const char *table, const struct sw_rate_rule *rule, const char *key,
                 struct sw_rate_state *out)
{
    return rate_step(db, table, rule, key, PEEK, out);
}

int sw_rate_take(PGconn *db, const char *table, const struct sw_rate_rule *rule, const char *key,
                 struct sw_rate_state *out)
{
    return rate_step(db, table, rule, key, TAKE, out);
}

int sw_rate_record(PGconn *db, const char *table, const struct sw_rate_rule *rule, const char *key,
                   struct sw_rate_state *out)
{
    return rate_step(db, table, rule, key, RECORD, out);
}

void sw_rate_client_key(const char *ip, char *out, size_t size)
{
    uint8_t addr[16];
    if (!ip || sw_ip_parse(ip, addr) != 0) {
        snprintf(out, size, "unknown");
        return;
    }
    static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(addr, v4_mapped, sizeof v4_mapped) == 0) {
        snprintf(out, size, "%u.%u.%u.%u", addr[12], addr[13], addr[14], addr[15]);
        return;
    }
    memset(addr + 8, 0, 8); /* the /64 */
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, addr, text, sizeof text);
    snprintf(out, size, "%s/64", text);
}

void sw_reply_rate(struct sw_reply *reply, const struct sw_rate_state *state)
{
    reply->has_rate = true;
    reply->rate = *state;
    if (state->limited)
        sw_reply_fail(reply, SW_RESOURCE_EXHAUSTED, "rate_limited",
                      "Too many requests. Try again in %d seconds.", state->reset_s);
}
