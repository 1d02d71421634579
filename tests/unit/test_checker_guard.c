/*
 * The checker's address guard (services/checker/guard.c), without a
 * network: the judgement and its sentence for each kind of address, the
 * socket callback refusing (no socket made) or opening a real socket, and
 * the pre-request callback as the second line.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sw_guard.h"
#include "sw_status.h"
#include "unit.h"

static struct sw_cidr_list ALLOW_LOCALHOST;

static int setup(void **state)
{
    (void)state;
    return sw_cidr_list_parse("127.0.0.1/32", &ALLOW_LOCALHOST);
}

/*
 * curl's struct curl_sockaddr ends in a `struct sockaddr` that curl backs
 * with room for any address; the padding gives an IPv6 address that room.
 */
struct sockaddr_room {
    struct curl_sockaddr sa;
    struct sockaddr_storage room;
};

/* A curl_sockaddr for a TCP connection to `ip` port 80, in *out. */
static struct curl_sockaddr *tcp_to(const char *ip, struct sockaddr_room *out)
{
    struct curl_sockaddr *sa = &out->sa;
    memset(out, 0, sizeof *out);
    sa->socktype = SOCK_STREAM;
    sa->protocol = IPPROTO_TCP;
    if (strchr(ip, ':')) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&sa->addr;
        sa->family = AF_INET6;
        sa->addrlen = sizeof *in6;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(80);
        assert_int_equal(inet_pton(AF_INET6, ip, &in6->sin6_addr), 1);
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *)&sa->addr;
        sa->family = AF_INET;
        sa->addrlen = sizeof *in;
        in->sin_family = AF_INET;
        in->sin_port = htons(80);
        assert_int_equal(inet_pton(AF_INET, ip, &in->sin_addr), 1);
    }
    return sa;
}

static void test_each_kind_of_address_gets_its_sentence(void **state)
{
    (void)state;
    static const struct {
        const char *ip;
        const char *why;
    } CASES[] = {
        {"10.0.0.5", "refused: 10.0.0.5 is a private address"},
        {"127.0.0.2", "refused: 127.0.0.2 is a loopback address"},
        {"169.254.169.254", "refused: 169.254.169.254 is a link-local address"},
        {"100.64.0.1", "refused: 100.64.0.1 is a carrier-grade NAT address"},
        {"0.0.0.0", "refused: 0.0.0.0 is an unspecified address"},
        {"224.0.0.1", "refused: 224.0.0.1 is a multicast address"},
        {"192.0.2.1", "refused: 192.0.2.1 is a reserved address"},
        {"::1", "refused: ::1 is a loopback address"},
        {"::ffff:10.0.0.5", "refused: ::ffff:10.0.0.5 is a private address"},
        {"fd00::1", "refused: fd00::1 is a private address"},
    };
    for (size_t i = 0; i < ARRAY_LEN(CASES); i++) {
        struct sockaddr_room room;
        struct curl_sockaddr *sa = tcp_to(CASES[i].ip, &room);
        char why[SW_GUARD_REFUSAL_MAX] = "";
        assert_int_equal(sw_guard_judge(&ALLOW_LOCALHOST, &sa->addr, why, sizeof why), SW_EPERM);
        assert_string_equal(why, CASES[i].why);
    }
}

static void test_public_and_allowed_addresses_pass(void **state)
{
    (void)state;
    const char *ok[] = {"8.8.8.8", "1.1.1.1", "2606:4700::1111", "127.0.0.1", "::ffff:127.0.0.1"};
    for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
        struct sockaddr_room room;
        struct curl_sockaddr *sa = tcp_to(ok[i], &room);
        char why[SW_GUARD_REFUSAL_MAX] = "";
        if (sw_guard_judge(&ALLOW_LOCALHOST, &sa->addr, why, sizeof why) != 0)
            fail_msg("%s refused: %s", ok[i], why);
    }
    /* Without the allow list, loopback is refused like any other private range. */
    struct sw_cidr_list none = {.n = 0};
    struct sockaddr_room room;
    struct curl_sockaddr *sa = tcp_to("127.0.0.1", &room);
    char why[SW_GUARD_REFUSAL_MAX];
    assert_int_equal(sw_guard_judge(&none, &sa->addr, why, sizeof why), SW_EPERM);
}

static void test_other_address_families_are_refused(void **state)
{
    (void)state;
    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    char why[SW_GUARD_REFUSAL_MAX];
    assert_int_equal(sw_guard_judge(&ALLOW_LOCALHOST, (struct sockaddr *)&un, why, sizeof why),
                     SW_EPERM);
    assert_string_equal(why, "refused: not an IP address");
}

static void test_socket_callback_refuses_without_making_a_socket(void **state)
{
    (void)state;
    struct sw_guard guard;
    sw_guard_init(&guard, &ALLOW_LOCALHOST);
    struct sockaddr_room room;
    struct curl_sockaddr *sa = tcp_to("10.0.0.5", &room);
    assert_int_equal(sw_guard_open_socket(&guard, CURLSOCKTYPE_IPCXN, sa), CURL_SOCKET_BAD);
    assert_string_equal(guard.refusal, "refused: 10.0.0.5 is a private address");
}

static void test_socket_callback_opens_a_socket_for_an_allowed_address(void **state)
{
    (void)state;
    struct sw_guard guard;
    sw_guard_init(&guard, &ALLOW_LOCALHOST);
    struct sockaddr_room room;
    struct curl_sockaddr *sa = tcp_to("127.0.0.1", &room);
    curl_socket_t fd = sw_guard_open_socket(&guard, CURLSOCKTYPE_IPCXN, sa);
    assert_true(fd != CURL_SOCKET_BAD);
    assert_string_equal(guard.refusal, "");
    close(fd);
}

static void test_socket_callback_refuses_other_purposes(void **state)
{
    (void)state;
    struct sw_guard guard;
    sw_guard_init(&guard, &ALLOW_LOCALHOST);
    struct sockaddr_room room;
    struct curl_sockaddr *sa = tcp_to("127.0.0.1", &room);
    assert_int_equal(sw_guard_open_socket(&guard, CURLSOCKTYPE_ACCEPT, sa), CURL_SOCKET_BAD);
}

static void test_prereq_callback_checks_the_connected_peer(void **state)
{
    (void)state;
    struct sw_guard guard;
    sw_guard_init(&guard, &ALLOW_LOCALHOST);
    char allowed[] = "127.0.0.1", local[] = "127.0.0.1", private[] = "192.168.1.1",
         garbage[] = "not-an-ip";
    assert_int_equal(sw_guard_prereq(&guard, allowed, local, 80, 50000), CURL_PREREQFUNC_OK);
    assert_string_equal(guard.refusal, "");
    assert_int_equal(sw_guard_prereq(&guard, private, local, 80, 50000), CURL_PREREQFUNC_ABORT);
    assert_string_equal(guard.refusal, "refused: 192.168.1.1 is a private address");
    assert_int_equal(sw_guard_prereq(&guard, garbage, local, 80, 50000), CURL_PREREQFUNC_ABORT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_kind_of_address_gets_its_sentence),
        cmocka_unit_test(test_public_and_allowed_addresses_pass),
        cmocka_unit_test(test_other_address_families_are_refused),
        cmocka_unit_test(test_socket_callback_refuses_without_making_a_socket),
        cmocka_unit_test(test_socket_callback_opens_a_socket_for_an_allowed_address),
        cmocka_unit_test(test_socket_callback_refuses_other_purposes),
        cmocka_unit_test(test_prereq_callback_checks_the_connected_peer),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
