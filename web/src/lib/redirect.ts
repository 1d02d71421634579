/**
 * Leaving the app for another site (Stripe Checkout, the customer portal). Only http(s)
 * addresses are followed, never `javascript:` or the like from a bad reply. An object,
 * so that tests can replace `assign` (jsdom cannot navigate).
 */
export const externalNavigation = {
  assign(url: string): void {
    window.location.assign(url)
  },
}

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !value) return false
  try {
    const { protocol } = new URL(value)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

/** Goes to `url` when it is an http(s) address; returns false (and stays) otherwise. */
export function leaveTo(url: unknown): boolean {
  if (!isHttpUrl(url)) return false
  externalNavigation.assign(url)
  return true
}
