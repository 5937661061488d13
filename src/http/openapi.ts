import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI 3 at /api/docs (UI) and /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Jishi 学制技师培养管理平台 API')
    .setDescription(
      '广东省技师学院学制技师培养改革试点的后端接口。错误统一为 RFC 9457 application/problem+json，' +
        '默认中文，`Accept-Language: en` 时返回英文。列表使用 `limit` 与不透明 `cursor` 分页。',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
