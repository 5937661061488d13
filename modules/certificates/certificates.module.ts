import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments';
import { KpiRefreshModule } from '../kpis';
import { StaffModule } from '../staff';
import { StudentsCoreModule } from '../students';
import { Certificate } from './certificate.entity';
import { CertificatesController } from './certificates.controller';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Certificate]),
    AttachmentsModule,
    StaffModule,
    StudentsCoreModule,
    KpiRefreshModule,
    MulterModule.register({ defParamCharset: 'utf8', limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 5, parts: 6 } }),
  ],
  controllers: [CertificatesController],
  providers: [CertificatesRepository, CertificatesService],
  exports: [CertificatesService],
})
export class CertificatesModule {}
