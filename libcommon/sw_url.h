/*
 * A URL a tenant gives us to connect to (an endpoint to monitor, a Slack or
 * webhook address to notify), checked without the outside world: parsed and
 * normalised with libcurl's URL API, http or https with a host. A host that
 * is an address literal, or a name that is loopback by definition
 * (localhost and *.localhost), must pass the address guard unless the allow
 * list (SW_CHECKER_ALLOW_CIDRS) allows it; any other name is accepted as it
 * is, without resolving it, so that saving never waits on DNS
 * (docs/DECISIONS.md). The guard on every connection (sw_guard.h), which
 * judges the addresses a name actually resolves to, is the real control.
 */
#ifndef SW_URL_H
#define SW_URL_H

#include <stdbool.h>

#include "sw_text.h" /* sw_text_has_control, for the callers that check URLs */

#include "sw_cidr.h"

#define SW_URL_TEXT_MAX 2048
#define SW_URL_HOST_MAX 256
#define SW_URL_WHY_MAX 160

struct sw_url {
    char url[SW_URL_TEXT_MAX + 1]; /* normalised */
    char host[SW_URL_HOST_MAX];    /* without an IPv6 literal's brackets */
    bool https;
    /* The host is a literal or localhost inside the allow list (not public). */
    bool allowed_private;
};

/*
 * 0 and *out when text is an acceptable URL; otherwise SW_EINVAL and `why`,
 * a sentence for a field error ending "… which cannot be <purpose>.", e.g.
 * purpose "monitored".
 */
int sw_url_check(const char *text, const struct sw_cidr_list *allow, const char *purpose,
                 struct sw_url *out, char *why, size_t why_size);

/*
 * The same for a TCP target, `tcp://host:port` (nothing after the port but
 * an optional "/"): the host judged as above; out->url is
 * `tcp://host:port` with the host lower-cased (an IPv6 literal in brackets).
 */
int sw_url_check_tcp(const char *text, const struct sw_cidr_list *allow, const char *purpose,
                     struct sw_url *out, char *why, size_t why_size);

/*
 * A DNS name to resolve, `dns://name` (an optional trailing "/" or "."):
 * letters, digits, '-' and '_' in labels of 1–63 characters, at least two
 * labels, at most 253 characters. Address literals and names that only make
 * sense inside a private network (localhost, .local, .internal, .home.arpa,
 * .localdomain, .lan, single labels) are refused: a DNS check asks the
 * checker's resolver, and must not become a window onto its network's
 * names. out->url is `dns://name` lower-cased.
 */
int sw_url_check_dns(const char *text, struct sw_url *out, char *why, size_t why_size);

#endif
