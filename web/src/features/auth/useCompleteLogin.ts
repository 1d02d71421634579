import { useCallback } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import type { LoginSuccess } from '@/api/types'
import { safeRedirectTarget } from '@/app/guards'
import { resetClientState } from '@/app/sessionEnd'
import { useSession } from '@/stores/session'

/** Stores a fresh session and moves on to where the user was heading. */
export function useCompleteLogin() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  return useCallback(
    async (reply: LoginSuccess, redirectTo?: string) => {
      resetClientState(queryClient)
      useSession.getState().setSession({
        access: reply.access,
        refresh: reply.refresh,
        user: reply.user,
        tenant: reply.tenant,
      })
      await navigate({ to: safeRedirectTarget(redirectTo) })
    },
    [navigate, queryClient],
  )
}
