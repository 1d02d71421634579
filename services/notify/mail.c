/*
 * notify.SendMail: an account e-mail of another service (sw-auth's
 * verification and reset links) queued as a delivery of its own, with no
 * channel and no tenant (the nil UUID: it appears in no tenant's log), and
 * sent by the sender like every e-mail: SMTP or var/mail/, retried, logged.
 */
#include <string.h>

#include "notify.h"
#include "notify.pb-c.h"
#include "sw_email.h"
#include "sw_pg.h"
#include "sw_status.h"

#define SUBJECT_MAX 200
#define TEXT_MAX ((size_t)32 * 1024)
#define KIND_MAX 32

void notify_send_mail(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__SendMailRequest *req = request;
    const char *bad = sw_email_problem(req->to);
    if (bad)
        sw_reply_field(reply, "to", bad);
    if (!req->subject[0] || strlen(req->subject) > SUBJECT_MAX)
        sw_reply_field(reply, "subject", "A subject of 1 to 200 characters is required.");
    if (!req->text[0] || strlen(req->text) > TEXT_MAX)
        sw_reply_field(reply, "text", "A text of 1 to 32768 bytes is required.");
    if (!req->kind[0] || strlen(req->kind) > KIND_MAX)
        sw_reply_field(reply, "kind", "A kind of 1 to 32 characters is required.");
    if (!sw_reply_ok(reply))
        return;
    const char *params[] = {req->kind, req->to, req->subject, req->text};
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db,
                         "WITH d AS (INSERT INTO notify.deliveries (tenant_id, event_type, status)"
                         " VALUES ('00000000-0000-0000-0000-000000000000', $1, 'pending')"
                         " RETURNING id), m AS (INSERT INTO notify.direct_mail"
                         " (delivery_id, to_address, subject, body)"
                         " SELECT id, $2, $3, $4 FROM d) SELECT id FROM d",
                         4, params, &res);
    if (sw_reply_fail_rc(reply, rc) == 0) {
        Sw__Notify__SendMailReply out = SW__NOTIFY__SEND_MAIL_REPLY__INIT;
        out.delivery_id = PQgetvalue(res, 0, 0);
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}
