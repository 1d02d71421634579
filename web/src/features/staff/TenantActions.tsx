import { useState } from 'react'
import { Link } from '@tanstack/react-router'
import { toApiError } from '@/api/errors'
import type { StaffTenant } from '@/api/types'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog'
import { Button, buttonVariants } from '@/components/ui/button'
import { Label } from '@/components/ui/label'
import { inputClasses } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { cn } from '@/lib/cn'

interface TenantActionsProps {
  tenant: StaffTenant
  onSuspend: (reason: string) => Promise<unknown>
  onReactivate: () => Promise<unknown>
}

const REASON_MAX = 500

/** Suspend (with a reason the audit log keeps) or reactivate, each behind a dialog. */
function ActionDialog({
  tenant,
  mode,
  onConfirm,
}: {
  tenant: StaffTenant
  mode: 'suspend' | 'reactivate'
  onConfirm: (reason: string) => Promise<unknown>
}) {
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const suspend = mode === 'suspend'

  const confirm = async (event: React.FormEvent) => {
    event.preventDefault()
    if (suspend && !reason.trim()) {
      setError('Say why: the tenant’s audit log keeps the reason.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await onConfirm(reason.trim())
      setOpen(false)
      setReason('')
    } catch (cause) {
      const apiError = toApiError(cause)
      setError(apiError.status === 404 ? 'This tenant no longer exists.' : (apiError.errors.reason?.join(' ') ?? apiError.detail))
    } finally {
      setBusy(false)
    }
  }

  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (!busy) setOpen(next)
        if (!next) setError(null)
      }}
    >
      <AlertDialogTrigger asChild>
        <Button variant={suspend ? 'outline' : 'secondary'} size="sm" aria-label={`${suspend ? 'Suspend' : 'Reactivate'} ${tenant.name}`}>
          {suspend ? 'Suspend' : 'Reactivate'}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <form onSubmit={confirm} noValidate>
          <AlertDialogHeader>
            <AlertDialogTitle>{suspend ? `Suspend ${tenant.name}?` : `Reactivate ${tenant.name}?`}</AlertDialogTitle>
            <AlertDialogDescription>
              {suspend
                ? 'From its next request every member and API key gets 403 account_suspended, except for billing, so it can still pay.'
                : 'Its members and API keys work again from their next request.'}
            </AlertDialogDescription>
          </AlertDialogHeader>
          {suspend && (
            <div className="mt-4 space-y-1.5">
              <Label htmlFor={`reason-${tenant.id}`}>Reason</Label>
              <textarea
                id={`reason-${tenant.id}`}
                rows={3}
                maxLength={REASON_MAX}
                value={reason}
                onChange={(event) => {
                  setReason(event.target.value)
                  if (error) setError(null)
                }}
                aria-invalid={error ? true : undefined}
                className={cn(inputClasses, 'h-auto py-2')}
                placeholder="Unpaid invoices since March; abuse report #1234"
              />
            </div>
          )}
          {error && (
            <p role="alert" className="mt-3 text-sm font-medium text-red-600">
              {error}
            </p>
          )}
          <AlertDialogFooter>
            <AlertDialogCancel disabled={busy}>Cancel</AlertDialogCancel>
            <Button type="submit" variant={suspend ? 'destructive' : 'primary'} disabled={busy}>
              {busy && <Spinner />}
              {suspend ? 'Suspend' : 'Reactivate'}
            </Button>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  )
}

export function TenantActions({ tenant, onSuspend, onReactivate }: TenantActionsProps) {
  return (
    <div className="flex flex-wrap items-center gap-2 xl:flex-nowrap xl:justify-end">
      {tenant.account_status === 'suspended' ? (
        <ActionDialog tenant={tenant} mode="reactivate" onConfirm={() => onReactivate()} />
      ) : (
        <ActionDialog tenant={tenant} mode="suspend" onConfirm={onSuspend} />
      )}
      <Link
        to="/staff/bank-transfer"
        search={{ tenant_id: tenant.id }}
        className={buttonVariants({ variant: 'ghost', size: 'sm' })}
        aria-label={`Record a bank transfer for ${tenant.name}`}
      >
        Bank transfer
      </Link>
    </div>
  )
}
