import { ApiProperty } from '@nestjs/swagger';

/** A reference to another record by id and display name (student, mentor, enterprise …). */
export class NamedRefView {
  @ApiProperty({ format: 'uuid', example: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a' }) id: string;
  @ApiProperty({ example: '李明轩', maxLength: 200 }) name: string;
}

/** A non-blocking notice in both languages (e.g. a class above the recommended size). */
export class NoticeView {
  @ApiProperty({ example: 'COHORT.ABOVE_RECOMMENDED_SIZE', maxLength: 100 }) code: string;
  @ApiProperty({ example: '班级人数超过建议值', maxLength: 1000 }) zh: string;
  @ApiProperty({ example: 'The class is above the recommended size', maxLength: 1000 }) en: string;
}
