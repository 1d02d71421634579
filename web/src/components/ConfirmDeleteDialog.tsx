import { useState, type ReactNode } from 'react'
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog'
import { Spinner } from '@/components/ui/spinner'
import { toApiError } from '@/api/errors'

interface ConfirmDeleteDialogProps {
  /** What is being deleted, as the user knows it. */
  name: string
  trigger: ReactNode
  onConfirm: () => Promise<unknown>
  /** The question asked; an endpoint's by default. */
  title?: string
  /** What deleting does, after the name; an endpoint's by default. */
  consequence?: string
  /** The confirming button's word: "Delete" unless the action is a revocation or a removal. */
  actionLabel?: string
  /** Words for a failure; the API's `detail` by default. */
  describeError?: (cause: unknown) => string
}

const ENDPOINT_CONSEQUENCE = 'will stop being monitored and its check history will be removed. This cannot be undone.'

export function ConfirmDeleteDialog({
  name,
  trigger,
  onConfirm,
  title = 'Delete this endpoint?',
  consequence = ENDPOINT_CONSEQUENCE,
  actionLabel = 'Delete',
  describeError = (cause) => toApiError(cause).detail,
}: ConfirmDeleteDialogProps) {
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const confirm = async (event: React.MouseEvent) => {
    event.preventDefault() // keep the dialog open until the API has answered
    setBusy(true)
    setError(null)
    try {
      await onConfirm()
      setOpen(false)
    } catch (cause) {
      setError(describeError(cause))
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
      <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>
            <span className="font-medium text-slate-900 break-all">{name}</span> {consequence}
          </AlertDialogDescription>
        </AlertDialogHeader>
        {error && (
          <p role="alert" className="mt-4 text-sm font-medium text-red-600">
            {error}
          </p>
        )}
        <AlertDialogFooter>
          <AlertDialogCancel disabled={busy}>Cancel</AlertDialogCancel>
          <AlertDialogAction onClick={confirm} disabled={busy}>
            {busy && <Spinner />}
            {actionLabel}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
