import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { enrichDocument } from './openapi/enrich';
import { routeMetadata } from './openapi/route-metadata';

/** The served document of each app (by its HTTP server): the e2e response validator reads it. */
const DOCUMENTS = new WeakMap<object, OpenAPIObject>();

export function openApiDocumentOf(server: object): OpenAPIObject | undefined {
  return DOCUMENTS.get(server);
}

/** The document as /api/docs-json serves it: built from the decorators, then enriched (src/http/openapi/). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Jishi 学制技师培养管理平台 API')
    .setDescription(
      '广东省技师学院学制技师培养改革试点的后端接口。错误统一为 RFC 9457 application/problem+json（`Problem`），' +
        '默认中文，`Accept-Language: en` 时返回英文；每个接口列出其可能返回的错误码。列表使用 `limit` 与不透明 `cursor` 分页。',
    )
    .setVersion('1.0')
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  return enrichDocument(document, routeMetadata(app));
}

/** OpenAPI 3.1 at /api/docs (UI) and /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  DOCUMENTS.set(app.getHttpServer(), document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
