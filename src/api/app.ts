import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import qs from 'qs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Store } from '../store/repositories.js';
import type { AccountsService } from '../service/accounts.js';
import type { InteractionsService } from '../service/interactions.js';
import type { CursorCodec } from '../service/cursor.js';
import type { ResourcesService } from '../service/resources.js';
import type { SyncService } from '../service/sync.js';
import { syncRoutes } from './routes/sync.js';
import { installErrorHandling } from './errors.js';
import { installAuth } from './auth.js';
import { healthRoutes } from './routes/health.js';
import { accountRoutes } from './routes/accounts.js';
import { interactionRoutes } from './routes/interactions.js';
import { resourceRoutes } from './routes/resources.js';

export interface ApiDeps {
  store: Store;
  accounts: AccountsService;
  interactions: InteractionsService;
  resources: ResourcesService;
  sync: SyncService;
  cursors: CursorCodec;
  logger: Logger;
}

/** Paths redacted from every log line: credentials and tokens never reach a log. */
export const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'credentials'];

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // bracket notation for objects and arrays: users[][id]=1, users[0][id]=1
    routerOptions: { querystringParser: (s: string) => qs.parse(s, { depth: 4, arrayLimit: 1000, parameterLimit: 2000 }) },
    bodyLimit: 50 * 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installAuth(app, deps.store.tokens);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parley — Unified Conversational Intelligence API',
        version: '1',
        description:
          'One REST API and one schema over Gong and other conversation-intelligence vendors. Authenticate with `Authorization: Bearer <api token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.get('/openapi.json', { config: { auth: false }, schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes);
  await app.register(accountRoutes({ accounts: deps.accounts, sync: deps.sync, cursors: deps.cursors }));
  await app.register(syncRoutes({ sync: deps.sync }));
  await app.register(interactionRoutes({ interactions: deps.interactions }));
  await app.register(resourceRoutes({ resources: deps.resources }));
  return app;
}
