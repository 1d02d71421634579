#include "sw_url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sw_addr.h"
#include "sw_status.h"

#define TEXT_OF(macro) STRINGIFY(macro)
#define STRINGIFY(x) #x

/* Judges one address; fills why (for the field error) when it is refused. */
static bool address_ok(const uint8_t addr[16], const struct sw_cidr_list *allow,
                       const char *purpose, char *why, size_t why_size)
{
    if (sw_addr_allowed(addr, allow))
        return true;
    snprintf(why, why_size, "This URL points to a %s address, which cannot be %s.",
             sw_addr_class_name(sw_addr_classify(addr)), purpose);
    return false;
}

/* "localhost" and its subdomains are loopback by definition (RFC 6761). */
static bool is_localhost(const char *host)
{
    size_t len = strlen(host);
    return strcasecmp(host, "localhost") == 0 ||
           (len > 10 && strcasecmp(host + len - 10, ".localhost") == 0);
}

/*
 * A host the resolver reads as an address: IPv6 or IPv4 as sw_ip_parse
 * takes them, or IPv4 in inet_aton's other forms ("10.2.3", "0x7f.1",
 * "2130706433"), which getaddrinfo accepts too.
 */
static bool numeric_host(const char *host, uint8_t addr[16])
{
    if (sw_ip_parse(host, addr) == 0)
        return true;
    struct in_addr v4;
    if (host[strspn(host, "0123456789abcdefABCDEFxX.")] != '\0' || inet_aton(host, &v4) == 0)
        return false;
    memset(addr, 0, 10);
    addr[10] = addr[11] = 0xFF;
    memcpy(addr + 12, &v4, 4);
    return true;
}

/*
 * Judges a URL's host without the outside world: a literal by its address, a
 * localhost name as loopback in both families (whatever this machine's hosts
 * file says), and any other name not at all: resolving it here would make a
 * save wait on DNS inside a shared worker, and what it resolves to now need
 * not be what it resolves to when the checker connects, where the guard
 * judges every address.
 */
static bool host_ok(const char *host, const struct sw_cidr_list *allow, const char *purpose,
                    struct sw_url *out, char *why, size_t why_size)
{
    uint8_t addr[16];
    if (numeric_host(host, addr)) {
        out->allowed_private = sw_addr_classify(addr) != SW_ADDR_PUBLIC;
        return address_ok(addr, allow, purpose, why, why_size);
    }
    if (is_localhost(host)) {
        uint8_t v4[16], v6[16];
        sw_ip_parse("127.0.0.1", v4);
        sw_ip_parse("::1", v6);
        out->allowed_private = true;
        return address_ok(v4, allow, purpose, why, why_size) &&
               address_ok(v6, allow, purpose, why, why_size);
    }
    return true;
}

static const char INVALID[] = "Enter a valid URL, such as https://example.com/health.";
#define NORMALISE_PASSES 3

/*
 * u's normal form into *norm (freed by the caller with curl_free), u left
 * parsed from it. curl decodes a percent-encoded host without normalising
 * it as an address ("http://10%2e2.3/" gives the host "10.2.3", which the
 * resolver reads as 10.2.0.3), so the normal form is parsed again until it
 * no longer changes; one that does not settle is refused. What is wrong, or
 * NULL.
 */
static const char *normalise(CURLU *u, char **norm)
{
    for (int pass = 0; pass < NORMALISE_PASSES; pass++) {
        char *url = NULL;
        if (curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK || !url) {
            curl_free(url);
            return INVALID;
        }
        if (*norm && strcmp(*norm, url) == 0) {
            curl_free(url);
            return NULL;
        }
        curl_free(*norm);
        *norm = url;
        if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
            return INVALID;
    }
    return INVALID;
}

/*
 * Parses text with u and takes its scheme, host and normalised form (each
 * freed by the caller with curl_free); what is wrong with it, or NULL.
 */
static const char *parse_url(CURLU *u, const char *text, char **scheme, char **host, char **norm)
{
    static const char TOO_LONG[] =
        "Enter a valid URL of at most " TEXT_OF(SW_URL_TEXT_MAX) " characters.";
    if (strlen(text) > SW_URL_TEXT_MAX || sw_text_has_control(text) || strchr(text, ' '))
        return TOO_LONG;
    if (curl_url_set(u, CURLUPART_URL, text, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        return INVALID;
    const char *problem = normalise(u, norm);
    if (problem)
        return problem;
    if (curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK || !*scheme)
        return INVALID;
    if (strcmp(*scheme, "http") != 0 && strcmp(*scheme, "https") != 0)
        return "Only http and https URLs are accepted.";
    if (curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK || !*host || !(*host)[0])
        return "The URL needs a host name.";
    if (strlen(*norm) > SW_URL_TEXT_MAX)
        return TOO_LONG;
    return NULL;
}

int sw_url_check(const char *text, const struct sw_cidr_list *allow, const char *purpose,
                 struct sw_url *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    char *scheme = NULL, *host = NULL, *norm = NULL;
    CURLU *u = curl_url();
    const char *problem = u ? parse_url(u, text, &scheme, &host, &norm)
                            : "Could not read this URL.";
    if (problem) {
        snprintf(why, why_size, "%s", problem);
    } else {
        size_t len = strlen(host);
        /* An IPv6 literal comes back in brackets. */
        if (host[0] == '[' && len > 2 && len - 2 < sizeof out->host)
            snprintf(out->host, sizeof out->host, "%.*s", (int)(len - 2), host + 1);
        else
            snprintf(out->host, sizeof out->host, "%s", host);
        if (host_ok(out->host, allow, purpose, out, why, why_size)) {
            snprintf(out->url, sizeof out->url, "%s", norm);
            out->https = strcmp(scheme, "https") == 0;
        }
    }
    curl_free(norm);
    curl_free(host);
    curl_free(scheme);
    curl_url_cleanup(u);
    return why[0] ? SW_EINVAL : 0;
}
