// I-6: work after the interface (Arbeid Etter Grensesnitt, AEG) the appointment system's technician
// does with a visit, ordered with a switch-ISP booking (deck slide 64: "eksempler på AEG - tjenester er
// ekstra stikkontakt, modem o.l."). Pure: the domain and the workflows read it too.
export const AEG_WORK = ['extra-socket', 'modem-installation', 'internal-cabling', 'wifi-setup', 'splitter-installation'] as const;
export type AegWork = (typeof AEG_WORK)[number];
