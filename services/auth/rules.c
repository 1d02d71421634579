#include "rules.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "sw_email.h"
#include "sw_status.h"
#include "sw_text.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 128 /* argon2 copes with more; nobody needs more */
#define NAME_MIN 2
#define NAME_MAX 100

const char *auth_rule_password(const char *password)
{
    if (!password || !*password)
        return "This field is required.";
    size_t len = sw_utf8_length(password);
    if (len < PASSWORD_MIN)
        return "Password must be at least 12 characters long.";
    if (len > PASSWORD_MAX)
        return "Password must be at most 128 characters long.";
    bool upper = false, lower = false, digit = false, symbol = false;
    for (const unsigned char *p = (const unsigned char *)password; *p; p++) {
        if (isupper(*p))
            upper = true;
        else if (islower(*p))
            lower = true;
        else if (isdigit(*p))
            digit = true;
        else if (*p >= 0x80 || ispunct(*p) || *p == ' ')
            symbol = true;
    }
    if (!(upper && lower && digit && symbol))
        return "Password must contain an upper-case letter, a lower-case letter, a digit and a "
               "symbol.";
    return NULL;
}

const char *auth_rule_email(const char *email) { return sw_email_problem(email); }

const char *auth_rule_org_name(const char *name)
{
    if (!name || !*name)
        return "This field is required.";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return "Organization name must not contain control characters.";
    size_t len = sw_utf8_length(name);
    if (len < NAME_MIN || len > NAME_MAX)
        return "Organization name must be between 2 and 100 characters.";
    return NULL;
}

int auth_trim(const char *in, char *out, size_t size) { return sw_trim_copy(in, out, size); }

int auth_normalize_email(const char *email, char *out, size_t size)
{
    int rc = auth_trim(email, out, size);
    for (char *p = out; rc == 0 && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return rc;
}
