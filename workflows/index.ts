// The worker's workflow bundle entry: every workflow type the product runs.
export { serviceRequestWorkflow } from './service-request/workflow';
export { quoteWorkflow } from './quote/workflow';
export { orderWorkflow } from './order/workflow';
export { orderLineWorkflow } from './order/line-workflow';
export { orderFromQuoteWorkflow } from './order/from-quote';
export { switchIspWorkflow } from './switch-isp/workflow';
export { terminationWorkflow } from './termination/workflow';
export { troubleTicketWorkflow } from './trouble-ticket/workflow';
export { invoiceRunWorkflow } from './invoice/run';
export { invoiceMonthWorkflow } from './invoice/month';
export { noopWorkflow } from './bench';
export { switchIspOrderWorkflow } from './switch-isp/order-workflow';
export { terminationOrderWorkflow } from './termination/order-workflow';
