/*
 * A small HTTP target for the checker's tests, served by CivetWeb on an
 * ephemeral port of 127.0.0.1 in the test process:
 *
 *   /ok            200 "hello world"
 *   /status/<n>    status n
 *   /split         200, the word "needle" split across two writes 50 ms apart
 *   /big           200, 2 MiB: "early" at the start, "late" after 1.5 MiB
 *   /slow          200 after 1500 ms
 *   /method        200 with the request's method as the body
 *   /to-ok         302 to /ok            /loop        302 to itself
 *   /to-private    302 to http://10.0.0.5/
 *   /to-loopback2  302 to 127.0.0.2 on this port (loopback, not allowed)
 *   /to-ftp        302 to ftp://127.0.0.1/
 *
 * Header-only so that each test binary stays one file; the target owns its
 * CivetWeb context, released by target_stop().
 */
#ifndef TEST_CHECKER_TARGET_H
#define TEST_CHECKER_TARGET_H

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct target {
    struct mg_context *ctx;
    int port;
    char base[64]; /* "http://127.0.0.1:<port>" */
};

static void target_sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/*
 * Responses are formatted here and sent with mg_write(): CivetWeb 1.15's
 * mg_printf() crashed inside its vsnprintf under AddressSanitizer.
 */
static void target_send(struct mg_connection *conn, const char *text)
{
    mg_write(conn, text, strlen(text));
}

static int target_reply(struct mg_connection *conn, int status, const char *body)
{
    char head[256];
    snprintf(head, sizeof head,
             "HTTP/1.1 %d X\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n",
             status, strlen(body));
    target_send(conn, head);
    target_send(conn, body);
    return status;
}

static int target_redirect(struct mg_connection *conn, const char *location)
{
    char head[256];
    snprintf(head, sizeof head,
             "HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n"
             "Connection: close\r\n\r\n",
             location);
    target_send(conn, head);
    return 302;
}

static int target_handle(struct mg_connection *conn, void *cbdata)
{
    const struct target *t = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *uri = ri->local_uri;
    char location[128];

    if (strcmp(uri, "/ok") == 0)
        return target_reply(conn, 200, "hello world");
    if (strncmp(uri, "/status/", 8) == 0)
        return target_reply(conn, (int)strtol(uri + 8, NULL, 10), "status");
    if (strcmp(uri, "/method") == 0)
        return target_reply(conn, 200, ri->request_method);
    if (strcmp(uri, "/split") == 0) {
        target_send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\nConnection: close\r\n\r\n");
        mg_write(conn, "0123456nee", 10);
        target_sleep_ms(50);
        mg_write(conn, "dle9876543", 10);
        return 200;
    }
    if (strcmp(uri, "/big") == 0) {
        enum { TOTAL = 2 * 1024 * 1024, CHUNK = 64 * 1024 };
        char head[128];
        snprintf(head, sizeof head,
                 "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", TOTAL);
        target_send(conn, head);
        for (int sent = 0; sent < TOTAL; sent += CHUNK) {
            char part[CHUNK];
            memset(part, 'a', sizeof part);
            if (sent == 0)
                memcpy(part, "early", 5);
            if (sent == 1536 * 1024)
                memcpy(part, "late", 4);
            if (mg_write(conn, part, sizeof part) <= 0)
                break; /* the checker stopped reading at its cap */
        }
        return 200;
    }
    if (strcmp(uri, "/slow") == 0) {
        target_sleep_ms(1500);
        return target_reply(conn, 200, "late");
    }
    if (strcmp(uri, "/to-ok") == 0)
        return target_redirect(conn, "/ok");
    if (strcmp(uri, "/loop") == 0)
        return target_redirect(conn, "/loop");
    if (strcmp(uri, "/to-private") == 0)
        return target_redirect(conn, "http://10.0.0.5/");
    if (strcmp(uri, "/to-ftp") == 0)
        return target_redirect(conn, "ftp://127.0.0.1/");
    if (strcmp(uri, "/to-loopback2") == 0) {
        snprintf(location, sizeof location, "http://127.0.0.2:%d/ok", t->port);
        return target_redirect(conn, location);
    }
    return target_reply(conn, 404, "not found");
}

/* 0 when the target listens; its URL prefix is then in t->base. */
static int target_start(struct target *t)
{
    memset(t, 0, sizeof *t);
    mg_init_library(0);
    const char *options[] = {"listening_ports",   "127.0.0.1:0", "num_threads", "16",
                             "enable_keep_alive", "no",          NULL};
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    t->ctx = mg_start(&callbacks, t, options);
    if (!t->ctx)
        return -1;
    mg_set_request_handler(t->ctx, "/", target_handle, t);
    struct mg_server_port port;
    if (mg_get_server_ports(t->ctx, 1, &port) != 1)
        return -1;
    t->port = port.port;
    snprintf(t->base, sizeof t->base, "http://127.0.0.1:%d", t->port);
    return 0;
}

static void target_stop(struct target *t)
{
    if (t->ctx)
        mg_stop(t->ctx);
    t->ctx = NULL;
    mg_exit_library();
}

#endif
