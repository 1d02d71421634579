/*
 * Planning an event's deliveries, in the transaction that stores the event:
 * for each enabled channel of the tenant that wants the event's type,
 *
 * - debounce (per channel and endpoint, status changes only): inside the
 *   window that a sent message opened, a change is logged `debounced` and
 *   held, except that a recovery after a sent `down` always goes; when the
 *   window closes and the newest held state differs from the last one sent,
 *   that held delivery is sent then (notify_plan_close_windows);
 * - storm control (per channel): when more than storm_threshold messages
 *   would go out within a minute, the new one and every one still waiting
 *   are `grouped` into one digest, sent at most once a minute;
 * - otherwise the delivery waits hold_ms, so that a storm can gather before
 *   its first messages leave.
 */
#include <stdio.h>
#include <string.h>

#include "notify.h"
#include "sw_pg.h"
#include "sw_status.h"

/* Runs sql, which returns at most one row with an id first, into id: "" without a row. */
static int query_id(PGconn *db, const char *sql, int n_params, const char *const *params,
                    char id[40])
{
    PGresult *res = NULL;
    int rc = sw_pg_query(db, sql, n_params, params, &res);
    snprintf(id, 40, "%s", rc == 0 && PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return rc;
}

/* The new delivery's id into id_out ("" when the event already has one on this channel). */
static int insert_delivery(PGconn *db, const char *event_id, const char *channel_id,
                           const char *status, int hold_ms, const char *digest_id, char *id_out)
{
    char hold[16];
    snprintf(hold, sizeof hold, "%d", hold_ms);
    const char *params[] = {event_id, channel_id, status, hold, digest_id};
    return query_id(db,
                    "INSERT INTO notify.deliveries (tenant_id, channel_id, event_id,"
                    " event_type, endpoint_id, status, next_attempt_at, digest_id)"
                    " SELECT e.tenant_id, $2::uuid, e.id, e.type, e.endpoint_id, $3,"
                    " now() + $4::int * interval '1 millisecond', $5::uuid"
                    " FROM notify.events e WHERE e.id = $1::uuid"
                    " ON CONFLICT (event_id, channel_id) DO NOTHING RETURNING id",
                    5, params, id_out);
}

/*
 * The digest collecting a storm on channel_id, made when none is waiting: it
 * leaves after hold_ms, and no sooner than a minute after the previous one.
 */
static int storm_digest(PGconn *db, const struct notify_settings *s, const char *tenant_id,
                        const char *channel_id, char digest_id[40])
{
    const char *params[] = {channel_id};
    int rc = query_id(db,
                      "SELECT id FROM notify.deliveries WHERE channel_id = $1::uuid"
                      " AND event_type = 'digest' AND status = 'pending' AND attempts = 0"
                      " AND lease_until IS NULL ORDER BY created_at DESC LIMIT 1 FOR UPDATE",
                      1, params, digest_id);
    if (rc || digest_id[0])
        return rc;
    char hold[16], minute[16];
    snprintf(hold, sizeof hold, "%d", s->hold_ms);
    snprintf(minute, sizeof minute, "%d", s->minute_ms);
    const char *make[] = {tenant_id, channel_id, hold, minute};
    return query_id(
        db,
        "INSERT INTO notify.deliveries (tenant_id, channel_id, event_type, status,"
        " next_attempt_at) SELECT $1::uuid, $2::uuid, 'digest', 'pending',"
        " greatest(now() + $3::int * interval '1 millisecond',"
        " (SELECT max(coalesce(sent_at, next_attempt_at)) + $4::int * interval '1 millisecond'"
        " FROM notify.deliveries WHERE channel_id = $2::uuid AND event_type = 'digest'))"
        " RETURNING id",
        4, make, digest_id);
}

/* A message that would go out on a channel: alone, or grouped when a storm is on. */
static int plan_send(PGconn *db, const struct notify_settings *s, const char *event_id,
                     const char *tenant_id, const char *channel_id, int storm_threshold,
                     char *delivery_id)
{
    char minute[16], enough[16];
    snprintf(minute, sizeof minute, "%d", s->minute_ms);
    snprintf(enough, sizeof enough, "%d", storm_threshold);
    const char *params[] = {channel_id, minute, enough};
    long long recent = 0;
    /* Counting stops at the threshold: a storm costs no more than its threshold per event. */
    int rc = sw_pg_query_int(db,
                             "SELECT count(*) FROM (SELECT 1 FROM notify.deliveries"
                             " WHERE channel_id = $1::uuid"
                             " AND created_at > now() - $2::int * interval '1 millisecond'"
                             " AND status NOT IN ('debounced')"
                             " AND event_type NOT IN ('digest', 'test') LIMIT $3::int) r",
                             3, params, &recent);
    if (rc || recent + 1 <= storm_threshold)
        return rc ? rc
                  : insert_delivery(db, event_id, channel_id, "pending", s->hold_ms, NULL,
                                    delivery_id);
    char digest_id[40];
    rc = storm_digest(db, s, tenant_id, channel_id, digest_id);
    if (rc == 0)
        rc = insert_delivery(db, event_id, channel_id, "grouped", 0, digest_id, delivery_id);
    const char *pull[] = {channel_id, digest_id};
    if (rc == 0) /* what still waits joins the digest too */
        rc = sw_pg_exec(db,
                        "UPDATE notify.deliveries SET status = 'grouped', digest_id = $2::uuid"
                        " WHERE channel_id = $1::uuid AND status = 'pending' AND attempts = 0"
                        " AND lease_until IS NULL AND event_type NOT IN ('digest', 'test')",
                        2, pull);
    return rc;
}

/* Opens (or moves) the debounce window of (channel, endpoint) after a message of `type`. */
static int open_window(PGconn *db, const struct notify_settings *s, const char *channel_id,
                       const char *endpoint_id, const char *tenant_id, const char *type,
                       int debounce_minutes)
{
    char window[24];
    snprintf(window, sizeof window, "%lld", (long long)debounce_minutes * s->minute_ms);
    const char *params[] = {channel_id, endpoint_id, tenant_id, type, window};
    return sw_pg_exec(db,
                      "INSERT INTO notify.debounce (channel_id, endpoint_id, tenant_id,"
                      " last_sent_type, window_until) VALUES ($1::uuid, $2::uuid, $3::uuid, $4,"
                      " now() + $5::bigint * interval '1 millisecond')"
                      " ON CONFLICT (channel_id, endpoint_id) DO UPDATE SET"
                      " last_sent_type = excluded.last_sent_type,"
                      " window_until = excluded.window_until, held_delivery_id = NULL",
                      5, params);
}

/* One channel's share of a status change under its debounce window. */
static int plan_debounced(PGconn *db, const struct notify_settings *s, const char *event_id,
                          const char *tenant_id, const char *endpoint_id, const char *type,
                          const char *channel_id, int debounce, int storm)
{
    const char *params[] = {channel_id, endpoint_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT last_sent_type, window_until > now() FROM notify.debounce"
                         " WHERE channel_id = $1::uuid AND endpoint_id = $2::uuid FOR UPDATE",
                         2, params, &res);
    bool open = rc == 0 && PQntuples(res) == 1 && sw_pg_bool(res, 0, 1);
    bool recovery = open && strcmp(type, "endpoint_up") == 0 &&
                    strcmp(PQgetvalue(res, 0, 0), "endpoint_down") == 0;
    PQclear(res);
    char delivery_id[40] = "";
    if (rc == 0 && open && !recovery) {
        rc = insert_delivery(db, event_id, channel_id, "debounced", 0, NULL, delivery_id);
        const char *hold[] = {channel_id, endpoint_id, delivery_id};
        if (rc == 0 && delivery_id[0])
            rc = sw_pg_exec(db,
                            "UPDATE notify.debounce SET held_delivery_id = $3::uuid"
                            " WHERE channel_id = $1::uuid AND endpoint_id = $2::uuid",
                            3, hold);
        return rc;
    }
    if (rc == 0)
        rc = plan_send(db, s, event_id, tenant_id, channel_id, storm, delivery_id);
    if (rc == 0)
        rc = open_window(db, s, channel_id, endpoint_id, tenant_id, type, debounce);
    return rc;
}

int notify_plan_event(PGconn *db, const struct notify_settings *s, const char *event_id)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT c.id, coalesce(st.debounce_minutes, %d), coalesce(st.storm_threshold, %d),"
             " e.tenant_id, e.endpoint_id, e.type"
             " FROM notify.events e JOIN notify.channels c ON c.tenant_id = e.tenant_id"
             " LEFT JOIN notify.settings st ON st.tenant_id = e.tenant_id"
             " WHERE e.id = $1::uuid AND c.enabled AND e.type = ANY (c.events)"
             " ORDER BY c.created_at, c.id",
             NOTIFY_DEBOUNCE_DEFAULT, NOTIFY_STORM_DEFAULT);
    const char *params[] = {event_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db, sql, 1, params, &res);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        const char *channel_id = PQgetvalue(res, i, 0), *tenant_id = PQgetvalue(res, i, 3);
        const char *type = PQgetvalue(res, i, 5);
        int debounce = (int)sw_pg_int(res, i, 1), storm = (int)sw_pg_int(res, i, 2);
        bool status_change = !PQgetisnull(res, i, 4) && (strcmp(type, "endpoint_down") == 0 ||
                                                         strcmp(type, "endpoint_up") == 0);
        char delivery_id[40];
        if (status_change && debounce > 0)
            rc = plan_debounced(db, s, event_id, tenant_id, PQgetvalue(res, i, 4), type, channel_id,
                                debounce, storm);
        else
            rc = plan_send(db, s, event_id, tenant_id, channel_id, storm, delivery_id);
    }
    PQclear(res);
    return rc;
}

int notify_plan_close_windows(PGconn *db, const struct notify_settings *s)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH closing AS (SELECT d.channel_id, d.endpoint_id, d.held_delivery_id,"
             " x.event_type, x.event_type <> d.last_sent_type AS changed,"
             " coalesce(st.debounce_minutes, %d) AS minutes"
             " FROM notify.debounce d JOIN notify.deliveries x ON x.id = d.held_delivery_id"
             " LEFT JOIN notify.settings st ON st.tenant_id = d.tenant_id"
             " WHERE d.window_until <= now() FOR UPDATE OF d SKIP LOCKED),"
             " released AS (UPDATE notify.deliveries x SET status = 'pending',"
             " next_attempt_at = now() FROM closing c"
             " WHERE x.id = c.held_delivery_id AND c.changed RETURNING x.id),"
             " moved AS (UPDATE notify.debounce d SET held_delivery_id = NULL,"
             " last_sent_type = CASE WHEN c.changed THEN c.event_type ELSE d.last_sent_type END,"
             " window_until = CASE WHEN c.changed"
             " THEN now() + c.minutes * %d * interval '1 millisecond'"
             " ELSE d.window_until END FROM closing c"
             " WHERE d.channel_id = c.channel_id AND d.endpoint_id = c.endpoint_id)"
             " SELECT count(*) FROM released",
             NOTIFY_DEBOUNCE_DEFAULT, s->minute_ms);
    long long released = 0;
    int rc = sw_pg_query_int(db, sql, 0, NULL, &released);
    return rc ? rc : (int)released;
}
