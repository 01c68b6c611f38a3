import { Router, type Route } from './router.js';
import { authMethodRoutes } from './resources/auth-methods.js';
import { batchRoutes, type SubRequestExecutor } from './resources/batch.js';
import { domainRoutes } from './resources/domains.js';
import { groupRoutes } from './resources/groups.js';
import { licenseRoutes } from './resources/licenses.js';
import { mailRoutes } from './resources/mail.js';
import { memberRoutes } from './resources/members.js';
import { roleRoutes } from './resources/roles.js';
import { servicePrincipalRoutes } from './resources/service-principals.js';
import { userRelationRoutes } from './resources/user-relations.js';
import { userRoutes } from './resources/users.js';

/** Every Graph operation the stand-in serves, one route table per resource family. */
export function allRoutes(batchExecutor: SubRequestExecutor): Route[] {
  return [
    ...batchRoutes(batchExecutor),
    ...userRoutes,
    ...userRelationRoutes,
    ...authMethodRoutes,
    ...mailRoutes,
    ...licenseRoutes,
    ...groupRoutes,
    ...memberRoutes,
    ...roleRoutes,
    ...domainRoutes,
    ...servicePrincipalRoutes,
  ];
}

export function buildRouter(batchExecutor: SubRequestExecutor): Router {
  return new Router().add(allRoutes(batchExecutor));
}
