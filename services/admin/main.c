/*
 * sw-admin: the operator's command for staff accounts (api.md "Staff").
 *
 *     sw-admin staff add EMAIL       password read from standard input
 *     sw-admin staff list
 *     sw-admin staff remove EMAIL
 *     sw-admin staff totp EMAIL      prints the otpauth URL, reads a code to confirm
 *     sw-admin migrate [--workers N] [--progress-ms MS]
 *                                    tenant-schema migrations, in parallel (migrate.h)
 *
 * The staff commands connect with DATABASE_URL and first apply sw-auth's migrations
 * (the same embedded set under the same name, "auth", so sw-auth sees them
 * as its own; the advisory lock of sw_migrate makes a concurrent start of
 * sw-auth safe), then works on auth.staff directly. Passwords follow the
 * registration policy (rules.h) and are hashed with argon2id like tenant
 * users' (identity.h). Exit status: 0 done, 1 refused or failed, 2 usage.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "identity.h"
#include "migrate.h"
#include "rules.h"
#include "sw_config.h"
#include "sw_log.h"
#include "sw_migrate.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "sw_time.h"
#include "totp.h"

extern const struct sw_migration auth_migrations[];
extern const size_t auth_migrations_count;

#define SECRET_MAX 256 /* a password line; the policy allows at most 128 characters */
#define EMAIL_MAX 512
#define CONNECT_WAIT_MS 10000
#define ISSUER "StatusWatch Staff"

static int usage(void)
{
    fputs("usage: sw-admin staff add EMAIL      (the password is read from standard input)\n"
          "       sw-admin staff list\n"
          "       sw-admin staff remove EMAIL\n"
          "       sw-admin staff totp EMAIL     (set up two-factor: confirm with a code)\n"
          "       sw-admin migrate [--workers N] [--progress-ms MS]\n"
          "                                     (every tenant schema to the latest migration)\n"
          "DATABASE_URL names the database.\n",
          stderr);
    return 2;
}

static int fail(const char *message, const char *subject)
{
    fprintf(stderr, "sw-admin: %s%s%s\n", message, subject ? ": " : "", subject ? subject : "");
    return 1;
}

/*
 * One line of standard input into out without its line end; a terminal gets
 * the prompt and does not echo. SW_EINVAL for no line or one too long.
 */
static int read_line(const char *prompt, bool hidden, char *out, size_t size)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios saved, quiet;
    bool echo_off = false;
    if (tty) {
        fputs(prompt, stderr);
        if (hidden && tcgetattr(STDIN_FILENO, &saved) == 0) {
            quiet = saved;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    bool got = fgets(out, (int)size, stdin) != NULL;
    if (echo_off) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    size_t len = got ? strlen(out) : 0;
    bool whole = len > 0 && (out[len - 1] == '\n' || feof(stdin));
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
    if (!got || !whole) {
        sodium_memzero(out, size);
        return SW_EINVAL;
    }
    return 0;
}

/* The new password: one line, and on a terminal the same line twice. */
static int read_password(char out[SECRET_MAX])
{
    if (read_line("Password: ", true, out, SECRET_MAX) != 0)
        return fail("no password on standard input (one line)", NULL);
    const char *problem = auth_rule_password(out);
    if (problem)
        return fail(problem, NULL);
    if (isatty(STDIN_FILENO)) {
        char again[SECRET_MAX];
        int rc = read_line("Password again: ", true, again, sizeof again);
        bool same = rc == 0 && strcmp(out, again) == 0;
        sodium_memzero(again, sizeof again);
        if (!same)
            return fail("the passwords do not match", NULL);
    }
    return 0;
}

static int normalize(const char *given, char email[EMAIL_MAX])
{
    const char *problem = auth_rule_email(given);
    if (problem || auth_normalize_email(given, email, EMAIL_MAX) != 0)
        return fail(problem ? problem : "not an e-mail address", given);
    return 0;
}

static int staff_add(PGconn *db, const char *given)
{
    char email[EMAIL_MAX], password[SECRET_MAX], hash[AUTH_HASH_MAX];
    if (normalize(given, email) != 0 || read_password(password) != 0)
        return 1;
    int rc = auth_hash_password(password, hash);
    sodium_memzero(password, sizeof password);
    PGresult *res = NULL;
    if (rc == 0) {
        const char *params[] = {email, hash};
        rc = sw_pg_query(db,
                         "INSERT INTO auth.staff (email, password_hash) VALUES ($1, $2)"
                         " RETURNING id",
                         2, params, &res);
    }
    int status = 0;
    if (rc == SW_EEXISTS)
        status = fail("a staff account with this e-mail already exists", email);
    else if (rc)
        status = fail("the account could not be stored", email);
    else
        printf("added staff account %s (%s)\n", email, PQgetvalue(res, 0, 0));
    PQclear(res);
    sodium_memzero(hash, sizeof hash);
    return status;
}

static const char *when(const PGresult *res, int row, int col, char out[SW_TIME_ISO_MAX])
{
    return PQgetisnull(res, row, col) ? "never" : sw_time_iso(sw_pg_int(res, row, col), out);
}

static int staff_list(PGconn *db)
{
    PGresult *res = NULL;
    if (sw_pg_query(db,
                    "SELECT email, id, totp_enabled_at IS NOT NULL,"
                    " " SW_TIME_SQL_MS("created_at") ", " SW_TIME_SQL_MS(
                        "last_login_at") " FROM auth.staff ORDER BY email",
                    0, NULL, &res) != 0)
        return fail("the accounts could not be read", NULL);
    printf("EMAIL\tID\tTOTP\tCREATED\tLAST LOGIN\n");
    for (int i = 0; i < PQntuples(res); i++) {
        char created[SW_TIME_ISO_MAX], last[SW_TIME_ISO_MAX];
        printf("%s\t%s\t%s\t%s\t%s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
               sw_pg_bool(res, i, 2) ? "on" : "off", when(res, i, 3, created),
               when(res, i, 4, last));
    }
    PQclear(res);
    return 0;
}

static int staff_remove(PGconn *db, const char *given)
{
    char email[EMAIL_MAX];
    if (normalize(given, email) != 0)
        return 1;
    const char *params[] = {email};
    long long removed = 0;
    if (sw_pg_query_int(db,
                        "WITH gone AS (DELETE FROM auth.staff WHERE email = $1 RETURNING 1)"
                        " SELECT count(*) FROM gone",
                        1, params, &removed) != 0)
        return fail("the account could not be removed", email);
    if (removed == 0)
        return fail("no staff account with this e-mail", email);
    printf("removed staff account %s\n", email);
    return 0;
}

/*
 * Two-factor set-up: a new secret, shown as an otpauth URL; it is stored
 * (and required at login from then on) only once a code from it is entered,
 * so a set-up that goes wrong leaves the account as it was.
 */
static int staff_totp(PGconn *db, const char *given)
{
    char email[EMAIL_MAX], secret[AUTH_TOTP_SECRET_TEXT], url[512], code[32];
    if (normalize(given, email) != 0)
        return 1;
    const char *params[] = {email};
    long long known = 0;
    if (sw_pg_query_int(db, "SELECT count(*) FROM auth.staff WHERE email = $1", 1, params,
                        &known) != 0 ||
        known == 0)
        return fail("no staff account with this e-mail", email);
    if (auth_totp_secret_new(secret) != 0 ||
        auth_otpauth_url(ISSUER, email, secret, url, sizeof url) != 0)
        return fail("no secret could be made", NULL);
    printf("%s\n", url);
    fflush(stdout);
    int status = 0;
    long long step = -1;
    if (read_line("Code from the app: ", false, code, sizeof code) != 0 ||
        (step = auth_totp_match(secret, code, (long long)time(NULL), -1)) < 0) {
        status = fail("the code does not match; two-factor is unchanged", NULL);
    } else {
        char step_text[24];
        snprintf(step_text, sizeof step_text, "%lld", step);
        const char *set[] = {email, secret, step_text};
        if (sw_pg_exec(db,
                       "UPDATE auth.staff SET totp_secret = $2, totp_enabled_at = now(),"
                       " totp_last_step = $3::int8 WHERE email = $1",
                       3, set) != 0)
            status = fail("two-factor could not be stored", email);
        else
            printf("two-factor is on for %s\n", email);
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(url, sizeof url);
    return status;
}

static int run(PGconn *db, int argc, char **argv)
{
    const char *cmd = argv[2];
    if (strcmp(cmd, "list") == 0 && argc == 3)
        return staff_list(db);
    if (argc != 4)
        return usage();
    if (strcmp(cmd, "add") == 0)
        return staff_add(db, argv[3]);
    if (strcmp(cmd, "remove") == 0)
        return staff_remove(db, argv[3]);
    if (strcmp(cmd, "totp") == 0)
        return staff_totp(db, argv[3]);
    return usage();
}

static bool is_migrate(int argc, char **argv)
{
    return argc >= 2 && strcmp(argv[1], "migrate") == 0;
}

static bool known_command(int argc, char **argv)
{
    static const char *const commands[] = {"add", "list", "remove", "totp"};
    if (is_migrate(argc, argv))
        return true;
    if (argc < 3 || strcmp(argv[1], "staff") != 0)
        return false;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[2], commands[i]) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (!known_command(argc, argv))
        return usage();
    sw_log_init("admin", sw_log_level_parse(sw_env_str("SW_LOG_LEVEL", "warn")));
    const char *url = getenv("DATABASE_URL");
    if (!url || !*url)
        return fail("DATABASE_URL is not set", NULL);
    if (sw_random_init() != 0 || auth_totp_init() != 0)
        return fail("libsodium or liboath could not start", NULL);
    PGconn *db = NULL;
    if (sw_pg_connect(url, CONNECT_WAIT_MS, &db) != 0)
        return fail("the database is not reachable", NULL);
    int status = 1;
    if (is_migrate(argc, argv))
        status = admin_migrate(db, url, argc, argv);
    else if (sw_migrate_apply(db, "auth", auth_migrations, auth_migrations_count) != 0)
        fail("sw-auth's migrations could not be applied", NULL);
    else
        status = run(db, argc, argv);
    PQfinish(db);
    return status;
}
