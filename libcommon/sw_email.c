#include "sw_email.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool valid_domain(const char *domain)
{
    size_t label = 0;
    bool has_dot = false;
    if (*domain == '.' || *domain == '-')
        return false;
    for (const char *p = domain; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (label == 0 || p[-1] == '-')
                return false;
            has_dot = true;
            label = 0;
        } else if (isalnum(c) || c == '-' || c >= 0x80) {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return has_dot && label >= 2 && domain[strlen(domain) - 1] != '-';
}

const char *sw_email_problem(const char *email)
{
    if (!email || !*email)
        return "This field is required.";
    const char *message = "Enter a valid email address.";
    size_t len = strlen(email);
    const char *at = strchr(email, '@');
    if (len > SW_EMAIL_MAX || !at || at == email || strchr(at + 1, '@') || at - email > 64)
        return message;
    for (const char *p = email; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' ||
            c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' || c == 0x7F)
            return message;
    }
    if (email[0] == '.' || at[-1] == '.' || strstr(email, ".."))
        return message;
    return valid_domain(at + 1) ? NULL : message;
}
