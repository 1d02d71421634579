"""Who may call sw-billing: only the gateway (its public listener) — no service
calls billing, so its internal listener serves none of its methods — and a
method that acts on the caller's organisation refuses a call that names none."""
from test_trust import ipc, probe

METHODS = ["billing.ListPlans", "billing.GetSubscription", "billing.CreateCheckoutSession",
           "billing.CreatePortalSession", "billing.Webhook", "billing.ListInvoices"]


def test_internal_listener_serves_no_billing_method(stack):
    for method in METHODS:
        assert probe(ipc(stack, "billing.ipc"), method) == "PERMISSION_DENIED", method


def test_public_listener_serves_billing_methods(stack):
    url = ipc(stack, "billing-public.ipc")
    # The plans are public: an anonymous call is answered.
    assert probe(url, "billing.ListPlans") == "OK"
    # The probe's empty request lacks the required fields of these two.
    assert probe(url, "billing.Webhook") == "INVALID_ARGUMENT"
    assert probe(url, "billing.ListInvoices") == "INVALID_ARGUMENT"


def test_tenant_methods_refuse_a_call_without_an_organisation(stack):
    url = ipc(stack, "billing-public.ipc")
    for method in ("billing.GetSubscription", "billing.CreateCheckoutSession",
                   "billing.CreatePortalSession"):
        assert probe(url, method) == "UNAUTHENTICATED", method
