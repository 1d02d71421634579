import { Link, Outlet } from '@tanstack/react-router'

const tab =
  'shrink-0 whitespace-nowrap border-b-2 border-transparent px-1 pb-2.5 pt-1 text-sm font-medium text-slate-600 ' +
  'hover:border-slate-300 hover:text-slate-900 data-[status=active]:border-brand-600 data-[status=active]:text-brand-700'

/**
 * "Status" in the main navigation, with tabs: incidents and maintenance windows (every
 * role manages them) and the public status pages (owners and admins change them).
 */
export function StatusLayout() {
  return (
    <div className="space-y-6">
      <nav aria-label="Status" className="-mx-4 overflow-x-auto border-b border-slate-200 px-4 sm:mx-0 sm:px-0">
        <div className="flex gap-5">
          <Link to="/incidents" className={tab}>
            Incidents
          </Link>
          <Link to="/maintenances" className={tab}>
            Maintenance
          </Link>
          <Link to="/status-pages" className={tab}>
            Status pages
          </Link>
        </div>
      </nav>
      <Outlet />
    </div>
  )
}
