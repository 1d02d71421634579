import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { mockApi, renderApp } from '@/test/renderApp'
import { useSession } from '@/stores/session'
import { plans } from '@/test/billing'

const STRONG = 'Correct-Horse-9'

async function fillForm(values: Partial<Record<'org' | 'email' | 'password' | 'confirm', string>>) {
  const user = userEvent.setup()
  const submit = await screen.findByRole('button', { name: 'Create account' })
  if (values.org !== undefined) await user.type(screen.getByLabelText('Organisation name'), values.org)
  if (values.email !== undefined) await user.type(screen.getByLabelText('Work e-mail'), values.email)
  if (values.password !== undefined) await user.type(screen.getByLabelText('Password'), values.password)
  if (values.confirm !== undefined) await user.type(screen.getByLabelText('Confirm password'), values.confirm)
  await user.click(submit)
}

describe('RegisterPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
  })
  afterEach(() => mocks.restore())

  it('shows client-side validation messages without calling the API', async () => {
    renderApp('/register')
    await fillForm({})

    expect(await screen.findByText('The organisation name needs at least 2 characters.')).toBeInTheDocument()
    expect(screen.getByText('Enter your e-mail address.')).toBeInTheDocument()
    expect(screen.getByText('Choose a password.')).toBeInTheDocument()
    expect(screen.getByText('Repeat the password.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('mirrors the server password rules and checks that the confirmation matches', async () => {
    renderApp('/register')
    await fillForm({ org: 'A', email: 'not-an-email', password: 'short', confirm: 'x' })
    expect(await screen.findByText('Use at least 12 characters.')).toBeInTheDocument()
    expect(screen.getByLabelText('Organisation name')).toHaveAccessibleDescription(
      'The organisation name needs at least 2 characters.',
    )
    expect(screen.getByLabelText('Work e-mail')).toHaveAccessibleDescription('Enter a valid e-mail address.')

    const user = userEvent.setup()
    await user.clear(screen.getByLabelText('Password'))
    await user.type(screen.getByLabelText('Password'), 'longenoughbutlower1!')
    await user.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findByText('Add an upper-case letter.')).toBeInTheDocument()

    await user.clear(screen.getByLabelText('Password'))
    await user.type(screen.getByLabelText('Password'), STRONG)
    await user.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findByText('The passwords do not match.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('places API field errors next to their fields', async () => {
    mocks.http.onPost('/api/auth/register/').reply(400, {
      detail: 'Invalid input.',
      code: 'invalid',
      errors: { email: ['This e-mail domain is not accepted.'], password: ['This password is too common.'] },
    })
    renderApp('/register')
    await fillForm({ org: 'Acme', email: 'me@example.com', password: STRONG, confirm: STRONG })

    await waitFor(() =>
      expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('This password is too common.'),
    )
    expect(screen.getByLabelText('Work e-mail')).toHaveAccessibleDescription('This e-mail domain is not accepted.')
    expect(screen.getByLabelText('Work e-mail')).toHaveAttribute('aria-invalid', 'true')
    // Every error found its field, so there is no banner repeating the generic detail.
    expect(screen.queryByText('Invalid input.')).not.toBeInTheDocument()
  })

  it('shows a duplicate organisation name (409) on the organisation field', async () => {
    mocks.http.onPost('/api/auth/register/').reply(409, {
      detail: 'An organisation with this name already exists.',
      code: 'duplicate_organization_name',
    })
    renderApp('/register')
    await fillForm({ org: 'Acme', email: 'me@example.com', password: STRONG, confirm: STRONG })

    await waitFor(() =>
      expect(screen.getByLabelText('Organisation name')).toHaveAccessibleDescription(
        'An organisation with this name already exists.',
      ),
    )
  })

  it('opens the sign-in page asking to confirm the e-mail on 201, without signing in', async () => {
    mocks.http.onPost('/api/auth/register/').reply(201, {
      tenant: { id: 't9', name: 'Acme', schema: 't_acme9' },
      user: { id: 'u9', email: 'me@example.com', role: 'owner' },
    })
    const { router } = renderApp('/register')
    await fillForm({ org: 'Acme', email: 'me@example.com', password: STRONG, confirm: STRONG })

    expect(await screen.findByRole('heading', { name: 'Sign in to StatusWatch' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/login')
    expect(screen.getByTestId('login-notice')).toHaveTextContent('Your organisation is ready')
    expect(screen.getByTestId('login-notice')).toHaveTextContent(/link to confirm your address/)
    expect(mocks.http.history.post).toHaveLength(1)
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({
      organization_name: 'Acme',
      email: 'me@example.com',
      password: STRONG,
      password_confirm: STRONG,
    })
    expect(useSession.getState().access).toBeNull()
  })

  it('says when to try again after too many sign-ups (429 with Retry-After)', async () => {
    mocks.http
      .onPost('/api/auth/register/')
      .reply(429, { detail: 'Too many requests.', code: 'rate_limited' }, { 'Retry-After': '1200' })
    renderApp('/register')
    await fillForm({ org: 'Acme', email: 'me@example.com', password: STRONG, confirm: STRONG })

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-ups from this network. Try again in 20 minutes.')
  })

  it("states the Free plan's endpoint limit as the plans API gives it, without signing in", async () => {
    mocks.http.onGet('/api/billing/plans/').reply(200, [{ ...plans[0], endpoint_limit: 5 }, plans[1]])
    renderApp('/register')

    expect(await screen.findByText('Start monitoring up to 5 endpoints for free.')).toBeInTheDocument()
    const request = mocks.http.history.get.find((r) => r.url === '/api/billing/plans/')
    expect(request?.headers?.Authorization).toBeUndefined()
  })

  it('names no limit while the plans cannot be loaded', async () => {
    mocks.http.onGet('/api/billing/plans/').reply(503, { detail: 'Billing is not configured.', code: 'billing_not_configured' })
    renderApp('/register')

    await waitFor(() => expect(mocks.http.history.get.some((r) => r.url === '/api/billing/plans/')).toBe(true))
    expect(await screen.findByText('Start monitoring for free.')).toBeInTheDocument()
    expect(screen.queryByText(/up to \d/)).not.toBeInTheDocument()
  })
})
