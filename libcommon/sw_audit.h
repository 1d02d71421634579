/*
 * The audit log (api.md "Audit log"): one audit.events row for every
 * state-changing request of a tenant and every applied webhook event,
 * written by the service that makes the change, on the same connection and
 * inside the same transaction, so that there is no row without its change and
 * no change without its row.
 *
 * Who acted comes from the envelope the gateway filled from the verified
 * credentials (user, API key or staff; its e-mail, address, user agent and
 * request id); a service acting on its own (a webhook, a job) says so with
 * actor_type. before/after are JSON texts of the object as the client sees it,
 * without secrets; audit.clean() drops secret-named keys again in SQL.
 */
#ifndef SW_AUDIT_H
#define SW_AUDIT_H

#include <libpq-fe.h>
#include <stddef.h>

#include "envelope.pb-c.h"
#include "sw_migrate.h"

struct sw_audit {
    const char *tenant_id;   /* NULL: the caller's (env->tenant_id) */
    const char *actor_type;  /* NULL: from the envelope ("user", "api_key", "staff"), or "system" */
    const char *actor_id;    /* NULL: the envelope's user (a login names the user it logs in) */
    const char *actor_email; /* NULL: the envelope's */
    const char *action;      /* "endpoint.create", "member.remove", … */
    const char *target_type; /* "endpoint", "member", … */
    const char *target_id;   /* may be NULL */
    const char *before;      /* JSON text, NULL for none */
    const char *after;       /* JSON text, NULL for none */
};

/* Writes the row; call it inside the transaction of the change. */
int sw_audit_write(PGconn *db, const Sw__Envelope *env, const struct sw_audit *a);

/*
 * A change that is one statement, audited: runs sql with params and, for
 * each row it returned, writes `a` with the row's columns "audit_target",
 * "audit_before" and "audit_after" (when the statement has them) in place
 * of a's target_id, before and after — the statement and its rows in one
 * transaction. *res keeps the statement's result (the caller clears it); no
 * row returned means nothing changed and nothing is written.
 */
int sw_audit_exec(PGconn *db, const Sw__Envelope *env, const struct sw_audit *a, const char *sql,
                  int n_params, const char *const *params, PGresult **res);

/* The "audit" migration set (libcommon/audit_migrations), applied by every writing service. */
extern const struct sw_migration sw_audit_migrations[];
extern const size_t sw_audit_migrations_count;

#endif
