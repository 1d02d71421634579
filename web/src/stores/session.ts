import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import type { TenantRef, User } from '@/api/types'

/** The signed-in session: JWTs plus who and which tenant they belong to. */
export interface SessionData {
  access: string | null
  refresh: string | null
  user: User | null
  tenant: TenantRef | null
}

interface SessionActions {
  setSession: (session: { access: string; refresh: string; user: User; tenant: TenantRef }) => void
  setTokens: (access: string, refresh: string) => void
  clear: () => void
}

export type SessionState = SessionData & SessionActions

export const SESSION_STORAGE_KEY = 'statuswatch.session'

const empty: SessionData = { access: null, refresh: null, user: null, tenant: null }

export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      ...empty,
      setSession: ({ access, refresh, user, tenant }) => set({ access, refresh, user, tenant }),
      setTokens: (access, refresh) => set({ access, refresh }),
      clear: () => set(empty),
    }),
    {
      name: SESSION_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ access, refresh, user, tenant }) => ({ access, refresh, user, tenant }),
    },
  ),
)

/** A refresh token is what keeps a login alive; the access token may have expired. */
export function isAuthenticated(): boolean {
  return Boolean(useSession.getState().refresh)
}

/**
 * Keeps tabs in step: a token rotated or a logout in another tab is picked up here,
 * so this tab never presents an already-spent refresh token.
 */
export function syncSessionAcrossTabs(): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === SESSION_STORAGE_KEY) void useSession.persist.rehydrate()
  }
  window.addEventListener('storage', onStorage)
  return () => window.removeEventListener('storage', onStorage)
}
