// M-3.3: the invoice as a PDF, drawn by PDFKit from the same rows the JSON detail and the CSV
// specification are made of, so the three never disagree.
import PDFDocument from 'pdfkit';
import { formatNok } from '../domain/invoice';

export interface InvoicePdfInput {
  number: string;
  period: string;
  issueDate: string;
  dueDate: string;
  status: string;
  seller: { name: string; orgNumber: string };
  buyer: { name: string; orgNumber: string };
  vatRatePct: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
  lines: Array<{ lineNo: number; description: string; fromDate: string; toDate: string; amountOre: number }>;
  outcomes: Array<{ serviceRequest: string; outcome: 'credit_note' | 'rejected'; creditOre: number | null }>;
}

const LEFT = 50;
const RIGHT = 545;

export function renderInvoicePdf(inv: InvoicePdfInput): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Faktura ${inv.number}`, Author: inv.seller.name, Subject: `Invoice ${inv.number} for ${inv.period}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(18).text(`Faktura ${inv.number}`, LEFT, 50);
  doc.font('Helvetica').fontSize(9);
  doc.text(`${inv.seller.name}, org.nr. ${inv.seller.orgNumber}`, LEFT, 80);
  doc.text(`Kunde: ${inv.buyer.name}, org.nr. ${inv.buyer.orgNumber}`, LEFT, 95);
  doc.text(`Periode: ${inv.period}`, LEFT, 115);
  doc.text(`Fakturadato: ${inv.issueDate}`, LEFT, 128);
  doc.text(`Forfallsdato: ${inv.dueDate}`, LEFT, 141);
  doc.text(`Status: ${inv.status}`, LEFT, 154);

  let y = 185;
  const header = () => {
    doc.font('Helvetica-Bold').fontSize(8);
    doc.text('Nr', LEFT, y, { width: 20 });
    doc.text('Beskrivelse', LEFT + 22, y, { width: 300 });
    doc.text('Fra–til', LEFT + 330, y, { width: 95 });
    doc.text('Beløp NOK', LEFT + 425, y, { width: 70, align: 'right' });
    doc.font('Helvetica');
    y += 14;
  };
  header();
  for (const l of inv.lines) {
    const height = Math.max(doc.heightOfString(l.description, { width: 300 }), 10) + 4;
    if (y + height > 770) {
      doc.addPage();
      y = 50;
      header();
    }
    doc.text(String(l.lineNo), LEFT, y, { width: 20 });
    doc.text(l.description, LEFT + 22, y, { width: 300 });
    doc.text(l.fromDate === l.toDate ? l.fromDate : `${l.fromDate}–${l.toDate}`, LEFT + 330, y, { width: 95 });
    doc.text(formatNok(l.amountOre), LEFT + 425, y, { width: 70, align: 'right' });
    y += height;
  }
  if (y > 700) {
    doc.addPage();
    y = 50;
  }
  y += 8;
  doc.moveTo(LEFT, y).lineTo(RIGHT, y).stroke();
  y += 8;
  const total = (label: string, ore: number, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    doc.text(label, LEFT + 250, y, { width: 170 });
    doc.text(formatNok(ore), LEFT + 425, y, { width: 70, align: 'right' });
    y += 14;
  };
  total('Sum eks. mva', inv.netOre);
  total(`Mva ${inv.vatRatePct} %`, inv.vatOre);
  total('Å betale NOK', inv.totalOre, true);
  doc.font('Helvetica').fontSize(8);
  for (const o of inv.outcomes) {
    y += 6;
    const what = o.outcome === 'credit_note' ? `kreditnota ${formatNok(o.creditOre ?? 0)} NOK` : 'reklamasjon avvist';
    doc.text(`Reklamasjon ${o.serviceRequest}: ${what}`, LEFT, y);
    y += 10;
  }
  doc.end();
  return done;
}
