/*
 * The registration rules of the contract, as pure functions so they can be
 * unit-tested: password policy (12+ characters with upper, lower, digit and
 * symbol), e-mail syntax, organisation name length (2–100 characters after
 * trimming). Each returns NULL when the value is fine, or the message to show.
 */
#ifndef AUTH_RULES_H
#define AUTH_RULES_H

#include <stddef.h>

const char *auth_rule_password(const char *password);
const char *auth_rule_email(const char *email);
const char *auth_rule_org_name(const char *name);

/* Lower-cases and trims an e-mail into out (size bytes); 0 or SW_EINVAL. */
int auth_normalize_email(const char *email, char *out, size_t size);

/* Trims surrounding white space into out; 0 or SW_EINVAL if it does not fit. */
int auth_trim(const char *in, char *out, size_t size);

#endif
