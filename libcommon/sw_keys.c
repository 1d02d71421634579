#include "sw_keys.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sw_file.h"
#include "sw_log.h"
#include "sw_status.h"

#define KEY_MAX_BYTES ((size_t)64 * 1024)

/* Writes the PEM text of a key held in a memory BIO to path. */
static int write_bio(BIO *bio, const char *path, unsigned mode)
{
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    return len > 0 ? sw_file_write_atomic(path, data, (size_t)len, mode) : SW_EINTERNAL;
}

static int generate_pair(const char *private_path, const char *public_path)
{
    EVP_PKEY *pkey = EVP_EC_gen("P-256");
    BIO *priv = BIO_new(BIO_s_mem());
    BIO *pub = BIO_new(BIO_s_mem());
    int rc = SW_EINTERNAL;
    if (pkey && priv && pub && PEM_write_bio_PrivateKey(priv, pkey, NULL, NULL, 0, NULL, NULL) &&
        PEM_write_bio_PUBKEY(pub, pkey)) {
        rc = write_bio(pub, public_path, 0644);
        if (rc == 0)
            rc = write_bio(priv, private_path, 0600);
    }
    BIO_free(priv);
    BIO_free(pub);
    EVP_PKEY_free(pkey);
    if (rc == 0)
        sw_log_info("generated a development ES256 key pair");
    return rc;
}

/* Creates the development key pair once, under a file lock. */
static int ensure_dev_pair(const char *dir, const char *private_path, const char *public_path)
{
    if (sw_mkdirs(dir, 0700) != 0)
        return SW_EINTERNAL;
    char lock_path[SW_URL_MAX + 32];
    snprintf(lock_path, sizeof lock_path, "%s/.lock", dir);
    int fd = open(lock_path, O_WRONLY | O_CREAT, 0600);
    if (fd < 0)
        return SW_EINTERNAL;
    int rc = flock(fd, LOCK_EX) == 0 ? 0 : SW_EINTERNAL;
    if (rc == 0 && (access(private_path, R_OK) != 0 || access(public_path, R_OK) != 0))
        rc = generate_pair(private_path, public_path);
    close(fd); /* releases the lock */
    return rc;
}

static int algorithm_of(const char *pem, enum sw_key_kind kind, char alg[8])
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *pkey = NULL;
    if (bio)
        pkey = kind == SW_KEY_PRIVATE ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
                                      : PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    int rc = 0;
    if (pkey && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC)
        snprintf(alg, 8, "ES256");
    else if (pkey && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA)
        snprintf(alg, 8, "RS256");
    else
        rc = SW_EINVAL;
    EVP_PKEY_free(pkey);
    BIO_free(bio);
    return rc;
}

/* Makes sure the development pair exists under <var>/keys; gives the path of the wanted key. */
static int dev_key_path(const struct sw_config *cfg, enum sw_key_kind kind, char *path,
                        size_t path_size)
{
    char dir[SW_URL_MAX + 8], private_path[SW_URL_MAX + 32], public_path[SW_URL_MAX + 32];
    snprintf(dir, sizeof dir, "%s/keys", cfg->var_dir);
    snprintf(private_path, sizeof private_path, "%s/jwt-private.pem", dir);
    snprintf(public_path, sizeof public_path, "%s/jwt-public.pem", dir);
    int rc = ensure_dev_pair(dir, private_path, public_path);
    if (rc) {
        sw_log_error("cannot create development keys under %s", dir);
        return rc;
    }
    snprintf(path, path_size, "%s", kind == SW_KEY_PRIVATE ? private_path : public_path);
    return 0;
}

int sw_keys_load(const struct sw_config *cfg, enum sw_key_kind kind, char **pem, size_t *pem_len,
                 char alg[8])
{
    *pem = NULL;
    const char *var_name = kind == SW_KEY_PRIVATE ? "SW_JWT_PRIVATE_KEY_FILE"
                                                  : "SW_JWT_PUBLIC_KEY_FILE";
    const char *path = sw_env_str(var_name, NULL);
    if (!path && cfg->production) {
        sw_log_error("configuration: %s is required in production", var_name);
        return SW_EINVAL;
    }
    /* Outside production, no key file named means the development pair. */
    char dev_path[SW_URL_MAX + 32];
    int rc = path ? 0 : dev_key_path(cfg, kind, dev_path, sizeof dev_path);
    if (rc)
        return rc;
    if (!path)
        path = dev_path;
    struct stat st;
    if (cfg->production && kind == SW_KEY_PRIVATE && stat(path, &st) == 0 && (st.st_mode & 0077)) {
        sw_log_error("configuration: %s is readable by other users (chmod 600 it)", var_name);
        return SW_EINVAL;
    }
    rc = sw_file_read(path, KEY_MAX_BYTES, pem, pem_len);
    if (rc == 0)
        rc = algorithm_of(*pem, kind, alg);
    if (rc) {
        sw_log_error("configuration: %s does not hold a usable EC or RSA key", var_name);
        free(*pem);
        *pem = NULL;
    }
    return rc;
}
