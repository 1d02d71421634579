/*
 * The web app: files under web/dist are served as they are; any other path
 * that is not an API path gets index.html, so the browser app's own router
 * can handle it (the SPA fallback). Hashed assets are cached for a year,
 * index.html never.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gateway.h"
#include "http.h"

static const char PLACEHOLDER[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>StatusWatch</title></head><body><h1>StatusWatch</h1>"
    "<p>The web app has not been built yet. The API is at /api/.</p></body></html>";

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const char *const table[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
    };
    for (size_t i = 0; dot && i < sizeof table / sizeof table[0]; i++)
        if (strcmp(dot, table[i][0]) == 0)
            return table[i][1];
    return "application/octet-stream";
}

/* Security headers go on files too. */
static void send_file(struct gw_request *req, const char *path, const char *cache)
{
    char headers[1200];
    snprintf(headers, sizeof headers, "%sX-Request-ID: %s\r\nCache-Control: %s\r\n",
             gw_security_headers(req->https), req->request_id, cache);
    mg_send_mime_file2(req->conn, path, mime_of(path), headers);
    req->status = 200;
}

void gw_static_serve(struct gw_request *req)
{
    const char *uri = req->ri->local_uri;
    char path[2048];
    if (strcmp(req->ri->request_method, "GET") != 0 &&
        strcmp(req->ri->request_method, "HEAD") != 0) {
        gw_send_error(req, 405, "method_not_allowed", "Method not allowed.", NULL);
        return;
    }
    /* local_uri is already normalised by CivetWeb: no "..", no "//". */
    if (strcmp(uri, "/") != 0 && strstr(uri, "..") == NULL &&
        (size_t)snprintf(path, sizeof path, "%s%s", req->gw->web_root, uri) < sizeof path &&
        is_regular_file(path)) {
        bool hashed = strncmp(uri, "/assets/", 8) == 0;
        send_file(req, path, hashed ? "public, max-age=31536000, immutable" : "no-cache");
        return;
    }
    snprintf(path, sizeof path, "%s/index.html", req->gw->web_root);
    if (is_regular_file(path)) {
        send_file(req, path, "no-cache");
        return;
    }
    gw_send(req, 200, "text/html; charset=utf-8", PLACEHOLDER, sizeof PLACEHOLDER - 1,
            "Cache-Control: no-cache\r\n");
}
