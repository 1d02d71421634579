import type { ApiError } from '@/api/errors'

/** What to tell the user when starting a checkout or opening the portal failed. */
export function billingErrorMessage(error: ApiError, action: 'checkout' | 'portal'): string {
  switch (error.code) {
    case 'permission_denied':
      return "Only the organisation's owner or an admin can change billing. Ask one of them to do it."
    case 'already_subscribed':
      return 'Your organisation is already on the Pro plan. Use "Manage subscription" to change it.'
    case 'billing_not_configured':
      return 'Billing is not configured on this installation, so plans cannot be bought online.'
    case 'stripe_unavailable':
      return 'Stripe, our payment provider, is not answering right now. Nothing was charged; please try again in a minute.'
    case 'stripe_error':
      return `Stripe refused the request: ${error.detail}`
    case 'no_customer':
      return 'There is no billing account for your organisation yet: it is created with your first upgrade.'
    case 'invalid_redirect':
      return 'The payment page did not answer with a valid address. Please try again.'
    default:
      break
  }
  if (error.status === 403) return "Only the organisation's owner or an admin can change billing."
  if (error.status === 409) return 'Your organisation is already on that plan.'
  if (error.status === 502) return `Stripe refused the request: ${error.detail}`
  if (error.status === 503) {
    return action === 'checkout'
      ? 'Checkout is unavailable right now. Nothing was charged; please try again in a minute.'
      : 'The billing portal is unavailable right now. Please try again in a minute.'
  }
  return error.detail
}
