/*
 * The one e-mail address rule (registration, e-mail channels): an addr-spec
 * of at most SW_EMAIL_MAX bytes, a local part of at most 64 without spaces,
 * quotes or specials and without a leading, trailing or double dot, and a
 * dotted domain of letters, digits and hyphens (IDN bytes allowed).
 */
#ifndef SW_EMAIL_H
#define SW_EMAIL_H

#define SW_EMAIL_MAX 254

/* NULL when email is acceptable; otherwise the field error to show. */
const char *sw_email_problem(const char *email);

#endif
