import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { mockApi, renderApp, signIn } from '@/test/renderApp'
import { useSession } from '@/stores/session'

const STRONG = 'New-Correct-Horse-7'
const PATH = '/api/auth/password-reset/confirm/'

async function choose(password: string, confirm: string) {
  const user = userEvent.setup()
  await user.type(await screen.findByLabelText('New password'), password)
  await user.type(screen.getByLabelText('Confirm new password'), confirm)
  await user.click(screen.getByRole('button', { name: 'Change password' }))
  return user
}

describe('ResetPasswordPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
  })
  afterEach(() => mocks.restore())

  it('applies the sign-up password policy, with its checklist, before sending', async () => {
    renderApp('/reset-password?token=tok-1')
    expect(await screen.findByRole('list', { name: 'Password requirements' })).toBeInTheDocument()
    await choose('short', 'short')
    expect(await screen.findByText('Use at least 12 characters.')).toBeInTheDocument()

    const user = userEvent.setup()
    await user.clear(screen.getByLabelText('New password'))
    await user.type(screen.getByLabelText('New password'), STRONG)
    await user.click(screen.getByRole('button', { name: 'Change password' }))
    expect(await screen.findByText('The passwords do not match.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('sends the token exactly as the link has it and then offers the sign-in page', async () => {
    mocks.http.onPost(PATH).reply(200, {})
    const { router } = renderApp('/reset-password?token=00123')
    const user = await choose(STRONG, STRONG)

    expect(await screen.findByTestId('password-changed')).toBeInTheDocument()
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ token: '00123', password: STRONG, password_confirm: STRONG })
    expect(mocks.http.history.post[0].headers?.Authorization).toBeUndefined()

    await user.click(screen.getByRole('link', { name: 'Sign in' }))
    expect(await screen.findByTestId('login-notice')).toHaveTextContent('Your password has been changed')
    expect(router.state.location.pathname).toBe('/login')
  })

  it('ends a session held in this browser, since the reset revoked it', async () => {
    signIn()
    mocks.http.onPost(PATH).reply(200, {})
    renderApp('/reset-password?token=tok-1')
    await choose(STRONG, STRONG)

    expect(await screen.findByTestId('password-changed')).toBeInTheDocument()
    expect(useSession.getState().refresh).toBeNull()
  })

  it('explains an expired link and offers a new one', async () => {
    mocks.http.onPost(PATH).reply(400, { detail: 'The reset link has expired.', code: 'token_expired' })
    const { router } = renderApp('/reset-password?token=tok-1')
    const user = await choose(STRONG, STRONG)

    const problem = await screen.findByTestId('reset-link-problem')
    expect(problem).toHaveAttribute('data-problem', 'expired')
    expect(screen.getByRole('heading', { name: 'This link has expired' })).toBeInTheDocument()
    await user.click(screen.getByRole('link', { name: 'Request a new link' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/forgot-password'))
  })

  it('explains a used or unknown link (invalid_token)', async () => {
    mocks.http.onPost(PATH).reply(400, { detail: 'Invalid token.', code: 'invalid_token' })
    renderApp('/reset-password?token=tok-1')
    await choose(STRONG, STRONG)
    expect(await screen.findByTestId('reset-link-problem')).toHaveAttribute('data-problem', 'invalid')
    expect(screen.getByRole('heading', { name: 'This link cannot be used' })).toBeInTheDocument()
  })

  it('puts the policy errors from the API under their fields', async () => {
    mocks.http.onPost(PATH).reply(400, {
      detail: 'Invalid input.',
      code: 'invalid',
      errors: { password: ['This password is too common.'] },
    })
    renderApp('/reset-password?token=tok-1')
    await choose(STRONG, STRONG)

    await waitFor(() =>
      expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('This password is too common.'),
    )
    expect(screen.queryByText('Invalid input.')).not.toBeInTheDocument()
  })

  it('says a link without a token is incomplete, with no form', async () => {
    renderApp('/reset-password')
    expect(await screen.findByRole('heading', { name: 'This link is incomplete' })).toBeInTheDocument()
    expect(screen.queryByLabelText('New password')).not.toBeInTheDocument()
  })
})
