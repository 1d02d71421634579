#include "redirect.h"

#include <curl/curl.h>
#include <string.h>
#include <strings.h>

bool chk_redirect_status(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static bool is_get_like(const char *method)
{
    return method[0] == '\0' || strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

const char *chk_redirect_method(const char *method, long status, bool same_host)
{
    if (is_get_like(method))
        return method;
    if (!same_host || status == 303 ||
        ((status == 301 || status == 302) && !strcmp(method, "POST")))
        return "GET";
    return method;
}

/* The host of an absolute URL (curl_free() it), NULL when there is none. */
static char *host_of(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        host = NULL;
    curl_url_cleanup(u);
    return host;
}

bool chk_redirect_same_host(const char *from, const char *to)
{
    char *a = host_of(from), *b = host_of(to);
    bool same = a && b && strcasecmp(a, b) == 0;
    curl_free(a);
    curl_free(b);
    return same;
}
