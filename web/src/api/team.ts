import { ACCEPT_INVITATION_PATH, api } from './client'
import type { Invitation, InvitationAccepted, InvitationRole, Member, Paginated, Role } from './types'

const MEMBERS_PATH = '/api/members/'
const INVITATIONS_PATH = '/api/invitations/'

const memberPath = (id: string) => `${MEMBERS_PATH}${encodeURIComponent(id)}/`
const invitationPath = (id: string) => `${INVITATIONS_PATH}${encodeURIComponent(id)}/`

export interface InvitationInput {
  email: string
  role: InvitationRole
}

export interface AcceptInvitationInput {
  token: string
  password: string
  password_confirm: string
}

/** Every role may list the members. */
export async function listMembers(page: number, pageSize: number): Promise<Paginated<Member>> {
  const { data } = await api.get<Paginated<Member>>(MEMBERS_PATH, { params: { page, page_size: pageSize } })
  return data
}

/** 409 last_owner when this would leave the organisation without an owner. */
export async function updateMemberRole(id: string, role: Role): Promise<Member> {
  const { data } = await api.patch<Member>(memberPath(id), { role })
  return data
}

/** The member's logins are revoked at once; 409 last_owner for the only owner. */
export async function removeMember(id: string): Promise<void> {
  await api.delete(memberPath(id))
}

/** Owners and admins only (403 permission_denied for a member). */
export async function listInvitations(page: number, pageSize: number): Promise<Paginated<Invitation>> {
  const { data } = await api.get<Paginated<Invitation>>(INVITATIONS_PATH, { params: { page, page_size: pageSize } })
  return data
}

/** E-mails a link that works for 7 days; 409 already_member, 403 email_not_verified (the inviter's). */
export async function createInvitation(input: InvitationInput): Promise<Invitation> {
  const { data } = await api.post<Invitation>(INVITATIONS_PATH, input)
  return data
}

export async function revokeInvitation(id: string): Promise<void> {
  await api.delete(invitationPath(id))
}

/** Public (sent without credentials): the invitation link's token and the new member's password. */
export async function acceptInvitation(input: AcceptInvitationInput): Promise<InvitationAccepted> {
  const { data } = await api.post<InvitationAccepted>(ACCEPT_INVITATION_PATH, input)
  return data
}
