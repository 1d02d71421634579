import type { Member, Role } from '@/api/types'

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' }

/** What each role may do (api.md "Roles"), in a line. */
export const ROLE_SUMMARIES: Record<Role, string> = {
  owner: 'Everything, including billing and the other owners.',
  admin: 'Everything except changing or removing an owner.',
  member: 'Manages endpoints, incidents and maintenance; reads the rest.',
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role
}

/**
 * The roles `actor` may give a member. An owner gives any; an admin gives admin or member,
 * never owner (that would be making an owner, which only owners do); a member none.
 */
export function assignableRoles(actor: Role | string | undefined): Role[] {
  if (actor === 'owner') return ['owner', 'admin', 'member']
  if (actor === 'admin') return ['admin', 'member']
  return []
}

/** Whether `actor` may change this member's role or remove them: an admin never touches an owner. */
export function canManageMember(actor: Role | string | undefined, member: Pick<Member, 'role'>): boolean {
  if (actor === 'owner') return true
  if (actor === 'admin') return member.role !== 'owner'
  return false
}

/** The signed-in user's own row: same id, or (should ids differ between services) the same e-mail. */
export function isSelf(member: Pick<Member, 'id' | 'email'>, me: { id?: string; email?: string } | undefined): boolean {
  if (!me) return false
  if (me.id && member.id === me.id) return true
  return Boolean(me.email) && member.email.toLowerCase() === me.email?.toLowerCase()
}
