import { useCallback, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { logout } from '@/api/auth'
import { resetClientState } from '@/app/sessionEnd'
import { useSession } from '@/stores/session'

/** Blacklists the refresh token, forgets the session and returns to sign-in. */
export function useLogout() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const [pending, setPending] = useState(false)

  const run = useCallback(async () => {
    setPending(true)
    const refresh = useSession.getState().refresh
    try {
      if (refresh) await logout(refresh)
    } catch {
      // The token may already be spent or expired; signing out locally is what matters.
    } finally {
      useSession.getState().clear()
      await navigate({ to: '/login' })
      // Only now, with the signed-in pages gone, forget their cached data.
      resetClientState(queryClient)
      setPending(false)
    }
  }, [navigate, queryClient])

  return { logout: run, pending }
}
