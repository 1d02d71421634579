import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { useMe } from '@/hooks/useMe'
import { useResendVerification } from '@/hooks/useResendVerification'

/**
 * Shown on every signed-in page while /me says the user's e-mail is unverified
 * (api.md: checkout, invitations and external notification channels wait for it).
 */
export function VerifyEmailBanner() {
  const me = useMe()
  const { resend, pending, state } = useResendVerification()
  const user = me.data?.user
  if (!user || user.email_verified !== false) return null

  return (
    <Alert
      tone="warning"
      title="Confirm your e-mail address"
      className="mb-6"
      data-testid="verify-email-banner"
      action={
        <Button variant="outline" size="sm" onClick={() => void resend()} disabled={pending} className="w-full sm:w-auto">
          {pending && <Spinner />}
          {state.kind === 'sent' ? 'Send again' : 'Resend e-mail'}
        </Button>
      }
    >
      <p>
        We sent a confirmation link to <strong className="break-all font-semibold">{user.email}</strong>. Upgrading,
        inviting people and notification channels wait until you open it.
      </p>
      <p className="mt-1 empty:hidden" aria-live="polite" data-testid="verify-email-resend-result">
        {state.kind === 'sent'
          ? 'A new link is on its way. It works for 48 hours; check your spam folder too.'
          : state.kind === 'already'
            ? 'Your address is already confirmed.'
            : state.kind === 'error'
              ? state.message
              : ''}
      </p>
    </Alert>
  )
}
