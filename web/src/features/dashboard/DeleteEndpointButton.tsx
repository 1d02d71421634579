import type { Endpoint } from '@/api/types'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { TrashIcon } from '@/components/TrashIcon'
import { Button } from '@/components/ui/button'
import { useDeleteEndpoint } from '@/hooks/useDeleteEndpoint'
import { cn } from '@/lib/cn'
import { displayName } from '@/lib/endpoint'

export function DeleteEndpointButton({ endpoint, className }: { endpoint: Endpoint; className?: string }) {
  const deleteEndpoint = useDeleteEndpoint()
  const label = displayName(endpoint)
  return (
    <ConfirmDeleteDialog
      name={label}
      onConfirm={() => deleteEndpoint(endpoint.id)}
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Delete ${label}`} className={cn('text-slate-500 hover:text-red-600', className)}>
          <TrashIcon />
        </Button>
      }
    />
  )
}
