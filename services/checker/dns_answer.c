#include "dns_answer.h"

#include <ares.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sw_addr.h"

#define HEADER_BYTES 12
#define VALUE_MAX 512
/* How much of the answers an error quotes. */
#define SEEN_MAX 160

static const struct {
    const char *name;
    int type;
} TYPES[] = {{"A", 1}, {"AAAA", 28}, {"CNAME", 5}, {"MX", 15}, {"TXT", 16}};

int chk_dns_type(const char *record_type)
{
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strcasecmp(record_type, TYPES[i].name) == 0)
            return TYPES[i].type;
    return 0;
}

static unsigned get16(const unsigned char *p) { return (unsigned)(p[0] << 8 | p[1]); }

/* Skips the encoded name at *pos; false when it is malformed. */
static bool skip_name(const unsigned char *msg, size_t len, size_t *pos)
{
    char *name = NULL;
    long enclen = 0;
    if (*pos >= len || ares_expand_name(msg + *pos, msg, (int)len, &name, &enclen) != ARES_SUCCESS)
        return false;
    ares_free_string(name);
    *pos += (size_t)enclen;
    return *pos <= len;
}

/* The name encoded at msg[pos] into out, without its final dot. */
static bool read_name(const unsigned char *msg, size_t len, size_t pos, char *out, size_t size)
{
    char *name = NULL;
    long enclen = 0;
    if (pos >= len || ares_expand_name(msg + pos, msg, (int)len, &name, &enclen) != ARES_SUCCESS)
        return false;
    snprintf(out, size, "%s", name);
    ares_free_string(name);
    size_t n = strlen(out);
    if (n > 0 && out[n - 1] == '.')
        out[n - 1] = '\0';
    return true;
}

/* One record's value as text; false when its data is malformed. */
static bool record_value(const unsigned char *msg, size_t len, size_t rdata, size_t rdlen, int type,
                         char *out, size_t size, char *alt, size_t alt_size)
{
    alt[0] = '\0';
    switch (type) {
    case 1: return rdlen == 4 && inet_ntop(AF_INET, msg + rdata, out, (socklen_t)size);
    case 28: return rdlen == 16 && inet_ntop(AF_INET6, msg + rdata, out, (socklen_t)size);
    case 5: return read_name(msg, len, rdata, out, size);
    case 15: {
        char exchange[VALUE_MAX];
        if (rdlen < 3 || !read_name(msg, len, rdata + 2, exchange, sizeof exchange))
            return false;
        snprintf(out, size, "%s", exchange);
        /* A name of 253 characters at most: alt (VALUE_MAX) always holds it. */
        return snprintf(alt, alt_size, "%u %s", get16(msg + rdata), exchange) < (int)alt_size;
    }
    case 16: { /* character-strings, joined */
        size_t n = 0;
        for (size_t p = rdata; p < rdata + rdlen;) {
            size_t piece = msg[p++];
            if (p + piece > rdata + rdlen)
                return false;
            size_t room = size - 1 - n;
            size_t take = piece < room ? piece : room;
            memcpy(out + n, msg + p, take);
            n += take;
            p += piece;
        }
        out[n] = '\0';
        return true;
    }
    default: return false;
    }
}

/* Does value (as a record of type) equal expected? */
static bool matches(int type, const char *value, const char *alt, const char *expected)
{
    if (type == 1 || type == 28) {
        unsigned char a[16], b[16];
        int family = type == 1 ? AF_INET : AF_INET6;
        return inet_pton(family, value, a) == 1 && inet_pton(family, expected, b) == 1 &&
               memcmp(a, b, type == 1 ? 4 : 16) == 0;
    }
    if (type == 16)
        return strcmp(value, expected) == 0;
    size_t n = strlen(expected);
    if (n > 0 && expected[n - 1] == '.')
        n--;
    return (strlen(value) == n && strncasecmp(value, expected, n) == 0) ||
           (alt[0] && strlen(alt) == n && strncasecmp(alt, expected, n) == 0);
}

/* Is an A/AAAA value inside the address rules? */
static bool address_allowed(int type, const char *value, const struct sw_cidr_list *allow)
{
    uint8_t addr[16];
    if (type != 1 && type != 28)
        return true;
    return sw_ip_parse(value, addr) == 0 && sw_addr_allowed(addr, allow);
}

static void rcode_sentence(unsigned rcode, char *error, size_t size)
{
    switch (rcode) {
    case 2: snprintf(error, size, "the resolver failed (SERVFAIL)"); break;
    case 3: snprintf(error, size, "no such name (NXDOMAIN)"); break;
    case 5: snprintf(error, size, "the resolver refused the query (REFUSED)"); break;
    default: snprintf(error, size, "the resolver answered with error code %u", rcode); break;
    }
}

/* Appends value to the list of values seen (for the mismatch sentence). */
static void note_seen(char *seen, size_t size, const char *value)
{
    size_t n = strlen(seen);
    /* What does not fit is cut: the sentence only quotes the start of the answers. */
    if (n + 2 < size &&
        snprintf(seen + n, size - n, "%s%s", n ? ", " : "", value) >= (int)(size - n))
        seen[size - 1] = '\0';
}

bool chk_dns_judge(const unsigned char *answer, size_t len, const char *record_type,
                   const char *expected, const struct sw_cidr_list *allow, char *error,
                   size_t error_size)
{
    int type = chk_dns_type(record_type);
    error[0] = '\0';
    if (len < HEADER_BYTES || type == 0) {
        snprintf(error, error_size, "malformed answer from the resolver");
        return false;
    }
    unsigned rcode = get16(answer + 2) & 0xF, qdcount = get16(answer + 4);
    unsigned ancount = get16(answer + 6);
    if (rcode != 0) {
        rcode_sentence(rcode, error, error_size);
        return false;
    }
    size_t pos = HEADER_BYTES;
    for (unsigned i = 0; i < qdcount; i++) {
        if (!skip_name(answer, len, &pos) || pos + 4 > len) {
            snprintf(error, error_size, "malformed answer from the resolver");
            return false;
        }
        pos += 4;
    }
    int records = 0;
    bool found = expected[0] == '\0', refused = false;
    char seen[SEEN_MAX] = "";
    for (unsigned i = 0; i < ancount; i++) {
        if (!skip_name(answer, len, &pos) || pos + 10 > len)
            break;
        int rtype = (int)get16(answer + pos);
        size_t rdlen = get16(answer + pos + 8);
        size_t rdata = pos + 10;
        pos = rdata + rdlen;
        if (pos > len)
            break;
        char value[VALUE_MAX], alt[VALUE_MAX];
        if (rtype != type ||
            !record_value(answer, len, rdata, rdlen, type, value, sizeof value, alt, sizeof alt))
            continue;
        records++;
        if (!address_allowed(type, value, allow))
            refused = true;
        else
            note_seen(seen, sizeof seen, value);
        if (!found && matches(type, value, alt, expected))
            found = true;
    }
    if (records == 0)
        snprintf(error, error_size, "no %s records", record_type);
    else if (refused)
        snprintf(error, error_size, "refused: the answer is not a public address");
    else if (!found)
        snprintf(error, error_size, "expected \"%.64s\", got \"%s\"", expected, seen);
    return error[0] == '\0';
}
