// Before any test file's imports: @hono/zod-openapi extends zod with .openapi(), and zod 4 copies its
// methods onto each schema when the schema is built, so a domain schema built first (a test importing a
// domain module before the API) would lack it. The product's entry points import it first for the same reason.
import '@hono/zod-openapi';
