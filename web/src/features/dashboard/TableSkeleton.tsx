import { Skeleton } from '@/components/ui/skeleton'

export function TableSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div className="divide-y divide-slate-100" aria-busy="true" aria-label="Loading endpoints">
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="flex items-center gap-4 px-5 py-4">
          <Skeleton className="h-4 w-32" />
          <Skeleton className="hidden h-4 flex-1 md:block" />
          <Skeleton className="h-5 w-14 rounded-full" />
          <Skeleton className="h-4 w-12" />
        </div>
      ))}
    </div>
  )
}
