/*
 * sw-notify's message formats (services/notify/message.c): what a tenant
 * wrote (endpoint names, errors) is escaped for each part and cannot add
 * headers; the webhook body has the contract's shape.
 */
#include <jansson.h>
#include <string.h>

#include "message.h"
#include "unit.h"

static struct notify_message sample(void)
{
    struct notify_message m = {
        .delivery_id = "d1",
        .event_id = "e1",
        .event_type = "endpoint_down",
        .created_at = "2026-12-01T10:00:00.000Z",
        .tenant_id = "t1",
        .tenant_name = "Acme",
        .channel_name = "ops",
        .endpoint_json = "{\"id\":\"x1\",\"name\":\"API\"}",
        .app_url = "https://app.example.com",
        .alert = {.id = "a1",
                  .type = "endpoint_down",
                  .severity = "critical",
                  .title = "<b>API</b> is down\r\nBcc: evil@example.com",
                  .message = "HTTP 503 & <script>alert(1)</script>",
                  .endpoint_id = "x1",
                  .created_at = "2026-12-01T10:00:00.000Z",
                  .endpoint_name = "<b>API</b>",
                  .endpoint_url = "https://api.example.com/?a=1&b=2",
                  .error = "HTTP 503"},
    };
    return m;
}

static char *email_of(const struct notify_message *m)
{
    struct sw_buf out;
    sw_buf_init(&out, 1 << 20);
    assert_int_equal(notify_email(m, "StatusWatch <alerts@example.com>", "ops@example.com", &out),
                     0);
    return sw_buf_take(&out, NULL);
}

static void test_email_values_cannot_add_headers(void **state)
{
    (void)state;
    struct notify_message m = sample();
    char *mail = email_of(&m);
    const char *body = strstr(mail, "\r\n\r\n");
    assert_non_null(body);
    /* The header block has no Bcc: the CR LF in the title became spaces. */
    char *headers = strndup(mail, (size_t)(body - mail));
    assert_null(strstr(headers, "\r\nBcc:"));
    assert_non_null(strstr(headers, "Subject: <b>API</b> is down  Bcc: evil@example.com"));
    free(headers);
    free(mail);
}

static void test_email_html_part_escapes_and_text_part_keeps_words(void **state)
{
    (void)state;
    struct notify_message m = sample();
    char *mail = email_of(&m);
    const char *html = strstr(mail, "Content-Type: text/html");
    assert_non_null(html);
    assert_null(strstr(html, "<script>"));
    assert_null(strstr(html, "<b>API</b>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    /* The text part has the words as they are (no markup is interpreted there). */
    const char *text = strstr(mail, "Content-Type: text/plain");
    assert_non_null(text);
    assert_true(text < html);
    assert_non_null(strstr(text, "HTTP 503 & <script>"));
    assert_non_null(strstr(mail, "https://app.example.com/endpoints/x1"));
    assert_non_null(strstr(mail, "multipart/alternative; boundary=\"sw-d1\""));
    assert_non_null(strstr(mail, "--sw-d1--\r\n"));
    /* Every line ends with CR LF. */
    for (const char *p = strchr(mail, '\n'); p; p = strchr(p + 1, '\n'))
        assert_int_equal(p[-1], '\r');
    free(mail);
}

static void test_non_ascii_subject_is_encoded(void **state)
{
    (void)state;
    struct notify_message m = sample();
    m.alert.title = "Zürich API ist nicht erreichbar";
    char *mail = email_of(&m);
    assert_non_null(strstr(mail, "Subject: =?UTF-8?B?"));
    free(mail);
}

static void test_webhook_body_has_the_contract_shape(void **state)
{
    (void)state;
    struct notify_message m = sample();
    struct sw_buf out;
    sw_buf_init(&out, 1 << 20);
    assert_int_equal(notify_webhook(&m, &out), 0);
    json_t *doc = json_loads(out.data, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "id")), "e1");
    assert_string_equal(json_string_value(json_object_get(doc, "type")), "endpoint_down");
    json_t *tenant = json_object_get(doc, "tenant");
    assert_string_equal(json_string_value(json_object_get(tenant, "name")), "Acme");
    assert_string_equal(json_string_value(
                            json_object_get(json_object_get(doc, "endpoint"), "name")),
                        "API");
    json_t *alert = json_object_get(doc, "alert");
    assert_string_equal(json_string_value(json_object_get(alert, "message")),
                        "HTTP 503 & <script>alert(1)</script>");
    assert_true(json_is_null(json_object_get(alert, "read_at")));
    json_decref(doc);
    sw_buf_free(&out);
}

static void test_digest_lists_every_alert(void **state)
{
    (void)state;
    struct notify_alert_view items[3] = {
        {.id = "1", .type = "endpoint_down", .title = "one is down", .created_at = "t"},
        {.id = "2", .type = "endpoint_down", .title = "two is down", .created_at = "t"},
        {.id = "3", .type = "endpoint_up", .title = "three <is> up", .created_at = "t"},
    };
    struct notify_message m = sample();
    m.event_type = "digest";
    m.items = items;
    m.n_items = 3;
    struct sw_buf out;
    sw_buf_init(&out, 1 << 20);
    assert_int_equal(notify_slack(&m, &out), 0);
    assert_non_null(strstr(out.data, "3 changes on your endpoints"));
    assert_non_null(strstr(out.data, "three &lt;is&gt; up"));
    sw_buf_reset(&out);
    assert_int_equal(notify_webhook(&m, &out), 0);
    json_t *doc = json_loads(out.data, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(doc, "alerts")), 3);
    assert_true(json_is_null(json_object_get(doc, "alert")));
    json_decref(doc);
    sw_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_values_cannot_add_headers),
        cmocka_unit_test(test_email_html_part_escapes_and_text_part_keeps_words),
        cmocka_unit_test(test_non_ascii_subject_is_encoded),
        cmocka_unit_test(test_webhook_body_has_the_contract_shape),
        cmocka_unit_test(test_digest_lists_every_alert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
