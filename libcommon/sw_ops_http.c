#include "sw_ops_http.h"

#include <civetweb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_civetweb.h"
#include "sw_config.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"

#define WHY_MAX 128

/* Ports of the processes' operations listeners (README, docs/OPERATIONS.md). */
static const struct {
    const char *service;
    int port;
} DEFAULT_PORTS[] = {{"auth", 9101},    {"tenants", 9102}, {"monitors", 9103},
                     {"billing", 9104}, {"notify", 9105},  {"checker", 9106}};

struct sw_ops_http {
    struct sw_ops_http_opts opts;
    struct mg_context *ctx;
    pthread_mutex_t db_mutex; /* db and everything done with it */
    PGconn *db;
};

int sw_ops_settings_load(const char *service, struct sw_ops_settings *out)
{
    char upper[16], name[64];
    size_t n = 0;
    for (const char *s = service; *s && n < sizeof upper - 1; s++)
        upper[n++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
    upper[n] = '\0';
    int def = 0;
    for (size_t i = 0; i < sizeof DEFAULT_PORTS / sizeof DEFAULT_PORTS[0]; i++)
        if (strcmp(DEFAULT_PORTS[i].service, service) == 0)
            def = DEFAULT_PORTS[i].port;
    snprintf(name, sizeof name, "SW_%s_METRICS_ADDR", upper);
    const char *addr = sw_env_str(name, "127.0.0.1");
    bool ok = strlen(addr) < sizeof out->addr;
    for (const char *s = addr; ok && *s; s++)
        ok = (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F') ||
             *s == '.' || *s == ':';
    if (!ok) {
        sw_log_error("configuration: %s must be a numeric IPv4 or IPv6 address", name);
        return SW_EINVAL;
    }
    snprintf(out->addr, sizeof out->addr, "%s", addr);
    snprintf(name, sizeof name, "SW_%s_METRICS_PORT", upper);
    return sw_env_int(name, def, 0, 65535, &out->port);
}

/* The listener's connection, (re)opened when needed and known to answer; NULL if not. Locked. */
static PGconn *usable_db(struct sw_ops_http *ops)
{
    if (!ops->opts.database_url)
        return NULL;
    if (!ops->db && sw_pg_connect(ops->opts.database_url, 0, &ops->db) != 0)
        return NULL;
    if (sw_pg_ensure(ops->db) != 0 || sw_pg_exec(ops->db, "SELECT 1", 0, NULL) != 0)
        return NULL;
    return ops->db;
}

static void send_text(struct mg_connection *conn, int status, const char *type, const char *body,
                      size_t len)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    mg_printf(conn,
              "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
              "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
              "Connection: close\r\n\r\n",
              status, mg_get_response_code_text(conn, status), type, len);
    if (strcmp(ri->request_method, "HEAD") != 0)
        mg_write(conn, body, len);
}

static void send_json(struct mg_connection *conn, int status, const char *json)
{
    send_text(conn, status, "application/json", json, strlen(json));
}

static void health(struct sw_ops_http *ops, struct mg_connection *conn, bool ready)
{
    char why[WHY_MAX] = "";
    pthread_mutex_lock(&ops->db_mutex);
    PGconn *db = usable_db(ops);
    bool db_ok = db || !ops->opts.database_url;
    bool is_ready = db_ok;
    if (ready && db_ok && ops->opts.ready)
        is_ready = ops->opts.ready(ops->opts.ready_arg, db, why, sizeof why) == 0;
    pthread_mutex_unlock(&ops->db_mutex);
    const char *database = !ops->opts.database_url ? "none" : db_ok ? "ok" : "unreachable";
    char body[256];
    if (!ready)
        snprintf(body, sizeof body, "{\"status\":\"%s\",\"database\":\"%s\"}",
                 db_ok ? "ok" : "degraded", database);
    else if (is_ready)
        snprintf(body, sizeof body, "{\"status\":\"ready\",\"database\":\"%s\"}", database);
    else /* the reasons are fixed words of this code base, never user input */
        snprintf(body, sizeof body,
                 "{\"status\":\"not_ready\",\"database\":\"%s\",\"reason\":\"%s\"}", database,
                 db_ok ? why : "database_unreachable");
    send_json(conn, (ready ? is_ready : db_ok) ? 200 : 503, body);
}

static void metrics(struct sw_ops_http *ops, struct mg_connection *conn)
{
    char *text = NULL;
    size_t len = 0;
    pthread_mutex_lock(&ops->db_mutex);
    sw_metrics_collect(ops->opts.metrics, usable_db(ops));
    int rc = sw_metrics_render(ops->opts.metrics, &text, &len);
    pthread_mutex_unlock(&ops->db_mutex);
    if (rc != 0)
        send_json(conn, 500, "{\"detail\":\"Internal error.\",\"code\":\"internal_error\"}");
    else
        send_text(conn, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
    free(text);
}

/* "/health" and "/health/" alike. */
static bool is_path(const char *uri, const char *path)
{
    size_t n = strlen(path);
    return strncmp(uri, path, n) == 0 && (uri[n] == '\0' || (uri[n] == '/' && uri[n + 1] == '\0'));
}

static int on_request(struct mg_connection *conn)
{
    struct sw_ops_http *ops = mg_get_user_data(mg_get_context(conn));
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *uri = ri->local_uri ? ri->local_uri : "";
    bool get = strcmp(ri->request_method, "GET") == 0 || strcmp(ri->request_method, "HEAD") == 0;
    bool known = is_path(uri, "/metrics") || is_path(uri, "/health") ||
                 is_path(uri, "/health/ready") || is_path(uri, "/health/live");
    if (!known)
        send_json(conn, 404, "{\"detail\":\"Not found.\",\"code\":\"not_found\"}");
    else if (!get)
        send_json(conn, 405,
                  "{\"detail\":\"Method not allowed.\",\"code\":\"method_not_allowed\"}");
    else if (is_path(uri, "/metrics"))
        metrics(ops, conn);
    else if (is_path(uri, "/health/live"))
        send_json(conn, 200, "{\"status\":\"ok\"}");
    else
        health(ops, conn, is_path(uri, "/health/ready"));
    return 1; /* answered */
}

int sw_ops_http_start(const struct sw_ops_http_opts *opts, struct sw_ops_http **out)
{
    *out = NULL;
    if (opts->settings.port == 0)
        return 0;
    struct sw_ops_http *ops = calloc(1, sizeof *ops);
    if (!ops)
        return SW_ENOMEM;
    ops->opts = *opts;
    pthread_mutex_init(&ops->db_mutex, NULL);
    char ports[SW_OPS_ADDR_MAX + 16];
    bool v6 = strchr(opts->settings.addr, ':') != NULL;
    snprintf(ports, sizeof ports, "%s%s%s:%d", v6 ? "[" : "", opts->settings.addr, v6 ? "]" : "",
             opts->settings.port);
    /* clang-format off */
    const char *options[] = {
        "listening_ports", ports,
        "num_threads", "2",
        "request_timeout_ms", "5000",
        "enable_keep_alive", "no",
        "enable_directory_listing", "no",
        NULL,
    };
    /* clang-format on */
    mg_init_library(0);
    char what[96];
    snprintf(what, sizeof what, "%s's metrics and health", opts->service);
    ops->ctx = sw_civetweb_start(options, on_request, ops, what);
    if (!ops->ctx) {
        sw_log_warn("%s is running without them", opts->service);
        sw_ops_http_stop(ops);
        return 0;
    }
    *out = ops;
    return 0;
}

void sw_ops_http_stop(struct sw_ops_http *ops)
{
    if (!ops)
        return;
    if (ops->ctx)
        mg_stop(ops->ctx);
    mg_exit_library();
    PQfinish(ops->db);
    pthread_mutex_destroy(&ops->db_mutex);
    free(ops);
}

void sw_metrics_set_from_query(PGconn *db, const char *sql, const struct sw_metric_column *cols,
                               size_t n)
{
    PGresult *res = NULL;
    if (!db || sw_pg_query(db, sql, 0, NULL, &res) != 0)
        return;
    for (size_t i = 0; PQntuples(res) == 1 && i < n && (int)i < PQnfields(res); i++) {
        const char *label[] = {cols[i].label};
        sw_metric_set(cols[i].gauge, cols[i].label ? label : NULL,
                      strtod(PQgetvalue(res, 0, (int)i), NULL));
    }
    PQclear(res);
}
