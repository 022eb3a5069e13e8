// The worker's workflow bundle entry: every workflow type the product runs.
export { serviceRequestWorkflow } from './service-request/workflow';
