import { toApiError } from '@/api/errors'
import type { Member, Role } from '@/api/types'
import { ROLE_LABELS } from '@/lib/team'

const ARTICLE: Record<Role, string> = { owner: 'an', admin: 'an', member: 'a' }

/** "an admin", "a member". */
export function withArticle(role: Role): string {
  return `${ARTICLE[role]} ${ROLE_LABELS[role].toLowerCase()}`
}

/** Why a role change failed, in words that say what to do (409 last_owner above all). */
export function roleChangeError(error: unknown, member: Member, self = false): string {
  const apiError = toApiError(error)
  if (apiError.code === 'last_owner') {
    return self
      ? 'You are the only owner, and every organisation needs one. Make another member an owner first, then change your own role.'
      : `${member.email} is the only owner, and every organisation needs one. Make another member an owner first, then change this role.`
  }
  if (apiError.code === 'permission_denied' || apiError.status === 403) {
    return member.role === 'owner'
      ? 'Only an owner can change the role of an owner.'
      : apiError.detail
  }
  if (apiError.status === 404) return 'This member is no longer in the organisation.'
  return apiError.errors.role?.join(' ') ?? apiError.detail
}

/** Why a removal failed (shown in the confirmation dialog). */
export function removalError(error: unknown, member: Member, self: boolean): string {
  const apiError = toApiError(error)
  if (apiError.code === 'last_owner') {
    return self
      ? 'You are the only owner, and every organisation needs one. Make another member an owner before you leave.'
      : `${member.email} is the only owner, and every organisation needs one. Make another member an owner first.`
  }
  if (apiError.code === 'permission_denied' || apiError.status === 403) {
    return member.role === 'owner' ? 'Only an owner can remove an owner.' : apiError.detail
  }
  return apiError.detail
}
