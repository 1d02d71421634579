import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

/**
 * The staff console's session: one access token (15 minutes, no refresh), kept apart from
 * the tenant session (its own store and storage key, sessionStorage so it ends with the
 * tab), and sent only by the staff client to /api/staff/.
 */
export interface StaffSessionData {
  access: string | null
  email: string | null
  /** When the token stops working (ms since the epoch). */
  expiresAt: number | null
}

interface StaffSessionActions {
  setSession: (access: string, email: string, now?: number) => void
  clear: () => void
}

export const STAFF_SESSION_KEY = 'statuswatch.staff-session'
export const STAFF_TOKEN_LIFETIME_MS = 15 * 60_000

const empty: StaffSessionData = { access: null, email: null, expiresAt: null }

/** The token's own `exp`, when it is a readable JWT; otherwise 15 minutes from now. Never later than that. */
export function staffTokenExpiry(access: string, now: number = Date.now()): number {
  const fallback = now + STAFF_TOKEN_LIFETIME_MS
  try {
    const payload = access.split('.')[1]
    if (!payload) return fallback
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown }
    if (typeof json.exp === 'number' && Number.isFinite(json.exp)) return Math.min(json.exp * 1000, fallback)
  } catch {
    // Not a JWT we can read: the server still decides, with a 401.
  }
  return fallback
}

export const useStaffSession = create<StaffSessionData & StaffSessionActions>()(
  persist(
    (set) => ({
      ...empty,
      setSession: (access, email, now = Date.now()) => set({ access, email, expiresAt: staffTokenExpiry(access, now) }),
      clear: () => set(empty),
    }),
    {
      name: STAFF_SESSION_KEY,
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({ access, email, expiresAt }) => ({ access, email, expiresAt }),
    },
  ),
)

export function hasStaffSession(now: number = Date.now()): boolean {
  const { access, expiresAt } = useStaffSession.getState()
  return Boolean(access) && (expiresAt === null || expiresAt > now)
}
