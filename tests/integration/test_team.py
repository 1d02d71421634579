"""Members and invitations over HTTP (api.md "Identity"): the invitation e-mail read
from the SMTP sink, roles and the last owner, removal ending the member's logins."""
import uuid

from conftest import PASSWORD, Client, assert_error, wait_for
from identity_helpers import tokens_in, wait_mails

INVITE_SUBJECT = "You are invited to StatusWatch"


def invite(owner, stack, role="member", address=None):
    address = address or f"inv-{uuid.uuid4().hex[:10]}@example.com"
    r = owner.post("/api/invitations/", {"email": address, "role": role})
    assert r.status_code == 201, r.text
    [msg] = wait_mails(stack, address, INVITE_SUBJECT)
    [token] = tokens_in(msg, "/invitations/accept")
    return address, token, r.json()


def joined(stack, owner, role="member"):
    """A new member of owner's tenant, logged in with its own Client."""
    address, token, _ = invite(owner, stack, role)
    c = Client(stack.base_url)
    r = c.post("/api/invitations/accept/", {"token": token, "password": PASSWORD,
                                             "password_confirm": PASSWORD}, auth=False)
    assert r.status_code == 201, r.text
    c.reg = r.json()
    assert c.login(address).status_code == 200
    return c


def test_an_invitation_is_mailed_accepted_once_and_lists_the_member(stack, signed_up_client):
    owner = signed_up_client()
    address, token, inv = invite(owner, stack, "admin")
    assert set(inv) == {"id", "email", "role", "expires_at"} and inv["role"] == "admin"
    listed = owner.get("/api/invitations/").json()
    assert [i["id"] for i in listed["results"]] == [inv["id"]]

    c = Client(stack.base_url)
    weak = c.post("/api/invitations/accept/", {"token": token, "password": "weak",
                                                "password_confirm": "weak"}, auth=False)
    assert_error(weak, 400, fields=("password",))
    r = c.post("/api/invitations/accept/", {"token": token, "password": PASSWORD,
                                             "password_confirm": PASSWORD}, auth=False)
    assert r.status_code == 201, r.text
    assert r.json()["tenant"] == owner.reg["tenant"]
    assert r.json()["user"]["email"] == address and r.json()["user"]["role"] == "admin"
    assert_error(c.post("/api/invitations/accept/", {"token": token, "password": PASSWORD,
                                                      "password_confirm": PASSWORD}, auth=False),
                 400, code="invalid_token")
    assert c.login(address).status_code == 200
    assert c.get("/api/auth/me/").json()["user"]["email_verified"] is True
    assert owner.get("/api/invitations/").json()["count"] == 0
    members = owner.get("/api/members/").json()
    assert members["count"] == 2
    row = [m for m in members["results"] if m["email"] == address][0]
    assert set(row) == {"id", "email", "role", "email_verified", "two_factor_enabled",
                        "created_at", "last_login_at"}
    assert row["role"] == "admin" and row["email_verified"] is True


def test_invitation_failures(stack, signed_up_client):
    owner = signed_up_client()
    assert_error(owner.post("/api/invitations/", {"email": owner.reg["user"]["email"],
                                                  "role": "member"}), 409, code="already_member")
    assert_error(owner.post("/api/invitations/", {"email": "x@example.com", "role": "owner"}),
                 400, fields=("role",))
    assert_error(owner.post("/api/invitations/", {"email": "nope", "role": "member"}), 400,
                 fields=("email",))
    _, _, inv = invite(owner, stack)
    assert owner.delete(f"/api/invitations/{inv['id']}/").status_code == 204
    assert_error(owner.delete(f"/api/invitations/{inv['id']}/"), 404)
    other = signed_up_client()
    _, _, theirs = invite(other, stack)
    assert_error(owner.delete(f"/api/invitations/{theirs['id']}/"), 404)
    assert_error(Client(stack.base_url).post("/api/invitations/accept/", {
        "token": "x" * 43, "password": PASSWORD, "password_confirm": PASSWORD}, auth=False),
        400, code="invalid_token")


def test_an_unverified_inviter_is_refused(stack):
    c = Client(stack.base_url)
    c.reg = c.signed_up()
    assert_error(c.post("/api/invitations/", {"email": "a@example.com", "role": "member"}), 403,
                 code="email_not_verified")


def test_an_expired_invitation_is_token_expired(stack, signed_up_client):
    owner = signed_up_client()
    _, token, inv = invite(owner, stack)
    stack.sql(f"UPDATE auth.invitations SET expires_at = now() - interval '1 second'"
              f" WHERE id = '{inv['id']}'")
    assert_error(Client(stack.base_url).post("/api/invitations/accept/", {
        "token": token, "password": PASSWORD, "password_confirm": PASSWORD}, auth=False),
        400, code="token_expired")


def test_an_existing_identity_keeps_its_password(stack, signed_up_client):
    owner, elsewhere = signed_up_client(), signed_up_client()
    address = elsewhere.reg["user"]["email"]
    _, token, _ = invite(owner, stack, address=address)
    c = Client(stack.base_url)
    wrong = c.post("/api/invitations/accept/", {"token": token, "password": "Other-pass-123!",
                                                 "password_confirm": "Other-pass-123!"}, auth=False)
    assert_error(wrong, 400, fields=("password",))
    r = c.post("/api/invitations/accept/", {"token": token, "password": PASSWORD,
                                             "password_confirm": PASSWORD}, auth=False)
    assert r.status_code == 201, r.text
    assert c.login(address).json()["multiple_tenants"] is True


def test_roles_and_the_last_owner(stack, signed_up_client):
    owner = signed_up_client()
    admin = joined(stack, owner, "admin")
    member = joined(stack, owner, "member")
    ids = {m["email"]: m["id"] for m in owner.get("/api/members/").json()["results"]}
    owner_id = ids[owner.reg["user"]["email"]]
    member_id = ids[member.reg["user"]["email"]]
    admin_id = ids[admin.reg["user"]["email"]]

    assert member.get("/api/members/").status_code == 200
    assert_error(member.patch(f"/api/members/{admin_id}/", {"role": "member"}), 403,
                 code="permission_denied")
    assert_error(member.get("/api/invitations/"), 403, code="permission_denied")
    assert_error(admin.patch(f"/api/members/{owner_id}/", {"role": "member"}), 403,
                 code="permission_denied")
    assert_error(admin.delete(f"/api/members/{owner_id}/"), 403, code="permission_denied")
    assert_error(admin.patch(f"/api/members/{member_id}/", {"role": "owner"}), 403,
                 code="permission_denied")
    r = admin.patch(f"/api/members/{member_id}/", {"role": "admin"})
    assert r.status_code == 200 and r.json()["role"] == "admin"
    assert_error(owner.patch(f"/api/members/{owner_id}/", {"role": "admin"}), 409,
                 code="last_owner")
    assert_error(owner.delete(f"/api/members/{owner_id}/"), 409, code="last_owner")
    assert_error(owner.patch(f"/api/members/{member_id}/", {"role": "boss"}), 400,
                 fields=("role",))
    other = signed_up_client()
    assert_error(other.patch(f"/api/members/{member_id}/", {"role": "member"}), 404)
    assert_error(owner.patch(f"/api/members/{uuid.uuid4()}/", {"role": "member"}), 404)
    # With a second owner the first may step down.
    assert owner.patch(f"/api/members/{admin_id}/", {"role": "owner"}).status_code == 200
    assert owner.patch(f"/api/members/{owner_id}/", {"role": "admin"}).status_code == 200


def test_removing_a_member_ends_their_logins(stack, signed_up_client):
    owner = signed_up_client()
    member = joined(stack, owner)
    member_id = member.reg["user"]["id"]
    refresh = member.refresh
    assert member.get("/api/endpoints/").status_code == 200
    assert owner.delete(f"/api/members/{member_id}/").status_code == 204
    # Its access token, still unexpired, is refused on every route too (sw-auth tells the
    # gateways at once), not only by refresh and /me.
    assert wait_for(lambda: member.get("/api/endpoints/").status_code == 401, timeout=3)
    assert_error(member.post("/api/auth/token/refresh/", {"refresh": refresh}, auth=False), 401)
    assert_error(member.get("/api/auth/me/"), 401)
    assert member_id not in [m["id"] for m in owner.get("/api/members/").json()["results"]]
    assert_error(owner.delete(f"/api/members/{member_id}/"), 404)
