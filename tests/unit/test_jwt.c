/*
 * sw_jwt_verify(): tokens are signed here with libjwt exactly as sw-auth signs
 * them (ES256, P-256 key generated per run with OpenSSL), then tampered with.
 */
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sw_jwt.h"
#include "sw_status.h"
#include "unit.h"

struct pem_pair {
    char *priv;
    char *pub;
};

/* Two independent key pairs: the service's and an attacker's. */
static struct pem_pair service_keys, other_keys;
static struct sw_jwt_key verify_key;

static char *bio_to_string(BIO *bio)
{
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    char *copy = malloc((size_t)len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, data, (size_t)len);
    copy[len] = '\0';
    return copy;
}

static int make_pem_pair(struct pem_pair *pair)
{
    EVP_PKEY *pkey = EVP_EC_gen("P-256");
    if (!pkey)
        return -1;
    BIO *priv = BIO_new(BIO_s_mem());
    BIO *pub = BIO_new(BIO_s_mem());
    int ok = priv && pub && PEM_write_bio_PrivateKey(priv, pkey, NULL, NULL, 0, NULL, NULL) == 1 &&
             PEM_write_bio_PUBKEY(pub, pkey) == 1;
    if (ok) {
        pair->priv = bio_to_string(priv);
        pair->pub = bio_to_string(pub);
        ok = pair->priv && pair->pub;
    }
    BIO_free(priv);
    BIO_free(pub);
    EVP_PKEY_free(pkey);
    return ok ? 0 : -1;
}

static void free_pem_pair(struct pem_pair *pair)
{
    free(pair->priv);
    free(pair->pub);
    pair->priv = pair->pub = NULL;
}

static int group_setup(void **state)
{
    (void)state;
    if (make_pem_pair(&service_keys) != 0 || make_pem_pair(&other_keys) != 0)
        return -1;
    verify_key.pem = strdup(service_keys.pub);
    verify_key.pem_len = strlen(verify_key.pem);
    memcpy(verify_key.alg, "ES256", sizeof "ES256");
    return verify_key.pem ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    free_pem_pair(&service_keys);
    free_pem_pair(&other_keys);
    free(verify_key.pem);
    return 0;
}

/* What goes into a token; NULL string claims are left out. */
struct token_spec {
    jwt_alg_t alg;
    const char *key; /* signing key (PEM or HMAC secret) */
    const char *iss, *typ, *sub, *tid, *tsc, *role, *sid, *jti;
    long iat, exp;
    bool no_exp;
};

static struct token_spec good_access(void)
{
    long now = (long)time(NULL);
    return (struct token_spec){
        .alg = JWT_ALG_ES256,
        .key = service_keys.priv,
        .iss = "statuswatch",
        .typ = "access",
        .sub = "0b7e2c1a-0000-4000-8000-000000000001",
        .tid = "0b7e2c1a-0000-4000-8000-0000000000aa",
        .tsc = "t_0b7e2c1a",
        .role = "owner",
        .sid = "sess-1",
        .jti = "jti-1",
        .iat = now,
        .exp = now + 900,
    };
}

/* Signs a token; the caller frees it. */
static char *make_token(const struct token_spec *s)
{
    jwt_t *jwt = NULL;
    assert_int_equal(jwt_new(&jwt), 0);
    const char *names[] = {"iss", "typ", "sub", "tid", "tsc", "role", "sid", "jti"};
    const char *values[] = {s->iss, s->typ, s->sub, s->tid, s->tsc, s->role, s->sid, s->jti};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (values[i])
            assert_int_equal(jwt_add_grant(jwt, names[i], values[i]), 0);
    assert_int_equal(jwt_add_grant_int(jwt, "iat", s->iat), 0);
    if (!s->no_exp)
        assert_int_equal(jwt_add_grant_int(jwt, "exp", s->exp), 0);
    const unsigned char *key = (const unsigned char *)s->key;
    assert_int_equal(jwt_set_alg(jwt, s->alg, key, key ? (int)strlen(s->key) : 0), 0);
    char *token = jwt_encode_str(jwt);
    jwt_free(jwt);
    assert_non_null(token);
    return token;
}

/* Verifies a token made from spec against the service key. */
static int verify_spec(const struct token_spec *s, const char *expected_type)
{
    char *token = make_token(s);
    struct sw_claims claims;
    int rc = sw_jwt_verify(&verify_key, token, expected_type, (long)time(NULL), &claims);
    free(token);
    return rc;
}

static void test_good_access_token_verifies(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    assert_int_equal(verify_spec(&s, "access"), 0);
}

static void test_good_token_claims_are_copied(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    char *token = make_token(&s);
    struct sw_claims c;
    assert_int_equal(sw_jwt_verify(&verify_key, token, "access", (long)time(NULL), &c), 0);
    free(token);
    assert_string_equal(c.user_id, s.sub);
    assert_string_equal(c.tenant_id, s.tid);
    assert_string_equal(c.schema, s.tsc);
    assert_string_equal(c.role, s.role);
    assert_string_equal(c.session_id, s.sid);
    assert_string_equal(c.jti, s.jti);
    assert_string_equal(c.type, "access");
    assert_int_equal(c.issued_at, s.iat);
    assert_int_equal(c.expires_at, s.exp);
}

static void test_good_refresh_token_verifies_as_refresh(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.typ = "refresh";
    assert_int_equal(verify_spec(&s, "refresh"), 0);
}

static void test_expired_token_is_unauthenticated(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.iat -= 3600;
    s.exp = (long)time(NULL) - 1;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_token_expiring_now_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    char *token = make_token(&s);
    struct sw_claims c;
    assert_int_equal(sw_jwt_verify(&verify_key, token, "access", s.exp, &c), SW_EUNAUTH);
    assert_int_equal(sw_jwt_verify(&verify_key, token, "access", s.exp - 1, &c), 0);
    free(token);
}

static void test_refresh_token_is_refused_as_access(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.typ = "refresh";
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_access_token_is_refused_as_refresh(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    assert_int_equal(verify_spec(&s, "refresh"), SW_EUNAUTH);
}

static void test_wrong_issuer_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.iss = "evil-corp";
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_missing_issuer_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.iss = NULL;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_token_signed_by_another_key_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.key = other_keys.priv;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_hs256_token_keyed_with_public_key_is_refused(void **state)
{
    (void)state;
    /* The classic algorithm-switching attack: HMAC with the public key as secret. */
    struct token_spec s = good_access();
    s.alg = JWT_ALG_HS256;
    s.key = service_keys.pub;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_unsigned_token_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.alg = JWT_ALG_NONE;
    s.key = NULL;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_tampered_payload_is_refused(void **state)
{
    (void)state;
    /* A member's signature glued onto an owner's header and payload. */
    struct token_spec member = good_access();
    member.role = "member";
    struct token_spec owner = member;
    owner.role = "owner";
    char *signed_member = make_token(&member);
    char *forged = make_token(&owner);
    char *member_sig = strrchr(signed_member, '.');
    char *forged_sig = strrchr(forged, '.');
    assert_non_null(member_sig);
    assert_non_null(forged_sig);
    char token[4096];
    size_t head = (size_t)(forged_sig - forged);
    assert_true(head + strlen(member_sig) < sizeof token);
    memcpy(token, forged, head);
    strcpy(token + head, member_sig);
    struct sw_claims c;
    assert_int_equal(sw_jwt_verify(&verify_key, token, "access", (long)time(NULL), &c), SW_EUNAUTH);
    free(signed_member);
    free(forged);
}

static void test_flipped_signature_byte_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    char *token = make_token(&s);
    char *sig = strrchr(token, '.') + 1;
    sig[5] = sig[5] == 'A' ? 'B' : 'A';
    struct sw_claims c;
    assert_int_equal(sw_jwt_verify(&verify_key, token, "access", (long)time(NULL), &c), SW_EUNAUTH);
    free(token);
}

static void test_missing_tenant_claim_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.tid = NULL;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_missing_subject_claim_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.sub = NULL;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_missing_session_claim_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.sid = NULL;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_missing_type_claim_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.typ = NULL;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_missing_expiry_is_refused(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    s.no_exp = true;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_overlong_claim_is_refused(void **state)
{
    (void)state;
    char role[SW_CLAIM_MAX + 1];
    memset(role, 'r', SW_CLAIM_MAX);
    role[SW_CLAIM_MAX] = '\0';
    struct token_spec s = good_access();
    s.role = role;
    assert_int_equal(verify_spec(&s, "access"), SW_EUNAUTH);
}

static void test_garbage_tokens_are_refused(void **state)
{
    (void)state;
    const char *garbage[] = {"",
                             "abc",
                             "not.a.token",
                             "..",
                             "eyJhbGciOiJFUzI1NiJ9..",
                             "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJzdGF0dXN3YXRjaCJ9.bm9wZQ"};
    for (size_t i = 0; i < ARRAY_LEN(garbage); i++) {
        struct sw_claims c;
        if (sw_jwt_verify(&verify_key, garbage[i], "access", (long)time(NULL), &c) != SW_EUNAUTH)
            fail_msg("garbage token \"%s\" accepted", garbage[i]);
    }
}

static void test_null_token_is_refused(void **state)
{
    (void)state;
    struct sw_claims c;
    assert_int_equal(sw_jwt_verify(&verify_key, NULL, "access", (long)time(NULL), &c), SW_EUNAUTH);
}

static void test_oversized_token_is_refused(void **state)
{
    (void)state;
    size_t len = (size_t)64 * 1024;
    char *token = malloc(len + 1);
    assert_non_null(token);
    memset(token, 'A', len);
    token[100] = '.';
    token[200] = '.';
    token[len] = '\0';
    struct sw_claims c;
    assert_int_equal(sw_jwt_verify(&verify_key, token, "access", (long)time(NULL), &c), SW_EUNAUTH);
    free(token);
}

static void test_key_without_pem_refuses_everything(void **state)
{
    (void)state;
    struct token_spec s = good_access();
    char *token = make_token(&s);
    struct sw_jwt_key empty = {.pem = NULL, .pem_len = 0, .alg = "ES256"};
    struct sw_claims c;
    assert_int_equal(sw_jwt_verify(&empty, token, "access", (long)time(NULL), &c), SW_EUNAUTH);
    free(token);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_access_token_verifies),
        cmocka_unit_test(test_good_token_claims_are_copied),
        cmocka_unit_test(test_good_refresh_token_verifies_as_refresh),
        cmocka_unit_test(test_expired_token_is_unauthenticated),
        cmocka_unit_test(test_token_expiring_now_is_refused),
        cmocka_unit_test(test_refresh_token_is_refused_as_access),
        cmocka_unit_test(test_access_token_is_refused_as_refresh),
        cmocka_unit_test(test_wrong_issuer_is_refused),
        cmocka_unit_test(test_missing_issuer_is_refused),
        cmocka_unit_test(test_token_signed_by_another_key_is_refused),
        cmocka_unit_test(test_hs256_token_keyed_with_public_key_is_refused),
        cmocka_unit_test(test_unsigned_token_is_refused),
        cmocka_unit_test(test_tampered_payload_is_refused),
        cmocka_unit_test(test_flipped_signature_byte_is_refused),
        cmocka_unit_test(test_missing_tenant_claim_is_refused),
        cmocka_unit_test(test_missing_subject_claim_is_refused),
        cmocka_unit_test(test_missing_session_claim_is_refused),
        cmocka_unit_test(test_missing_type_claim_is_refused),
        cmocka_unit_test(test_missing_expiry_is_refused),
        cmocka_unit_test(test_overlong_claim_is_refused),
        cmocka_unit_test(test_garbage_tokens_are_refused),
        cmocka_unit_test(test_null_token_is_refused),
        cmocka_unit_test(test_oversized_token_is_refused),
        cmocka_unit_test(test_key_without_pem_refuses_everything),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
