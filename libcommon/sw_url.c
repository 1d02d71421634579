#include "sw_url.h"

#include <arpa/inet.h>
#include <ctype.h>
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

/* The host as curl gives it, an IPv6 literal without its brackets; true when it had them. */
static bool unbracket(const char *host, char *out, size_t size)
{
    size_t len = strlen(host);
    bool bracketed = host[0] == '[' && len > 2 && len - 2 < size;
    snprintf(out, size, "%.*s", (int)(bracketed ? len - 2 : len), host + (bracketed ? 1 : 0));
    return bracketed;
}

/* A check's start: nothing found yet, no reason yet, and curl's URL handle (NULL: no memory). */
static CURLU *check_begin(struct sw_url *out, char *why)
{
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    return curl_url();
}

int sw_url_check(const char *text, const struct sw_cidr_list *allow, const char *purpose,
                 struct sw_url *out, char *why, size_t why_size)
{
    char *scheme = NULL, *host = NULL, *norm = NULL;
    CURLU *u = check_begin(out, why);
    const char *problem = u ? parse_url(u, text, &scheme, &host, &norm)
                            : "Could not read this URL.";
    if (problem) {
        snprintf(why, why_size, "%s", problem);
    } else {
        unbracket(host, out->host, sizeof out->host);
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

/* The port, path, query and user parts of a tcp:// URL: what is wrong, or NULL. */
static const char *tcp_parts(CURLU *u, char **port)
{
    char *path = NULL, *query = NULL, *user = NULL, *fragment = NULL;
    const char *problem = NULL;
    if (curl_url_get(u, CURLUPART_PORT, port, 0) != CURLUE_OK || !*port)
        problem = "A TCP URL needs a port: tcp://host:port.";
    else if ((curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK && path &&
              strcmp(path, "/") != 0 && path[0]) ||
             curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
             curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
             curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0) == CURLUE_OK)
        problem = "Enter a TCP URL as tcp://host:port, with nothing after the port.";
    curl_free(path);
    curl_free(query);
    curl_free(user);
    curl_free(fragment);
    return problem;
}

int sw_url_check_tcp(const char *text, const struct sw_cidr_list *allow, const char *purpose,
                     struct sw_url *out, char *why, size_t why_size)
{
    char *scheme = NULL, *host = NULL, *port = NULL;
    CURLU *u = check_begin(out, why);
    const char *problem = NULL;
    if (!u)
        problem = "Could not read this URL.";
    else if (strlen(text) > SW_URL_TEXT_MAX || sw_text_has_control(text) || strchr(text, ' ') ||
             curl_url_set(u, CURLUPART_URL, text, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
             curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK || !scheme ||
             strcmp(scheme, "tcp") != 0)
        problem = "Enter a valid TCP URL, such as tcp://example.com:5432.";
    else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !host[0])
        problem = "The URL needs a host name.";
    else
        problem = tcp_parts(u, &port);
    if (problem || !host) {
        snprintf(why, why_size, "%s", problem ? problem : "The URL needs a host name.");
    } else {
        bool bracketed = unbracket(host, out->host, sizeof out->host);
        for (char *p = out->host; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (host_ok(out->host, allow, purpose, out, why, why_size))
            snprintf(out->url, sizeof out->url, bracketed ? "tcp://[%s]:%s" : "tcp://%s:%s",
                     out->host, port);
    }
    curl_free(port);
    curl_free(host);
    curl_free(scheme);
    curl_url_cleanup(u);
    return why[0] ? SW_EINVAL : 0;
}

/* Names that only mean something inside a private network. */
static bool is_private_name(const char *name)
{
    static const char *const SUFFIXES[] = {".localhost", ".local",       ".internal",
                                           ".home.arpa", ".localdomain", ".lan"};
    if (strcasecmp(name, "localhost") == 0 || !strchr(name, '.'))
        return true;
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
        size_t n = strlen(SUFFIXES[i]);
        if (len > n && strcasecmp(name + len - n, SUFFIXES[i]) == 0)
            return true;
    }
    return false;
}

/* Letters, digits, '-' and '_' in dot-separated labels of 1..63 characters. */
static bool is_dns_name(const char *name)
{
    size_t label = 0;
    for (const char *p = name;; p++) {
        if (*p == '.' || *p == '\0') {
            if (label == 0 || label > 63)
                return false;
            if (*p == '\0')
                return true;
            label = 0;
        } else if (isalnum((unsigned char)*p) || *p == '-' || *p == '_') {
            label++;
        } else {
            return false;
        }
    }
}

int sw_url_check_dns(const char *text, struct sw_url *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    char name[SW_URL_HOST_MAX];
    uint8_t addr[16];
    size_t len = strlen(text);
    if (len <= 6 || strncasecmp(text, "dns://", 6) != 0 || len - 6 >= sizeof name) {
        snprintf(why, why_size, "Enter a DNS URL such as dns://example.com.");
        return SW_EINVAL;
    }
    snprintf(name, sizeof name, "%s", text + 6);
    len = strlen(name);
    if (len > 0 && name[len - 1] == '/')
        name[--len] = '\0';
    if (len > 0 && name[len - 1] == '.')
        name[--len] = '\0';
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (len == 0 || len > 253 || !is_dns_name(name))
        snprintf(why, why_size, "Enter a host name such as dns://example.com.");
    else if (sw_ip_parse(name, addr) == 0)
        snprintf(why, why_size, "Enter a host name, not an address.");
    else if (is_private_name(name))
        snprintf(why, why_size,
                 "This name only exists inside a private network, which cannot "
                 "be monitored.");
    if (why[0])
        return SW_EINVAL;
    snprintf(out->host, sizeof out->host, "%s", name);
    snprintf(out->url, sizeof out->url, "dns://%s", name);
    return 0;
}
