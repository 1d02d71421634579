/*
 * The "Staff" routes (api.md): the staff login (sw-auth), the tenant
 * listing (sw-tenants, with each tenant's endpoints from sw-monitors and
 * members from sw-auth, asked for the page's tenants at once), suspension
 * and reactivation (sw-tenants), bank transfers and the revenue and churn
 * reports (sw-billing), and the usage report (sw-tenants and sw-monitors).
 * Everything but the login takes a staff token (GW_STAFF, staff_access.h).
 */
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "http.h"
#include "staff.pb-c.h"
#include "sw_time.h"

#define QUERY_TEXT_MAX 256

static json_t *time_or_null(protobuf_c_boolean has, int64_t unix_ms)
{
    char iso[SW_TIME_ISO_MAX];
    return has ? json_string(sw_time_iso(unix_ms, iso)) : json_null();
}

/* Tallies as one JSON object {key: value, …}. */
static json_t *tallies_json(Sw__Staff__Tally *const *tallies, size_t n)
{
    json_t *obj = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(obj, tallies[i]->key, json_integer(tallies[i]->value));
    return obj;
}

/* The count of tenant_id in a CountsReply; 0 when it is not there (none). */
static long long count_of(const Sw__Staff__CountsReply *counts, const char *tenant_id)
{
    for (size_t i = 0; i < counts->n_counts; i++)
        if (strcmp(counts->counts[i]->key, tenant_id) == 0)
            return counts->counts[i]->value;
    return 0;
}

/* ---- login ------------------------------------------------------------------- */

static void answer_token(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Staff__LoginReply *out = x->reply;
    gw_send_json(req, 200, json_pack("{s:s}", "access", out->access));
}

void gw_staff_token(struct gw_request *req)
{
    json_t *doc = NULL;
    if (gw_read_json(req, &doc) != 0)
        return;
    json_t *errors = json_object();
    const char *email = "", *password = "", *code = "";
    gw_json_string(doc, "email", &email, errors);
    gw_json_string(doc, "password", &password, errors);
    gw_json_string(doc, "code", &code, errors);
    if (json_object_size(errors) > 0) {
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
    } else {
        json_decref(errors);
        Sw__Staff__LoginRequest msg = SW__STAFF__LOGIN_REQUEST__INIT;
        msg.email = (char *)email;
        msg.password = (char *)password;
        msg.code = code[0] ? (char *)code : NULL;
        gw_call_answer(req, SW_SVC_AUTH, "auth.StaffLogin", &msg.base,
                       &sw__staff__login_reply__descriptor, 0, answer_token);
    }
    json_decref(doc);
}

/* ---- tenants ----------------------------------------------------------------- */

/* The counts of the tenants' endpoints and members; -1 after answering an error. */
struct tenant_counts {
    struct sw_rpc_result endpoints, members;
    const Sw__Staff__CountsReply *n_endpoints, *n_members;
};

static int fetch_counts(struct gw_request *req, char **ids, size_t n, struct tenant_counts *c)
{
    Sw__Staff__CountEndpointsRequest e = SW__STAFF__COUNT_ENDPOINTS_REQUEST__INIT;
    Sw__Staff__CountMembersRequest m = SW__STAFF__COUNT_MEMBERS_REQUEST__INIT;
    e.tenant_ids = m.tenant_ids = ids;
    e.n_tenant_ids = m.n_tenant_ids = n;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.StaffCountEndpoints", &e.base,
                &sw__staff__counts_reply__descriptor, &c->endpoints) != 0)
        return -1;
    if (gw_call(req, SW_SVC_AUTH, "auth.StaffCountMembers", &m.base,
                &sw__staff__counts_reply__descriptor, &c->members) != 0)
        return -1;
    c->n_endpoints = (const Sw__Staff__CountsReply *)c->endpoints.body;
    c->n_members = (const Sw__Staff__CountsReply *)c->members.body;
    return 0;
}

static void counts_free(struct tenant_counts *c)
{
    sw_rpc_result_free(&c->members);
    sw_rpc_result_free(&c->endpoints);
}

static json_t *tenant_json(const Sw__Staff__Tenant *t, const struct tenant_counts *c)
{
    char created[SW_TIME_ISO_MAX];
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:o, s:o}", "id", t->id, "name",
                     t->name, "schema", t->schema, "plan", t->plan, "account_status",
                     t->account_status, "subscription_status", t->subscription_status,
                     "endpoint_count", (json_int_t)count_of(c->n_endpoints, t->id), "members",
                     (json_int_t)count_of(c->n_members, t->id), "created_at",
                     sw_time_iso(t->created_unix_ms, created), "suspension_reason",
                     gw_text_or_null(t->suspension_reason), "suspended_at",
                     time_or_null(t->has_suspended_unix_ms, t->suspended_unix_ms));
}

/* A query filter into out (absent: ""); -1 after answering 400 for one too long. */
static int query_filter(struct gw_request *req, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    if (gw_query_text(req, name, out, size) >= 0)
        return 0;
    json_t *errors = json_object();
    gw_field_error(errors, name, "Ensure this value has no more than 255 characters.");
    gw_send_error(req, 400, "invalid", "Invalid input.", errors);
    return -1;
}

void gw_staff_tenants(struct gw_request *req)
{
    char q[QUERY_TEXT_MAX], status[QUERY_TEXT_MAX], plan[QUERY_TEXT_MAX];
    Sw__Staff__ListTenantsRequest msg = SW__STAFF__LIST_TENANTS_REQUEST__INIT;
    if (query_filter(req, "q", q, sizeof q) != 0 ||
        query_filter(req, "status", status, sizeof status) != 0 ||
        query_filter(req, "plan", plan, sizeof plan) != 0 ||
        gw_page_params(req, &msg.page, &msg.page_size) != 0)
        return;
    msg.q = q[0] ? q : NULL;
    msg.status = status[0] ? status : NULL;
    msg.plan = plan[0] ? plan : NULL;
    struct sw_rpc_result res;
    struct tenant_counts counts = {0};
    if (gw_call(req, SW_SVC_TENANTS, "tenants.StaffListTenants", &msg.base,
                &sw__staff__list_tenants_reply__descriptor, &res) != 0)
        return;
    const Sw__Staff__ListTenantsReply *page = (const Sw__Staff__ListTenantsReply *)res.body;
    char **ids = calloc(page->n_tenants + 1, sizeof *ids);
    if (!ids) {
        gw_send_error(req, 500, "internal_error", "Internal error.", NULL);
        goto out;
    }
    for (size_t i = 0; i < page->n_tenants; i++)
        ids[i] = page->tenants[i]->id;
    if (fetch_counts(req, ids, page->n_tenants, &counts) == 0) {
        json_t *results = json_array();
        for (size_t i = 0; i < page->n_tenants; i++)
            json_array_append_new(results, tenant_json(page->tenants[i], &counts));
        gw_send_page(req, "/api/staff/tenants/", msg.page, msg.page_size, page->count, results);
    }
out:
    counts_free(&counts);
    free(ids);
    sw_rpc_result_free(&res);
}

/* Suspends or reactivates the tenant of the path and answers it as the listing shows it. */
static void set_account_status(struct gw_request *req, bool suspend, const char *reason)
{
    Sw__Staff__SetAccountStatusRequest msg = SW__STAFF__SET_ACCOUNT_STATUS_REQUEST__INIT;
    msg.id = req->path_id;
    msg.suspend = suspend;
    msg.reason = (char *)reason;
    struct sw_rpc_result res;
    struct tenant_counts counts = {0};
    if (gw_call(req, SW_SVC_TENANTS, "tenants.StaffSetAccountStatus", &msg.base,
                &sw__staff__tenant_reply__descriptor, &res) != 0)
        return;
    const Sw__Staff__Tenant *tenant = ((const Sw__Staff__TenantReply *)res.body)->tenant;
    char *ids[] = {tenant->id};
    if (fetch_counts(req, ids, 1, &counts) == 0)
        gw_send_json(req, 200, tenant_json(tenant, &counts));
    counts_free(&counts);
    sw_rpc_result_free(&res);
}

/* The body's optional "reason"; -1 after answering 400 for another type. */
static int read_reason(json_t *doc, const char **reason, struct gw_request *req)
{
    json_t *errors = json_object();
    gw_json_string(doc, "reason", reason, errors);
    if (json_object_size(errors) == 0) {
        json_decref(errors);
        return 0;
    }
    gw_send_error(req, 400, "invalid", "Invalid input.", errors);
    return -1;
}

void gw_staff_suspend(struct gw_request *req)
{
    json_t *doc = NULL;
    const char *reason = "";
    if (gw_read_json(req, &doc) == 0 && read_reason(doc, &reason, req) == 0)
        set_account_status(req, true, reason);
    json_decref(doc);
}

void gw_staff_reactivate(struct gw_request *req)
{
    /* A body is optional here: a reason, when given, goes to the audit row. */
    json_t *doc = NULL;
    const char *reason = "";
    bool has_body = req->ri->content_length > 0 || gw_header(req, "Content-Type") ||
                    gw_header(req, "Transfer-Encoding");
    if (has_body && (gw_read_json(req, &doc) != 0 || read_reason(doc, &reason, req) != 0)) {
        json_decref(doc);
        return;
    }
    set_account_status(req, false, reason[0] ? reason : NULL);
    json_decref(doc);
}

/* ---- billing ----------------------------------------------------------------- */

static json_t *payment_json(const Sw__Staff__BankTransfer *p)
{
    char start[SW_TIME_ISO_MAX], end[SW_TIME_ISO_MAX], created[SW_TIME_ISO_MAX];
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "id", p->id,
                     "tenant_id", p->tenant_id, "external_payment_id", p->external_payment_id,
                     "amount_cents", (json_int_t)p->amount_cents, "currency", p->currency,
                     "payer_name", p->payer_name, "period_months", (int)p->period_months,
                     "period_start", sw_time_iso(p->period_start_unix_ms, start), "period_end",
                     sw_time_iso(p->period_end_unix_ms, end), "invoice_id", p->invoice_id,
                     "created_at", sw_time_iso(p->created_unix_ms, created));
}

static void answer_bank_transfer(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Staff__ConfirmBankTransferReply *out = x->reply;
    gw_send_json(req, 200,
                 json_pack("{s:o, s:b}", "payment", payment_json(out->payment), "duplicate",
                           out->duplicate));
}

/* An optional integer member into *value (*has when given); a field error when not an integer. */
static void json_int64(json_t *doc, const char *key, protobuf_c_boolean *has, int64_t *value,
                       json_t *errors)
{
    json_t *v = gw_json_given(doc, key);
    json_int_t n = 0;
    if (v && gw_json_integer(v, key, &n, errors)) {
        *has = true;
        *value = n;
    }
}

/* An optional string member: NULL when absent or null. */
static char *json_text(json_t *doc, const char *key, json_t *errors)
{
    const char *text = "";
    gw_json_string(doc, key, &text, errors);
    return json_is_string(json_object_get(doc, key)) ? (char *)text : NULL;
}

void gw_staff_bank_transfer(struct gw_request *req)
{
    json_t *doc = NULL;
    if (gw_read_json(req, &doc) != 0)
        return;
    json_t *errors = json_object();
    Sw__Staff__ConfirmBankTransferRequest msg = SW__STAFF__CONFIRM_BANK_TRANSFER_REQUEST__INIT;
    msg.tenant_id = json_text(doc, "tenant_id", errors);
    msg.external_payment_id = json_text(doc, "external_payment_id", errors);
    msg.currency = json_text(doc, "currency", errors);
    msg.payer_name = json_text(doc, "payer_name", errors);
    json_int64(doc, "amount_cents", &msg.has_amount_cents, &msg.amount_cents, errors);
    int64_t months = 0;
    json_int64(doc, "period_months", &msg.has_period_months, &months, errors);
    msg.period_months = months > 1000 ? 1000 : months < -1000 ? -1000 : (int32_t)months;
    if (json_object_size(errors) > 0) {
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
    } else {
        json_decref(errors);
        gw_call_answer(req, SW_SVC_BILLING, "billing.ConfirmBankTransfer", &msg.base,
                       &sw__staff__confirm_bank_transfer_reply__descriptor, 0,
                       answer_bank_transfer);
    }
    json_decref(doc);
}

/* ---- reports ----------------------------------------------------------------- */

/* ?from= and ?to= into the request (absent: not given); -1 after answering 400. */
static int report_range(struct gw_request *req, Sw__Staff__ReportRangeRequest *msg, char *from,
                        char *to, size_t size)
{
    if (query_filter(req, "from", from, size) != 0 || query_filter(req, "to", to, size) != 0)
        return -1;
    msg->from = from[0] ? from : NULL;
    msg->to = to[0] ? to : NULL;
    return 0;
}

/* A report of billing over ?from= and ?to=. */
static void report(struct gw_request *req, const char *method,
                   const ProtobufCMessageDescriptor *reply_type, gw_answer_fn *answer)
{
    char from[QUERY_TEXT_MAX], to[QUERY_TEXT_MAX];
    Sw__Staff__ReportRangeRequest msg = SW__STAFF__REPORT_RANGE_REQUEST__INIT;
    if (report_range(req, &msg, from, to, sizeof from) == 0)
        gw_call_answer(req, SW_SVC_BILLING, method, &msg.base, reply_type, 0, answer);
}

/* A report's n months as a JSON array, month i of the reply through month_json. */
static json_t *months_json(const void *reply, size_t n,
                           json_t *(*month_json)(const void *reply, size_t i))
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, month_json(reply, i));
    return list;
}

static json_t *revenue_month(const void *reply, size_t i)
{
    const Sw__Staff__RevenueMonth *m = ((const Sw__Staff__RevenueReply *)reply)->months[i];
    return json_pack("{s:s, s:I, s:o, s:o}", "month", m->month, "revenue_cents",
                     (json_int_t)m->revenue_cents, "by_plan",
                     tallies_json(m->by_plan, m->n_by_plan), "by_method",
                     tallies_json(m->by_method, m->n_by_method));
}

static void answer_revenue(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Staff__RevenueReply *out = x->reply;
    gw_send_json(req, 200,
                 json_pack("{s:s, s:I, s:o}", "currency", out->currency, "mrr_cents",
                           (json_int_t)out->mrr_cents, "months",
                           months_json(out, out->n_months, revenue_month)));
}

void gw_staff_revenue(struct gw_request *req)
{
    report(req, "billing.StaffRevenue", &sw__staff__revenue_reply__descriptor, answer_revenue);
}

static json_t *churn_month(const void *reply, size_t i)
{
    const Sw__Staff__ChurnMonth *m = ((const Sw__Staff__ChurnReply *)reply)->months[i];
    return json_pack("{s:s, s:I, s:I, s:f}", "month", m->month, "started", (json_int_t)m->started,
                     "canceled", (json_int_t)m->canceled, "churn_rate", m->churn_rate);
}

static void answer_churn(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Staff__ChurnReply *out = x->reply;
    gw_send_json(req, 200,
                 json_pack("{s:o}", "months", months_json(out, out->n_months, churn_month)));
}

void gw_staff_churn(struct gw_request *req)
{
    report(req, "billing.StaffChurn", &sw__staff__churn_reply__descriptor, answer_churn);
}

void gw_staff_usage(struct gw_request *req)
{
    Sw__Staff__TenantUsageRequest tenants = SW__STAFF__TENANT_USAGE_REQUEST__INIT;
    Sw__Staff__MonitorUsageRequest monitors = SW__STAFF__MONITOR_USAGE_REQUEST__INIT;
    struct sw_rpc_result t_res = {0}, m_res = {0};
    if (gw_call(req, SW_SVC_TENANTS, "tenants.StaffUsage", &tenants.base,
                &sw__staff__tenant_usage_reply__descriptor, &t_res) != 0 ||
        gw_call(req, SW_SVC_MONITORS, "monitors.StaffUsage", &monitors.base,
                &sw__staff__monitor_usage_reply__descriptor, &m_res) != 0)
        goto out;
    const Sw__Staff__TenantUsageReply *t = (const Sw__Staff__TenantUsageReply *)t_res.body;
    const Sw__Staff__MonitorUsageReply *m = (const Sw__Staff__MonitorUsageReply *)m_res.body;
    gw_send_json(req, 200,
                 json_pack("{s:o, s:o, s:I, s:I, s:I}", "tenants_by_plan",
                           tallies_json(t->tenants_by_plan, t->n_tenants_by_plan),
                           "tenants_by_status",
                           tallies_json(t->tenants_by_status, t->n_tenants_by_status), "endpoints",
                           (json_int_t)m->endpoints, "checks_last_24h",
                           (json_int_t)m->checks_last_24h, "api_calls_last_24h",
                           (json_int_t)t->api_calls_last_24h));
out:
    sw_rpc_result_free(&m_res);
    sw_rpc_result_free(&t_res);
}
