/*
 * The team routes (api.md "Identity": members, invitations and API keys),
 * all served by sw-auth.
 */
#define _GNU_SOURCE /* strptime, timegm */
#include <string.h>
#include <time.h>

#include "audit.pb-c.h"
#include "auth.pb-c.h"
#include "body.h"
#include "gateway.h"
#include "http.h"
#include "sw_time.h"

static json_t *iso_or_null(protobuf_c_boolean has, int64_t unix_ms)
{
    char iso[SW_TIME_ISO_MAX];
    return has ? json_string(sw_time_iso_ms(unix_ms, iso)) : json_null();
}

static json_t *member_json(const void *item)
{
    const Sw__Auth__Member *m = item;
    return json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o}", "id", m->id, "email", m->email, "role",
                     m->role, "email_verified", m->email_verified, "two_factor_enabled",
                     m->two_factor_enabled, "created_at", iso_or_null(1, m->created_ms),
                     "last_login_at", iso_or_null(m->has_last_login_ms, m->last_login_ms));
}

static json_t *invitation_json(const void *item)
{
    const Sw__Auth__Invitation *v = item;
    return json_pack("{s:s, s:s, s:s, s:o}", "id", v->id, "email", v->email, "role", v->role,
                     "expires_at", iso_or_null(1, v->expires_ms));
}

void gw_members_list(struct gw_request *req)
{
    Sw__Auth__ListMembersRequest msg = SW__AUTH__LIST_MEMBERS_REQUEST__INIT;
    gw_call_page_of(req, SW_SVC_AUTH, "auth.ListMembers", &msg.base, &msg.page, &msg.page_size,
                    &sw__auth__list_members_reply__descriptor, "/api/members/", member_json);
}

static void answer_member(struct gw_request *req, const struct gw_exchange *x)
{
    gw_send_json(req, 200, member_json(((const Sw__Auth__MemberReply *)x->reply)->member));
}

static void answer_no_content(struct gw_request *req, const struct gw_exchange *x)
{
    (void)x;
    gw_send(req, 204, "application/json", "", 0, NULL);
}

void gw_members_update(struct gw_request *req)
{
    Sw__Auth__UpdateMemberRequest msg = SW__AUTH__UPDATE_MEMBER_REQUEST__INIT;
    const struct body_field fields[] = {{"role", &msg.role, true, false}};
    msg.id = req->path_id;
    gw_fields_call_answer(req, fields, N_FIELDS(fields), SW_SVC_AUTH, "auth.UpdateMember",
                          &msg.base, &sw__auth__member_reply__descriptor, answer_member);
}

void gw_members_remove(struct gw_request *req)
{
    Sw__Auth__RemoveMemberRequest msg = SW__AUTH__REMOVE_MEMBER_REQUEST__INIT;
    msg.id = req->path_id;
    gw_call_answer(req, SW_SVC_AUTH, "auth.RemoveMember", &msg.base, NULL, 0, answer_no_content);
}

void gw_invitations_list(struct gw_request *req)
{
    Sw__Auth__ListInvitationsRequest msg = SW__AUTH__LIST_INVITATIONS_REQUEST__INIT;
    gw_call_page_of(req, SW_SVC_AUTH, "auth.ListInvitations", &msg.base, &msg.page, &msg.page_size,
                    &sw__auth__list_invitations_reply__descriptor, "/api/invitations/",
                    invitation_json);
}

static void answer_invitation(struct gw_request *req, const struct gw_exchange *x)
{
    gw_send_json(req, 201,
                 invitation_json(((const Sw__Auth__InvitationReply *)x->reply)->invitation));
}

void gw_invitations_create(struct gw_request *req)
{
    Sw__Auth__CreateInvitationRequest msg = SW__AUTH__CREATE_INVITATION_REQUEST__INIT;
    const struct body_field fields[] = {
        {"email", &msg.email, true, false},
        {"role", &msg.role, true, false},
    };
    gw_fields_call_answer(req, fields, N_FIELDS(fields), SW_SVC_AUTH, "auth.CreateInvitation",
                          &msg.base, &sw__auth__invitation_reply__descriptor, answer_invitation);
}

void gw_invitations_revoke(struct gw_request *req)
{
    Sw__Auth__RevokeInvitationRequest msg = SW__AUTH__REVOKE_INVITATION_REQUEST__INIT;
    msg.id = req->path_id;
    gw_call_answer(req, SW_SVC_AUTH, "auth.RevokeInvitation", &msg.base, NULL, 0,
                   answer_no_content);
}

/* ---- API keys ----------------------------------------------------------- */

static json_t *api_key_json(const void *item)
{
    const Sw__Auth__ApiKey *k = item;
    json_t *obj = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", k->id, "name", k->name,
                            "prefix", k->prefix, "scope", k->scope, "created_at",
                            iso_or_null(1, k->created_ms), "last_used_at",
                            iso_or_null(k->has_last_used_ms, k->last_used_ms), "expires_at",
                            iso_or_null(k->has_expires_ms, k->expires_ms));
    if (obj && k->key)
        json_object_set_new(obj, "key", json_string(k->key));
    return obj;
}

void gw_api_keys_list(struct gw_request *req)
{
    Sw__Auth__ListApiKeysRequest msg = SW__AUTH__LIST_API_KEYS_REQUEST__INIT;
    gw_call_page_of(req, SW_SVC_AUTH, "auth.ListApiKeys", &msg.base, &msg.page, &msg.page_size,
                    &sw__auth__list_api_keys_reply__descriptor, "/api/api-keys/", api_key_json);
}

/*
 * An ISO-8601 UTC instant ("YYYY-MM-DD", or with "THH:MM[:SS[.fff]]" and an
 * optional "Z" or "+00:00") as epoch milliseconds; false when it is not one.
 */
static bool parse_instant(const char *text, int64_t *out_ms)
{
    struct tm tm = {0};
    const char *rest = strptime(text, "%Y-%m-%d", &tm);
    if (!rest)
        return false;
    if (*rest == 'T') {
        const char *t = strptime(rest + 1, "%H:%M", &tm);
        if (t && *t == ':')
            t = strptime(t + 1, "%S", &tm);
        if (t && *t == '.')
            for (t++; *t >= '0' && *t <= '9'; t++)
                ;
        rest = t;
    }
    if (!rest)
        return false;
    if (*rest == 'Z')
        rest++;
    else if (strcmp(rest, "+00:00") == 0)
        rest += 6;
    if (*rest)
        return false;
    time_t at = timegm(&tm);
    *out_ms = (int64_t)at * 1000;
    return at != (time_t)-1;
}

static void answer_api_key(struct gw_request *req, const struct gw_exchange *x)
{
    gw_send_json(req, 201, api_key_json(((const Sw__Auth__ApiKeyReply *)x->reply)->key));
}

void gw_api_keys_create(struct gw_request *req)
{
    Sw__Auth__CreateApiKeyRequest msg = SW__AUTH__CREATE_API_KEY_REQUEST__INIT;
    char *expires = NULL;
    const struct body_field fields[] = {
        {"name", &msg.name, true, false},
        {"scope", &msg.scope, true, false},
        {"expires_at", &expires, false, true},
    };
    json_t *doc = NULL;
    if (gw_read_fields(req, &doc, fields, N_FIELDS(fields)) != 0) {
        json_decref(doc);
        return;
    }
    msg.has_expires_ms = expires != NULL;
    if (expires && !parse_instant(expires, &msg.expires_ms)) {
        json_t *errors = json_object();
        gw_field_error(errors, "expires_at", "Enter an ISO-8601 date and time in UTC.");
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
    } else {
        gw_call_answer(req, SW_SVC_AUTH, "auth.CreateApiKey", &msg.base,
                       &sw__auth__api_key_reply__descriptor, 0, answer_api_key);
    }
    json_decref(doc);
}

void gw_api_keys_revoke(struct gw_request *req)
{
    Sw__Auth__RevokeApiKeyRequest msg = SW__AUTH__REVOKE_API_KEY_REQUEST__INIT;
    msg.id = req->path_id;
    gw_call_answer(req, SW_SVC_AUTH, "auth.RevokeApiKey", &msg.base, NULL, 0, answer_no_content);
}

/* ---- the audit log ------------------------------------------------------ */

/* A JSON text of the service's reply as a value (null when absent or unreadable). */
static json_t *json_or_null(const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

static json_t *audit_event_json(const void *item)
{
    const Sw__Audit__Event *e = item;
    return json_pack("{s:s, s:o, s:{s:s, s:o, s:o}, s:s, s:{s:s, s:o}, s:o, s:o, s:o, s:o, s:o}",
                     "id", e->id, "at", iso_or_null(1, e->at_ms), "actor", "type", e->actor_type,
                     "id", gw_text_or_null(e->actor_id), "email", gw_text_or_null(e->actor_email),
                     "action", e->action, "target", "type", e->target_type, "id",
                     gw_text_or_null(e->target_id), "ip", gw_text_or_null(e->ip), "user_agent",
                     gw_text_or_null(e->user_agent), "request_id", gw_text_or_null(e->request_id),
                     "before", json_or_null(e->before), "after", json_or_null(e->after));
}

/* The filters of ?actor=&action=&target_type=&target_id=&from=&to=, texts kept in `texts`. */
struct audit_filters {
    char texts[4][256];
    char from[64], to[64];
};

static bool read_filters(struct gw_request *req, struct audit_filters *f,
                         Sw__Audit__ListEventsRequest *msg, json_t *errors)
{
    static const char *const NAMES[] = {"actor", "action", "target_type", "target_id"};
    char **slots[] = {&msg->actor, &msg->action, &msg->target_type, &msg->target_id};
    for (size_t i = 0; i < 4; i++) {
        int given = gw_query_text(req, NAMES[i], f->texts[i], sizeof f->texts[i]);
        if (given < 0)
            gw_field_error(errors, NAMES[i], "Too long.");
        *slots[i] = given > 0 && f->texts[i][0] ? f->texts[i] : NULL;
    }
    int from = gw_query_text(req, "from", f->from, sizeof f->from);
    int to = gw_query_text(req, "to", f->to, sizeof f->to);
    msg->has_from_ms = from > 0 && f->from[0];
    msg->has_to_ms = to > 0 && f->to[0];
    if (from < 0 || (msg->has_from_ms && !parse_instant(f->from, &msg->from_ms)))
        gw_field_error(errors, "from", "Enter an ISO-8601 date or date and time in UTC.");
    if (to < 0 || (msg->has_to_ms && !parse_instant(f->to, &msg->to_ms)))
        gw_field_error(errors, "to", "Enter an ISO-8601 date or date and time in UTC.");
    return json_object_size(errors) == 0;
}

void gw_audit_log(struct gw_request *req)
{
    Sw__Audit__ListEventsRequest msg = SW__AUDIT__LIST_EVENTS_REQUEST__INIT;
    struct audit_filters f;
    json_t *errors = json_object();
    if (!read_filters(req, &f, &msg, errors)) {
        gw_send_error(req, 400, "invalid", "Invalid filter.", errors);
        return;
    }
    json_decref(errors);
    gw_call_page_of(req, SW_SVC_AUTH, "auth.ListAuditEvents", &msg.base, &msg.page, &msg.page_size,
                    &sw__audit__list_events_reply__descriptor, "/api/audit-log/", audit_event_json);
}
