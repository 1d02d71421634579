import { Button } from '@/components/ui/button'

interface PaginationProps {
  page: number
  pageSize: number
  count: number
  onPageChange: (page: number) => void
  /** What an empty list says, e.g. "No alerts". */
  emptyLabel?: string
  /** The navigation's accessible name, when a page has more than one list. */
  label?: string
}

export function Pagination({ page, pageSize, count, onPageChange, emptyLabel = 'No endpoints', label = 'Pagination' }: PaginationProps) {
  const pages = Math.max(1, Math.ceil(count / pageSize))
  const first = count === 0 ? 0 : (page - 1) * pageSize + 1
  const last = Math.min(count, page * pageSize)
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p>
        {count === 0 ? emptyLabel : `${first}–${last} of ${count}`}
      </p>
      <div className="flex items-center gap-2">
        <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
          Previous
        </Button>
        <span aria-current="page" className="min-w-20 text-center tabular-nums">
          Page {page} of {pages}
        </span>
        <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => onPageChange(page + 1)}>
          Next
        </Button>
      </div>
    </nav>
  )
}
