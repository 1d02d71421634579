/*
 * What sw-auth answers about users and tenants, built from its rows and from
 * sw-tenants' records. The messages borrow their strings (from the PGresult
 * or the tenant), so keep those until the reply is packed.
 */
#ifndef AUTH_RECORDS_H
#define AUTH_RECORDS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "auth.pb-c.h"
#include "tenants.pb-c.h"

/* The user columns, in the order auth_user_from_row() reads them (from column 0). */
#define AUTH_USER_COLUMNS "u.id, u.email, u.role, u.email_verified"
#define AUTH_USER_NCOLS 4

/* The caller's row (auth_caller): the user columns, then two-factor state. */
#define AUTH_CALLER_COLUMNS AUTH_USER_COLUMNS ", u.totp_enabled_at IS NOT NULL, u.totp_secret"
#define AUTH_CALLER_TWO_FACTOR AUTH_USER_NCOLS
#define AUTH_CALLER_TOTP_SECRET (AUTH_USER_NCOLS + 1)

void auth_user_from_row(const PGresult *res, int row, Sw__Auth__User *user);

void auth_tenant_ref(const Sw__Tenants__Tenant *tenant, Sw__Auth__TenantRef *ref);

struct sw_reply;
struct sw_rpc_ctx;

/*
 * An audit row (libcommon/sw_audit.h) of the caller's change, in the caller's
 * transaction: who from the envelope, before/after as JSON texts (or NULL).
 */
int auth_audit(struct sw_rpc_ctx *ctx, const char *action, const char *target_type,
               const char *target_id, const char *before, const char *after);

/*
 * An audit row of something the user `user_id` did to their own account
 * (a login, a logout, a verification, a reset), in the user's tenant, with
 * the user as the actor whatever the envelope says.
 */
int auth_audit_self(struct sw_rpc_ctx *ctx, const char *user_id, const char *action);

/* Answers RegisterReply {tenant, user} of a new membership (row 0 of user, AUTH_USER_COLUMNS). */
void auth_answer_membership(const Sw__Tenants__Tenant *tenant, const PGresult *user,
                            struct sw_reply *reply);

/* The sign-in form's two fields, each required. */
void auth_require_fields(const char *email, const char *password, struct sw_reply *reply);

/*
 * Field errors of a new password and its confirmation: the password policy
 * (when `policy`), the confirmation required and matching.
 */
void auth_check_new_password(const char *password, const char *confirm, bool policy,
                             struct sw_reply *reply);

#endif
