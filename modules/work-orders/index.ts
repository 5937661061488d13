export { WorkOrdersModule } from './work-orders.module';
export { WorkOrdersService } from './work-orders.service';
export { WorkOrderErrors } from './work-orders.errors';
export { WORK_ORDER_KINDS, WORK_ORDER_STATUSES } from './work-order.entity';
export type { WorkOrderKind, WorkOrderStatus } from './work-order.entity';
