import { render } from '@testing-library/react'
import { createMemoryHistory } from '@tanstack/react-router'
import MockAdapter from 'axios-mock-adapter'
import { api, refreshClient } from '@/api/client'
import { App } from '@/app/App'
import { createQueryClient } from '@/app/queryClient'
import { createAppRouter } from '@/app/router'
import { useSession } from '@/stores/session'
import type { Me } from '@/api/types'

/** Renders the whole app (real routes, guards and lazy pages) at `path`. */
export function renderApp(path: string) {
  const queryClient = createQueryClient()
  queryClient.setDefaultOptions({ queries: { retry: false, refetchInterval: false }, mutations: { retry: false } })
  const history = createMemoryHistory({ initialEntries: [path] })
  const router = createAppRouter({ queryClient }, history)
  const utils = render(<App queryClient={queryClient} router={router} />)
  return { ...utils, router, queryClient }
}

/** Mocks for the app's client and its refresh client; restore them after each test. */
export function mockApi() {
  const http = new MockAdapter(api, { onNoMatch: 'throwException' })
  const refresh = new MockAdapter(refreshClient, { onNoMatch: 'throwException' })
  return {
    http,
    refresh,
    restore() {
      http.restore()
      refresh.restore()
    },
  }
}

export function signIn(overrides: Partial<{ access: string; refresh: string }> = {}) {
  useSession.getState().setSession({
    access: overrides.access ?? 'access-1',
    refresh: overrides.refresh ?? 'refresh-1',
    user: { id: 'u1', email: 'owner@example.com', role: 'owner' },
    tenant: { id: 't1', name: 'Acme', schema: 't_acme' },
  })
}

export function meReply(overrides: Partial<Me['tenant']> = {}): Me {
  return {
    user: { id: 'u1', email: 'owner@example.com', role: 'owner', email_verified: false },
    tenant: {
      id: 't1',
      name: 'Acme',
      schema: 't_acme',
      plan: 'free',
      subscription_status: 'free',
      account_status: 'active',
      endpoint_limit: 3,
      endpoint_count: 0,
      ...overrides,
    },
  }
}

export const emptyPage = { count: 0, next: null, previous: null, results: [] }
