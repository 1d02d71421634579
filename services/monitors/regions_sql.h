/*
 * The rules of regions and quorum as SQL expressions (api.md "More kinds of
 * monitor"; docs/DECISIONS.md "Regions and quorum"), shared by the statement
 * that stores results (schedule.c) and the endpoint's SELECT list
 * (endpoint_row.h), so that both judge alike. They are macros rather than SQL
 * functions because a function with a subquery is not inlined: called per
 * result row, the function calls cost more than storing the result.
 *
 * region_state (tenant migration 010) holds each region's own status and its
 * last check: {"<region>": {"status", "f", "s", "at", "ms", "code", "error"}}.
 */
#ifndef MON_REGIONS_SQL_H
#define MON_REGIONS_SQL_H

#include "sw_region.h"

/*
 * The regions an endpoint is scheduled in: the ones it names, else `others`;
 * a heartbeat is pinged, not checked, and has the one region
 * SW_REGION_DEFAULT.
 */
#define MON_SQL_SCHEDULED_REGIONS(kind, regions, others)                                           \
    "(CASE WHEN " kind " = 'heartbeat' THEN ARRAY['" SW_REGION_DEFAULT "']"                        \
    " WHEN " regions " IS NOT NULL THEN " regions " ELSE " others " END)"

/*
 * The regions an endpoint is judged in (its quorum is of these): of the ones
 * it names, those with a live checker (all of them while none has one), so
 * that a region whose checkers are down cannot hide an outage the others
 * see; else every live region (`live`, a text[] computed once per
 * statement).
 */
#define MON_SQL_ACTIVE_REGIONS(kind, regions, live)                                                \
    "(CASE WHEN " kind " = 'heartbeat' THEN ARRAY['" SW_REGION_DEFAULT "']"                        \
    " WHEN " regions " IS NOT NULL THEN coalesce(nullif(ARRAY(SELECT nr FROM unnest(" regions      \
    ") nr WHERE nr = ANY((" live ")::text[])), '{}'), " regions ") ELSE " live " END)"

/*
 * A region is live while one of its checkers leased in the last 60 seconds (a
 * checker leases at least every SW_CHECKER_POLL_MS when idle; a lease
 * refreshes monitors.regions at most every 5 s, regions.c).
 */
#define MON_SQL_IS_LIVE(last_seen_at) "(" last_seen_at " > now() - interval '60 seconds')"
/* The live regions, sorted (an InitPlan: evaluated once per statement). */
#define MON_SQL_LIVE_REGIONS                                                                       \
    "(SELECT coalesce(array_agg(lr.name ORDER BY lr.name), '{}') FROM monitors.regions lr"         \
    " WHERE " MON_SQL_IS_LIVE("lr.last_seen_at") ")"

/*
 * The counts of the active regions `active` whose own status is down, up,
 * and whose last check failed, as a LATERAL subquery (alias given).
 */
#define MON_SQL_REGION_COUNTS(state, active)                                                       \
    "(SELECT count(*) FILTER (WHERE " state " -> a ->> 'status' = 'down')::int AS failing,"        \
    " count(*) FILTER (WHERE " state " -> a ->> 'status' = 'up')::int AS ups,"                     \
    " count(*) FILTER (WHERE (" state " -> a ->> 'f')::int > 0)::int AS failing_now"               \
    " FROM unnest(" active ") a)"

/* The REST member region_results: each active region's status and last check. */
#define MON_SQL_REGION_RESULTS_JSON(state, active)                                                 \
    "(SELECT coalesce(jsonb_agg(jsonb_build_object('region', a,"                                   \
    " 'status', coalesce(" state " -> a ->> 'status', 'pending'),"                                 \
    " 'last_checked_at', monitors.iso(monitors.from_ms((" state " -> a ->> 'at')::bigint)),"       \
    " 'last_latency_ms', (" state " -> a ->> 'ms')::int,"                                          \
    " 'last_status_code', (" state " -> a ->> 'code')::int,"                                       \
    " 'last_error', " state " -> a ->> 'error') ORDER BY a), '[]')::text FROM unnest(" active      \
    ") a)"

/* The REST member quorum: {regions, required, failing, below_quorum}. */
#define MON_SQL_QUORUM_JSON(state, active, min_failing)                                            \
    "(SELECT jsonb_build_object('regions', cardinality(" active "), 'required', q.need,"           \
    " 'failing', k.failing, 'below_quorum', k.failing > 0 AND k.failing < q.need)::text"           \
    " FROM " MON_SQL_REGION_COUNTS(state, active) " k, (SELECT monitors.quorum_need("              \
                                                  "cardinality(" active "), " min_failing          \
                                                  ") AS need) q)"

#endif
