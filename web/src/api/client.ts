import axios, { isAxiosError, type AxiosError, type InternalAxiosRequestConfig } from 'axios'
import { useSession } from '@/stores/session'
import type { TokenPair } from './types'

/**
 * The app's one HTTP client. It sends the access token, and on a 401 it refreshes
 * the session once (all requests failing at the same time share that one refresh,
 * because a refresh token can be spent only once), then retries the request. When
 * the refresh fails the session is cleared and the sign-in page is shown.
 */

export const REFRESH_PATH = '/api/auth/token/refresh/'

// Calls made without a session: a 401 from them is an answer, not an expired token.
// The plans are public (the sign-up page shows what the Free plan includes).
export const PLANS_PATH = '/api/billing/plans/'
// The links from e-mails (verification, password reset, invitation) work signed in or out.
export const ACCEPT_INVITATION_PATH = '/api/invitations/accept/'
const NO_AUTH_PATHS = [
  '/api/auth/token/',
  '/api/auth/token/2fa/',
  REFRESH_PATH,
  '/api/auth/register/',
  '/api/auth/verify-email/',
  '/api/auth/password-reset/',
  '/api/auth/password-reset/confirm/',
  ACCEPT_INVITATION_PATH,
  PLANS_PATH,
]
const NO_REFRESH_PATHS = [...NO_AUTH_PATHS, '/api/auth/logout/']
// The public status pages and their subscriptions (no login): every path under this prefix.
const PUBLIC_PREFIX = '/api/public/'

function isNoAuthPath(path: string): boolean {
  return NO_AUTH_PATHS.includes(path) || path.startsWith(PUBLIC_PREFIX)
}

// Calls that check the user's password: their 401 is "wrong password", not an expired
// session, unless it carries the gateway's own token codes (then refresh as usual).
export const TWO_FACTOR_DISABLE_PATH = '/api/auth/2fa/disable/'
const PASSWORD_CHECK_PATHS = [TWO_FACTOR_DISABLE_PATH]
const SESSION_401_CODES = ['token_not_valid', 'not_authenticated']

function isSessionFailure(error: AxiosError): boolean {
  if (!PASSWORD_CHECK_PATHS.includes(pathOf(error.config?.url))) return true
  const code = (error.response?.data as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && SESSION_401_CODES.includes(code)
}

type RetriableConfig = InternalAxiosRequestConfig & { _retried?: boolean }

export const api = axios.create({
  baseURL: '',
  timeout: 20_000,
  headers: { Accept: 'application/json' },
})

// A bare client for the refresh call, so that its own 401 never loops back here.
export const refreshClient = axios.create({ baseURL: '', timeout: 20_000 })

let sessionExpiredHandler: () => void = () => window.location.assign('/login')

/** The router installs its own navigation here at start-up. */
export function setSessionExpiredHandler(handler: () => void): void {
  sessionExpiredHandler = handler
}

function pathOf(url: string | undefined): string {
  if (!url) return ''
  const path = url.split('?')[0]
  return path.endsWith('/') ? path : `${path}/`
}

function bearer(token: string): string {
  return `Bearer ${token}`
}

let refreshInFlight: Promise<string> | null = null

/** Exchanges the refresh token for a new pair; concurrent callers share one call. */
export function refreshAccessToken(): Promise<string> {
  if (!refreshInFlight) {
    refreshInFlight = (async () => {
      // Another tab may have rotated the tokens already: presenting the spent
      // refresh token again would revoke the whole login.
      const before = useSession.getState().access
      await useSession.persist.rehydrate()
      const { access: stored, refresh } = useSession.getState()
      if (stored && stored !== before) return stored
      if (!refresh) throw new Error('No refresh token')
      const { data } = await refreshClient.post<TokenPair>(REFRESH_PATH, { refresh })
      // The old refresh token is spent now: keep the rotated one.
      useSession.getState().setTokens(data.access, data.refresh ?? refresh)
      return data.access
    })().finally(() => {
      refreshInFlight = null
    })
  }
  return refreshInFlight
}

function expireSession(): void {
  // Several requests can fail together; the first one clears the session and leaves.
  const hadSession = Boolean(useSession.getState().refresh || useSession.getState().access)
  useSession.getState().clear()
  if (hadSession) sessionExpiredHandler()
}

/** Raised, without any network traffic, for a protected call made while signed out. */
export class NoSessionError extends Error {
  constructor() {
    super('Not signed in')
    this.name = 'NoSessionError'
  }
}

api.interceptors.request.use((config) => {
  if (isNoAuthPath(pathOf(config.url))) return config
  const { access, refresh } = useSession.getState()
  // A query still mounted while signing out must not reach the server (and log a 401).
  if (!access && !refresh) throw new NoSessionError()
  if (access && !config.headers.has('Authorization')) config.headers.set('Authorization', bearer(access))
  return config
})

api.interceptors.response.use(undefined, async (error: AxiosError | unknown) => {
  if (!isAxiosError(error) || error.response?.status !== 401 || !error.config) throw error
  const config = error.config as RetriableConfig
  if (config._retried || NO_REFRESH_PATHS.includes(pathOf(config.url)) || isNoAuthPath(pathOf(config.url)) || !isSessionFailure(error)) throw error
  config._retried = true

  let access: string
  try {
    const current = useSession.getState().access
    const sent = config.headers.get('Authorization')
    // Another request may already have refreshed while this one was in flight.
    access = current && sent !== bearer(current) && !refreshInFlight ? current : await refreshAccessToken()
  } catch {
    expireSession()
    throw error
  }
  config.headers.set('Authorization', bearer(access))
  return api.request(config)
})
