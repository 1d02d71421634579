/*
 * Judging DNS answers (services/checker/dns_answer.c): records of the type
 * asked for, the expected value (addresses as addresses, names without case
 * or final dot, TXT exactly, MX by exchange or "preference exchange"), the
 * resolver's error codes, and the address rules on A/AAAA answers. The
 * messages are built here byte by byte, as a resolver sends them.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

#include "dns_answer.h"
#include "sw_cidr.h"
#include "unit.h"

#define MSG_MAX 1024

struct msg {
    unsigned char b[MSG_MAX];
    size_t len;
    unsigned answers;
};

static void put16(struct msg *m, unsigned v)
{
    m->b[m->len++] = (unsigned char)(v >> 8);
    m->b[m->len++] = (unsigned char)v;
}

static void put_name(struct msg *m, const char *name)
{
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t n = dot ? (size_t)(dot - name) : strlen(name);
        m->b[m->len++] = (unsigned char)n;
        memcpy(m->b + m->len, name, n);
        m->len += n;
        name += n + (dot ? 1 : 0);
    }
    m->b[m->len++] = 0;
}

/* A reply header and the question (name, type), with rcode. */
static void start(struct msg *m, const char *name, unsigned type, unsigned rcode)
{
    memset(m, 0, sizeof *m);
    put16(m, 0x1234);
    put16(m, 0x8180 | rcode);
    put16(m, 1); /* qdcount */
    put16(m, 0); /* ancount, set by add() */
    put16(m, 0);
    put16(m, 0);
    put_name(m, name);
    put16(m, type);
    put16(m, 1);
}

/* One answer record; the name is a pointer to the question's (offset 12). */
static void add(struct msg *m, unsigned type, const unsigned char *rdata, size_t rdlen)
{
    put16(m, 0xC00C);
    put16(m, type);
    put16(m, 1);
    put16(m, 0);
    put16(m, 60);
    put16(m, (unsigned)rdlen);
    memcpy(m->b + m->len, rdata, rdlen);
    m->len += rdlen;
    m->answers++;
    m->b[6] = (unsigned char)(m->answers >> 8);
    m->b[7] = (unsigned char)m->answers;
}

static void add_a(struct msg *m, const char *text)
{
    unsigned char addr[4];
    inet_pton(AF_INET, text, addr);
    add(m, 1, addr, 4);
}

static void add_name_record(struct msg *m, unsigned type, unsigned preference, const char *name)
{
    struct msg tmp = {.len = 0};
    if (type == 15)
        put16(&tmp, preference);
    put_name(&tmp, name);
    add(m, type, tmp.b, tmp.len);
}

static struct sw_cidr_list NO_ALLOW;

static bool judge(const struct msg *m, const char *type, const char *expected, char *error)
{
    return chk_dns_judge(m->b, m->len, type, expected, &NO_ALLOW, error, 256);
}

static void test_a_records_match_by_address(void **state)
{
    (void)state;
    struct msg m;
    char error[256];
    start(&m, "www.example.com", 1, 0);
    add_a(&m, "93.184.216.34");
    add_a(&m, "93.184.216.35");
    assert_true(judge(&m, "A", "", error));
    assert_true(judge(&m, "A", "93.184.216.35", error));
    assert_string_equal(error, "");
    assert_false(judge(&m, "A", "1.2.3.4", error));
    assert_string_equal(error, "expected \"1.2.3.4\", got \"93.184.216.34, 93.184.216.35\"");
}

static void test_aaaa_compares_addresses_not_spellings(void **state)
{
    (void)state;
    struct msg m;
    char error[256];
    unsigned char addr[16];
    inet_pton(AF_INET6, "2606:2800:220:1::248:1893", addr);
    start(&m, "www.example.com", 28, 0);
    add(&m, 28, addr, 16);
    assert_true(judge(&m, "AAAA", "2606:2800:0220:0001:0000:0000:0248:1893", error));
    assert_false(judge(&m, "AAAA", "2606:2800:220:1::1", error));
}

static void test_names_ignore_case_and_final_dot(void **state)
{
    (void)state;
    struct msg m;
    char error[256];
    start(&m, "www.example.com", 5, 0);
    add_name_record(&m, 5, 0, "edge.Example.net");
    assert_true(judge(&m, "CNAME", "edge.example.net.", error));
    assert_false(judge(&m, "CNAME", "other.example.net", error));
    assert_string_equal(error, "expected \"other.example.net\", got \"edge.Example.net\"");

    start(&m, "example.com", 15, 0);
    add_name_record(&m, 15, 10, "mx1.example.com");
    add_name_record(&m, 15, 20, "mx2.example.com");
    assert_true(judge(&m, "MX", "mx2.example.com", error));
    assert_true(judge(&m, "MX", "10 mx1.example.com.", error));
    assert_false(judge(&m, "MX", "20 mx1.example.com", error));
}

static void test_txt_joins_strings_and_compares_exactly(void **state)
{
    (void)state;
    struct msg m;
    char error[256];
    static const unsigned char rdata[] = {5,   'v', '=', 's', 'p', 'f', 6,
                                          '1', ' ', '-', 'a', 'l', 'l'};
    start(&m, "example.com", 16, 0);
    add(&m, 16, rdata, sizeof rdata);
    assert_true(judge(&m, "TXT", "v=spf1 -all", error));
    assert_false(judge(&m, "TXT", "V=SPF1 -ALL", error));
}

static void test_only_records_of_the_type_asked_for_count(void **state)
{
    (void)state;
    struct msg m;
    char error[256];
    start(&m, "www.example.com", 1, 0);
    add_name_record(&m, 5, 0, "edge.example.net"); /* a CNAME without the A behind it */
    assert_false(judge(&m, "A", "", error));
    assert_string_equal(error, "no A records");
}

static void test_resolver_errors_have_their_sentence(void **state)
{
    (void)state;
    struct msg m;
    char error[256];
    start(&m, "nothing.example.com", 1, 3);
    assert_false(judge(&m, "A", "", error));
    assert_string_equal(error, "no such name (NXDOMAIN)");
    start(&m, "www.example.com", 1, 2);
    assert_false(judge(&m, "A", "", error));
    assert_string_equal(error, "the resolver failed (SERVFAIL)");
    start(&m, "www.example.com", 1, 0);
    m.len = 9; /* shorter than a header */
    assert_false(judge(&m, "A", "", error));
    assert_string_equal(error, "malformed answer from the resolver");
}

static void test_private_answers_fail_without_naming_the_address(void **state)
{
    (void)state;
    struct msg m;
    char error[256];
    start(&m, "inside.example.com", 1, 0);
    add_a(&m, "10.0.0.5");
    assert_false(judge(&m, "A", "10.0.0.5", error));
    assert_string_equal(error, "refused: the answer is not a public address");
    assert_null(strstr(error, "10.0.0.5"));
    /* Unless the allow list (SW_CHECKER_ALLOW_CIDRS) admits it. */
    struct sw_cidr_list allow;
    assert_int_equal(sw_cidr_list_parse("10.0.0.0/8", &allow), 0);
    assert_true(chk_dns_judge(m.b, m.len, "A", "10.0.0.5", &allow, error, sizeof error));
}

static void test_record_type_names(void **state)
{
    (void)state;
    assert_int_equal(chk_dns_type("a"), 1);
    assert_int_equal(chk_dns_type("AAAA"), 28);
    assert_int_equal(chk_dns_type("MX"), 15);
    assert_int_equal(chk_dns_type("SRV"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_records_match_by_address),
        cmocka_unit_test(test_aaaa_compares_addresses_not_spellings),
        cmocka_unit_test(test_names_ignore_case_and_final_dot),
        cmocka_unit_test(test_txt_joins_strings_and_compares_exactly),
        cmocka_unit_test(test_only_records_of_the_type_asked_for_count),
        cmocka_unit_test(test_resolver_errors_have_their_sentence),
        cmocka_unit_test(test_private_answers_fail_without_naming_the_address),
        cmocka_unit_test(test_record_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
