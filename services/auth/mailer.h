/*
 * Account e-mails (verification, password reset) go out through sw-notify's
 * delivery path (notify.SendMail): queued there as a delivery, sent over
 * SMTP or written to var/mail/, retried and logged like every e-mail. The
 * words are sw-auth's; links point at FRONTEND_URL.
 */
#ifndef AUTH_MAILER_H
#define AUTH_MAILER_H

#include "sw_rpc.h"

/*
 * Queues the verification e-mail of a membership: a new 48-hour token and
 * its link. Returns 0, or an error after logging it (the caller decides
 * whether the request fails).
 */
int auth_mail_verification(struct sw_rpc_ctx *ctx, const char *user_id, const char *email,
                           const char *tenant_name);

/* Queues one e-mail to `to` (kind names it in notify's log). */
int auth_mail_send(struct sw_rpc_ctx *ctx, const char *to, const char *kind, const char *subject,
                   const char *text);

#endif
