import { useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { setupTwoFactor } from '@/api/auth'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { TwoFactorSetup } from '@/api/types'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { useMe } from '@/hooks/useMe'
import { DisableTwoFactorForm } from './DisableTwoFactorForm'
import { RecoveryCodes } from './RecoveryCodes'
import { TwoFactorSetupPanel } from './TwoFactorSetupPanel'

type Phase =
  | { kind: 'overview' }
  | { kind: 'setup'; setup: TwoFactorSetup }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'disable' }

type Notice = { tone: 'success' | 'info' | 'error'; text: string } | null

/**
 * Two-factor sign-in for the signed-in user. Whether it is on comes from
 * `user.two_factor_enabled` in /me when the backend sends it; otherwise from what this
 * page has seen (a 409 already_enabled on set-up, a confirm, a disable).
 */
export function TwoFactorCard() {
  const me = useMe()
  const queryClient = useQueryClient()
  const [phase, setPhase] = useState<Phase>({ kind: 'overview' })
  const [known, setKnown] = useState<boolean | null>(null)
  const [notice, setNotice] = useState<Notice>(null)
  // The answer holds the secret: kept out of the mutation cache once used.
  const { mutateAsync: startSetup, isPending: starting } = useMutation({ mutationFn: setupTwoFactor, gcTime: 0 })

  const fromMe = me.data?.user.two_factor_enabled
  const enabled = known ?? fromMe
  const refreshMe = () => void queryClient.invalidateQueries({ queryKey: queryKeys.me })

  const begin = async () => {
    setNotice(null)
    try {
      setPhase({ kind: 'setup', setup: await startSetup() })
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'already_enabled' || apiError.status === 409) {
        setKnown(true)
        setNotice({ tone: 'info', text: 'Two-factor authentication is already on for your account.' })
        refreshMe()
        return
      }
      setNotice({ tone: 'error', text: apiError.detail })
    }
  }

  const enabledNow = (codes: string[]) => {
    setKnown(true)
    setPhase({ kind: 'codes', codes })
    refreshMe()
  }

  const disabledNow = () => {
    setKnown(false)
    setPhase({ kind: 'overview' })
    setNotice({ tone: 'success', text: 'Two-factor authentication is off. Your password alone signs you in now.' })
    refreshMe()
  }

  let body
  if (me.isPending && known === null) {
    body = <Skeleton className="h-16" />
  } else if (phase.kind === 'setup') {
    body = (
      <TwoFactorSetupPanel setup={phase.setup} onEnabled={enabledNow} onCancel={() => setPhase({ kind: 'overview' })} />
    )
  } else if (phase.kind === 'codes') {
    body = (
      <RecoveryCodes
        codes={phase.codes}
        email={me.data?.user.email}
        onDone={() => {
          setPhase({ kind: 'overview' })
          setNotice(null)
        }}
      />
    )
  } else if (phase.kind === 'disable') {
    body = <DisableTwoFactorForm onDisabled={disabledNow} onCancel={() => setPhase({ kind: 'overview' })} />
  } else {
    body = (
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-slate-700">
          {enabled
            ? 'Signing in asks for a code from your authenticator app after your password.'
            : 'Add a second step to signing in: a 6-digit code from an authenticator app on your phone, so a stolen password is not enough.'}
        </p>
        {enabled ? (
          <Button variant="outline" onClick={() => setPhase({ kind: 'disable' })} className="shrink-0">
            Turn off…
          </Button>
        ) : (
          <Button onClick={() => void begin()} disabled={starting} className="shrink-0">
            {starting && <Spinner />}
            Enable two-factor
          </Button>
        )}
      </div>
    )
  }

  return (
    <Card data-testid="two-factor-card">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <div className="space-y-1">
          <CardTitle>Two-factor authentication</CardTitle>
          <CardDescription>A code from your phone at every sign-in.</CardDescription>
        </div>
        {enabled !== undefined && (
          <TonePill
            label={enabled ? 'On' : 'Off'}
            tone={enabled ? 'green' : 'grey'}
            status={enabled ? 'on' : 'off'}
            testId="two-factor-status"
          />
        )}
      </CardHeader>
      <CardContent className="space-y-4">
        {notice && phase.kind === 'overview' && <Alert tone={notice.tone}>{notice.text}</Alert>}
        {body}
      </CardContent>
    </Card>
  )
}
