#include "sw_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sw_addr.h"
#include "sw_log.h"
#include "sw_status.h"

void sw_guard_init(struct sw_guard *guard, const struct sw_cidr_list *allow)
{
    guard->allow = allow;
    guard->refusal[0] = '\0';
}

/* Fills `why` for an address of class `cls`, named as curl would show it. */
static void describe_refusal(const char *ip, enum sw_addr_class cls, char *why, size_t why_size)
{
    const char *name = sw_addr_class_name(cls);
    /* "an unspecified address", "a private address". */
    const char *article = strchr("aeiou", name[0]) ? "an" : "a";
    if (cls == SW_ADDR_PUBLIC) /* public but not allowed cannot happen; stay truthful */
        snprintf(why, why_size, "refused: %s is not an allowed address", ip);
    else
        snprintf(why, why_size, "refused: %s is %s %s address", ip, article, name);
}

static int judge_addr(const struct sw_cidr_list *allow, const uint8_t addr[16], const char *ip,
                      char *why, size_t why_size)
{
    if (sw_addr_allowed(addr, allow))
        return 0;
    describe_refusal(ip, sw_addr_classify(addr), why, why_size);
    return SW_EPERM;
}

int sw_guard_judge(const struct sw_cidr_list *allow, const struct sockaddr *sa, char *why,
                   size_t why_size)
{
    uint8_t addr[16];
    char ip[INET6_ADDRSTRLEN] = "?";
    if (sw_addr_from_sockaddr(sa, addr) != 0) {
        snprintf(why, why_size, "refused: not an IP address");
        return SW_EPERM;
    }
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof ip);
    else
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip, sizeof ip);
    return judge_addr(allow, addr, ip, why, why_size);
}

int sw_guard_judge_text(const struct sw_cidr_list *allow, const char *ip, char *why,
                        size_t why_size)
{
    uint8_t addr[16];
    if (!ip || sw_ip_parse(ip, addr) != 0) {
        snprintf(why, why_size, "refused: peer address unknown");
        return SW_EPERM;
    }
    return judge_addr(allow, addr, ip, why, why_size);
}

curl_socket_t sw_guard_open_socket(void *clientp, curlsocktype purpose,
                                   struct curl_sockaddr *address)
{
    struct sw_guard *guard = clientp;
    /* Only outgoing connections exist for http(s); anything else is unexpected. */
    if (purpose != CURLSOCKTYPE_IPCXN) {
        snprintf(guard->refusal, sizeof guard->refusal, "refused: unexpected socket type");
        return CURL_SOCKET_BAD;
    }
    char why[SW_GUARD_REFUSAL_MAX];
    if (sw_guard_judge(guard->allow, &address->addr, why, sizeof why) != 0) {
        /*
         * curl may go on to the host's next address; the last refusal is
         * what the result reports if none of them is allowed.
         */
        memcpy(guard->refusal, why, sizeof why);
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

int sw_guard_prereq(void *clientp, char *primary_ip, char *local_ip, int primary_port,
                    int local_port)
{
    (void)local_ip;
    (void)primary_port;
    (void)local_port;
    struct sw_guard *guard = clientp;
    char why[SW_GUARD_REFUSAL_MAX];
    if (sw_guard_judge_text(guard->allow, primary_ip, why, sizeof why) != 0) {
        /* Reaching this means the socket callback was bypassed: worth an error line. */
        sw_log_error("address guard: connected peer refused before the request (%s)", why);
        memcpy(guard->refusal, why, sizeof why);
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

int sw_guard_attach(struct sw_guard *guard, CURL *easy)
{
    if (curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, sw_guard_open_socket) != CURLE_OK ||
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, guard) != CURLE_OK ||
        curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, sw_guard_prereq) != CURLE_OK ||
        curl_easy_setopt(easy, CURLOPT_PREREQDATA, guard) != CURLE_OK)
        return SW_EINTERNAL;
    return 0;
}
