import type { Endpoint } from '@/api/types'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { TrashIcon } from '@/components/TrashIcon'
import { Button } from '@/components/ui/button'
import { useDeleteEndpoint } from '@/hooks/useDeleteEndpoint'

export function DeleteEndpointButton({ endpoint }: { endpoint: Endpoint }) {
  const deleteEndpoint = useDeleteEndpoint()
  const label = endpoint.name || endpoint.url
  return (
    <ConfirmDeleteDialog
      name={label}
      onConfirm={() => deleteEndpoint(endpoint.id)}
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Delete ${label}`} className="text-slate-500 hover:text-red-600">
          <TrashIcon />
        </Button>
      }
    />
  )
}
