import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { emptyPage, meReply, mockApi, renderApp } from '@/test/renderApp'
import { useSession } from '@/stores/session'

const TENANTS = [
  { id: '1', name: 'Acme', schema: 't_acme' },
  { id: '2', name: 'Globex', schema: 't_globex' },
]

async function signInWith(email: string, password: string) {
  const user = userEvent.setup()
  await user.type(await screen.findByLabelText('E-mail'), email)
  await user.type(screen.getByLabelText('Password'), password)
  await user.click(screen.getByRole('button', { name: 'Sign in' }))
  return user
}

describe('LoginPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ name: 'Globex', schema: 't_globex' }))
    mocks.http.onGet('/api/endpoints/').reply(200, emptyPage)
  })
  afterEach(() => mocks.restore())

  it('asks which organisation when the e-mail belongs to several, then signs in to the chosen one', async () => {
    mocks.http.onPost('/api/auth/token/').reply((config) => {
      const body = JSON.parse(config.data)
      if (!body.tenant_schema) {
        return [200, { multiple_tenants: true, tenants: TENANTS, message: 'Choose an organisation to sign in to.' }]
      }
      const tenant = TENANTS.find((t) => t.schema === body.tenant_schema)
      return [200, { access: 'a2', refresh: 'r2', user: { id: 'u2', email: body.email, role: 'owner' }, tenant }]
    })
    const { router } = renderApp('/login')
    const user = await signInWith('me@example.com', 'Correct-Horse-9')

    expect(await screen.findByText(/open more than one organisation/)).toBeInTheDocument()
    const radios = screen.getAllByRole('radio')
    expect(radios).toHaveLength(2)
    await user.click(screen.getByRole('radio', { name: 'Globex' }))
    await user.click(screen.getByRole('button', { name: 'Continue' }))

    expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/dashboard')
    expect(JSON.parse(mocks.http.history.post[1].data)).toEqual({
      email: 'me@example.com',
      password: 'Correct-Horse-9',
      tenant_schema: 't_globex',
    })
    expect(useSession.getState().tenant?.name).toBe('Globex')
  })

  it('goes back to an empty form with "Use a different e-mail"', async () => {
    mocks.http.onPost('/api/auth/token/').reply(200, { multiple_tenants: true, tenants: TENANTS, message: 'Pick one.' })
    renderApp('/login')
    const user = await signInWith('me@example.com', 'Correct-Horse-9')

    await user.click(await screen.findByRole('button', { name: 'Use a different e-mail' }))

    expect(screen.queryByRole('radio')).not.toBeInTheDocument()
    expect(screen.getByLabelText('E-mail')).toHaveValue('')
    expect(screen.getByLabelText('Password')).toHaveValue('')
  })

  it('says "Invalid e-mail or password" on a 401', async () => {
    mocks.http.onPost('/api/auth/token/').reply(401, { detail: 'No active account.', code: 'invalid_credentials' })
    renderApp('/login')
    await signInWith('me@example.com', 'wrong')

    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid e-mail or password')
    expect(useSession.getState().access).toBeNull()
  })

  it('returns to the page that asked for sign-in', async () => {
    mocks.http.onPost('/api/auth/token/').reply(200, {
      access: 'a',
      refresh: 'r',
      user: { id: 'u', email: 'me@example.com', role: 'owner' },
      tenant: TENANTS[0],
    })
    mocks.http.onGet('/api/billing/plans/').reply(503, { detail: 'Billing is not configured', code: 'billing_not_configured' })
    const { router } = renderApp('/login?redirect=%2Fbilling')
    await signInWith('me@example.com', 'Correct-Horse-9')

    expect(await screen.findByText('Billing is not configured')).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/billing')
  })
})
