// I-6: AEG add-on work ordered with a technician booking, known to the appointment system.
// Free of zod on purpose: the adapters import it, and a schema built before @hono/zod-openapi has extended
// zod would lack .openapi() in the API's route declarations.
export const AEG_SERVICES = ['extra-socket', 'modem-installation', 'internal-cabling', 'wifi-setup', 'splitter-installation'] as const;
export type AegService = (typeof AEG_SERVICES)[number];
