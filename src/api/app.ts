import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Store } from '../store/repositories.js';
import type { AccountsService } from '../service/accounts.js';
import type { InteractionsService } from '../service/interactions.js';
import type { CursorCodec } from '../service/cursor.js';
import type { ResourcesService } from '../service/resources.js';
import type { SyncService } from '../service/sync.js';
import { syncRoutes } from './routes/sync.js';
import { serializerCompiler } from './serializer.js';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandling } from './errors.js';
import { installWarmAnswers, type WarmAnswers } from './warm-answers.js';
import { installAuth } from './auth.js';
import { requestLogView } from './log.js';
import { parseQueryString } from './query.js';
import { RouteTable } from './route-table.js';
import { installJsonBodies } from './bodies.js';
import { documentQuerySerialization, pruneUnusedSchemas, QUERY_SERIALIZATION } from './openapi.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../config.js';
import { BODY_LIMIT_BYTES, HEADERS_TIMEOUT_MS, ROUTER_MAX_PARAM_LENGTH } from './limits.js';
import { healthRoutes } from './routes/health.js';
import { accountRoutes } from './routes/accounts.js';
import { interactionRoutes } from './routes/interactions.js';
import { resourceRoutes } from './routes/resources.js';
import { tokenRoutes } from './routes/tokens.js';
import type { TokensService } from '../service/tokens.js';
import { installOperations, requestIdOptions, type OperationsOptions } from './operations.js';
import { webhookRoutes } from './routes/webhooks.js';
import type { WebhooksService } from '../service/webhooks.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { activityRoutes } from './routes/activity.js';
import type { ActivityService } from '../service/activity.js';
import type { ScorecardsService } from '../service/scorecards.js';
import { integrationRoutes } from './routes/integrations.js';
import { connectSessionRoutes } from './routes/connect-sessions.js';
import { connectPageRoutes, type ConnectPageOptions } from './routes/connect-page.js';

export interface ApiDeps {
  store: Store;
  accounts: AccountsService;
  interactions: InteractionsService;
  resources: ResourcesService;
  sync: SyncService;
  tokens: TokensService;
  webhooks?: WebhooksService;
  activity: ActivityService;
  scorecards: ScorecardsService;
  cursors: CursorCodec;
  logger: Logger;
  /** the edge's configurable limits (src/config.ts); absent fields take their defaults */
  limits?: { requestTimeoutMs?: number };
  /** request ids, compression, CORS, /metrics (src/api/operations.ts) */
  operations?: OperationsOptions;
  /** integrations catalog, connect sessions and the connect page */
  connect: ConnectPageOptions;
  /** store answers of list pages kept and sent again while no write could have changed them */
  warm?: WarmAnswers;
}

/** Paths redacted from every log line: credentials and tokens never reach a log. */
export const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'credentials'];

/**
 * Swagger UI's default policy ends with `upgrade-insecure-requests`, which makes a browser fetch the
 * page's own assets over https: at any address but localhost (which browsers exempt) the page stays
 * blank behind plain http. Every asset is served by Parley itself, so `https:` sources go too.
 */
export function docsContentSecurityPolicy(policy: string): string {
  return policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && d !== 'upgrade-insecure-requests')
    .map((d) => d.split(/\s+/).filter((s) => s !== 'https:' && s !== 'validator.swagger.io').join(' '))
    .join('; ');
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const requestTimeoutMs = deps.limits?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const routes = new RouteTable();
  const app = Fastify({
    loggerInstance: deps.logger.child({}, { serializers: { req: requestLogView } }) as FastifyBaseLogger,
    routerOptions: { querystringParser: parseQueryString, maxParamLength: ROUTER_MAX_PARAM_LENGTH },
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      // Node looks for late requests every 30 s by default, which would let one wait twice its timeout
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(requestTimeoutMs / 4))),
    },
    clientErrorHandler: clientErrorHandler(requestTimeoutMs),
    frameworkErrors: frameworkErrorHandler(routes, deps.store.tokens),
    ...requestIdOptions(),
  });
  routes.install(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, routes);
  installJsonBodies(app);
  await installOperations(app, deps.operations ?? {});
  installAuth(app, deps.store.tokens);
  installWarmAnswers(app, deps.warm);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parley — Unified Conversational Intelligence API',
        version: '1',
        description: [
          'One REST API and one schema over Gong and other conversation-intelligence vendors. Authenticate with `Authorization: Bearer <api token>`.',
          '',
          QUERY_SERIALIZATION,
        ].join('\n'),
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/', description: 'the Parley server that serves this document' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => pruneUnusedSchemas(documentQuerySerialization(jsonSchemaTransformObject(input))),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: docsContentSecurityPolicy });

  app.get('/openapi.json', { config: { auth: false }, schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes);
  await app.register(accountRoutes({ accounts: deps.accounts, sync: deps.sync, cursors: deps.cursors }));
  await app.register(syncRoutes({ sync: deps.sync }));
  await app.register(interactionRoutes({ interactions: deps.interactions }));
  await app.register(resourceRoutes({ resources: deps.resources }));
  await app.register(tokenRoutes({ tokens: deps.tokens }));
  if (deps.webhooks) await app.register(webhookRoutes({ webhooks: deps.webhooks, cursors: deps.cursors }));
  await app.register(dashboardRoutes);
  await app.register(activityRoutes({ activity: deps.activity, scorecards: deps.scorecards }));
  await app.register(integrationRoutes({ connect: deps.connect.connect, cursors: deps.cursors }));
  await app.register(connectSessionRoutes({ connect: deps.connect.connect, ...(deps.connect.publicUrl ? { publicUrl: deps.connect.publicUrl } : {}) }));
  await app.register(connectPageRoutes(deps.connect));
  return app;
}
