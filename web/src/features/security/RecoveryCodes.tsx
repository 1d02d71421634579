import { useState } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'

const FILE_NAME = 'statuswatch-recovery-codes.txt'

function fileText(codes: string[], email: string | undefined): string {
  return [
    'StatusWatch recovery codes',
    email ? `Account: ${email}` : null,
    '',
    'Each code signs you in once when you cannot use your authenticator app.',
    '',
    ...codes,
    '',
  ]
    .filter((line) => line !== null)
    .join('\n')
}

/**
 * The ten single-use recovery codes from POST /api/auth/2fa/confirm/. The API sends them
 * this once; they live only in this component's props, never in a cache.
 */
export function RecoveryCodes({ codes, email, onDone }: { codes: string[]; email?: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const text = fileText(codes, email)

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'))
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }

  return (
    <div className="space-y-4" data-testid="recovery-codes">
      <Alert tone="success" title="Two-factor authentication is on">
        From now on, signing in asks for a code from your authenticator app after your password.
      </Alert>
      <Alert tone="warning" title="Save your recovery codes now">
        <p>
          They are shown <strong>only this once</strong>. If you lose your phone, each code lets you sign in one time.
          Keep them in a password manager or print them, away from your phone.
        </p>
      </Alert>
      <ol
        aria-label="Recovery codes"
        className="grid grid-cols-1 gap-2 rounded-lg border border-slate-200 bg-slate-50 p-4 font-mono text-sm text-slate-900 min-[22rem]:grid-cols-2"
      >
        {codes.map((code) => (
          <li key={code} className="select-all break-all rounded bg-white px-2 py-1 text-center ring-1 ring-slate-200">
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Button variant="outline" onClick={() => void copy()}>
          Copy codes
        </Button>
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download={FILE_NAME}
          className={buttonVariants({ variant: 'outline' })}
        >
          Download as a text file
        </a>
        <Button onClick={onDone} className="sm:ml-auto">
          I have saved my codes
        </Button>
      </div>
      <p className="text-xs text-slate-600 empty:hidden" aria-live="polite">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'The browser did not allow copying: select the codes above and copy them, or download the file.'
            : ''}
      </p>
    </div>
  )
}
