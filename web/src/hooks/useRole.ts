import type { Role } from '@/api/types'
import { useSession } from '@/stores/session'
import { useMe } from './useMe'

/** The signed-in user's role: from /api/auth/me/, or from the sign-in answer until that arrives. */
export function useRole(): Role | undefined {
  const me = useMe()
  const sessionRole = useSession((s) => s.user?.role)
  return me.data?.user.role ?? sessionRole
}

/**
 * Owners and admins change the organisation's settings (billing, notification channels);
 * members read them. The server enforces this too: hiding controls is only a courtesy.
 */
export function canManageOrganisation(role: Role | string | undefined): boolean {
  return role === 'owner' || role === 'admin'
}

/**
 * The role as /api/auth/me/ says it now, undefined until /me has answered. Routes that a
 * member may not use (invitations, API keys, the audit log) wait for it, so that a role
 * changed since sign-in never sends a request the server will refuse.
 */
export function useServerRole(): Role | undefined {
  return useMe().data?.user.role
}
