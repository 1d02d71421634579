import { Link } from '@tanstack/react-router'
import { Card } from '@/components/ui/card'
import { buttonVariants } from '@/components/ui/button'

/** A page a member (or a role changed meanwhile) may not use: said plainly, with a way on. */
export function PermissionNotice({ what, testId }: { what: string; testId?: string }) {
  return (
    <Card className="flex flex-col items-center gap-3 px-6 py-10 text-center" data-testid={testId} role="status">
      <svg viewBox="0 0 24 24" className="h-8 w-8 text-slate-400" fill="none" aria-hidden="true">
        <rect x="5" y="10.5" width="14" height="10" rx="2" stroke="currentColor" strokeWidth="1.8" />
        <path d="M8 10.5V8a4 4 0 1 1 8 0v2.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      <h2 className="text-base font-semibold text-slate-900">Owners and admins only</h2>
      <p className="max-w-md text-sm text-slate-600">
        Only an owner or an admin of this organisation can see {what}. Ask one of them if you need access.
      </p>
      <Link to="/settings/team" className={buttonVariants({ variant: 'outline', size: 'sm' })}>
        See who they are
      </Link>
    </Card>
  )
}
