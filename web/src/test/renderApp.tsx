import { render } from '@testing-library/react'
import { createMemoryHistory } from '@tanstack/react-router'
import MockAdapter from 'axios-mock-adapter'
import { api, refreshClient } from '@/api/client'
import { staffApi } from '@/api/staff'
import { App } from '@/app/App'
import { createQueryClient } from '@/app/queryClient'
import { createAppRouter } from '@/app/router'
import { useSession } from '@/stores/session'
import { useStaffSession } from '@/stores/staffSession'
import type { Me, Role } from '@/api/types'

/** Renders the whole app (real routes, guards and lazy pages) at `path`. */
export function renderApp(path: string) {
  const queryClient = createQueryClient()
  queryClient.setDefaultOptions({ queries: { retry: false, refetchInterval: false }, mutations: { retry: false } })
  const history = createMemoryHistory({ initialEntries: [path] })
  const router = createAppRouter({ queryClient }, history)
  const utils = render(<App queryClient={queryClient} router={router} />)
  return { ...utils, router, queryClient }
}

/** Mocks for the app's client, its refresh client and the staff console's client; restore them after each test. */
export function mockApi() {
  const http = new MockAdapter(api, { onNoMatch: 'throwException' })
  const refresh = new MockAdapter(refreshClient, { onNoMatch: 'throwException' })
  const staff = new MockAdapter(staffApi, { onNoMatch: 'throwException' })
  return {
    http,
    refresh,
    staff,
    restore() {
      http.restore()
      refresh.restore()
      staff.restore()
    },
  }
}

export function signIn(overrides: Partial<{ access: string; refresh: string; role: Role }> = {}) {
  useSession.getState().setSession({
    access: overrides.access ?? 'access-1',
    refresh: overrides.refresh ?? 'refresh-1',
    user: { id: 'u1', email: 'owner@example.com', role: overrides.role ?? 'owner' },
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

/** A /me answer for a user of the given role (e-mail verified unless said otherwise). */
export function meAs(role: Role, { emailVerified = true }: { emailVerified?: boolean } = {}): Me {
  const me = meReply({ plan: 'pro', subscription_status: 'active', endpoint_limit: -1 })
  return { ...me, user: { ...me.user, role, email_verified: emailVerified } }
}

/** Signs in to the staff console (its own store, apart from the tenant session). */
export function staffSignIn(access = 'staff.token.1') {
  useStaffSession.getState().setSession(access, 'support@statuswatch.example')
}
