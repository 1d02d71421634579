import { useCallback, useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { resendVerification } from '@/api/auth'
import { rateLimitMessage, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'

export type ResendState =
  | { kind: 'idle' }
  | { kind: 'sent' }
  /** 409 already_verified: /me is read again, so the banner goes away. */
  | { kind: 'already' }
  | { kind: 'error'; message: string }

/** "Resend" for the verification e-mail (POST /api/auth/verify-email/resend/, 3 an hour). */
export function useResendVerification() {
  const queryClient = useQueryClient()
  const [state, setState] = useState<ResendState>({ kind: 'idle' })
  const { mutateAsync, isPending } = useMutation({ mutationFn: resendVerification })

  const resend = useCallback(async () => {
    setState({ kind: 'idle' })
    try {
      await mutateAsync()
      setState({ kind: 'sent' })
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'already_verified' || apiError.status === 409) {
        setState({ kind: 'already' })
        await queryClient.invalidateQueries({ queryKey: queryKeys.me })
      } else if (apiError.status === 429) {
        setState({ kind: 'error', message: rateLimitMessage(error, 'Too many e-mails were sent.') })
      } else {
        setState({ kind: 'error', message: apiError.detail })
      }
    }
  }, [mutateAsync, queryClient])

  return { resend, pending: isPending, state }
}
