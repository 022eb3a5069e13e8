// The benchmark's ceiling: a workflow that does nothing, started and completed through the same
// dev server and worker settings as the product (npm run bench).
export async function noopWorkflow(): Promise<void> {}
