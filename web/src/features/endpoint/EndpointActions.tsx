import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { updateEndpoint } from '@/api/endpoints'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { Endpoint } from '@/api/types'
import { TrashIcon } from '@/components/TrashIcon'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { useDeleteEndpoint } from '@/hooks/useDeleteEndpoint'
import { isPaused } from '@/lib/endpoint'
import { displayName } from '@/lib/endpoint'

/** Pause / resume and delete, with the API's answer reflected at once. */
export function EndpointActions({ endpoint, onError }: { endpoint: Endpoint; onError: (message: string | null) => void }) {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const deleteEndpoint = useDeleteEndpoint()
  const paused = isPaused(endpoint)

  const toggle = useMutation({
    mutationFn: () => updateEndpoint(endpoint.id, { paused: !paused }),
    onMutate: () => onError(null),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.endpoint(endpoint.id), updated)
      void queryClient.invalidateQueries({ queryKey: queryKeys.endpoints })
    },
    onError: (error) => onError(toApiError(error).detail),
  })

  const remove = async () => {
    await deleteEndpoint(endpoint.id, () => navigate({ to: '/dashboard' }))
  }

  return (
    <div className="flex gap-2">
      <Button variant="outline" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
        {toggle.isPending && <Spinner />}
        {paused ? 'Resume' : 'Pause'}
      </Button>
      <ConfirmDeleteDialog
        name={displayName(endpoint)}
        onConfirm={remove}
        trigger={
          <Button variant="outline" className="text-red-600 hover:bg-red-50 hover:text-red-700">
            <TrashIcon />
            Delete
          </Button>
        }
      />
    </div>
  )
}
