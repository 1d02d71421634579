import { useEffect, useState } from 'react'
import { Skeleton } from '@/components/ui/skeleton'
import { cn } from '@/lib/cn'

interface QrCodeProps {
  value: string
  /** Said by screen readers instead of the picture. */
  label: string
  className?: string
}

/**
 * A QR code of `value` as an SVG image in a data: URL (the CSP allows `img-src data:`,
 * and an image needs no inline script or style). The encoder loads only when needed.
 */
export function QrCode({ value, label, className }: QrCodeProps) {
  const [image, setImage] = useState<{ value: string; src: string } | null>(null)
  const [failedFor, setFailedFor] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    import('qrcode')
      .then((qrcode) => qrcode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }))
      .then((svg) => {
        if (live) setImage({ value, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` })
      })
      .catch(() => {
        if (live) setFailedFor(value)
      })
    return () => {
      live = false
    }
  }, [value])

  const box = cn('h-48 w-48 shrink-0 rounded-lg border border-slate-200 bg-white', className)
  if (failedFor === value) {
    return (
      <div className={cn(box, 'flex items-center justify-center p-4 text-center text-xs text-slate-500')} role="note">
        The QR code could not be drawn. Enter the key by hand instead.
      </div>
    )
  }
  if (image?.value !== value) return <Skeleton className={box} />
  return <img src={image.src} alt={label} width={192} height={192} className={box} data-testid="qr-code" />
}
