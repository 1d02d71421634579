import { useEffect, useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { createCheckoutSession, createPortalSession } from '@/api/billing'
import { toApiError, type ApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { leaveTo } from '@/lib/redirect'
import { randomUuid } from '@/lib/uuid'
import { billingErrorMessage } from './billingErrors'

type Action = 'checkout' | 'portal'

/** A session whose `url` is not an http(s) address: not followed. */
class BadRedirectError extends Error {
  readonly apiError: ApiError = { status: null, code: 'invalid_redirect', detail: '', errors: {} }
}

/**
 * Upgrade (Stripe Checkout) and Manage subscription (customer portal): asks the API for
 * a session and leaves for Stripe's page. Every click sends a fresh Idempotency-Key.
 * The buttons stay busy after success: the browser is on its way to Stripe.
 */
export function useBillingRedirect() {
  const queryClient = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  const [leaving, setLeaving] = useState(false)

  // Back from Stripe with the back-forward cache: the page comes back as it was left.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) setLeaving(false)
    }
    window.addEventListener('pageshow', onPageShow)
    return () => window.removeEventListener('pageshow', onPageShow)
  }, [])

  const go = (url: string) => {
    if (!leaveTo(url)) throw new BadRedirectError()
    setLeaving(true)
  }

  const fail = (action: Action) => (failure: unknown) => {
    const apiError = failure instanceof BadRedirectError ? failure.apiError : toApiError(failure)
    setError(billingErrorMessage(apiError, action))
    // 409 already subscribed, 503 not configured: what the page shows is out of date.
    if (apiError.status === 409 || apiError.status === 503) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.subscription })
      void queryClient.invalidateQueries({ queryKey: queryKeys.me })
    }
  }

  const checkout = useMutation({
    mutationFn: async (plan: string) => go((await createCheckoutSession(plan, randomUuid())).url),
    onMutate: () => setError(null),
    onError: fail('checkout'),
  })

  const portal = useMutation({
    mutationFn: async () => go((await createPortalSession(randomUuid())).url),
    onMutate: () => setError(null),
    onError: fail('portal'),
  })

  return {
    error,
    upgrade: (plan: string) => checkout.mutate(plan),
    manage: () => portal.mutate(),
    upgrading: checkout.isPending || (leaving && checkout.isSuccess),
    opening: portal.isPending || (leaving && portal.isSuccess),
    busy: checkout.isPending || portal.isPending || leaving,
  }
}
