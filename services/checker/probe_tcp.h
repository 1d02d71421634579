/*
 * A TCP check (kind tcp, url tcp://host:port): connect within the timeout,
 * then close. It rides on the HTTP probe's curl easy handle with
 * CURLOPT_CONNECT_ONLY, so resolving, the connect timeout and the address
 * guard (sw_guard.h, judged on every address before the SYN) are exactly
 * those of an HTTP check; nothing is sent on the connection.
 */
#ifndef CHK_PROBE_TCP_H
#define CHK_PROBE_TCP_H

#include "probe.h"

#define CHK_KIND_TCP "tcp"

/* Sets every option of a TCP check on probe->easy; SW_EINTERNAL if curl refused one. */
int chk_tcp_configure(struct chk_probe *probe);

/* Judges the finished connect (curl's code `code`) into outcome's Result. */
void chk_tcp_finish(struct chk_probe *probe, CURLcode code, struct chk_outcome *outcome);

#endif
