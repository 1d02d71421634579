/*
 * sw-monitors' background catch-up: after start-up, a thread of its own
 * brings every tenant schema still behind this release's tenant migrations
 * up to date (tenant_migrate_all.h, one worker), logging its progress. The
 * service does not wait for it: tenant requests migrate their own tenant on
 * first use (mon_tenant_get), and in a Kubernetes upgrade the migration Job
 * (`sw-admin migrate`) has already done the work, so it finds nothing. It is
 * what makes a stack without that Job (`make run`, compose) converge.
 */
#ifndef MON_TENANT_CATCHUP_H
#define MON_TENANT_CATCHUP_H

struct mon_catchup;

int mon_catchup_start(const char *database_url, struct mon_catchup **out);

/* Stops after the schema in hand and frees it; NULL is a no-op. */
void mon_catchup_stop(struct mon_catchup *c);

#endif
